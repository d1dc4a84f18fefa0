import GRDB
import GRDBSQLite

/// Binds and steps a prepared statement straight through the SQLite C API.
///
/// The ingest commits hundreds of thousands of upserts, and a report reads as many rows;
/// building GRDB arguments and rows for each costs more than SQLite's own work. This file
/// is the one place that reaches below GRDB: the hot inserts and name look-ups, and ``RawRows``
/// for the report's row scan. The statements come from GRDB, which prepared and bound them.
struct BoundStatement {
    private let handle: SQLiteStatement
    /// For error messages only: GRDB builds `sql` anew (trimmed) on each read, which costs more
    /// than a commit's worth of binding for the long multi-row statements.
    private let statement: Statement

    init(_ statement: Statement) {
        handle = statement.sqliteStatement
        self.statement = statement
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

    /// Binds `bytes[range]` as a blob; NULL when the range is empty.
    func bind(_ index: Int32, bytes: [UInt8], _ range: Range<Int>) {
        guard !range.isEmpty else {
            sqlite3_bind_null(handle, index)
            return
        }
        bytes.withUnsafeBytes { buffer in
            // SQLITE_TRANSIENT: SQLite copies the bytes before this call returns.
            _ = sqlite3_bind_blob(handle, index, buffer.baseAddress! + range.lowerBound, Int32(range.count),
                                  unsafeBitCast(-1, to: sqlite3_destructor_type.self))
        }
    }

    /// Runs a query and returns the first column of its first row, if any; resets the statement.
    func firstInteger() throws -> Int64? {
        let status = sqlite3_step(handle)
        defer { sqlite3_reset(handle) }
        switch status {
        case SQLITE_ROW: return sqlite3_column_int64(handle, 0)
        case SQLITE_DONE: return nil
        default: throw StoreError("sqlite error \(status) in: \(statement.sql)", kind: StoreError.isDamage(status) ? .damaged : .failure)
        }
    }

    /// Runs an `INSERT … ON CONFLICT DO NOTHING` once: the new row's rowid, or nil when it
    /// inserted nothing. Asked of SQLite directly: through GRDB each answer cost ~500 instructions.
    func insertedRowID() throws -> Int64? {
        try step()
        let connection = sqlite3_db_handle(handle)
        return sqlite3_changes(connection) > 0 ? sqlite3_last_insert_rowid(connection) : nil
    }

    /// Runs the statement once and resets it for the next row.
    func step() throws {
        let status = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard status == SQLITE_DONE else {
            throw StoreError("sqlite error \(status) in: \(statement.sql)", kind: StoreError.isDamage(status) ? .damaged : .failure)
        }
    }
}

/// Steps a GRDB statement (already bound) and reads columns without allocating per row.
struct RawRows: RowReader {
    private let handle: SQLiteStatement

    init(_ statement: Statement) {
        handle = statement.sqliteStatement
    }

    /// Calls `body` for each row, then resets the statement.
    func forEach(_ body: (RawRows) throws -> Void) throws {
        defer { sqlite3_reset(handle) }
        while true {
            let status = sqlite3_step(handle)
            if status == SQLITE_DONE { return }
            guard status == SQLITE_ROW else {
                throw StoreError("sqlite error \(status) while reading rows", kind: StoreError.isDamage(status) ? .damaged : .failure)
            }
            try body(self)
        }
    }

    func int(_ index: Int) -> Int64 { sqlite3_column_int64(handle, Int32(index)) }

    func string(_ index: Int) -> String? {
        text(index).map { String(decoding: $0, as: UTF8.self) }
    }

    func text(_ index: Int) -> UnsafeRawBufferPointer? {
        guard sqlite3_column_type(handle, Int32(index)) != SQLITE_NULL else { return nil }
        guard let text = sqlite3_column_text(handle, Int32(index)) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, Int32(index))))
    }
}
