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
            "\(key.minute) \(key.type) \(key.rcptDomain) \(key.signingDomain) \(key.selector) \(key.result) \(String(describing: key.cause)) "
                + "\(key.vmta) \(key.source) \(key.keySource)"
        }
        for _ in 0..<50_000 {
            let key = CountKey(minute: Int32(random.next(5)), type: RecordType.allCases[random.next(3)], rcptDomain: Int32(random.next(2000)),
                               signingDomain: Int32(random.next(3)), selector: Int32(random.next(3)),
                               result: DKIMResult.allCases[random.next(4)], cause: random.next(2) == 0 ? nil : .bodyHash,
                               vmta: Int32(random.next(2)), source: .column, keySource: .evidence)
            let count = 1 + random.next(3)
            table.add(key, count)
            expected[name(key), default: 0] += count
        }
        #expect(table.count == expected.count)
        #expect(table.total == expected.values.reduce(0, +))
        for (key, count) in table { #expect(expected[name(key)] == count) }
    }
}
