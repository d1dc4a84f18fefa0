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

    /// The hours (UTC, hours since the epoch) the table counts records in.
    var hours: Set<Int64> { Set(map.lazy.map { Int64($0.0.hour) }) }

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
