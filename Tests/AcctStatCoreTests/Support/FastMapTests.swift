import Testing
@testable import AcctStatCore

@Suite struct FastMapTests {
    /// Through many doublings and keys that differ only in their enums (which share a hash),
    /// the batch counts agree with a Dictionary.
    @Test func countsAgreeWithADictionary() {
        var random = SeededRandom(seed: 3)
        var table = CountTable()
        var expected: [String: Int] = [:]
        func name(_ key: CountKey) -> String {
            "\(key.hour) \(key.type) \(key.rcptDomain) \(key.signingDomain) \(key.selector) \(key.result) \(String(describing: key.cause)) "
                + "\(key.vmta) \(key.source) \(key.keySource)"
        }
        for _ in 0..<50_000 {
            let key = CountKey(hour: Int32(random.next(5)), type: RecordType.allCases[random.next(3)], rcptDomain: Int32(random.next(2000)),
                               signingDomain: Int32(random.next(3)), selector: Int32(random.next(3)),
                               result: DKIMResult.allCases[random.next(4)], cause: random.next(2) == 0 ? nil : .bodyHash,
                               vmta: Int32(random.next(2)), source: .column, keySource: .evidence)
            let count = 1 + random.next(3)
            table.add(key, count)
            expected[name(key), default: 0] += count
        }
        #expect(table.count == expected.count)
        #expect(table.total == expected.values.reduce(0, +))
        var minutes: [UInt8] = []
        table.forEach(appendingMinutesTo: &minutes) { key, count, range in
            #expect(expected[name(key)] == Int(count))
            #expect(range.isEmpty)
        }
    }

    /// Each key keeps its records' minutes: inline while they share one, in counters once they spread.
    @Test func countTableKeepsEachKeysMinutes() {
        var random = SeededRandom(seed: 9)
        var table = CountTable()
        var expected: [Int32: [Int64]] = [:]   // by recipient domain: records per minute
        for _ in 0..<20_000 {
            let domain = Int32(random.next(300))
            // A third of the keys get all their records in one minute.
            let minute = domain % 3 == 0 ? Int(domain % 60) : random.next(60)
            let key = CountKey(hour: 7, type: .delivered, rcptDomain: domain, signingDomain: 0, selector: 0, result: .pass,
                               cause: nil, vmta: 0, source: .column, keySource: .none)
            table.add(key, minute: UInt8(minute))
            expected[domain, default: Array(repeating: 0, count: 60)][minute] += 1
        }
        var seen = 0
        var bytes: [UInt8] = []
        var entries: [(domain: Int32, count: Int64, minutes: Range<Int>)] = []
        table.forEach(appendingMinutesTo: &bytes) { key, count, range in entries.append((key.rcptDomain, count, range)) }
        for entry in entries {
            var decoded = [Int64](repeating: 0, count: 60)
            MinuteDetail.forEach(bytes[entry.minutes]) { decoded[$0] += $1 }
            #expect(decoded == expected[entry.domain])
            #expect(entry.count == decoded.reduce(0, +))
            seen += 1
        }
        #expect(seen == expected.count)
    }
}
