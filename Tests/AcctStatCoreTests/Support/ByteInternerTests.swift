import Testing
@testable import AcctStatCore

@Suite struct ByteInternerTests {
    /// Ids are dense and stable through the table's growth: the same bytes always get the same
    /// id, different bytes (empty, prefixes, equal lengths) different ones.
    @Test func sameBytesSameIdThroughGrowth() {
        var interner = ByteInterner(capacity: 4)
        let values = [""] + (0..<5_000).map { "domain\($0 % 2_500).example" + String(repeating: "x", count: $0 / 2_500) }
        var ids: [String: Int] = [:]
        for value in values {
            let (id, isNew) = Array(value.utf8).withUnsafeBytes { interner.intern($0) }
            if let known = ids[value] {
                #expect(id == known && !isNew)
            } else {
                #expect(id == ids.count && isNew)
                ids[value] = id
            }
        }
        #expect(interner.count == ids.count)
        for (value, id) in ids {
            #expect(Array(value.utf8).withUnsafeBytes { interner.intern($0) } == (id, false))
        }
    }

    /// A cache with a limit starts over when its keys and table pass it (so a long tail cannot
    /// grow it without bound), and still answers every lookup right.
    @Test func aCacheStartsOverAtItsLimit() {
        var cache = ByteCache<Int>(byteLimit: 1 << 20)
        var made = 0
        for _ in 0..<2 {
            for number in 0..<20_000 {
                for _ in 0..<2 {   // the second lookup finds it, unless the cache just started over
                    let value = Array("reply \(number)".utf8).withUnsafeBytes { cache.value(for: $0) { made += 1; return number } }
                    #expect(value == number)
                }
            }
        }
        // 20,000 keys outgrow 1 MiB of table: the second pass made them all again.
        #expect(made >= 40_000 && made < 40_010)
    }
}
