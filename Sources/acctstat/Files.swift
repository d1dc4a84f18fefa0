import AcctStatCore
import ArgumentParser

extension AcctStat {
    struct Files: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the ledger: every input content read, where it stands, and its problems.",
            discussion: """
            One row per content (not per path): the path it was last seen at, how much was read, whether it is finished (a complete gzip) or may still grow, and how many problems it had. --problems also prints the stored samples (path:line: kind: message).

            Examples:
              acctstat files
              acctstat files --problems
              acctstat files --format json | jq '.[] | select(.errors > 0)'
            """)

        @OptionGroup var database: DatabaseOptions

        @Option(help: "table, csv or json.")
        var format: TableFormat = .table

        @Flag(help: "Also print the stored problem samples.")
        var problems = false

        mutating func run() throws {
            let store = try database.openForReading()
            let listing = try store.ledger()
            print(LedgerReport.render(listing, format: format, withSamples: problems), terminator: "")
        }
    }
}
