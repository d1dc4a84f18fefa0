import AcctStatCore
import ArgumentParser
import Foundation

extension AcctStat {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One-line DKIM health verdict for cron and Nagios-style monitoring.",
            discussion: """
            Prints one line with perfdata and exits 0 OK, 1 WARNING, 2 CRITICAL or 3 UNKNOWN. Two measures, never mixed: the pass rate (--min-pass-rate, --warn-pass-rate) counts verdict-column evidence only; the rejected rate (--max-rejected-rate, --warn-rejected-rate) counts records a receiver rejected for authentication, of all records. Give either or both; the worst verdict wins. UNKNOWN means no data, a newest record older than --max-age (a stalled ingest never looks healthy; on a fleet without --mta, any host's that sent records in the last 7 days: one host whose ingest stopped is named), fewer records than --min-volume, or a pass rate asked of logs without a verdict column (real PowerMTA logs have none: check their rejected rate). With --selector, each signature's verdict counts for its own selector.

            --source dmarc checks what receivers reported instead: the DKIM pass rate of the signatures in the DMARC aggregate reports whose date range begins in the window (default --since 2d: reports come once a day), with --signing-domain, --selector, --reporter and --header-from; --max-age then applies to the end of the newest report, and the perfdata counts signatures.

            Examples:
              acctstat check --since 1h --min-pass-rate 0.98 --warn-pass-rate 0.99 \\
                  --max-age 30m
              acctstat check --since 1h --max-rejected-rate 0.02 \\
                  --warn-rejected-rate 0.005
              acctstat check --since 24h --min-pass-rate 0.95 --provider Google \\
                  --min-volume 500
              acctstat check --since 1h --min-pass-rate 0.98 \\
                  --signing-domain news.example.com --selector s1 --format json
              acctstat check --source dmarc --since 2d --min-pass-rate 0.98 \\
                  --selector s1 --max-age 2d
            """)

        enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var filterOptions: FilterOptions
        @OptionGroup var clock: ClockOptions

        @Option(parsing: .unconditional, help: ArgumentHelp("The window ending now: 90m, 1h, 24h, 7d (default 1h; 2d with --source dmarc).",
                                                            valueName: "duration"))
        var since: String?

        @Option(help: "logs (the accounting logs' verdicts) or dmarc (what receivers' DMARC aggregate reports say).")
        var source: HealthCheck.Source = .logs

        @OptionGroup var reportFilters: DMARCFilterOptions

        var window: String { since ?? (source == .dmarc ? "2d" : "1h") }

        @Option(help: ArgumentHelp("CRITICAL below this pass rate (0 to 1).", valueName: "rate"))
        var minPassRate: Double?

        @Option(help: ArgumentHelp("WARNING below this pass rate (0 to 1).", valueName: "rate"))
        var warnPassRate: Double?

        @Option(help: ArgumentHelp("CRITICAL above this rejected rate (0 to 1): receiver authentication rejections ÷ records.",
                                   valueName: "rate"))
        var maxRejectedRate: Double?

        @Option(help: ArgumentHelp("WARNING above this rejected rate (0 to 1).", valueName: "rate"))
        var warnRejectedRate: Double?

        @Option(help: ArgumentHelp("Only recipient domains of this mailbox provider (Google, Microsoft, Yahoo, …).", valueName: "name"))
        var provider: String?

        @Option(help: ArgumentHelp("UNKNOWN with fewer records with a verdict than this (for the rejected rate: fewer records).",
                                   valueName: "n"))
        var minVolume: Int64 = 1

        @Option(help: ArgumentHelp("UNKNOWN when the newest record is older than this (30m, 2h).", valueName: "duration"))
        var maxAge: String?

        @Option(help: ArgumentHelp("Extra mailbox providers.", valueName: "file"))
        var providers: String?

        @Option(help: "text or json.")
        var format: Format = .text

        @Option(help: ArgumentHelp("End a check that takes longer than this as UNKNOWN (a monitoring plugin must answer).",
                                   valueName: "seconds"))
        var timeout: Double = 10

        func validate() throws {
            guard TimeWindow.duration(window) != nil else { throw ValidationError("--since takes a positive duration such as 1h, not '\(window)'") }
            if source == .dmarc {
                if maxRejectedRate != nil || warnRejectedRate != nil {
                    throw ValidationError("--source dmarc checks the receivers' DKIM pass rate: give --min-pass-rate or --warn-pass-rate; "
                                          + "DMARC reports carry no receiver rejections")
                }
                let logsOnly = [("--domain", filterOptions.domain), ("--vmta", filterOptions.vmta), ("--mta", filterOptions.host.mta), ("--type", filterOptions.type),
                                ("--provider", provider)].filter { $0.1 != nil }.map(\.0)
                if let first = logsOnly.first {
                    throw ValidationError("\(first) filters the accounting logs; with --source dmarc use --signing-domain, --selector, "
                                          + "--reporter or --header-from")
                }
            } else if reportFilters.reporter != nil || reportFilters.headerFrom != nil {
                throw ValidationError("--reporter and --header-from filter DMARC reports: add --source dmarc")
            }
            if let maxAge, TimeWindow.duration(maxAge) == nil {
                throw ValidationError("--max-age takes a duration such as 30m, not '\(maxAge)'")
            }
            guard minPassRate != nil || warnPassRate != nil || maxRejectedRate != nil || warnRejectedRate != nil else {
                throw ValidationError("give a threshold: --min-pass-rate (verdict evidence) or --max-rejected-rate (receiver rejections), or both")
            }
            for rate in [minPassRate, warnPassRate, maxRejectedRate, warnRejectedRate].compactMap({ $0 }) where !(0...1).contains(rate) {
                throw ValidationError("rates are fractions from 0 to 1, such as 0.98")
            }
            if let warnPassRate, let minPassRate, warnPassRate < minPassRate {
                throw ValidationError("--warn-pass-rate \(warnPassRate) is below --min-pass-rate \(minPassRate): "
                                      + "WARNING must come before CRITICAL as the rate falls")
            }
            if let warnRejectedRate, let maxRejectedRate, warnRejectedRate > maxRejectedRate {
                throw ValidationError("--warn-rejected-rate \(warnRejectedRate) is above --max-rejected-rate \(maxRejectedRate): "
                                      + "WARNING must come before CRITICAL as rejections rise")
            }
            guard timeout > 0 else { throw ValidationError("--timeout takes a number of seconds above 0, not \(timeout)") }
        }

        mutating func run() throws {
            let now = clock.seconds
            let seconds = timeout
            // A plugin that hangs is worse than one that says it does not know.
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
                FileHandle.standardOutput.write(Data("DKIM UNKNOWN - the check took longer than \(Decimal.format(seconds, decimals: 0)) s (--timeout)\n".utf8))
                _exit(HealthCheck.Status.unknown.rawValue)
            }
            // Failures become one UNKNOWN line (AcctStat.main).
            let store = try database.location().open(readOnly: true, announce: { Terminal.error("note: " + $0) })
            let thresholds = HealthCheck.Thresholds(critical: minPassRate, warning: warnPassRate, maxRejected: maxRejectedRate,
                                                    warnRejected: warnRejectedRate, minVolume: minVolume,
                                                    maxAge: maxAge.flatMap(TimeWindow.duration))
            let window = TimeWindow(from: now - TimeWindow.duration(self.window)!, to: now)
            let check: HealthCheck
            if source == .dmarc {
                let filters = reportFilters.filters(signingDomain: filterOptions.signingDomain, selector: filterOptions.selector)
                let view = try DMARCView.load(from: store, window: window, zone: .utc, filters: filters)
                check = HealthCheck(dmarc: view, filters: filters, thresholds: thresholds, now: now)
            } else {
                check = try logsCheck(store: store, window: window, thresholds: thresholds, now: now)
            }
            print(format == .json ? check.json(zone: .utc) : check.line, terminator: "")
            if check.status != .ok { throw ExitCode(check.status.rawValue) }
        }

        private func logsCheck(store: any AccountingStore, window: TimeWindow, thresholds: HealthCheck.Thresholds, now: Int64) throws -> HealthCheck {
            let providerTable = try loadProviders(providers)
            if let provider, !providerTable.names.contains(where: { $0.caseInsensitiveCompare(provider) == .orderedSame }) {
                throw ValidationError("--provider \(provider) is not a known mailbox provider; known: "
                                      + providerTable.names.sorted().joined(separator: ", "))
            }
            var options = ReportOptions(window: window, zone: .utc, now: now)
            options.filters = try filterOptions.filters(provider: provider)
            options.read(for: .totals)
            let data = try ReportData.load(from: store, options: options, providers: providerTable)
            Terminal.warnIfReadDuringIngest(data.readDuringIngest)
            // A fleet's check covers every host: each must be fresh, not only the newest.
            var hosts: [HealthCheck.Host] = []
            if thresholds.maxAge != nil && options.filters.mta == nil {
                hosts = try store.query(QueryCatalog.sql("host_newest"),
                                        named: ["now": .integer(now), "horizon": .integer(HealthCheck.fleetHorizon)]).rows.map { row in
                    HealthCheck.Host(mta: row[0].string ?? "", newestRecord: row[1].int ?? 0)
                }
            }
            return HealthCheck(data: data, thresholds: thresholds, now: now, hosts: hosts)
        }
    }
}

extension HealthCheck.Source: ExpressibleByArgument {}
