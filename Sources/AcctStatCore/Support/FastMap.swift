/// A key for ``FastMap``: equality plus a cheap, well-mixed hash.
protocol FastHashable: Equatable {
    var fastHash: Int { get }
}

/// A hash map for the hot loops: one lookup per ingested record or reported row.
///
/// Swift's `Dictionary` runs a seeded SipHash round for every lookup, which cost more than
/// the work around it in the ingest and report loops. This map hashes with a few multiplies
/// (``FastHash``), probes linearly, doubles at half load, and keeps entries in insertion
/// order. It never removes entries: each map lives for one batch or one report.
struct FastMap<Key: FastHashable, Value> {
    private(set) var keys: [Key] = []
    private(set) var values: [Value] = []
    private var slots: [Int32] = Array(repeating: -1, count: 16)   // -1 empty, else an index into keys

    var count: Int { keys.count }
    var isEmpty: Bool { keys.isEmpty }

    init() {}

    /// A map sized for `capacity` entries: no growing on the way there.
    init(capacity: Int) {
        slots = Array(repeating: -1, count: FastHash.tableSize(for: capacity))
        keys.reserveCapacity(capacity)
        values.reserveCapacity(capacity)
    }

    /// The entry of `key`, if any.
    subscript(key: Key) -> Value? {
        probe(key).index.map { values[$0] }
    }

    /// Changes the value of `key` in place, adding `initial` first when the key is new.
    @discardableResult
    mutating func update<R>(_ key: Key, default initial: @autoclosure () -> Value, _ body: (inout Value) -> R) -> R {
        let (slot, found) = probe(key)
        if let found { return body(&values[found]) }
        let index = keys.count
        slots[slot] = Int32(index)
        keys.append(key)
        values.append(initial())
        if keys.count * 2 > slots.count { grow() }
        return body(&values[index])
    }

    /// The index (in insertion order) of `key`, added with `initial` when new.
    mutating func index(of key: Key, inserting initial: @autoclosure () -> Value) -> Int {
        update(key, default: initial()) { _ in () }
        return probe(key).index!
    }

    /// Changes the value at `index` (from ``index(of:inserting:)``) in place.
    mutating func modify(at index: Int, _ body: (inout Value) -> Void) {
        body(&values[index])
    }

    /// Changes the value of `key` in place when the map has it.
    mutating func updateIfPresent(_ key: Key, _ body: (inout Value) -> Void) {
        if let found = probe(key).index { body(&values[found]) }
    }

    /// The entry index of `key` if it is there, else the empty slot where it belongs.
    @inline(__always)
    private func probe(_ key: Key) -> (slot: Int, index: Int?) {
        let mask = slots.count - 1
        var slot = key.fastHash & mask
        while true {
            let index = Int(slots[slot])
            if index < 0 { return (slot, nil) }
            if keys[index] == key { return (slot, index) }
            slot = (slot + 1) & mask
        }
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (index, key) in keys.enumerated() {
            var slot = key.fastHash & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index)
        }
    }
}

extension FastMap: Sequence {
    func makeIterator() -> Zip2Sequence<[Key], [Value]>.Iterator {
        zip(keys, values).makeIterator()
    }
}

extension FastMap: Sendable where Key: Sendable, Value: Sendable {}

extension FastMap where Key: Hashable {
    /// The entries as a `Dictionary`, for code outside the hot loop.
    var dictionary: [Key: Value] {
        Dictionary(uniqueKeysWithValues: zip(keys, values))
    }
}

/// The hash mix used by ``FastHashable`` keys (SplitMix64's finaliser), fed 64 bits at a time.
enum FastHash {
    @inline(__always)
    static func mix(_ value: UInt64, into hash: UInt64 = 0) -> UInt64 {
        var mixed = (hash ^ value) &+ 0x9e37_79b9_7f4a_7c15
        mixed = (mixed ^ (mixed >> 30)) &* 0xbf58_476d_1ce4_e5b9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94d0_49bb_1331_11eb
        return mixed ^ (mixed >> 31)
    }

    /// Slots for an open-addressing table that holds `capacity` entries below half load: a power
    /// of two, at least 16 (``FastMap`` and ``ByteInterner`` double at half load).
    static func tableSize(for capacity: Int) -> Int {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        return size
    }
}

extension Int64: FastHashable {
    var fastHash: Int { Int(truncatingIfNeeded: FastHash.mix(UInt64(bitPattern: self))) }
}
