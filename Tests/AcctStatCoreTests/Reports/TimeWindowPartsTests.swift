import Testing
@testable import AcctStatCore

@Suite struct TimeWindowPartsTests {
    /// Parts cover the window exactly, in order, and every cut is on a whole UTC hour.
    @Test func partsTileTheWindow() {
        for (from, to, count) in [(Int64(1800), Int64(7 * 86400 + 1800), 2), (0, 3600, 4), (100, 200, 3), (3600, 3 * 3600 + 59, 5)] {
            let parts = TimeWindow(from: from, to: to).parts(count)
            #expect(parts.count == count)
            #expect(parts.first?.from == from && parts.last?.to == to)
            for index in parts.indices.dropLast() {
                #expect(parts[index].to == parts[index + 1].from)
                #expect(parts[index].to % 3600 == 0 || parts[index].to == from)
            }
            #expect(parts.allSatisfy { $0.from <= $0.to })
        }
    }

    /// Each cut is the whole hour nearest an equal share, so a short window across an hour
    /// (a check of the last hour, ending mid-hour) is read as its two ragged hours at once.
    @Test func cutsAreTheNearestWholeHours() {
        let hour: Int64 = 3600, day: Int64 = 86400
        let lastHour = TimeWindow(from: 13 * hour + 1800, to: 14 * hour + 1800).parts(2)
        #expect(lastHour.map(\.to) == [14 * hour, 14 * hour + 1800])
        let week = TimeWindow(from: day, to: 8 * day).parts(2)
        #expect(week.map(\.to) == [day + 84 * hour, 8 * day])
        let inOneHour = TimeWindow(from: hour + 60, to: hour + 1200).parts(2)
        #expect(inOneHour.map(\.to) == [hour + 60, hour + 1200])   // no whole hour inside: one part holds it all
    }
}
