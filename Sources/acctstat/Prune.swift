import AcctStatCore
import ArgumentParser
import Foundation

extension AcctStat {
    struct Prune: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove the counts, failure samples and DMARC reports from before a date.",
            discussion: """
            Removes, in one transaction, every count and failure row of the hours before DATE (UTC, or with the offset given; a time inside an hour keeps that hour) and every DMARC aggregate report that begins before it. The ledger stays: the files those records came from are never read again, and 'verify' counts what was pruned. On PostgreSQL, months wholly before DATE go as whole partitions, which gives their disk space back at once; on SQLite the freed pages are reused by later ingests ('sqlite3 DB VACUUM' returns them to the disk).

            Examples:
              acctstat prune --before 2026-01-01
              acctstat prune --before 2026-06-01 --db postgres://acctstat@db.example/pmta
              # cron, keeping 400 days:
              15 3 * * * acctstat prune --before "$(date -u -d '400 days ago' +\\%F)"

            Exit status:
              0  pruned (or nothing was old enough)
              2  the database could not be opened or written
              64 bad command-line usage
            """)

        @OptionGroup var database: DatabaseOptions

        @Option(help: ArgumentHelp("Remove what is older than this: a date (2026-01-01, UTC) or an ISO 8601 time.", valueName: "date"))
        var before: String

        func validate() throws {
            guard let instant = TimeWindow.instant(before, zone: .utc) else {
                throw ValidationError("--before takes a date such as 2026-01-01 or an ISO 8601 time, not '\(before)'")
            }
            guard instant <= Int64(Date().timeIntervalSince1970) else {
                throw ValidationError("--before \(before) is in the future: it would remove everything up to now and more")
            }
        }

        mutating func run() throws {
            let hour = floorDivide(TimeWindow.instant(before, zone: .utc)!, 3600) * 3600
            let location = try database.location()
            do {
                let store = try location.open(readOnly: false, ingesting: false, announce: { Terminal.error("note: " + $0) })
                let summary = try store.prune(before: hour)
                var text = "pruned \(location.description) before \(ReportTimeZone.utc.iso(hour)): \(grouped(summary.records)) records"
                    + " (\(grouped(summary.signatures)) more signature verdicts), \(grouped(summary.failures)) failure samples,"
                    + " \(grouped(summary.dmarcReports)) DMARC reports"
                if !summary.droppedPartitions.isEmpty {
                    text += "; dropped partitions " + summary.droppedPartitions.joined(separator: ", ")
                }
                Terminal.error(text)
            } catch {
                Terminal.error("\(error)")
                throw ExitStatus.failure.exitCode
            }
        }
    }
}
