import Testing
@testable import AcctStatCore

@Suite struct ByteInternerTests {
    /// Ids are dense and stable through the table's growth: the same bytes always get the same
    /// id, different bytes (empty, prefixes, equal lengths) different ones; removeAll starts over.
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
        interner.removeAll()
        #expect(interner.count == 0 && interner.arenaBytes == 0)
        #expect(Array("domain7.example".utf8).withUnsafeBytes { interner.intern($0) } == (0, true))
    }
}
