import Foundation
import Testing
@testable import AcctStatCore

@Suite struct MinuteDetailTests {
    @Test func encodesMergesAndCountsMinutes() {
        var first: [UInt8] = []
        MinuteDetail.encode([(UInt8(0), Int64(1)), (5, 300), (59, 2)], into: &first)
        #expect(first == [0, 1, 5, 0xac, 0x02, 59, 2])   // 300 as LEB128
        var second: [UInt8] = []
        MinuteDetail.encode([(UInt8(5), Int64(1)), (7, 4)], into: &second)
        let merged = MinuteDetail.merge(first, second)
        var pairs: [String] = []
        MinuteDetail.forEach(merged) { pairs.append("\($0):\($1)") }
        #expect(pairs == ["0:1", "5:301", "7:4", "59:2"])
        #expect(MinuteDetail.count(merged, minutes: 5..<8) == 305)
        #expect(MinuteDetail.count(merged, minutes: 0..<60) == 308)
        // A damaged blob counts what it can read and stops.
        #expect(MinuteDetail.count([5, 0x80], minutes: 0..<60) == 0)
    }

    /// The SQL functions do the same inside SQLite, where the writer's upsert and the queries use them.
    @Test func sqlFunctionsMergeAndCount() throws {
        let dir = TemporaryDirectory()
        let store = try SQLiteStore(path: dir.file("db.sqlite"))
        let rows = try store.query("SELECT acctstat_minutes_in(acctstat_minutes_merge(x'0001052c', x'0501'), 5, 6), "
                                   + "acctstat_minutes_in(NULL, 0, 60), acctstat_minutes_merge(NULL, x'0001') IS NOT NULL", arguments: []).rows
        #expect(rows == [[.integer(45), .integer(0), .integer(1)]])
    }
}
