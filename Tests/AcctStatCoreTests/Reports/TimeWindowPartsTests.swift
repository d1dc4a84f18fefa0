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
}
