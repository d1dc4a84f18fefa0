import Foundation
import Testing
@testable import AcctStatCore

@Suite struct QueryTableTests {
    /// A store whose second pass over a query reads other rows than its first, as a query with
    /// `random()` does: a value wider than the first pass measured must be shown whole.
    final class ChangingStore: DelegatingStore, @unchecked Sendable {
        let secondPass: String
        init(_ inner: SQLiteStore, secondPass: String) {
            self.secondPass = secondPass
            super.init(inner)
        }

        override func forEachRow(_ sql: String, passes: Int, columns: ([String]) throws -> Void,
                                 _ body: (Int, [SQLValue]) throws -> Void) throws {
            try inner.forEachRow(sql, passes: 1, columns: columns) { _, row in try body(0, row) }
            if passes > 1 { try inner.forEachRow(secondPass, passes: 1, columns: { _ in }) { _, row in try body(1, row) } }
        }
    }

    @Test func aValueWiderThanMeasuredIsShownWhole() throws {
        let dir = TemporaryDirectory()
        let store = ChangingStore(try SQLiteStore(path: dir.file("db.sqlite")), secondPass: "SELECT 'a much longer value' AS v, 1 AS n")
        let table = try OutputFile.text { try QueryResultRenderer.write("SELECT 'short' AS v, 1 AS n", from: store, format: .table, to: $0) }
        #expect(table == "v      n\na much longer value  1\n")
    }
}
