import Foundation
import Testing
@testable import AcctStatCore

/// DMARC aggregate reports among the inputs: every form they arrive in, every bad input, and
/// each report stored exactly once.
@Suite struct DMARCIngestTests {
    static let begin: Int64 = 1_795_651_200   // 2026-11-26T00:00:00Z
    typealias Record = ReportFiles.Record
    typealias Signature = ReportFiles.Signature

    static func report(_ org: String, id: String, email: String = "reports@receiver.example", day: Int64 = 0,
                       namespace: Bool = false, prefix: String? = nil) -> String {
        ReportFiles.xml(org: org, email: email, id: id, begin: begin + day * 86400, records: [
            Record(count: 90, signatures: [Signature(domain: "example.org", selector: "sel1", result: "pass")]),
            Record(count: 10, disposition: "quarantine", dkim: "fail", spf: "fail",
                   signatures: [Signature(domain: "example.org", selector: "sel1", result: "fail"),
                                Signature(domain: "esp.example", selector: nil, result: "pass")]),
            Record(sourceIP: "203.0.113.250", count: 3, disposition: "reject", dkim: "fail", spf: "fail", signatures: []),
        ], namespace: namespace, prefix: prefix)
    }

    /// Messages per (report id, signing domain, selector, result), as `dmarc --format csv` tallies them.
    func tally(_ database: String) throws -> [String: Int64] {
        let view = try DMARCView.load(from: try SQLiteStore(path: database, readOnly: true), window: .everything, zone: .utc)
        var tally: [String: Int64] = [:]
        for row in view.rows {
            tally[[row.reportId, row.signingDomain ?? "", row.selector ?? "", row.dkimResult ?? ""].joined(separator: "|"), default: 0] += row.count
        }
        return tally
    }

    static func expected(_ ids: [String]) -> [String: Int64] {
        var tally: [String: Int64] = [:]
        for id in ids {
            tally["\(id)|example.org|sel1|pass"] = 90
            tally["\(id)|example.org|sel1|fail"] = 10
            tally["\(id)|esp.example||pass"] = 10
            tally["\(id)|||"] = 3
        }
        return tally
    }

    @Test func everyFormIsReadAndTalliedExactly() throws {
        let dir = TemporaryDirectory()
        dir.write("in/plain.xml", Self.report("google.com", id: "plain"))
        dir.write("in/google.com!example.org!1.xml.gz", ReportFiles.gzipBytes(Array(Self.report("google.com", id: "gz").utf8)))
        dir.write("in/report.zip", ReportFiles.zip([("outlook!example.org.xml", Array(Self.report("Enterprise Outlook", id: "zip").utf8))]))
        dir.write("in/Maildir/new/1.M1.host", ReportFiles.mail(
            attachment: ReportFiles.zip([("r.xml", Array(Self.report("Yahoo", id: "mail-zip").utf8))]),
            type: "application/zip", name: "r.zip", encoding: .base64))
        dir.write("in/Maildir/new/2.M2.host", ReportFiles.mail(
            attachment: ReportFiles.gzipBytes(Array(Self.report("Yahoo", id: "mail-gz").utf8)),
            type: "application/gzip", name: "r.xml.gz", encoding: .base64))
        dir.write("in/Maildir/cur/3.M3.host:2,S", ReportFiles.mail(
            attachment: Array(Self.report("Mail.ru", id: "mail-qp").utf8), type: "text/xml", name: "r.xml", encoding: .quotedPrintable))
        dir.write("in/rfc9990.xml", Self.report("receiver.example", id: "dmarcbis", namespace: true))
        dir.write("in/prefixed.xml", Self.report("receiver.example", id: "prefixed", namespace: true, prefix: "dmarc"))
        dir.write("in/junk.xml", "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">\n" + Self.report("junk.example", id: "junk"))
        dir.write("in/acct.csv", TestLogs.header + TestLogs.records(0..<20))
        let db = dir.file("db.sqlite")
        let summary = try ingest([dir.file("in")], database: db)
        #expect(summary.problems.isEmpty, "\(summary.problems.samples.map(\.formatted))")
        #expect(summary.records == 20)
        #expect(summary.reportFiles.reduce(0) { $0 + $1.new } == 9)
        let ids = ["plain", "gz", "zip", "mail-zip", "mail-gz", "mail-qp", "dmarcbis", "prefixed", "junk"]
        #expect(try tally(db) == Self.expected(ids))
        #expect(try storedCounts(db).total == 20)
        #expect(try SQLiteStore(path: db, readOnly: true).verify().agrees)
    }

    @Test func leniencyWhereReportersDeviate() throws {
        let dir = TemporaryDirectory()
        // An empty org_name: the reporter is the contact e-mail's domain. Upper-case results and
        // padded values are read as their lower-case, trimmed selves; a missing selector is empty.
        let text = Self.report("", id: "  padded-id \n", email: "DMARC@Reports.Example")
            .replacingOccurrences(of: ">pass<", with: "> PASS <").replacingOccurrences(of: ">sel1<", with: ">Sel1<")
        dir.write("r.xml", text)
        let db = dir.file("db.sqlite")
        #expect(try ingest([dir.file("r.xml")], database: db).problems.isEmpty)
        let view = try DMARCView.load(from: try SQLiteStore(path: db, readOnly: true), window: .everything, zone: .utc)
        #expect(Set(view.rows.map(\.reporter)) == ["reports.example"])
        #expect(Set(view.rows.map(\.reportId)) == ["padded-id"])
        #expect(try tally(db) == Self.expected(["padded-id"]))
        // An empty org_name and no e-mail in a mail: the sending mail's domain.
        let bare = Self.report("", id: "bare", email: "")
        dir.write("m/1", ReportFiles.mail(from: "noreply@dmarc.mailer.example", attachment: Array(bare.utf8), type: "text/xml",
                                          name: "r.xml", encoding: .base64))
        #expect(try ingest([dir.file("m")], database: db).problems.isEmpty)
        let again = try DMARCView.load(from: try SQLiteStore(path: db, readOnly: true), window: .everything, zone: .utc)
        #expect(Set(again.rows.filter { $0.reportId == "bare" }.map(\.reporter)) == ["dmarc.mailer.example"])
    }

    @Test func eachReportIsStoredOnceWhateverBringsIt() throws {
        let dir = TemporaryDirectory()
        let text = Self.report("google.com", id: "once")
        dir.write("in/a.xml", text)
        dir.write("in/copy-under-another-name.xml", text)
        dir.write("in/a.xml.gz", ReportFiles.gzipBytes(Array(text.utf8)))
        dir.write("in/mail-1", ReportFiles.mail(attachment: Array(text.utf8), type: "text/xml", name: "a.xml", encoding: .base64))
        dir.write("in/mail-2", ReportFiles.mail(attachment: Array(text.utf8), type: "text/xml", name: "a.xml", encoding: .quotedPrintable))
        let db = dir.file("db.sqlite")
        let first = try ingest([dir.file("in")], database: db)
        #expect(first.problems.isEmpty)
        #expect(first.reportFiles.reduce(0) { $0 + $1.new } == 1)
        #expect(try tally(db) == Self.expected(["once"]))
        let dump = try databaseDump(db)
        let second = try ingest([dir.file("in")], database: db)
        #expect(second.reportFiles.filter(\.alreadyRead).count == 5)
        #expect(try databaseDump(db) == dump)
        #expect(second.text(database: "db", seconds: 0).contains("DMARC: 5 report files already read."))
    }

    func databaseDump(_ db: String) throws -> [String] {
        let store = try SQLiteStore(path: db, readOnly: true)
        return try ["dmarc_reports", "dmarc_records", "dmarc_signatures"].flatMap { table in
            try store.query("SELECT * FROM \(table) ORDER BY 1", arguments: []).rows.map { "\(table) \($0)" }
        }
    }

    /// Runs one bad report file beside a good report and a good accounting file; both still count.
    func runBad(_ name: String, _ bytes: [UInt8], limit: Int? = nil) throws -> IngestRun.Summary {
        let dir = TemporaryDirectory()
        dir.write("in/good.xml", Self.report("google.com", id: "good"))
        dir.write("in/acct.csv", TestLogs.header + TestLogs.records(0..<20))
        dir.write("in/" + name, bytes)
        let db = dir.file("db.sqlite")
        let summary = try ingest([dir.file("in")], database: db) { if let limit { $0.reportSizeLimit = limit } }
        #expect(try tally(db) == Self.expected(["good"]))
        #expect(try storedCounts(db).total == 20)
        return summary
    }

    func only(_ summary: IngestRun.Summary) -> String {
        #expect(summary.problems.total == 1, "\(summary.problems.samples.map(\.formatted))")
        return summary.problems.samples.first?.formatted ?? ""
    }

    @Test func invalidXMLIsANamedErrorWithItsLine() throws {
        let text = Self.report("broken.example", id: "broken").replacingOccurrences(of: "</row>", with: "</rwo>")
        let summary = try runBad("broken.xml", Array(text.utf8))
        let message = only(summary)
        #expect(message.hasPrefix(summary.files.first { $0.path.hasSuffix("broken.xml") }!.path + ":"), "\(message)")
        #expect(message.contains(":5: invalid-report: invalid XML: an end tag does not match its start tag"), "\(message)")
        #expect(summary.exitStatus(strict: false) == .problems)
        // Behind a junk line, the line is still the file's own.
        let behindJunk = only(try runBad("broken.xml", Array(("<xs:schema>\n" + text).utf8)))
        #expect(behindJunk.contains(":6: invalid-report: invalid XML"), "\(behindJunk)")
    }

    /// A broken report is said once, as cron's exit 1, and stays listed in the ledger: the runs
    /// after it do not mail the same problem every five minutes. Fixed, it is new content and read.
    @Test func aBrokenReportIsSaidOnceAndKeptInTheLedger() throws {
        let dir = TemporaryDirectory()
        let good = Self.report("broken.example", id: "fixed")
        dir.write("in/r.xml", good.replacingOccurrences(of: "</row>", with: "</rwo>"))
        let db = dir.file("db.sqlite")
        #expect(try ingest([dir.file("in")], database: db).exitStatus(strict: true) == .problems)
        let again = try ingest([dir.file("in")], database: db)
        #expect(again.problems.isEmpty && again.exitStatus(strict: true) == .clean)
        #expect(again.files.first?.note == "already read (DMARC: no report read (invalid-report))")
        let listed = try SQLiteStore(path: db, readOnly: true).ledger().first { $0.entry.path.hasSuffix("r.xml") }
        #expect(listed?.problems == [.invalidReport: 1])
        dir.write("in/r.xml", good)
        #expect(try ingest([dir.file("in")], database: db).problems.isEmpty)
        #expect(try tally(db) == Self.expected(["fixed"]))
    }

    @Test func invalidUTF8() throws {
        var bytes = Array(Self.report("utf8.example", id: "utf8").utf8)
        let at = bytes.firstIndex(of: UInt8(ascii: "u"))!   // in "utf8.example", line 3
        bytes[at] = 0xC3
        bytes[at + 1] = 0x28
        let message = only(try runBad("bad-utf8.xml", bytes))
        #expect(message.contains(":3: invalid-utf8: invalid UTF-8 at byte"), "\(message)")
    }

    @Test func externalEntitiesAreNeverResolved() throws {
        let text = Self.report("xxe.example", id: "xxe")
            .replacingOccurrences(of: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
                                  with: "<?xml version=\"1.0\"?>\n<!DOCTYPE feedback [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n")
            .replacingOccurrences(of: "xxe.example", with: "&xxe;")
        let message = only(try runBad("xxe.xml", Array(text.utf8)))
        #expect(message.contains("invalid-report: the XML declares entities, which are never resolved"), "\(message)")
    }

    @Test func aReportWithoutItsRequiredPartsIsNamed() throws {
        let text = Self.report("noid.example", id: "x").replacingOccurrences(of: "<report_id>x</report_id>", with: "")
        #expect(only(try runBad("noid.xml", Array(text.utf8))).contains("invalid-report: the report has no report_id"))
    }

    @Test func truncatedGzipAndZip() throws {
        let gzip = ReportFiles.gzipBytes(Array(Self.report("cut.example", id: "cut").utf8))
        #expect(only(try runBad("cut.xml.gz", Array(gzip.prefix(gzip.count / 2)))).contains("truncated-gzip"))
        let zip = ReportFiles.zip([("cut.xml", Array(Self.report("cut.example", id: "cut").utf8))])
        let message = only(try runBad("cut.zip", Array(zip.prefix(zip.count - 40))))
        #expect(message.contains("corrupt-data: truncated or damaged zip"), "\(message)")
    }

    @Test func zipAndGzipBombsStopAtTheCap() throws {
        // 4 MiB of one byte deflates to a few kB; the entry's header claims 1 kB.
        let inflated = Array(Self.report("bomb.example", id: "bomb").utf8) + [UInt8](repeating: 0x20, count: 4 << 20)
        var zip = ReportFiles.zip([("bomb.xml", inflated)])
        for offset in [22, 24] {   // the local header's uncompressed size: 1024
            zip[offset] = 0
            zip[offset + 1] = 4
        }
        let central = zip.count - 22 - 46 - "bomb.xml".utf8.count
        zip[central + 24] = 0; zip[central + 25] = 4; zip[central + 26] = 0; zip[central + 27] = 0
        #expect(only(try runBad("bomb.zip", zip, limit: 1 << 20)).contains("too-large: zip data inflates beyond 1 MiB"))
        let gzip = ReportFiles.gzipBytes(inflated)
        #expect(only(try runBad("bomb.xml.gz", gzip, limit: 1 << 20)).contains("too-large"))
    }

    @Test func aMailWithoutAReportIsAWarning() throws {
        let mail = ReportFiles.mail(attachment: Array("Hello, see you tomorrow".utf8), type: "text/plain", name: "note.txt", encoding: .base64)
        let summary = try runBad("1.M9.host", mail)
        #expect(only(summary).contains("no-report: a mail with no DMARC report attached (subject: Report domain: example.org"))
        #expect(summary.exitStatus(strict: false) == .clean)
        #expect(summary.exitStatus(strict: true) == .problems)
    }

    @Test func failureReportsAreCountedNotStored() throws {
        let arf = """
            From: abuse@receiver.example\r
            To: dmarc-ruf@example.org\r
            Subject: FW: Your message\r
            MIME-Version: 1.0\r
            Content-Type: multipart/report; report-type=feedback-report; boundary="arf"\r
            \r
            --arf\r
            Content-Type: text/plain\r
            \r
            A DMARC failure report.\r
            --arf\r
            Content-Type: message/feedback-report\r
            \r
            Feedback-Type: auth-failure\r
            Auth-Failure: dkim\r
            Original-Rcpt-To: person@receiver.example\r
            --arf--\r

            """
        let summary = try runBad("ruf-1", Array(arf.utf8))
        #expect(summary.problems.isEmpty)
        #expect(summary.reportFiles.filter(\.failure).count == 1)
        #expect(summary.files.first { $0.path.hasSuffix("ruf-1") }?.action == .skipped)
        #expect(summary.text(database: "db", seconds: 0).contains("1 failure report (ARF) skipped, never stored"))
    }

    /// A report about a selector the logs show signing 900 passes and 100 fails: `selectors` shows
    /// what receivers reported beside the logs.
    @Test func selectorsShowTheReceiversView() throws {
        let dir = TemporaryDirectory()
        let now: Int64 = 1_795_910_400   // 2026-11-29T00:00:00Z
        let report = ReportFiles.xml(org: "google.com", id: "g-1", begin: now - 2 * 86400, records: [
            Record(count: 900, signatures: [Signature(domain: "example.com", selector: "s1", result: "pass")]),
            Record(count: 100, dkim: "fail", signatures: [Signature(domain: "example.com", selector: "s1", result: "fail")]),
        ])
        dir.write("in/report.xml", report)
        let lines = (0..<50).map { index in
            "d,2026-11-28 \(pad(Int64(index % 24))):00:00+0000,bounce@example.com,user\(index)@gmail.com,2.0.0 (success),smtp;250 ok,vmta1,job1,"
                + "pass header.d=example.com header.s=s1\n"
        }
        dir.write("in/acct.csv", TestLogs.header + lines.joined())
        let db = dir.file("db.sqlite")
        try ingest([dir.file("in")], database: db) { $0.now = { now } }
        let view = try SelectorsView.load(from: try SQLiteStore(path: db, readOnly: true), now: now)
        let csv = view.csv(zone: .utc).split(separator: "\n")
        #expect(csv.first?.hasSuffix(",dmarc_messages_7d,dmarc_pass_rate_7d") == true)
        #expect(csv.last?.hasPrefix("example.com,s1,") == true)
        #expect(csv.last?.hasSuffix(",1000,0.9000") == true, "\(csv)")
    }
}
