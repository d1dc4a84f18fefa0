import AcctStatCore
import ArgumentParser

extension AcctStat {
    struct DMARC: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dmarc",
            abstract: "The receivers' view: what their DMARC aggregate reports say of each selector.",
            discussion: """
            Reads the DMARC aggregate reports 'acctstat ingest' found among its inputs (XML, .xml.gz, .zip, or the mails that carry them). A report counts by the begin of its date range; without a window, the 7 days that end with the newest report.

            The table, per reporter and per signing domain and selector: MESSAGES that carried the signature, DKIM PASS and DKIM FAIL (the receiver's verdict on that signature), ALIGNED (the share of the messages whose DMARC evaluation of DKIM passed: an aligned signature verified), the dispositions the receiver applied (none, quarantine, reject), and the aligned rate's TREND per day. Then the same per day for all reporters, and the source IPs that are not yours ("not from your hosts": spoofing, or a sender you forgot). Your addresses are the deliveries' dlvSourceIp in the accounting logs, and smtp-source-host in --pmta-config.

            --format csv: one row per report record and DKIM signature (a record with no DKIM result gives one row with those fields empty):
              begin,end,reporter,report_id,source_ip,header_from,disposition,dmarc_dkim,dmarc_spf,signing_domain,selector,dkim_result,count

            Examples:
              acctstat dmarc
              acctstat dmarc --since 30d --reporter google.com --selector s2026
              acctstat dmarc --from 2026-11-01 --to 2026-12-01 --tz UTC --format csv > dmarc.csv
            """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var window: WindowOptions
        @OptionGroup var zoneOptions: ZoneOptions
        @OptionGroup var clock: ClockOptions
        @OptionGroup var configOptions: PMTAConfigOptions

        @Option(help: ArgumentHelp("Only signatures of this signing domain (d=).", valueName: "domain"))
        var signingDomain: String?

        @Option(help: ArgumentHelp("Only signatures with this selector (s=).", valueName: "selector"))
        var selector: String?

        @OptionGroup var reportFilters: DMARCFilterOptions

        @Option(help: "table, csv or json.")
        var format: TableFormat = .table

        @Flag(help: "Plain ASCII symbols.")
        var ascii = false

        mutating func run() throws {
            let store = try database.openForReading()
            let zone = zoneOptions.zone
            let filters = reportFilters.filters(signingDomain: signingDomain, selector: selector)
            let view = try DMARCView.load(from: store, window: window.range(zone: zone, now: clock.seconds), zone: zone, filters: filters,
                                          configuredIPs: configOptions.load()?.sourceIPs ?? [])
            switch format {
            case .table: print(view.table(style: terminalStyle(ascii: ascii)), terminator: "")
            case .csv: print(view.csv(), terminator: "")
            case .json: print(view.json(), terminator: "")
            }
        }
    }
}
