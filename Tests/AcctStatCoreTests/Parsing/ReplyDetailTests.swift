import Testing
@testable import AcctStatCore

/// Receiver replies are stored without the recipient and without the tokens that are unique to
/// each message, so one rejection is one detail.
@Suite struct ReplyDetailTests {
    static let gmailDKIM = "smtp;550-5.7.30 This mail has been blocked because DKIM does not pass. 550 5.7.30 "
        + "https://support.google.com/mail/?p=DkimRejection"

    @Test func gmailMessageIdsAreMasked() {
        #expect(ReplyDetail.storedForm(Self.gmailDKIM + " x12si1234567qkb.12 - gsmtp")
                == Self.gmailDKIM + " * - gsmtp")
        #expect(ReplyDetail.storedForm("smtp;421-4.7.0 Try again later. d2e1a72fcca58-71e7d5d2a59si1234567b3a.123 - gsmtp  ")
                == "smtp;421-4.7.0 Try again later. * - gsmtp  ")
        // Only Gmail's closing trailer: a text that merely mentions it, or has no id before it, is kept.
        #expect(ReplyDetail.storedForm("550 see x1 - gsmtp docs") == "550 see x1 - gsmtp docs")
        #expect(ReplyDetail.storedForm(" - gsmtp") == " - gsmtp")
        #expect(ReplyDetail.storedForm("550  - gsmtp") == "550  - gsmtp")
    }

    @Test func microsoftServersAndMessageIdsAreMasked() {
        #expect(ReplyDetail.storedForm("smtp;550 5.7.515 Access denied, sending domain example.com does not meet the required "
                                       + "authentication level. [BN8NAM12FT067.eop-nam12.prod.protection.outlook.com "
                                       + "2025-05-05T12:34:56.789Z 08DD8B1C2D3E4F5A]")
                == "smtp;550 5.7.515 Access denied, sending domain example.com does not meet the required authentication level. [*.outlook.com]")
        #expect(ReplyDetail.storedForm("550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. (S3150) "
                                       + "[Name=Protocol Filter Agent][AGT=PFA][MxId=11B9F8E1C0A1BC2F] [DM6NAM11FT063.eop-NAM11.PROD.Protection.Outlook.COM]")
                == "550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. (S3150) "
                + "[Name=Protocol Filter Agent][AGT=PFA][MxId=*] [*.outlook.com]")
        // Other brackets carry meaning (a sender IP, Yahoo's codes) and stay; so does a bracket never closed.
        #expect(ReplyDetail.storedForm("421 4.7.0 [TSS04] Messages from 192.0.2.1 deferred [MxId=] [outlook.com")
                == "421 4.7.0 [TSS04] Messages from 192.0.2.1 deferred [MxId=] [outlook.com")
    }

    @Test func addressesAreStillRedacted() {
        #expect(ReplyDetail.storedForm("550 5.1.1 <jane@example.com>: no such user a1si2 - gsmtp") == "550 5.1.1 <*@example.com>: no such user * - gsmtp")
    }

    /// The user-visible effect: three Gmail rejections that differ only in their ids are one detail,
    /// stored once, and one sample of three in the report.
    @Test func repliesDifferingOnlyInTheirIdsAreOneDetail() throws {
        let dir = TemporaryDirectory()
        let ids = ["x12si1234567qkb.12", "a640c23a62f3a-a7fe2e0ba1csi12345566b.123", "y7si99qkb.4"]
        let rows = ids.enumerated().map { index, id in
            "b,2026-11-20 10:0\(index):00+0000,bounce@example.com,user\(index)@gmail.com,5.7.30 (delivery not authorized),"
                + "\"\(Self.gmailDKIM) \(id) - gsmtp\",vmta1,job1,\n"
        }
        let path = dir.write("acct-1.csv", TestLogs.header + rows.joined())
        let db = dir.file("db.sqlite")
        try ingest([path], database: db)
        let store = try SQLiteStore(path: db, readOnly: true)
        let details = try store.query("SELECT value FROM names WHERE kind = 'detail'", arguments: []).rows.map { $0[0].string }
        #expect(details == [Self.gmailDKIM + " * - gsmtp"])
        let day = TimeWindow(from: TimeWindow.instant("2026-11-20", zone: .utc)!, to: TimeWindow.instant("2026-11-21", zone: .utc)!)
        let data = try ReportData.load(from: store, options: ReportOptions(window: day, zone: .utc, now: day.to), providers: try ProviderTable())
        let samples = data.samples[.receiverDKIM] ?? []
        #expect(samples.map(\.occurrences) == [3])
        #expect(samples.first?.detail == Self.gmailDKIM + " * - gsmtp")
    }
}
