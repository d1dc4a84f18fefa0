#if canImport(Glibc)
import Glibc
#endif

/// Gives each distinct byte string a small integer id, without allocating per lookup.
///
/// The hot loop sees the same domains, vmtas and verdict texts millions of times.
/// Hashing the field's bytes in place and comparing them against an arena means each
/// distinct value is copied (and later decoded to a String) only once.
/// Open addressing with linear probing; the table doubles at 50% load.
struct ByteInterner {
    private var arena: [UInt8] = []
    private var offsets: [Int] = []       // entry id -> start in arena; entry end is offsets[id + 1] or arena.count
    private var hashes: [UInt64] = []
    private var slots: [Int32]            // -1 empty, else entry id
    private var mask: Int

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: -1, count: size)
        mask = size - 1
    }

    var count: Int { offsets.count }
    /// Bytes held in the arena, to decide when a cache is worth resetting.
    var arenaBytes: Int { arena.count }

    /// The id of `bytes`, adding it when new.
    mutating func intern(_ bytes: UnsafeRawBufferPointer) -> (id: Int, isNew: Bool) {
        let hash = Self.hash(bytes)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = Int(slots[slot])
            if entry < 0 { break }
            if hashes[entry] == hash && equals(entry, bytes) { return (entry, false) }
            slot = (slot + 1) & mask
        }
        let id = offsets.count
        offsets.append(arena.count)
        hashes.append(hash)
        arena.append(contentsOf: bytes)
        slots[slot] = Int32(id)
        if offsets.count * 2 > slots.count { grow() }
        return (id, true)
    }

    /// The bytes of entry `id`.
    func withBytes<R>(_ id: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        let start = offsets[id]
        let end = id + 1 < offsets.count ? offsets[id + 1] : arena.count
        return arena.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
    }

    mutating func removeAll() {
        arena.removeAll(keepingCapacity: true)
        offsets.removeAll(keepingCapacity: true)
        hashes.removeAll(keepingCapacity: true)
        for index in slots.indices { slots[index] = -1 }
    }

    private func equals(_ id: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let start = offsets[id]
        let end = id + 1 < offsets.count ? offsets[id + 1] : arena.count
        guard end - start == bytes.count else { return false }
        return arena.withUnsafeBytes { stored in
            bytes.count == 0 || memcmp(stored.baseAddress! + start, bytes.baseAddress!, bytes.count) == 0
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = Array(repeating: -1, count: size)
        mask = size - 1
        for (id, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(id)
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
/// With `byteLimit`, the cache starts over once its keys pass that many bytes, so a long
/// tail of distinct texts cannot grow it without bound.
struct ByteCache<Value> {
    private var keys = ByteInterner()
    private var values: [Value] = []
    private let byteLimit: Int?

    init(byteLimit: Int? = nil) {
        self.byteLimit = byteLimit
    }

    /// The value for `bytes`, calling `make` the first time they are seen.
    mutating func value(for bytes: UnsafeRawBufferPointer, make: () -> Value) -> Value {
        if let byteLimit, keys.arenaBytes > byteLimit {
            keys.removeAll()
            values.removeAll()
        }
        let (index, isNew) = keys.intern(bytes)
        if isNew { values.append(make()) }
        return values[index]
    }
}
