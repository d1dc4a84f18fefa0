extension Sequence {
    /// The first `count` elements in `areInIncreasingOrder` order, as `sorted(by:).prefix(count)`
    /// gives them, without sorting everything: a report shows the top 3 of 30,000 domains.
    /// An element that does not beat the last one kept costs one comparison.
    func first(_ count: Int, by areInIncreasingOrder: (Element, Element) -> Bool) -> [Element] {
        guard count > 0 else { return [] }
        var kept: [Element] = []
        kept.reserveCapacity(count + 1)
        for element in self {
            if kept.count == count, let last = kept.last, !areInIncreasingOrder(element, last) { continue }
            // Insert after every kept element that is not after it, so equal elements keep their order (a stable sort's).
            let index = kept.firstIndex { areInIncreasingOrder(element, $0) } ?? kept.count
            kept.insert(element, at: index)
            if kept.count > count { kept.removeLast() }
        }
        return kept
    }
}
