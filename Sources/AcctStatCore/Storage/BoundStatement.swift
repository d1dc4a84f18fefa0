import GRDB
import GRDBSQLite

/// Binds and steps a prepared statement straight through the SQLite C API.
///
/// The ingest commits hundreds of thousands of upserts; building GRDB `StatementArguments`
/// for each costs more than SQLite's own work. This is the one place that reaches below
/// GRDB, for the two hot inserts. The statement comes from GRDB's statement cache.
struct BoundStatement {
    private let handle: SQLiteStatement
    private let sql: String

    init(_ statement: Statement) {
        handle = statement.sqliteStatement
        sql = statement.sql
    }

    func bind(_ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(handle, index, value)
    }

    func bind(_ index: Int32, _ text: String?) {
        guard let text else {
            sqlite3_bind_null(handle, index)
            return
        }
        guard !text.isEmpty else {
            sqlite3_bind_text(handle, index, "", 0, nil)
            return
        }
        var copy = text
        copy.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                // SQLITE_TRANSIENT: SQLite copies the bytes before this call returns.
                _ = sqlite3_bind_text(handle, index, chars.baseAddress, Int32(chars.count),
                                      unsafeBitCast(-1, to: sqlite3_destructor_type.self))
            }
        }
    }

    /// Runs the statement once and resets it for the next row.
    func step() throws {
        let status = sqlite3_step(handle)
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        guard status == SQLITE_DONE else {
            throw StoreError("sqlite error \(status) in: \(sql)")
        }
    }
}
