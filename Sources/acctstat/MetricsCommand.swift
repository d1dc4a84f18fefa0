import AcctStatCore
import ArgumentParser

extension AcctStat {
    struct MetricsCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "metrics",
            abstract: "Write Prometheus metrics of the database (text exposition format).",
            discussion: """
            Metrics: acctstat_records_total{provider,signing_domain,selector,result,source} (a counter of every stored record; selectors not seen in the last 30 days fold into 'other'), acctstat_newest_record_timestamp_seconds, acctstat_last_ingest_timestamp_seconds, acctstat_ingest_problems_total{kind}, acctstat_selector_last_seen_timestamp_seconds{signing_domain,selector} and acctstat_build_info{version}.

            With --output the file is replaced atomically, as node_exporter's textfile collector needs.

            Examples:
              acctstat metrics
              acctstat metrics --output /var/lib/node_exporter/textfile/acctstat.prom
              # cron, right after the ingest:
              acctstat ingest --quiet /var/log/pmta; acctstat metrics \\
                  --output /var/lib/node_exporter/textfile/acctstat.prom
            """)

        @OptionGroup var database: DatabaseOptions

        @Option(help: ArgumentHelp("Write to this file (atomically) instead of stdout.", valueName: "file"))
        var output: String?

        @Option(help: ArgumentHelp("Extra mailbox providers, as for report.", valueName: "file"))
        var providers: String?

        mutating func run() throws {
            let store = try database.openForReading()
            let text = try Metrics.render(store: store, providers: try loadProviders(providers))
            try OutputFile.stream(to: output) { write in try write(text) }
        }
    }
}
