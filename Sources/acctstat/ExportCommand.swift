import AcctStatCore
import ArgumentParser
import Foundation

extension AcctStat {
    struct ExportCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write the stored counts as CSV, JSON or NDJSON.",
            discussion: """
            One row per UTC hour, PowerMTA host, record type, recipient domain, signing domain, selector, result, cause, vmta and mailbox provider, with the count of records:
                hour,mta,type,rcpt_domain,signing_domain,selector,result,cause,vmta,provider,count
            mta is the host that wrote the logs ('ingest --mta', its host name by default); --mta exports one host's rows.
            result is the record's DKIM result as DMARC reads its signatures (a pass when any passed, else the first), or 'rejected' for a record whose only evidence is a receiver's authentication rejection (its cause says which). provider is the receiving MX's provider where the record names one (dsnMta: Google Workspace and Microsoft 365 custom domains count as Google and Microsoft), else the recipient domain's (--providers extends the table). With --signatures, each signature's verdict counts once for its own selector instead: a record signed twice gives two counts. Unknown values are empty in CSV and null in JSON. The window counts exactly what a report of it counts (to the minute where minute counts are kept). Without a window, everything is exported.

            Examples:
              acctstat export --since 7d --format csv > week.csv
              acctstat export --since 7d --signatures > signatures.csv
              acctstat export --since 1d --mta mta2 --format json
              acctstat export --from 2026-11-01 --to 2026-11-08 --format ndjson \\
                  --output nov.ndjson
            """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var window: WindowOptions
        @OptionGroup var host: MTAFilterOptions

        @Option(help: "csv, json or ndjson.")
        var format: Export.Format = .csv

        @Option(help: ArgumentHelp("Write to this file (atomically) instead of stdout.", valueName: "file"))
        var output: String?

        @Flag(help: "One count per signature verdict, for its own selector, instead of one per record.")
        var signatures = false

        @Option(help: ArgumentHelp("Extra mailbox providers, in the built-in table's format; its lines win.", valueName: "file"))
        var providers: String?

        func validate() throws {
            try window.validate()
        }

        mutating func run() throws {
            let store = try database.openForReading()
            let providerTable = try loadProviders(providers)
            let range = window.range(zone: .utc) ?? .everything
            do {
                try OutputFile.stream(to: output) { write in
                    try Export.write(store: store, window: range, format: format, unit: signatures ? .signatures : .records,
                                     mta: host.mta, providers: providerTable, to: write)
                }
            } catch {
                Terminal.error("\(error)")
                throw ExitStatus.failure.exitCode
            }
        }
    }
}

extension Export.Format: ExpressibleByArgument {}

/// `--since`, `--from` and `--to`.
struct WindowOptions: ParsableArguments {
    // Unconditional: `--since -7d` reaches validate() and gets a message about its value.
    @Option(parsing: .unconditional, help: ArgumentHelp("A window ending now: 90m, 24h, 7d, 4w.", valueName: "duration"))
    var since: String?

    @Option(help: ArgumentHelp("Window start: a date (2026-11-01) or date-time (2026-11-01T13:00, with an optional offset).",
                               valueName: "time"))
    var from: String?

    @Option(help: ArgumentHelp("Window end (exclusive), in the same forms as --from.", valueName: "time"))
    var to: String?

    func validate() throws {
        if since != nil && (from != nil || to != nil) {
            throw ValidationError("use either --since or --from/--to, not both")
        }
        if let since, TimeWindow.duration(since) == nil {
            throw ValidationError("--since takes a positive duration such as 90m, 24h, 7d or 4w, not '\(since)'")
        }
        for (name, value) in [("--from", from), ("--to", to)] {
            if let value, TimeWindow.instant(value, zone: .utc) == nil {
                throw ValidationError("\(name) takes a date (2026-11-01) or date-time (2026-11-01T13:00:00), not '\(value)'")
            }
        }
        if let from, let to, let start = TimeWindow.instant(from, zone: .utc), let end = TimeWindow.instant(to, zone: .utc), start >= end {
            throw ValidationError("--from \(from) is not before --to \(to): the window would be empty")
        }
    }

    /// The window asked for, or nil when none was given.
    func range(zone: ReportTimeZone, now: Int64 = Int64(Date().timeIntervalSince1970)) -> TimeWindow? {
        if let since, let seconds = TimeWindow.duration(since) {
            return TimeWindow(from: now - seconds, to: now)
        }
        guard from != nil || to != nil else { return nil }
        return TimeWindow(from: from.flatMap { TimeWindow.instant($0, zone: zone) } ?? 0,
                          to: to.flatMap { TimeWindow.instant($0, zone: zone) } ?? now)
    }
}
