import Foundation
import Testing
@testable import AcctStatCore

/// Windows count exactly the records whose timeLogged falls inside them, to the minute; first and
/// last seen are the records' own seconds; stale, future and empty data never mislead.
@Suite struct ExactWindowTests {
    static let day = "2026-11-20"
    /// 2026-11-20T14:01:00Z
    static let now = TimeWindow.instant("\(day)T14:01:00Z", zone: .utc)!

    /// One signed record at each time (HH:MM:SS on `day`), ingested with the clock at `clock`.
    static func database(_ times: [String], clock: Int64 = now, in dir: TemporaryDirectory,
                         selector: (String) -> String = { _ in "s1" }) throws -> (store: SQLiteStore, summary: IngestRun.Summary) {
        var lines = ["type,timeLogged,rcpt,dkim"]
        for (index, time) in times.enumerated() {
            let stamp = time.contains("-") ? time : "\(day) \(time)"
            lines.append("d,\(stamp)+0000,u\(index)@gmail.com,pass header.d=news.example header.s=\(selector(time))")
        }
        dir.write("logs/acct.csv", lines.joined(separator: "\n") + "\n")
        let db = dir.file("db.sqlite")
        let summary = try ingest([dir.file("logs")], database: db) { $0.now = { clock } }
        return (try SQLiteStore(path: db, readOnly: true), summary)
    }

    static let times = ["12:59:00", "13:00:30", "13:10:00", "13:30:00", "13:50:00", "14:00:30", "14:01:30"]

    func total(_ store: SQLiteStore, _ window: TimeWindow, now: Int64 = now) throws -> (records: Int64, data: ReportData) {
        var options = ReportOptions(window: window, zone: .utc, now: now)
        options.read(for: .totals)
        let data = try ReportData.load(from: store, options: options, providers: try ProviderTable())
        return (data.tally.counts.total, data)
    }

    func exported(_ store: SQLiteStore, _ window: TimeWindow) throws -> Int64 {
        let csv = try Export.render(store: store, window: window, format: .csv, providers: try ProviderTable())
        return csv.split(separator: "\n").dropFirst().reduce(0) { $0 + Int64($1.split(separator: ",", omittingEmptySubsequences: false).last!)! }
    }

    @Test func anHourEndingMidHourCountsItsRecordsToTheMinute() throws {
        let dir = TemporaryDirectory()
        let (store, _) = try Self.database(Self.times, in: dir)
        let lastHour = TimeWindow(from: Self.now - 3600, to: Self.now)
        let (records, data) = try total(store, lastHour)
        #expect(records == 4)   // 13:10, 13:30, 13:50, 14:00:30
        #expect(!data.windowSnapped)
        #expect(try exported(store, lastHour) == 4)
        // check --since 1h at 14:01 sees the same four, not the one of 14:00-14:01.
        let check = HealthCheck(data: data, thresholds: .init(critical: 0.5), now: Self.now)
        #expect(check.status == .ok && check.counts.total == 4)
        // Seconds inside a minute: the window's ends go down to whole minutes.
        #expect(try total(store, TimeWindow(from: Self.now - 3600 + 30, to: Self.now + 45)).records == 4)
        // A window inside one hour, and one across three.
        #expect(try total(store, TimeWindow(from: Self.now - 3600 + 540, to: Self.now - 3600 + 1800)).records == 2)   // 13:10-13:31
        #expect(try total(store, TimeWindow(from: Self.now - 7200, to: Self.now + 3600)).records == 7)
        #expect(try exported(store, TimeWindow(from: Self.now - 3600 + 540, to: Self.now - 3600 + 1800)) == 2)
    }

    @Test func firstAndLastSeenAreTheRecordsOwnSeconds() throws {
        let dir = TemporaryDirectory()
        let (store, _) = try Self.database(Self.times, in: dir)
        let view = try SelectorsView.load(from: store, now: Self.now + 3600)
        let selector = try #require(view.selectors.first)
        #expect(ReportTimeZone.utc.iso(selector.firstSeen) == "2026-11-20T12:59:00Z")
        #expect(ReportTimeZone.utc.iso(selector.lastSeen) == "2026-11-20T14:01:30Z")
        // The report of a window that ends before the last record shows neither a time after the window nor the hour's end.
        var options = ReportOptions(window: TimeWindow(from: Self.now - 3600, to: Self.now), zone: .utc, now: Self.now)
        options.read(for: .page(sections: [.selector]))
        let report = Report(data: try ReportData.load(from: store, options: options, providers: try ProviderTable()))
        let group = try #require(report.groups(.selector).groups.first)
        #expect(ReportTimeZone.utc.iso(group.firstSeen) == "2026-11-20T13:01:00Z")
        #expect(ReportTimeZone.utc.iso(group.lastSeen) == "2026-11-20T14:00:59Z")
        let whole = ReportOptions(window: TimeWindow(from: Self.now - 86400, to: Self.now + 86400), zone: .utc, now: Self.now)
        let all = Report(data: try ReportData.load(from: store, options: whole, providers: try ProviderTable()))
        let wholeGroup = try #require(all.groups(.selector).groups.first)
        #expect(ReportTimeZone.utc.iso(wholeGroup.lastSeen) == "2026-11-20T14:01:30Z")
    }

    /// Ends older than the minute counts (15 days before the newest record) snap to whole hours, and say so.
    @Test func windowsOlderThanTheMinuteCountsSnapToHours() throws {
        let dir = TemporaryDirectory()
        let (store, _) = try Self.database(Self.times + ["2026-12-10 12:00:00"], clock: Self.now + 21 * 86400, in: dir)
        let (records, data) = try total(store, TimeWindow(from: Self.now - 3600, to: Self.now))
        #expect(data.windowSnapped)
        // The hours that start inside 13:01-14:01: 14:00-15:00, with 14:00:30 and 14:01:30.
        #expect(data.window == TimeWindow(from: Self.now - 60, to: Self.now + 3540))
        #expect(records == 2)
        #expect(try exported(store, TimeWindow(from: Self.now - 3600, to: Self.now)) == records)
        let text = ReportTableRenderer.render(Report(data: data), style: TerminalStyle(ascii: true))
        #expect(text.contains("snapped to whole hours"))
    }

    @Test func aRecordFromTheFutureIsCountedButMovesNoClock() throws {
        let dir = TemporaryDirectory()
        // Two-day-old data, and one record stamped a year ahead.
        let clock = Self.now + 2 * 86400
        let (store, summary) = try Self.database(["13:10:00", "2027-11-20 13:10:00"], clock: clock, in: dir)
        #expect(summary.records == 2)
        #expect(summary.problems.counts[.futureTime] == 1)
        #expect(summary.problems.samples.first?.formatted.contains("acct.csv:3: future-time") == true)
        let (_, data) = try total(store, TimeWindow(from: clock - 3600, to: clock), now: clock)
        #expect(data.newestRecord == Self.now - 3060)   // 13:10, not next year
        let check = HealthCheck(data: data, thresholds: .init(critical: 0.5, maxAge: 1800), now: clock)
        #expect(check.status == .unknown)
        #expect(check.line.hasPrefix("DKIM UNKNOWN - stale data: the newest record is 2d old"))
        let view = try SelectorsView.load(from: store, now: clock)
        #expect(view.selectors.first.map { ReportTimeZone.utc.iso($0.lastSeen) } == "2026-11-20T13:10:00Z")
    }

    /// 20 days after the newest record, nothing is advised removable; fresh data advises removal only
    /// with a replacement that signed for 7 days, never for a domain's only selector.
    @Test func selectorsNeverAdviseRemovalOnStaleDataOrOfAnOnlySelector() throws {
        let dir = TemporaryDirectory()
        // news.example: s1 until day 0, s2 from day 0 on (until day 9); solo.example: its only selector, until day 0.
        var times: [String] = []
        for day in 0..<10 { times.append("2026-11-\(10 + day) 12:00:00") }
        var lines = ["type,timeLogged,rcpt,dkim"]
        lines.append("d,2026-11-10 11:00:00+0000,a@gmail.com,pass header.d=news.example header.s=s1")
        lines.append("d,2026-11-10 11:00:00+0000,a@gmail.com,pass header.d=solo.example header.s=only")
        for time in times { lines.append("d,\(time)+0000,a@gmail.com,pass header.d=news.example header.s=s2") }
        dir.write("logs/acct.csv", lines.joined(separator: "\n") + "\n")
        let newest = TimeWindow.instant("2026-11-19T12:00:00Z", zone: .utc)!
        try ingest([dir.file("logs")], database: dir.file("db.sqlite")) { $0.now = { newest } }
        let store = try SQLiteStore(path: dir.file("db.sqlite"), readOnly: true)
        func advice(at now: Int64) throws -> [String: SelectorsView.Advice?] {
            let view = try SelectorsView.load(from: store, now: now)
            return Dictionary(uniqueKeysWithValues: view.selectors.map { ("\($0.signingDomain)/\($0.selector)", $0.advice) })
        }
        // Fresh (an hour after the newest record): s1 stopped 9 days ago, s2 has signed for 9 days since.
        let fresh = try advice(at: newest + 3600)
        #expect(fresh["news.example/s1"] == .remove)
        #expect(fresh["solo.example/only"] == .keepOnlySelector)
        // 20 days later, with no data since: stale, no removal advice at all.
        let stale = try SelectorsView.load(from: store, now: newest + 20 * 86400)
        #expect(stale.stale)
        #expect(stale.selectors.allSatisfy { $0.advice != .remove })
        #expect(stale.table(zone: .utc, style: TerminalStyle(ascii: true)).contains("the data is stale: the newest record is 2026-11-19T12:00:00Z, 20d old"))
    }

    @Test func anEmptyDatabaseReportsNoRecordsAndNo1970() throws {
        let dir = TemporaryDirectory()
        let store = try SQLiteStore(path: dir.file("db.sqlite"), mta: "mta1")
        let options = ReportOptions(zone: .utc, now: Self.now)
        let text = ReportTableRenderer.render(Report(data: try ReportData.load(from: store, options: options, providers: try ProviderTable())),
                                              style: TerminalStyle(ascii: true))
        #expect(text.contains("No records yet"))
        #expect(!text.contains("1970") && !text.contains("1969"))
    }

    /// An export without a window has every record, those dated before 1970 too.
    @Test func anExportWithoutAWindowHasEveryRecord() throws {
        let dir = TemporaryDirectory()
        let (store, summary) = try Self.database(["1969-12-31 22:00:00", "1969-12-31 23:59:59", "1970-01-01 00:00:00", "13:10:00"], in: dir)
        #expect(summary.records == 4)
        #expect(try exported(store, .everything) == 4)
        let csv = try Export.render(store: store, window: .everything, format: .csv, providers: try ProviderTable())
        #expect(csv.contains("1969-12-31T22:00:00Z,mta1,d,gmail.com,news.example,s1,pass,,,Google,1"))
    }
}
