import Testing
@testable import AcctStatCore

func parseTime(_ text: String) -> Int64? {
    Array(text.utf8).withUnsafeBytes { Timestamp.parse($0) }
}

@Suite struct TimestampTests {
    // 2019-02-08 21:54:05 UTC
    static let utc: Int64 = 1_549_662_845

    @Test(arguments: [
        "2019-02-08 21:54:05+0000",
        "2019-02-08 16:54:05-0500",
        "2019-02-09 03:24:05+0530",
        "2019-02-08T21:54:05Z",
        "2019-02-08T21:54:05.123Z",
        "2019-02-08T23:54:05+02:00",
        "02/08/2019 21:54:05+0000",
        "2/8/2019 13:54:05-0800",
        "1549662845",
        "1549662845.75",
        " 2019-02-08 21:54:05 +0000 ",
        "2019-02-08 21:54:05",
    ])
    func everyAcceptedFormatGivesTheSameInstant(text: String) {
        #expect(parseTime(text) == Self.utc)
    }

    @Test(arguments: ["", "yesterday", "2019-02-30 10:00:00+0000", "2019-13-01 00:00:00+0000",
                      "2019-02-08 25:00:00+0000", "2019-02-08 21:54:05+9900", "2019-02-08", "12:00:00", "2019-02-08 21:54:05 junk"])
    func unreadableValuesAreRejected(text: String) {
        #expect(parseTime(text) == nil)
    }

    @Test func leapDayAndOldDates() {
        #expect(parseTime("2024-02-29 00:00:00+0000") == 1_709_164_800)
        #expect(parseTime("1970-01-01 00:00:00+0000") == 0)
        #expect(parseTime("2010-04-17 16:19:57-0400") == 1_271_535_597)
    }
}
