import AcctStatCore
import ArgumentParser

extension AcctStat {
    struct ReportCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract: "DKIM pass/fail trends by recipient domain, signing domain and selector, and failure causes.",
            discussion: """
            Sections: summary (window, time zone, records by type, evidence coverage, pass rate), by recipient domain, by signing domain and selector, failure causes with sample diagnostics. RATE is pass ÷ records with a verdict: a delivered record without DKIM evidence is unknown, never a pass. Receiver replies only ever report failures: the table also gives the rate from verdict columns alone, and draws ? in TREND where every verdict of a bucket came from a receiver reply.

            Without a window, the report covers the 7 days that end at the newest ingested record. Buckets are hourly up to 48 h and daily beyond, on the wall clock of --tz.

            --format csv and json give one row per bucket of one group (default --by domain). Columns:
              --by domain:   bucket_start,rcpt_domain,<counts>
              --by selector: bucket_start,signing_domain,selector,<counts>
              --by provider: bucket_start,provider,<counts>
              --by vmta:     bucket_start,vmta,<counts>
              --by mta:      bucket_start,mta,<counts>   (the PowerMTA host, 'ingest --mta')
              --by cause:    bucket_start,result,cause,count
            where <counts> is
              total,pass,fail,neutral,policy,temperror,permerror,none,unknown,pass_rate

            Examples:
              acctstat report --since 7d
              acctstat report --since 24h --tz Europe/Berlin --by selector
              acctstat report --from 2026-11-01 --to 2026-11-08 --by provider \\
                  --format csv > providers.csv
              acctstat report --since 4w --bucket week \\
                  --signing-domain news.example.com --format json
              # charts, in one page that opens from a mail attachment:
              acctstat report --since 7d --format html --output dkim.html
              # a fleet: each host's totals, then one host's domains
              acctstat report --since 24h --by mta
              acctstat report --since 24h --mta mta2
            """)

        enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv, json, html }

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var window: WindowOptions
        @OptionGroup var zoneOptions: ZoneOptions
        @OptionGroup var filterOptions: FilterOptions
        @OptionGroup var clock: ClockOptions
        @OptionGroup var configOptions: PMTAConfigOptions

        @Option(help: "hour, day or week (default: hour up to 48 h, day beyond).")
        var bucket: ReportOptions.Bucket?

        @Option(help: "Show one section only: domain, selector, cause, provider, vmta or mta.")
        var by: ReportOptions.GroupBy?

        @Option(parsing: .unconditional,
                help: ArgumentHelp("How many groups a section shows (table default 10; csv and json: all unless given).", valueName: "n"))
        var top: Int?

        @Option(help: "table, csv, json or html (one self-contained page with charts).")
        var format: Format = .table

        @Option(help: ArgumentHelp("Write to this file (atomically) instead of stdout.", valueName: "file"))
        var output: String?

        @Flag(help: "ASCII sparklines instead of Unicode blocks.")
        var ascii = false

        @Option(help: ArgumentHelp("Extra mailbox providers, in the built-in table's format ('Name: domain domain.* …'; "
                                   + "acctstat report --providers-list prints it); its lines win.", valueName: "file"))
        var providers: String?

        @Option(help: ArgumentHelp("Only recipient domains of this mailbox provider (Google, Microsoft, Yahoo, …).", valueName: "name"))
        var provider: String?

        @Flag(help: "Print the built-in mailbox provider table (the format --providers extends) and exit.")
        var providersList = false

        func validate() throws {
            if let top, top < 1 { throw ValidationError("--top takes a number of groups, at least 1, not \(top)") }
        }

        mutating func run() throws {
            if providersList {
                print(ProviderTable.builtIn, terminator: "")
                return
            }
            if format == .html && output == nil && Terminal.stdoutIsTTY {
                Terminal.error("--format html writes a whole page: add --output FILE (e.g. --output dkim.html), or pipe it to a file")
                throw ExitStatus.usage.exitCode
            }
            let store = try database.openForReading()
            let zone = zoneOptions.zone
            var options = ReportOptions(window: window.range(zone: zone, now: clock.seconds), zone: zone, now: clock.seconds)
            options.bucket = bucket
            options.by = by
            options.filters = try filterOptions.filters(provider: provider)
            options.top = top
            // The table and the page show the top groups with trends and changes; CSV and JSON
            // show every bucket of every group (or of the --top ones), and no change.
            switch format {
            case .table: options.read(for: .page(sections: ReportTableRenderer.sections(by: by)))
            case .html: options.read(for: .page(sections: HTMLReportRenderer.sections(by: by)))
            case .csv, .json: options.read(for: .rows(by ?? .domain))
            }
            options.configuredKeys = configOptions.load().map { config in
                Set(config.keys.map { ReportOptions.keyName(domain: $0.domain, selector: $0.selector) })
            }
            // On PostgreSQL every read below, the rows written bucket by bucket too, sees one snapshot.
            try store.readingOneSnapshot {
                let data = try ReportData.load(from: store, options: options, providers: try loadProviders(providers))
                Terminal.warnIfReadDuringIngest(data.readDuringIngest)
                let report = Report(data: data)
                var rowsAgree = true
                do {
                    // CSV and JSON stream: every group of a long window is millions of rows.
                    try OutputFile.stream(to: output) { write in
                        switch format {
                        case .table: try write(ReportTableRenderer.render(report, style: output == nil ? terminalStyle(ascii: ascii) : TerminalStyle(ascii: ascii)))
                        case .csv: rowsAgree = try ReportRowsRenderer.writeCSV(report, by: by ?? .domain, store: store, to: write)
                        case .json: rowsAgree = try ReportRowsRenderer.writeJSON(report, by: by ?? .domain, store: store, to: write)
                        case .html: try write(HTMLReportRenderer.render(report, generatedAt: clock.seconds))
                        }
                    }
                    // CSV and JSON rows of a long window are read bucket by bucket while they are written.
                    if !data.readDuringIngest { Terminal.warnIfReadDuringIngest(!rowsAgree) }
                } catch {
                    Terminal.error("\(error)")
                    throw ExitStatus.failure.exitCode
                }
            }
        }
    }
}

extension ReportOptions.Bucket: ExpressibleByArgument {}
extension ReportOptions.GroupBy: ExpressibleByArgument {}
