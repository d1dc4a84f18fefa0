import AcctStatCore
import ArgumentParser

extension AcctStat {
    struct Selectors: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The key-rotation view: is the old selector safe to retire?",
            discussion: """
            For each signing domain and selector: first and last seen, volume and pass rate over the last 24 h and 7 d, share of the domain's mail in the last 24 h, and a state:
                new       first seen in the last 24 h
                active    signing
                draining  its share is falling while another selector of the domain rises, or it
                          stopped signing less than 7 days ago
                idle      not seen for 7 days or more
            An idle selector's DNS record can be removed only when another selector of the same signing domain has signed for the 7 days since it stopped, in fresh data: a domain's only selector is never advised away, and when the newest record is older than --max-age the view says the data is stale and gives no removal advice.
            With --mta, the volumes, rates and states are that host's, and only the selectors it signed with in the last 7 days are listed; first and last seen stay the fleet's.
            Warnings: a selector still signing with a failing pass rate (below --failing-rate), a draining selector still carrying more than 5% of its domain's mail 48 h after the new one appeared, and (with a PowerMTA configuration) a selector still signing that no configured key has.

            Examples:
              acctstat selectors
              acctstat selectors --tz UTC --format csv
              acctstat selectors --mta mta2
            """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var zoneOptions: ZoneOptions
        @OptionGroup var clock: ClockOptions
        @OptionGroup var configOptions: PMTAConfigOptions
        @OptionGroup var host: MTAFilterOptions

        @Option(help: ArgumentHelp("Warn about a selector still signing below this pass rate (0 to 1).", valueName: "rate"))
        var failingRate: Double = 0.9

        @Option(help: ArgumentHelp("Data whose newest record is older than this is stale: no DNS record is advised removable (default 1d).",
                                   valueName: "duration"))
        var maxAge: String = "1d"

        @Option(help: "table, csv or json.")
        var format: TableFormat = .table

        @Flag(help: "Plain ASCII symbols.")
        var ascii = false

        func validate() throws {
            guard TimeWindow.duration(maxAge) != nil else {
                throw ValidationError("--max-age takes a positive duration such as 12h or 2d, not '\(maxAge)'")
            }
        }

        mutating func run() throws {
            let store = try database.openForReading()
            let view = try SelectorsView.load(from: store, now: clock.seconds, failingRate: failingRate, config: configOptions.load(),
                                              maxAge: TimeWindow.duration(maxAge)!, mta: host.mta)
            let zone = zoneOptions.zone
            switch format {
            case .table: print(view.table(zone: zone, style: terminalStyle(ascii: ascii)), terminator: "")
            case .csv: print(view.csv(zone: zone), terminator: "")
            case .json: print(view.json(zone: zone), terminator: "")
            }
        }
    }
}
