import AcctStatCore
import ArgumentParser

extension AcctStat {
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check that the database is intact and that its counts agree with its ledger.",
            discussion: """
            Runs SQLite's integrity check over every page, then compares the records the ledger says were counted, file by file, with the records the counts table holds. Reads only; safe while an ingest runs.

            Exit status:
              0  intact, and the counts agree with the ledger
              1  intact, but the counts and the ledger disagree (re-ingest into a new database)
              2  the database is damaged or cannot be read

            To recover a damaged database: restore it from a backup, or re-ingest the logs (they are the source of truth) into a new database and switch to it:
              acctstat ingest --db /var/lib/acctstat/new.sqlite /var/log/pmta

            Examples:
              acctstat verify
              acctstat verify --db /var/lib/acctstat/acctstat.sqlite
            """)

        @OptionGroup var database: DatabaseOptions

        mutating func run() throws {
            let store = try database.openForReading()
            let result = try store.verify()
            print(result.text, terminator: "")
            if !result.intact { throw ExitStatus.failure.exitCode }
            if !result.agrees { throw ExitStatus.problems.exitCode }
        }
    }
}
