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

/// A ``CountKey`` hashes only its integer fields: keys that differ only in their small
/// enums share a probe run of a few slots.
extension CountKey: FastHashable {
    var fastHash: Int {
        var hash = FastHash.mix(UInt64(UInt32(bitPattern: hour)) | UInt64(UInt32(bitPattern: rcptDomain)) << 32)
        hash = FastHash.mix(UInt64(UInt32(bitPattern: signingDomain)) | UInt64(UInt32(bitPattern: selector)) << 32, into: hash)
        return Int(truncatingIfNeeded: FastHash.mix(UInt64(UInt32(bitPattern: vmta)), into: hash))
    }
}

/// One batch's counts by hour, with the minutes of recent records: the hot loop adds to it once per record.
///
/// A key's minutes are kept inline while all its records fell in one minute (most keys count one
/// record), and in 60 counters of ``spilled`` once they fall in two or more. So the table has one
/// entry per hour key, as many as `counts` rows, and the writer encodes each key's minutes
/// (``MinuteDetail``) without sorting or looking anything up again.
public struct CountTable: Sendable {
    /// A key's count, and where its minutes are.
    struct Entry: Sendable {
        var count: Int32
        /// The one minute (0-59) all its records fell in; ``noMinutes`` for records too old for minutes.
        var minute: UInt8
        /// Where its 60 per-minute counters start in ``spilled`` once its records span minutes; -1 before.
        var spill: Int32 = -1
    }

    /// The minute of a record older than the minute counts: none kept.
    public static let noMinutes: UInt8 = 0xff

    private var map = FastMap<CountKey, Entry>()
    private var spilled: [Int32] = []

    public init() {}

    /// A table sized for `capacity` keys, as many as the batch before had.
    public init(capacity: Int) {
        map = FastMap(capacity: capacity)
    }

    public var isEmpty: Bool { map.isEmpty }
    /// Distinct keys.
    public var count: Int { map.count }
    /// Records counted.
    public var total: Int { map.values.reduce(0) { $0 + Int($1.count) } }

    /// Counts one record of `key` in `minute` of its hour (``noMinutes`` for none): one lookup.
    @inline(__always)
    public mutating func add(_ key: CountKey, minute: UInt8) {
        let nextSpill = Int32(spilled.count)
        let place = map.update(key, default: Entry(count: 0, minute: minute)) { entry -> MinutePlace in
            entry.count += 1
            if entry.spill >= 0 { return .spilled(entry.spill) }
            if entry.minute == minute { return .inline }
            guard entry.minute != Self.noMinutes && minute != Self.noMinutes else {
                // Never met (the minute counts start on a whole hour), but should an hour mix records
                // with and without minutes, it keeps none rather than misplace some.
                entry.minute = Self.noMinutes
                return .inline
            }
            entry.spill = nextSpill
            return .newSpill(firstMinute: entry.minute, before: entry.count - 1)
        }
        switch place {
        case .inline:
            break
        case .spilled(let base):
            spilled[Int(base) + Int(minute)] += 1
        case .newSpill(let firstMinute, let before):
            spilled.append(contentsOf: repeatElement(0, count: 60))
            spilled[Int(nextSpill) + Int(firstMinute)] = before
            spilled[Int(nextSpill) + Int(minute)] += 1
        }
    }

    /// Where ``add(_:minute:)`` counts a record's minute.
    private enum MinutePlace {
        /// In the entry itself (its one minute), or nowhere (no minutes).
        case inline
        /// In the 60 counters starting here.
        case spilled(Int32)
        /// In 60 new counters, which take over the `before` records of the entry's first minute.
        case newSpill(firstMinute: UInt8, before: Int32)
    }

    /// Counts `count` records of `key` with no minutes (records older than the minute counts).
    public mutating func add(_ key: CountKey, _ count: Int = 1) {
        map.update(key, default: Entry(count: 0, minute: Self.noMinutes)) { $0.count += Int32(count) }
    }

    /// Each key with its count and where its minutes are: encoded (``MinuteDetail``) at the end of
    /// `minutes`, one buffer for the whole table (no allocation per key); an empty range for none.
    public func forEach(appendingMinutesTo minutes: inout [UInt8],
                        _ body: (_ key: CountKey, _ count: Int64, _ minutes: Range<Int>) throws -> Void) rethrows {
        for (key, entry) in map {
            let start = minutes.count
            if entry.spill >= 0 {
                let base = Int(entry.spill)
                for minute in 0..<60 where spilled[base + minute] > 0 {
                    MinuteDetail.append(minute: UInt8(minute), count: Int64(spilled[base + minute]), to: &minutes)
                }
            } else if entry.minute != Self.noMinutes {
                MinuteDetail.append(minute: entry.minute, count: Int64(entry.count), to: &minutes)
            }
            try body(key, Int64(entry.count), start..<minutes.count)
        }
    }
}

/// A signing domain and selector, as local ids: the key of ``IngestBatch/seen``.
public struct SigningKey: Equatable, Sendable, FastHashable {
    public var domain: Int32
    public var selector: Int32

    var fastHash: Int { Int(truncatingIfNeeded: FastHash.mix(UInt64(UInt32(bitPattern: domain)) | UInt64(UInt32(bitPattern: selector)) << 32)) }
}

/// When a signing key was first and last seen, to the second (UTC epoch seconds).
public struct SeenSpan: Sendable, Equatable {
    public var first: Int64
    public var last: Int64

    mutating func include(_ time: Int64) {
        if time < first { first = time }
        if time > last { last = time }
    }
}

/// The first and last seen of each signing key in one batch.
///
/// Consecutive records mostly share their signing key, so the last key's entry is remembered
/// and most records update it without a lookup.
struct SigningKeySpans: Sendable {
    private(set) var map = FastMap<SigningKey, SeenSpan>()
    private var last: (key: SigningKey, index: Int)?

    var isEmpty: Bool { map.isEmpty }

    @inline(__always)
    mutating func include(_ key: SigningKey, time: Int64) {
        let index: Int
        if let last, last.key == key {
            index = last.index
        } else {
            index = map.index(of: key, inserting: SeenSpan(first: time, last: time))
            last = (key, index)
        }
        map.modify(at: index) { $0.include(time) }
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
    /// First and last seen of each signing domain and selector in the batch (records not in the future).
    var seen = SigningKeySpans()
    public var failures: [FailureRow] = []
    public var problems = ProblemLog()
    public var position: FilePosition
    /// True when the file is complete and fully read (a gzip that ended cleanly, stdin).
    public var finished = false
    /// Why reading stopped early, if it did (`truncated`, a damage message); empty otherwise.
    public var endState = ""
    /// The newest record time in this batch (UTC epoch seconds), 0 when none.
    public var newestRecord: Int64 = 0

    /// `expectedKeys`: distinct count keys to make room for (the previous batch's), so the
    /// table does not grow its way there again in every batch.
    public init(position: FilePosition, expectedKeys: Int = 0) {
        self.position = position
        if expectedKeys > 0 { counts = CountTable(capacity: expectedKeys) }
    }

    public var isEmpty: Bool { counts.isEmpty && failures.isEmpty && problems.isEmpty }

}
