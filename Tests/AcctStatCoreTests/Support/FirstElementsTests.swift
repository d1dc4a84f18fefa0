import Testing
@testable import AcctStatCore

@Suite struct FirstElementsTests {
    /// `first(_:by:)` is `sorted(by:).prefix(_:)`, ties in their original order included.
    @Test func matchesAStableSort() {
        var random = SeededRandom(seed: 11)
        for _ in 0..<500 {
            let values = (0..<random.next(60)).map { (key: random.next(8), order: $0) }
            let count = random.next(12)
            let expected = Array(values.sorted { $0.key > $1.key }.prefix(count))
            let found = values.first(count) { $0.key > $1.key }
            #expect(found.map(\.order) == expected.map(\.order))
        }
    }
}
