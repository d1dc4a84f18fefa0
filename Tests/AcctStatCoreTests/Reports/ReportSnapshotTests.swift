import Foundation
import Testing
@testable import AcctStatCore

/// Golden files of every report format on SampleLogs/, with a fixed time zone and a fixed "now".
@Suite struct ReportSnapshotTests {
    static let now = Int64(1_795_910_400)   // 2026-11-29T00:00:00Z
    static let database: String = {
        let path = NSTemporaryDirectory() + "acctstat-snapshots-\(UUID().uuidString).sqlite"
        var options = IngestOptions(paths: [packageRoot.path + "/SampleLogs"])
        options.now = { now }
        _ = try! IngestRun(options: options, store: try! SQLiteStore(path: path, mta: "mta1")).run()
        return path
    }()

    static let store = try! SQLiteStore(path: database, readOnly: true)

    func report(zone: String = "UTC", window: TimeWindow? = nil, parts: Int = 2,
                configure: (inout ReportOptions) -> Void = { _ in }) throws -> Report {
        var options = ReportOptions(window: window, zone: ReportTimeZone(zone)!, now: Self.now)
        configure(&options)
        let store = try SQLiteStore(path: Self.database, readOnly: true)
        return Report(data: try ReportData.load(from: store, options: options, providers: try ProviderTable(), parts: parts))
    }

    /// A window read in parts (in parallel) and merged reports exactly what one read of it does:
    /// groups, providers (numbered per part), series whose buckets straddle a cut, causes.
    @Test(arguments: [3, 7])
    func readingInPartsChangesNothing(parts: Int) throws {
        let zone = "-05:00"
        let window = TimeWindow(from: Self.now - 4 * 86400 - 1800, to: Self.now - 1800)
        for by in ReportOptions.GroupBy.allCases {
            let whole = try report(zone: zone, window: window, parts: 1) { $0.by = by }
            let split = try report(zone: zone, window: window, parts: parts) { $0.by = by }
            #expect(try ReportRowsRenderer.json(split, by: by, store: Self.store) == ReportRowsRenderer.json(whole, by: by, store: Self.store))
        }
        let whole = ReportTableRenderer.render(try report(zone: zone, window: window, parts: 1), style: TerminalStyle(width: 200))
        let split = ReportTableRenderer.render(try report(zone: zone, window: window, parts: parts), style: TerminalStyle(width: 200))
        #expect(split == whole)
    }

    @Test func tableReport() throws {
        assertSnapshot(ReportTableRenderer.render(try report(), style: TerminalStyle(width: 200)), named: "report-table.txt")
    }

    @Test func narrowAsciiProviderTable() throws {
        let text = ReportTableRenderer.render(try report { $0.by = .provider }, style: TerminalStyle(width: 80, ascii: true))
        // The tables fit; the summary's prose lines may wrap.
        let tableLines = text.split(separator: "\n").drop { !$0.hasPrefix("PROVIDER") }
        #expect(!tableLines.isEmpty && tableLines.allSatisfy { $0.count <= 80 })
        assertSnapshot(text, named: "report-provider-narrow.txt")
    }

    /// At 60 columns the trend columns outlive the counts: trends are the point of the report.
    @Test func trendsOutliveCountsWhenNarrow() throws {
        let text = ReportTableRenderer.render(try report { $0.by = .domain }, style: TerminalStyle(width: 60, ascii: true))
        let header = try #require(text.split(separator: "\n").first { $0.hasPrefix("DOMAIN") })
        #expect(header.contains("RATE") && header.contains("TREND") && header.contains("Δ RATE"), "\(header)")
        #expect(!header.contains("UNKNOWN") && !header.contains("NONE"), "\(header)")
    }

    @Test(arguments: ReportOptions.GroupBy.allCases)
    func csvByEveryGrouping(by: ReportOptions.GroupBy) throws {
        assertSnapshot(try ReportRowsRenderer.csv(try report { $0.by = by }, by: by, store: Self.store), named: "report-\(by.rawValue).csv")
    }

    /// A long window shown whole (CSV, JSON) is read bucket by bucket, keeping no series, and only
    /// once (the groups of each bucket put in name order from the stored names, not from a tally of
    /// the window): the rows are the same as from series kept in memory, with and without `--top`.
    @Test(arguments: ReportOptions.GroupBy.allCases)
    func longWindowReadBucketByBucketGivesTheSameRows(by: ReportOptions.GroupBy) throws {
        let window = TimeWindow(from: Self.now - 5 * 86400, to: Self.now)
        for top in [nil, 2] {
            let streamed = try report(zone: "Europe/Berlin", window: window) {
                $0.by = by; $0.bucket = .hour; $0.top = top; $0.read(for: .rows(by))
            }
            let kept = try report(zone: "Europe/Berlin", window: window) { $0.by = by; $0.bucket = .hour; $0.top = top }
            #expect(streamed.data.groupSeriesKept == (top != nil))
            #expect(streamed.data.tally.counts.total == (top == nil && by != .cause ? 0 : kept.data.tally.counts.total))
            #expect(try ReportRowsRenderer.csv(streamed, by: by, store: Self.store) == ReportRowsRenderer.csv(kept, by: by, store: Self.store))
        }
    }

    @Test func jsonInAnotherZoneWithFilters() throws {
        let window = TimeWindow(from: TimeWindow.instant("2026-11-26", zone: ReportTimeZone("-05:00")!)!,
                                to: TimeWindow.instant("2026-11-28", zone: ReportTimeZone("-05:00")!)!)
        let json = try ReportRowsRenderer.json(try report(zone: "-05:00", window: window) {
            $0.filters.types = [.bounce, .transient]
            $0.top = 3
            $0.read(for: .rows(.domain))
        }, by: .domain, store: Self.store)
        assertSnapshot(json, named: "report-domain-filtered.json")
    }

    /// Sample diagnostics obey the record-type filter, like the counts they explain.
    @Test func samplesFollowTheTypeFilter() throws {
        let all = try report().data.samples
        let bounces = try report { $0.filters.types = [.bounce] }.data.samples
        #expect(!bounces.isEmpty)
        #expect(bounces.allSatisfy { cause, samples in
            samples.allSatisfy { sample in all[cause]?.contains { $0.detail == sample.detail } == true }
        })
        let deliveries = try report { $0.filters.types = [.delivered] }.data.samples
        #expect(deliveries.keys.allSatisfy { ![.receiverDKIM, .receiverDMARC].contains($0) })
    }

    /// `--provider` keeps the records of that provider's domains whatever the sections shown
    /// (the table shows no provider section, so its report names no provider otherwise).
    @Test func providerFilterWithoutAProviderSection() throws {
        let all = try report { $0.read(for: .page(sections: ReportTableRenderer.sections(by: nil))) }.data.tally
        let google = try report {
            $0.filters.provider = "google"
            $0.read(for: .page(sections: ReportTableRenderer.sections(by: nil)))
        }.data.tally
        let gmail = all.groups(.domain)[ReportTally.GroupID(try domainId("gmail.com"), 0)]?.counts
        #expect(google.counts.total > 0)
        #expect(google.counts == gmail)
        #expect(google.groups(.domain).count == 1)
    }

    private func domainId(_ name: String) throws -> Int64 {
        try Self.store.query("SELECT id FROM names WHERE kind = 'domain' AND value = ?", arguments: [.text(name)]).rows[0][0].int ?? 0
    }

    /// Long windows keep series only for the groups shown; what is shown must not change.
    @Test func topGroupsFirstPassChangesNothingShown() throws {
        let window = TimeWindow(from: Self.now - 5 * 86400, to: Self.now)
        func render(_ limit: Int?) throws -> String {
            ReportTableRenderer.render(try report(window: window) {
                $0.bucket = .hour
                $0.top = 3
                $0.shownGroups = limit
            }, style: TerminalStyle(width: 400))
        }
        #expect(try render(3) == render(nil))
        let limited = try report(window: window) { $0.bucket = .hour; $0.shownGroups = 3 }
        #expect(limited.data.tally.groups(.domain).values.filter { !$0.series.isEmpty }.count == 3)
    }

    /// The previous window is tallied for the groups shown alone, or not at all when the output
    /// shows no change: neither changes a number shown.
    @Test func previousWindowReadForTheShownGroupsOnly() throws {
        let window = TimeWindow(from: Self.now - 2 * 86400, to: Self.now)
        func table(_ shown: Int?) throws -> String {
            ReportTableRenderer.render(try report(window: window) {
                $0.top = 2
                $0.shownGroups = shown
            }, style: TerminalStyle(width: 400))
        }
        let restricted = try table(2)
        #expect(restricted == (try table(nil)))
        #expect(restricted.contains("pp  "), "the groups shown have a change")
        let limited = try report(window: window) { $0.shownGroups = 2 }
        #expect(limited.data.previous.groups(.domain).count == 2)
        for by in ReportOptions.GroupBy.allCases {
            let without = try report(window: window) { $0.by = by; $0.comparesWithPrevious = false }
            #expect(without.data.previous.counts.total == 0)
            #expect(try ReportRowsRenderer.json(without, by: by, store: Self.store)
                    == ReportRowsRenderer.json(try report(window: window) { $0.by = by }, by: by, store: Self.store))
        }
    }

    @Test func selectorsWithoutAConfiguredKeyAreMarked() throws {
        let text = ReportTableRenderer.render(try report {
            $0.by = .selector
            $0.configuredKeys = ["news.example.com/s2026b", "mail.shop.example/k1"]
        }, style: TerminalStyle(width: 300))
        let selectorSection = text.components(separatedBy: "Logs and receivers")[0]
        let rows = selectorSection.split(separator: "\n").filter { $0.hasPrefix("news.example.com") || $0.hasPrefix("esp.example") }
        #expect(text.contains("KEY IN CONFIG"))
        #expect(rows.map { String($0.split(separator: " ").last!) }.sorted() == ["NO", "NO", "yes"])
    }

    @Test func selectorsView() throws {
        let view = try SelectorsView.load(from: try SQLiteStore(path: Self.database, readOnly: true), now: Self.now)
        assertSnapshot(view.table(zone: .utc, style: TerminalStyle(width: 200)), named: "selectors.txt")
        assertSnapshot(view.csv(zone: .utc), named: "selectors.csv")
    }

    /// The receivers' view of SampleLogs/dmarc: a gzipped Google report and a Maildir mail with
    /// Microsoft's zipped report; 203.0.113.250 is not one of the logs' dlvSourceIps.
    @Test func dmarcView() throws {
        let view = try DMARCView.load(from: Self.store, window: nil, zone: .utc)
        assertSnapshot(view.table(style: TerminalStyle(width: 200)), named: "dmarc.txt")
        assertSnapshot(view.csv(), named: "dmarc.csv")
        assertSnapshot(view.json(), named: "dmarc.json")
        #expect(view.foreignSources.map(\.sourceIP) == ["203.0.113.250"])
        // Beside the logs, in the report: each reported selector's day, both sides' evidence apart.
        let comparison = try report { $0.read(for: .page(sections: ReportTableRenderer.sections(by: nil))) }.data.receivers
        let day = comparison.selectors.first { $0.selector == "sel1" }?.days
        #expect(day?.count == 1)
        #expect(day?.first.map { [$0.start, $0.delivered, $0.reported, $0.reportedPass, $0.gap] } == [1_795_737_600, 104, 87, 78, 17])
        #expect(comparison.selectors.map(\.selector) == ["sel1", "s2026b"])
    }

    @Test func checkLineAndJSON() throws {
        // As the command loads it: totals only, no group of any section.
        let data = try report(window: TimeWindow(from: Self.now - 86400, to: Self.now)) { $0.read(for: .totals) }.data
        #expect(data.tally.groups(.domain).isEmpty && data.tally.causes.isEmpty)
        let check = HealthCheck(data: data, thresholds: .init(critical: 0.8, warning: 0.9, minVolume: 100, maxAge: 1800), now: Self.now)
        #expect(check.status == .warning)
        assertSnapshot(check.line + check.json(zone: .utc), named: "check.txt")
    }

    /// Each output tallies only the sections it shows (``ReportOptions/read(for:)``, as the command
    /// sets it): what it shows is the same as from a tally of every section.
    @Test func tallyingOnlyTheShownSectionsChangesNothingShown() throws {
        let window = TimeWindow(from: Self.now - 3 * 86400, to: Self.now)
        for by in [nil] + ReportOptions.GroupBy.allCases {
            let table = try report(window: window) { $0.by = by; $0.read(for: .page(sections: ReportTableRenderer.sections(by: by))) }
            let html = try report(window: window) { $0.by = by; $0.read(for: .page(sections: HTMLReportRenderer.sections(by: by))) }
            let rows = try report(window: window) { $0.by = by; $0.read(for: .rows(by ?? .domain)) }
            let all = try report(window: window) { $0.by = by }
            #expect(table.groups(.vmta).groups.isEmpty == (by != .vmta))
            #expect(ReportTableRenderer.render(table, style: TerminalStyle(width: 200)) == ReportTableRenderer.render(all, style: TerminalStyle(width: 200)))
            #expect(HTMLReportRenderer.render(html, generatedAt: Self.now) == HTMLReportRenderer.render(all, generatedAt: Self.now))
            #expect(try ReportRowsRenderer.csv(rows, by: by ?? .domain, store: Self.store) == ReportRowsRenderer.csv(all, by: by ?? .domain, store: Self.store))
        }
    }

    @Test func exportCSV() throws {
        let store = try SQLiteStore(path: Self.database, readOnly: true)
        assertSnapshot(try Export.render(store: store, window: TimeWindow(from: 0, to: Self.now), format: .csv, providers: try ProviderTable()), named: "export.csv")
    }

    @Test func exportJSONAndNDJSON() throws {
        let store = try SQLiteStore(path: Self.database, readOnly: true)
        // One hour: unknown values (null), every column.
        let hour = TimeWindow(from: TimeWindow.instant("2026-11-25T01:00Z", zone: .utc)!, to: TimeWindow.instant("2026-11-25T02:00Z", zone: .utc)!)
        assertSnapshot(try Export.render(store: store, window: hour, format: .json, providers: try ProviderTable()), named: "export-hour.json")
        assertSnapshot(try Export.render(store: store, window: hour, format: .ndjson, providers: try ProviderTable()), named: "export-hour.ndjson")
        // Everything: a line per row of the CSV export, the same values.
        let everything = TimeWindow(from: 0, to: Self.now)
        let csv = try Export.render(store: store, window: everything, format: .csv, providers: try ProviderTable()).split(separator: "\n").dropFirst()
        let ndjson = try Export.render(store: store, window: everything, format: .ndjson, providers: try ProviderTable()).split(separator: "\n")
        #expect(ndjson.count == csv.count)
        for (line, row) in zip(ndjson, csv) {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let fields = Export.columns.map { column -> String in
                switch object[column] {
                case let number as NSNumber: number.stringValue
                case let text as String: text
                default: ""
                }
            }
            #expect(fields.joined(separator: ",") == String(row))
        }
        // An empty window: the rows array is empty, NDJSON has no line.
        #expect(try Export.render(store: store, window: TimeWindow(from: 0, to: 3600), format: .json, providers: try ProviderTable()) == """
            {
              "window": {
                "from": "1970-01-01T00:00:00Z",
                "to": "1970-01-01T01:00:00Z"
              },
              "tz": "UTC",
              "rows": []
            }

            """)
        #expect(try Export.render(store: store, window: TimeWindow(from: 0, to: 3600), format: .ndjson, providers: try ProviderTable()) == "")
    }

    /// Every section agrees with the stored counts: the report re-adds to the export's totals.
    @Test func reportRowsAddUpToTheStoredCounts() throws {
        let store = try SQLiteStore(path: Self.database, readOnly: true)
        let total = try store.query("SELECT SUM(count) FROM counts", arguments: []).rows[0][0].int!
        // Selectors count signature verdicts: a record signed twice counts for each of its selectors.
        let signatures = try store.query("SELECT SUM(count) FROM signature_counts", arguments: []).rows[0][0].int!
        #expect(signatures > total, "the sample logs sign some records twice")
        let window = TimeWindow(from: 0, to: Self.now)
        for by in [ReportOptions.GroupBy.domain, .selector, .provider, .vmta] {
            let sum = try report(window: window) { $0.by = by }.groups(by).groups.reduce(0) { $0 + $1.counts.total }
            #expect(sum == (by == .selector ? signatures : total))
        }
        let causes = try store.query("SELECT SUM(count) FROM counts_named WHERE cause IS NOT NULL", arguments: []).rows[0][0].int!
        #expect(try report(window: window).causes().reduce(0) { $0 + $1.count } == causes)
    }
}
