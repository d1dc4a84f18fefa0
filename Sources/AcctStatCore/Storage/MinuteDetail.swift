import Foundation
import GRDB

/// The minutes of an hourly count: which minutes of its hour the records fell in.
///
/// Windows are exact to the minute, but storing every count by minute as well as by hour
/// doubled the rows a cold ingest writes (1.24M minute rows beside 618k hour rows on the
/// benchmark week) and halved its speed. Instead each recent `counts` row carries its minutes in
/// a small blob, `minutes`: (minute of the hour, count) pairs in minute order, the minute as one
/// byte and the count as an unsigned LEB128 varint. Most rows count one record: two bytes. A
/// window's whole hours read `count` as before; only its two ragged end hours decode blobs.
///
/// Rows of hours before `store_state.minute_counts_from` (a whole hour) may have no blob, or one
/// that misses some records (a late file of an old hour is counted without its minutes); every
/// row of an hour at or after it has one that sums to its `count`. SQL reaches the blobs through
/// two functions, registered on every connection (``register(in:)``):
/// - `acctstat_minutes_merge(a, b)`: both blobs' counts, minute by minute (the writer's upsert);
/// - `acctstat_minutes_subtract(a, b)`: a's counts less b's (records taken back, never below 0);
/// - `acctstat_minutes_in(blob, first, end)`: the records of minutes `first ..< end` of the hour.
enum MinuteDetail {
    /// Appends the encoding of `pairs` (minute of the hour, count), which are in minute order.
    static func encode(_ pairs: some Sequence<(minute: UInt8, count: Int64)>, into bytes: inout [UInt8]) {
        for (minute, count) in pairs where count > 0 { append(minute: minute, count: count, to: &bytes) }
    }

    /// Appends one pair; the caller keeps minutes in order and leaves out zero counts.
    @inline(__always)
    static func append(minute: UInt8, count: Int64, to bytes: inout [UInt8]) {
        bytes.append(minute)
        var rest = UInt64(count)
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// Calls `body` with each (minute, count) pair of `bytes`; stops at a damaged pair.
    static func forEach(_ bytes: some Collection<UInt8>, _ body: (_ minute: Int, _ count: Int64) -> Void) {
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let minute = Int(bytes[index])
            index = bytes.index(after: index)
            var count: UInt64 = 0
            var shift: UInt64 = 0
            var complete = false
            while index != bytes.endIndex, shift < 64 {
                let byte = bytes[index]
                index = bytes.index(after: index)
                count |= UInt64(byte & 0x7f) << shift
                shift += 7
                if byte & 0x80 == 0 {
                    complete = true
                    break
                }
            }
            guard complete, minute < 60 else { return }
            body(minute, Int64(truncatingIfNeeded: count))
        }
    }

    /// The records of minutes `minutes` in `bytes`.
    static func count(_ bytes: some Collection<UInt8>, minutes: Range<Int>) -> Int64 {
        var total: Int64 = 0
        forEach(bytes) { minute, count in if minutes.contains(minute) { total += count } }
        return total
    }

    /// Both encodings' counts added minute by minute, encoded.
    static func merge(_ first: some Collection<UInt8>, _ second: some Collection<UInt8>) -> [UInt8] {
        combine(first, second) { $0 + $1 }
    }

    /// `first`'s counts less `second`'s, minute by minute, none below 0.
    static func subtract(_ first: some Collection<UInt8>, _ second: some Collection<UInt8>) -> [UInt8] {
        combine(first, second) { max(0, $0 - $1) }
    }

    /// `first`'s counts and `second`'s combined minute by minute by `operation` (minutes only one
    /// blob has meet a 0 in the other), encoded.
    private static func combine(_ first: some Collection<UInt8>, _ second: some Collection<UInt8>,
                                _ operation: (Int64, Int64) -> Int64) -> [UInt8] {
        var counts = [Int64](repeating: 0, count: 60)
        var others = [Int64](repeating: 0, count: 60)
        forEach(first) { counts[$0] += $1 }
        forEach(second) { others[$0] += $1 }
        var bytes: [UInt8] = []
        encode(counts.indices.map { (UInt8($0), operation(counts[$0], others[$0])) }, into: &bytes)
        return bytes
    }

    /// Registers the SQL functions on a connection.
    static func register(in db: Database) {
        db.add(function: mergeFunction)
        db.add(function: subtractFunction)
        db.add(function: countFunction)
    }

    private static let mergeFunction = DatabaseFunction("acctstat_minutes_merge", argumentCount: 2, pure: true) { values in
        switch (Data.fromDatabaseValue(values[0]), Data.fromDatabaseValue(values[1])) {
        case (let first?, let second?): Data(merge(first, second))
        case (let only?, nil), (nil, let only?): only
        case (nil, nil): nil
        }
    }

    private static let subtractFunction = DatabaseFunction("acctstat_minutes_subtract", argumentCount: 2, pure: true) { values in
        switch (Data.fromDatabaseValue(values[0]), Data.fromDatabaseValue(values[1])) {
        case (let first?, let second?): Data(subtract(first, second))
        case (let first, nil): first
        case (nil, _): nil
        }
    }

    private static let countFunction = DatabaseFunction("acctstat_minutes_in", argumentCount: 3, pure: true) { values in
        guard let bytes = Data.fromDatabaseValue(values[0]), let first = Int.fromDatabaseValue(values[1]),
              let end = Int.fromDatabaseValue(values[2]), first < end else { return 0 }
        return count(bytes, minutes: first..<end)
    }
}
