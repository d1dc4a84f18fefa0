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

    /// The cache a file's records go through gives exactly what parsing each value does: for
    /// values in time order (where it skips parsing), and for values in any order, offsets,
    /// shapes and broken seconds (where it must not).
    @Test func theCacheGivesWhatParsingGives() {
        var random = SeededRandom(seed: 42)
        let shapes = ["2026-11-20 %@:%@:%@+0000", "2026-11-20 %@:%@:%@-0530", "2026-11-20T%@:%@:%@Z", "2026-11-20 %@:%@:%@.25+0000",
                      "11/20/2026 %@:%@:%@+0000", "2026-11-20 %@:%@:%@", " 2026-11-20 %@:%@:%@+0000"]
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        var values: [String] = []
        var second = 0
        for _ in 0..<20_000 {
            second += random.next(3)   // mostly in order, often repeated
            let shape = random.next(10) < 8 ? shapes[0] : shapes[random.next(shapes.count)]
            var text = shape.replacingOccurrences(of: "%@", with: "|")
            for part in [two(second / 3600 % 24), two(second / 60 % 60), two(second % 60)] {
                text = text.replacing("|", with: part, maxReplacements: 1)
            }
            switch random.next(50) {
            case 0: text = String(text.prefix(17)) + "6" + String(text.dropFirst(18))    // seconds 6x: 60 is valid, 61+ is not
            case 1: text = String(text.prefix(17)) + "x" + String(text.dropFirst(18))
            case 2: text = ""
            default: break
            }
            values.append(text)
        }
        var cache = TimestampCache()
        for value in values {
            let cached = Array(value.utf8).withUnsafeBytes { cache.epoch($0) }
            #expect(cached == parseTime(value), "\(value)")
        }
    }
}

