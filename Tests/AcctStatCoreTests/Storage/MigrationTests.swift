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
        try Schema.migrator().migrate(old, upTo: "v2: newest record per file")
        try old.write { db in
            try db.execute(sql: "INSERT INTO names (id, kind, value) VALUES (1, 'domain', 'gmail.com'), (2, 'selector', 's1')")
            try db.execute(sql: """
                INSERT INTO counts (hour, type, rcpt_domain_id, signing_domain_id, selector_id, result, cause, vmta_id, source, count)
                VALUES (3600, 'd', 1, 1, 2, 'pass', '', 0, 'column', 5), (3600, 'd', 1, 0, 0, 'unknown', '', 0, 'none', 2)
                """)
            try db.execute(sql: """
                INSERT INTO files (id, fingerprint, head, path, compression, bytes, lines, records, finished, end_state,
                                   first_ingested, last_ingested) VALUES (1, 'f', x'', '/logs/acct.csv', 'plain', 10, 2, 1, 0, '', 0, 0);
                INSERT INTO names (id, kind, value) VALUES (3, 'detail', 'signature expired');
                INSERT INTO failures (time, type, rcpt_domain_id, signing_domain_id, selector_id, result, cause, vmta_id, source,
                                      job_id, dsn_status, detail_id, file_id, line)
                VALUES (3700, 'd', 1, 1, 2, 'fail', 'expired', 0, 'column', 'job1', '2.0.0', 3, 1, 2)
                """)
        }
        try old.close()
        var notes: [String] = []
        let store = try SQLiteStore(path: path, readOnly: true, announce: { notes.append($0) })
        // The upgrade is announced before it runs (a large database takes a while), and only once.
        #expect(notes.count == 1 && notes[0].hasPrefix("upgrading \(path) to this version's schema"))
        _ = try SQLiteStore(path: path, readOnly: true, announce: { notes.append($0) })
        _ = try SQLiteStore(path: path, announce: { notes.append($0) })
        #expect(notes.count == 1)
        let rows = try store.query("SELECT key_source, SUM(count) FROM counts_named GROUP BY key_source ORDER BY key_source", arguments: []).rows
        #expect(rows == [[.text("evidence"), .integer(5)], [.text("none"), .integer(2)]])
        let failures = try store.query("SELECT type, rcpt_domain, result, cause, source, key_source, job_id, detail, file, line FROM failures_named",
                                       arguments: []).rows
        #expect(failures == [[.text("d"), .text("gmail.com"), .text("fail"), .text("expired"), .text("column"), .text("evidence"),
                              .text("job1"), .text("signature expired"), .text("/logs/acct.csv"), .integer(2)]])
    }

    /// An ingest (a writable open) announces the upgrade of an older database too.
    @Test func writersAnnounceTheUpgrade() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("v5.sqlite")
        let old = try DatabasePool(path: path)
        try Schema.migrator().migrate(old, upTo: "v5: failures with integer codes, stored in time order")
        try old.close()
        var notes: [String] = []
        _ = try SQLiteStore(path: path, announce: { notes.append($0) })
        #expect(notes.count == 1)
    }

    /// A database from before hosts were stored (schema v9) keeps its rows under the upgrading
    /// host's name, which the upgrade says once; that host's ledger is then the old one.
    @Test func rowsFromBeforeHostsAreTheUpgradingHosts() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("v9.sqlite")
        let old = try DatabasePool(path: path)
        try Schema.migrator().migrate(old, upTo: "v9: DMARC aggregate reports, own source IPs")
        try old.write { db in
            try db.execute(sql: """
                INSERT INTO files (fingerprint, head, path, compression, bytes, lines, records, header, finished, end_state,
                                   first_ingested, last_ingested) VALUES ('f1', x'', '/logs/a.csv', 'plain', 10, 2, 7, NULL, 1, '', 1, 1);
                INSERT INTO counts (hour, rcpt_domain_id, codes, signing_domain_id, selector_id, vmta_id, count) VALUES (3600, 0, 33, 0, 0, 0, 7);
                INSERT INTO other_signatures (hour, rcpt_domain_id, codes, signing_domain_id, selector_id, vmta_id, count) VALUES (3600, 0, 33, 0, 0, 0, 2);
                """)
        }
        try old.close()
        var notes: [String] = []
        let store = try SQLiteStore(path: path, mta: "old-host", announce: { notes.append($0) })
        #expect(notes.count == 1 && notes[0].contains("stored as written by host 'old-host'"), "\(notes)")
        let rows = try store.query("SELECT mta, count FROM counts_named UNION ALL SELECT mta, count FROM signature_counts_named",
                                   arguments: []).rows
        #expect(rows == [[.text("old-host"), .integer(7)], [.text("old-host"), .integer(7)], [.text("old-host"), .integer(2)]])
        #expect(try store.ledger().map(\.entry.mta) == ["old-host"])
        _ = try SQLiteStore(path: path, mta: "another", announce: { notes.append($0) })
        #expect(notes.count == 1, "said once")
    }

    /// docs/schema.md lists each table's and view's columns as a fresh database has them.
    @Test func readmeSchemaMatchesTheDatabase() throws {
        let dir = TemporaryDirectory()
        var notes: [String] = []
        let store = try SQLiteStore(path: dir.file("db.sqlite"), announce: { notes.append($0) })
        #expect(notes.isEmpty, "a new database is created, not upgraded")
        let readme = try String(contentsOf: packageRoot.appendingPathComponent("docs/schema.md"), encoding: .utf8)
        for name in ["counts_named", "signature_counts_named", "failures_named"] {
            // | `failures_named` (view) | … | `time, type, …, line` |
            let line = try #require(readme.split(separator: "\n").first { $0.hasPrefix("| `\(name)` (view) |") })
            let documented = line.split(separator: "|").last!.split(separator: "`")[1].split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            let actual = try store.query("SELECT name FROM pragma_table_info('\(name)')", arguments: []).rows.compactMap { $0.first?.string }
            #expect(documented == actual, "docs/schema.md columns of \(name)")
        }
    }
}
