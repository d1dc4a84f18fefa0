import Foundation
import Testing
@testable import AcctStatCore

@Suite struct QueryTableTests {
    /// A store whose second pass over a query reads other rows than its first, as a query with
    /// `random()` does: a value wider than the first pass measured must be shown whole.
    final class ChangingStore: AccountingStore, @unchecked Sendable {
        let inner: SQLiteStore
        let secondPass: String
        init(_ inner: SQLiteStore, secondPass: String) {
            self.inner = inner
            self.secondPass = secondPass
        }

        func forEachRow(_ sql: String, passes: Int, columns: ([String]) throws -> Void, _ body: (Int, [SQLValue]) throws -> Void) throws {
            try inner.forEachRow(sql, passes: 1, columns: columns) { _, row in try body(0, row) }
            if passes > 1 { try inner.forEachRow(secondPass, passes: 1, columns: { _ in }) { _, row in try body(1, row) } }
        }

        func forEachRow(_ sql: String, named arguments: [String: SQLValue], _ body: (any RowReader) throws -> Void) throws {
            try inner.forEachRow(sql, named: arguments, body)
        }
        func ledgerEntry(matching fingerprint: ContentFingerprint) throws -> LedgerEntry? { try inner.ledgerEntry(matching: fingerprint) }
        func commit(_ batch: IngestBatch, entry: inout LedgerEntry, names: NameTable, now: Int64) throws {
            try inner.commit(batch, entry: &entry, names: names, now: now)
        }
        func updatePath(_ path: String, of entryId: Int64) throws { try inner.updatePath(path, of: entryId) }
        func recordRun(started: Int64, finished: Int64, filesRead: Int, records: Int64, problems: ProblemLog, config: PMTAConfig?) throws {
            try inner.recordRun(started: started, finished: finished, filesRead: filesRead, records: records, problems: problems, config: config)
        }
        func ledger() throws -> [LedgerListing] { try inner.ledger() }
        func query(_ sql: String, arguments: [SQLValue]) throws -> QueryResult { try inner.query(sql, arguments: arguments) }
        func query(_ sql: String, named arguments: [String: SQLValue]) throws -> QueryResult { try inner.query(sql, named: arguments) }
    }

    @Test func aValueWiderThanMeasuredIsShownWhole() throws {
        let dir = TemporaryDirectory()
        let store = ChangingStore(try SQLiteStore(path: dir.file("db.sqlite")), secondPass: "SELECT 'a much longer value' AS v, 1 AS n")
        let table = try OutputFile.text { try QueryResultRenderer.write("SELECT 'short' AS v, 1 AS n", from: store, format: .table, to: $0) }
        #expect(table == "v      n\na much longer value  1\n")
    }
}
