import Foundation
import GRDB
import Testing
@testable import AcctStatCore

@Suite struct MigrationTests {
    /// A database written by an older acctstat is upgraded when a report opens it, and keeps its counts.
    @Test func readersUpgradeAnOlderDatabase() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("old.sqlite")
        let old = try DatabasePool(path: path)
        try Schema.migrator.migrate(old, upTo: "v2: newest record per file")
        try old.write { db in
            try db.execute(sql: "INSERT INTO names (id, kind, value) VALUES (1, 'domain', 'gmail.com'), (2, 'selector', 's1')")
            try db.execute(sql: """
                INSERT INTO counts (hour, type, rcpt_domain_id, signing_domain_id, selector_id, result, cause, vmta_id, source, count)
                VALUES (3600, 'd', 1, 1, 2, 'pass', '', 0, 'column', 5), (3600, 'd', 1, 0, 0, 'unknown', '', 0, 'none', 2)
                """)
        }
        try old.close()
        let store = try SQLiteStore(path: path, readOnly: true)
        let rows = try store.query("SELECT key_source, SUM(count) FROM counts_named GROUP BY key_source ORDER BY key_source", arguments: []).rows
        #expect(rows == [[.text("evidence"), .integer(5)], [.text("none"), .integer(2)]])
    }
}
