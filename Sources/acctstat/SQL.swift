import AcctStatCore
import ArgumentParser
import Foundation

extension AcctStat {
    struct SQL: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run read-only SQL against the database.",
            discussion: """
            The schema is in the README; query the counts_named and failures_named views for names instead of ids. Statements that would write are refused. Times are UTC epoch seconds: datetime(hour, 'unixepoch') shows them.

            Examples:
              acctstat sql "SELECT cause, SUM(count) FROM counts_named
                  WHERE cause IS NOT NULL GROUP BY cause"
              # named parameters are NULL:
              acctstat sql --file queries/selectors.sql --format csv
              acctstat sql --format json "SELECT path, records FROM files"
            """)

        @OptionGroup var database: DatabaseOptions

        @Argument(help: ArgumentHelp("The SQL statement.", valueName: "sql"))
        var statement: String?

        @Option(help: ArgumentHelp("Read the statement from this file.", valueName: "file"))
        var file: String?

        @Option(help: "table, csv or json.")
        var format: TableFormat = .table

        func validate() throws {
            if (statement == nil) == (file == nil) { throw ValidationError("give either a SQL statement or --file, not both or neither") }
        }

        mutating func run() throws {
            let sql: String
            if let file {
                do { sql = try String(contentsOfFile: file, encoding: .utf8) } catch {
                    throw ValidationError("cannot read \(file): \(error.localizedDescription)")
                }
            } else {
                sql = statement ?? ""
            }
            let store = try database.openForReading()
            do {
                try OutputFile.stream(to: nil) { write in
                    try QueryResultRenderer.write(sql, from: store, format: format, to: write)
                }
            } catch {
                Terminal.error("\(error)")
                throw ExitStatus.problems.exitCode
            }
        }
    }
}
