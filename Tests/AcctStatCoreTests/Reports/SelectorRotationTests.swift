import Foundation
import Testing
@testable import AcctStatCore

/// A rotation from s1 to s2 on news.example: s2 appears on day 8, both sign on days 8 and 9
/// (s1 at a quarter of the volume on day 9), and s1 stops after day 9.
@Suite struct SelectorRotationTests {
    static let day0 = Int64(1_795_910_400) - 30 * 86400   // 2026-10-30T00:00:00Z

    static let database: String = {
        var lines = ["type,timeLogged,rcpt,dkim"]
        func add(_ time: Int64, _ selector: String, _ result: String = "pass") {
            lines.append("d,\(time),u@gmail.com,\(result) header.d=news.example header.s=\(selector)")
        }
        for hour in 0..<(20 * 24) {
            let time = day0 + Int64(hour) * 3600
            let day = hour / 24
            switch day {
            case ..<8: for _ in 0..<4 { add(time, "s1") }
            case 8: for _ in 0..<2 { add(time, "s1") }; for _ in 0..<2 { add(time, "s2") }
            case 9: add(time, "s1"); for _ in 0..<3 { add(time, "s2", hour % 4 == 0 ? "fail (body hash did not verify)" : "pass") }
            default: for _ in 0..<4 { add(time, "s2") }
            }
        }
        let dir = NSTemporaryDirectory() + "acctstat-rotation-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try! (lines.joined(separator: "\n") + "\n").write(toFile: dir + "/acct.csv", atomically: true, encoding: .utf8)
        let path = dir + "/db.sqlite"
        _ = try! IngestRun(options: IngestOptions(paths: [dir + "/acct.csv"]), store: try! SQLiteStore(path: path, mta: "mta1")).run()
        return path
    }()

    func view(atDay day: Double) throws -> [String: SelectorsView.Selector] {
        let view = try SelectorsView.load(from: try SQLiteStore(path: Self.database, readOnly: true), now: Self.day0 + Int64(day * 86400))
        return Dictionary(uniqueKeysWithValues: view.selectors.map { ($0.selector, $0) })
    }

    @Test func oldSelectorGoesFromActiveThroughDrainingToIdle() throws {
        #expect(try view(atDay: 5)["s1"]?.state == .active)
        #expect(try view(atDay: 8.5)["s1"]?.state == .draining)
        let stopped = try #require(try view(atDay: 12)["s1"])
        #expect(stopped.state == .draining)
        // 7 days after s1's last record, to the second (day 9, 23:00).
        #expect(stopped.advice == .keepUntil(Self.day0 + 9 * 86400 + 23 * 3600 + 7 * 86400))
        let idle = try #require(try view(atDay: 17.5)["s1"])
        #expect(idle.state == .idle)
        #expect(SelectorsView.text(idle.advice!, for: idle, zone: .utc) == "DNS record s1._domainkey.news.example can be removed")
    }

    @Test func newSelectorGoesFromNewToActive() throws {
        #expect(try view(atDay: 5)["s2"] == nil)
        #expect(try view(atDay: 8.5)["s2"]?.state == .new)
        #expect(try view(atDay: 10.5)["s2"]?.state == .active)
    }

    @Test func warnings() throws {
        // 48 h after s2 appeared, s1 still carries 25% of the domain's mail.
        let late = try #require(try view(atDay: 10)["s1"])
        #expect(late.state == .draining)
        #expect(late.warnings == ["still carries 25.0% of news.example's mail 48 h after the new selector appeared"])
        // s2 fails a quarter of its mail on day 9.
        let failing = try #require(try view(atDay: 10)["s2"])
        #expect(failing.warnings == ["still signing with a failing pass rate: 75.0% in the last 24 h"])
    }
}

/// A non-UTC --tz moves records across day boundaries.
@Suite struct TimeZoneBucketTests {
    @Test func recordsNearMidnightMoveToTheLocalDay() throws {
        let dir = TemporaryDirectory()
        // 2026-11-20 03:30 UTC is 2026-11-19 22:30 in New York (UTC-5) and 2026-11-20 09:00 in Kolkata.
        dir.write("acct.csv", "type,timeLogged,rcpt,dkim\nd,2026-11-20 03:30:00+0000,a@x.test,pass\nd,2026-11-20 12:00:00+0000,b@x.test,fail\n")
        let db = dir.file("db.sqlite")
        try ingest([dir.file("acct.csv")], database: db)
        func days(_ zone: String) throws -> [String] {
            var options = ReportOptions(window: TimeWindow(from: 1_795_000_000, to: 1_796_000_000), zone: ReportTimeZone(zone)!, now: 0)
            options.bucket = .day
            let store = try SQLiteStore(path: db, readOnly: true)
            let report = Report(data: try ReportData.load(from: store, options: options, providers: try ProviderTable()))
            var days: [String] = []
            try ReportRowsRenderer.forEachRow(report, by: .domain, store: store) { row in
                if case .counts(let counts) = row.values { days.append("\(row.bucket) pass=\(counts[.pass])") }
            }
            return days
        }
        #expect(try days("UTC") == ["2026-11-20T00:00:00Z pass=1"])
        #expect(try days("America/New_York") == ["2026-11-19T00:00:00-05:00 pass=1", "2026-11-20T00:00:00-05:00 pass=0"])
        #expect(try days("Asia/Kolkata") == ["2026-11-20T00:00:00+05:30 pass=1"])
    }

    /// Every bucket of a window is listed (the trend columns and charts draw one point per bucket):
    /// 24 hours in UTC, 25 and 23 in Berlin on the days its clocks change, 7 days, 2 weeks.
    @Test func bucketStartsListEveryBucket() {
        let utc = ReportTimeZone.utc, berlin = ReportTimeZone("Europe/Berlin")!
        func starts(_ from: String, _ to: String, _ bucket: ReportOptions.Bucket, _ zone: ReportTimeZone) -> [String] {
            ReportData.bucketStarts(window: TimeWindow(from: TimeWindow.instant(from, zone: zone)!, to: TimeWindow.instant(to, zone: zone)!),
                                    bucket: bucket, zone: zone).map { zone.iso($0) }
        }
        #expect(starts("2026-11-28", "2026-11-29", .hour, utc) == (0..<24).map { String(format: "2026-11-28T%02d:00:00Z", $0) })
        let autumn = starts("2026-10-25", "2026-10-26", .hour, berlin)
        #expect(autumn.count == 25 && autumn[2] == "2026-10-25T02:00:00+02:00" && autumn[3] == "2026-10-25T02:00:00+01:00")
        #expect(starts("2026-03-29", "2026-03-30", .hour, berlin).count == 23)
        #expect(starts("2026-10-20", "2026-10-27", .day, berlin).count == 7)
        #expect(starts("2026-10-19", "2026-11-02", .week, berlin) == ["2026-10-19T00:00:00+02:00", "2026-10-26T00:00:00+01:00"])
    }

    @Test func weeksStartOnMondayAndDaysFollowDaylightSaving() {
        let berlin = ReportTimeZone("Europe/Berlin")!
        // 2026-10-25 is the day clocks go back in Berlin: 25 hours long.
        let sunday = TimeWindow.instant("2026-10-25T12:00:00Z", zone: .utc)!
        #expect(berlin.iso(ReportOptions.Bucket.day.start(of: sunday, zone: berlin)) == "2026-10-25T00:00:00+02:00")
        #expect(berlin.iso(ReportOptions.Bucket.week.start(of: sunday, zone: berlin)) == "2026-10-19T00:00:00+02:00")
        let monday = TimeWindow.instant("2026-10-26T00:30:00+01:00", zone: .utc)!
        #expect(berlin.iso(ReportOptions.Bucket.day.start(of: monday, zone: berlin)) == "2026-10-26T00:00:00+01:00")
    }
}
