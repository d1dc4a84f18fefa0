import Foundation
import GRDB
import Testing
@testable import AcctStatCore

@Suite struct SQLiteStoreTests {
    /// A commit that fails is rolled back with the names it stored; a later commit of the same
    /// name must store it again, not reuse the id the rollback took back.
    @Test func aFailedCommitForgetsTheNamesItStored() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("db.sqlite")
        let store = try SQLiteStore(path: path)
        func commit(_ file: String) throws {
            let names = NameTable()
            var batch = IngestBatch(position: FilePosition(offset: 10, line: 2, records: 1, header: nil))
            batch.counts.add(CountKey(hour: 500_000, type: .delivered, rcptDomain: names.id(.domain, "gmail.com"), signingDomain: 0,
                                      selector: 0, result: .unknown, cause: nil, vmta: 0, source: .none, keySource: .none))
            var entry = LedgerEntry(fingerprint: file, head: [], path: "/logs/" + file, compression: "plain")
            try store.commit(batch, entry: &entry, names: names, now: 0)
        }
        // Another connection makes the counts insert fail, after the names went in.
        let other = try DatabaseQueue(path: path)
        try other.write { try $0.execute(sql: "CREATE TRIGGER refuse BEFORE INSERT ON counts BEGIN SELECT RAISE(ABORT, 'refused'); END") }
        #expect(throws: StoreError.self) { try commit("a") }
        try other.write { try $0.execute(sql: "DROP TRIGGER refuse") }
        try other.close()
        try commit("b")
        let rows = try store.query("SELECT rcpt_domain, count FROM counts_named", arguments: []).rows
        #expect(rows == [[.text("gmail.com"), .integer(1)]])
    }
}
