#if canImport(Glibc)
import Glibc
#endif

/// Gives each distinct byte string a small integer id, without allocating per lookup.
///
/// The hot loop sees the same domains, vmtas and verdict texts millions of times.
/// Hashing the field's bytes in place and comparing them against an arena means each
/// distinct value is copied (and later decoded to a String) only once.
/// Open addressing with linear probing; the table doubles at 50% load. A slot holds the
/// hash and where the bytes are, so a lookup touches one slot and the bytes it compares:
/// with tens of thousands of domains the table is far bigger than the CPU caches.
struct ByteInterner {
    private struct Slot {
        var hash: UInt64
        /// The entry's id, -1 for an empty slot.
        var id: Int
        var start: Int
        var count: Int
        static let empty = Slot(hash: 0, id: -1, start: 0, count: 0)
    }

    private var arena: [UInt8] = []
    private var slots: [Slot]
    private var mask: Int
    /// Entries so far; ids are 0..<count.
    private(set) var count = 0

    init(capacity: Int = 1024) {
        slots = Array(repeating: .empty, count: FastHash.tableSize(for: capacity))
        mask = slots.count - 1
    }

    /// The memory its keys and table take, to decide when a cache is worth starting over.
    var memoryBytes: Int { keyBytes + slots.count * MemoryLayout<Slot>.stride }
    /// The bytes of its keys.
    var keyBytes: Int { arena.count }

    /// The id of `bytes`, adding it when new.
    mutating func intern(_ bytes: UnsafeRawBufferPointer) -> (id: Int, isNew: Bool) {
        let hash = Self.hash(bytes)
        var index = Int(truncatingIfNeeded: hash) & mask
        while true {
            let slot = slots[index]
            if slot.id < 0 { break }
            if slot.hash == hash && slot.count == bytes.count && equals(slot.start, bytes) { return (slot.id, false) }
            index = (index + 1) & mask
        }
        let id = count
        slots[index] = Slot(hash: hash, id: id, start: arena.count, count: bytes.count)
        arena.append(contentsOf: bytes)
        count += 1
        if count * 2 > slots.count { grow() }
        return (id, true)
    }

    private func equals(_ start: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count == 0 || arena.withUnsafeBytes { stored in
            memcmp(stored.baseAddress! + start, bytes.baseAddress!, bytes.count) == 0
        }
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: .empty, count: old.count * 2)
        mask = slots.count - 1
        for slot in old where slot.id >= 0 {
            var index = Int(truncatingIfNeeded: slot.hash) & mask
            while slots[index].id >= 0 { index = (index + 1) & mask }
            slots[index] = slot
        }
    }

    /// FNV-1a over 8 bytes at a time, finished with a murmur-style mix: fast and well spread.
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(bytes.count)
        var index = 0
        while index + 8 <= bytes.count {
            hash = (hash ^ bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)) &* 0x0000_0100_0000_01b3
            index += 8
        }
        while index < bytes.count {
            hash = (hash ^ UInt64(bytes[index])) &* 0x0000_0100_0000_01b3
            index += 1
        }
        hash ^= hash >> 33
        hash &*= 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        return hash
    }
}


/// A value worked out once per distinct byte string: the interpreter's decoded domains,
/// vmtas, verdicts, replies and signature tags, looked up by the bytes that decide them.
///
/// With `byteLimit`, the cache starts over once its keys and their table pass that many
/// bytes, so a long tail of distinct texts cannot grow it without bound.
struct ByteCache<Value> {
    private var keys = ByteInterner()
    private var values: [Value] = []
    private let byteLimit: Int?

    init(byteLimit: Int? = nil) {
        self.byteLimit = byteLimit
    }

    /// The value for `bytes`, calling `make` the first time they are seen. Should `make` throw,
    /// the cache must not be used again (the bytes are kept without a value).
    mutating func value(for bytes: UnsafeRawBufferPointer, make: () throws -> Value) rethrows -> Value {
        if let byteLimit, keys.memoryBytes > byteLimit {
            keys = ByteInterner()
            values.removeAll()
        }
        let (index, isNew) = keys.intern(bytes)
        if isNew { values.append(try make()) }
        return values[index]
    }
}
