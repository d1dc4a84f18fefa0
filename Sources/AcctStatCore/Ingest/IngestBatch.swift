/// The key of one row of the `counts` table, with names as local ids of a ``NameTable``.
public struct CountKey: Equatable, Sendable {
    /// Hours since the Unix epoch, UTC.
    public var hour: Int32
    public var type: RecordType
    public var rcptDomain: Int32
    public var signingDomain: Int32
    public var selector: Int32
    public var result: DKIMResult
    public var cause: FailureCause?
    public var vmta: Int32
    public var source: EvidenceSource
    public var keySource: KeySource
}

/// One batch's counts per ``CountKey``: the hot loop adds to it once per record.
///
/// Open addressing with linear probing. The hash mixes only the integer fields: keys
/// that differ only in their small enums share a probe run of a few slots, and the
/// hash stays a handful of multiplies instead of a full `Hasher` round per record.
public struct CountTable: Sequence, Sendable {
    private var keys: [CountKey] = []
    private var counts: [Int] = []
    private var slots: [Int32] = Array(repeating: -1, count: 1024)   // -1 empty, else index into keys

    public init() {}

    public var isEmpty: Bool { keys.isEmpty }
    /// Distinct keys.
    public var count: Int { keys.count }
    /// Records counted.
    public var total: Int { counts.reduce(0, +) }

    public mutating func add(_ key: CountKey, _ count: Int = 1) {
        let mask = slots.count - 1
        var slot = Self.hash(key) & mask
        while true {
            let index = Int(slots[slot])
            if index < 0 { break }
            if keys[index] == key {
                counts[index] += count
                return
            }
            slot = (slot + 1) & mask
        }
        slots[slot] = Int32(keys.count)
        keys.append(key)
        counts.append(count)
        if keys.count * 2 > slots.count { grow() }
    }

    public func makeIterator() -> Zip2Sequence<[CountKey], [Int]>.Iterator {
        zip(keys, counts).makeIterator()
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (index, key) in keys.enumerated() {
            var slot = Self.hash(key) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index)
        }
    }

    @inline(__always)
    private static func hash(_ key: CountKey) -> Int {
        var hash = UInt64(UInt32(bitPattern: key.hour)) | UInt64(UInt32(bitPattern: key.rcptDomain)) << 32
        hash = (hash ^ (hash >> 29)) &* 0xbf58_476d_1ce4_e5b9
        hash ^= UInt64(UInt32(bitPattern: key.signingDomain)) | UInt64(UInt32(bitPattern: key.selector)) << 32
        hash = (hash ^ (hash >> 32)) &* 0x94d0_49bb_1331_11eb
        hash ^= UInt64(UInt32(bitPattern: key.vmta))
        hash = (hash ^ (hash >> 29)) &* 0xbf58_476d_1ce4_e5b9
        return Int(truncatingIfNeeded: hash ^ (hash >> 32))
    }
}

/// One row of the `failures` drill-down table: a non-pass record with evidence.
public struct FailureRow: Sendable {
    public var time: Int64
    public var key: CountKey
    public var jobId: String?
    public var dsnStatus: String?
    /// Local id of the reason or dsnDiag text (``NameTable/Kind/detail``).
    public var detail: Int32
    public var line: Int
}

/// Where a file's reading stands: what the ledger stores after each batch.
public struct FilePosition: Equatable, Sendable {
    /// Decompressed bytes consumed (always at a record boundary).
    public var offset: Int64
    /// The line the next record starts on.
    public var line: Int
    /// Records counted so far.
    public var records: Int64
    /// The header in force at `offset` (``HeaderMap/storedForm``).
    public var header: String?

    public static let start = FilePosition(offset: 0, line: 1, records: 0, header: nil)
}

/// Everything one transaction commits: counts, failures and problems, with the checkpoint
/// that says where they end. Data and checkpoint are committed together or not at all.
public struct IngestBatch: Sendable {
    public var counts = CountTable()
    public var failures: [FailureRow] = []
    public var problems = ProblemLog()
    public var position: FilePosition
    /// True when the file is complete and fully read (a gzip that ended cleanly, stdin).
    public var finished = false
    /// Why reading stopped early, if it did (`truncated`, a damage message); empty otherwise.
    public var endState = ""
    /// The newest record time in this batch (UTC epoch seconds), 0 when none.
    public var newestRecord: Int64 = 0

    public init(position: FilePosition) {
        self.position = position
    }

    public var isEmpty: Bool { counts.isEmpty && failures.isEmpty && problems.isEmpty }
}
