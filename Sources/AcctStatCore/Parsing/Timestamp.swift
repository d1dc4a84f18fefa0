#if canImport(Glibc)
import Glibc
#endif

/// Parses PowerMTA `timeLogged` values into UTC epoch seconds, straight from bytes.
///
/// Accepted forms:
/// - `2019-02-08 21:54:05+0000`, any `±hhmm` or `±hh:mm` offset, `T` instead of the space,
///   `Z` for UTC, optional fractional seconds (dropped);
/// - `MM/DD/YYYY HH:MM:SS±hhmm`, which the v5.0 guide describes;
/// - Unix epoch seconds (`iso-times no`), optionally with a fraction.
/// A value with no offset is read as UTC. Anything else returns nil.
public enum Timestamp {
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        var cursor = Cursor(bytes: bytes)
        cursor.skipSpaces()
        guard let first = cursor.peek else { return nil }
        guard isDigit(first) else { return nil }
        let leading = cursor.digits()
        guard let separator = cursor.peek else {
            return leading.count > 0 && leading.count <= 12 ? leading.value : nil
        }
        let year: Int64, month: Int64, day: Int64
        switch separator {
        case UInt8(ascii: "-") where leading.count == 4:
            year = leading.value
            cursor.advance()
            guard let m = cursor.fixedDigits(2), cursor.take(UInt8(ascii: "-")), let d = cursor.fixedDigits(2) else { return nil }
            month = m; day = d
        case UInt8(ascii: "/") where leading.count <= 2:
            month = leading.value
            cursor.advance()
            guard let d = cursor.number(maxDigits: 2), cursor.take(UInt8(ascii: "/")), let y = cursor.fixedDigits(4) else { return nil }
            day = d; year = y
        case UInt8(ascii: "."):
            // Epoch seconds with a fraction.
            return leading.count <= 12 ? leading.value : nil
        default:
            if separator == UInt8(ascii: " ") || separator == UInt8(ascii: "\t") {
                cursor.skipSpaces()
                return cursor.atEnd && leading.count <= 12 ? leading.value : nil
            }
            return nil
        }
        guard cursor.take(UInt8(ascii: " ")) || cursor.take(UInt8(ascii: "T")) || cursor.take(UInt8(ascii: "t")),
              let hour = cursor.fixedDigits(2), cursor.take(UInt8(ascii: ":")),
              let minute = cursor.fixedDigits(2), cursor.take(UInt8(ascii: ":")),
              let second = cursor.fixedDigits(2) else { return nil }
        if cursor.take(UInt8(ascii: ".")) || cursor.take(UInt8(ascii: ",")) { _ = cursor.digits() }
        cursor.skipSpaces()
        var offset: Int64 = 0
        if let sign = cursor.peek, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            cursor.advance()
            guard let oh = cursor.fixedDigits(2) else { return nil }
            _ = cursor.take(UInt8(ascii: ":"))
            let om = cursor.fixedDigits(2) ?? 0
            guard oh <= 23, om <= 59 else { return nil }
            offset = (oh * 3600 + om * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
        } else if cursor.take(UInt8(ascii: "Z")) || cursor.take(UInt8(ascii: "z")) {
            offset = 0
        }
        cursor.skipSpaces()
        guard cursor.atEnd, (1...12).contains(month), (1...31).contains(day), day <= daysIn(month: month, year: year),
              hour <= 23, minute <= 59, second <= 60 else { return nil }
        return daysFromCivil(year: year, month: month, day: day) * 86400 + hour * 3600 + minute * 60 + second - offset
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
    public static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146097 + dayOfEra - 719468
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    @inline(__always) private static func isDigit(_ byte: UInt8) -> Bool { byte &- 48 < 10 }

    private struct Cursor {
        let bytes: UnsafeRawBufferPointer
        var index = 0

        var peek: UInt8? { index < bytes.count ? bytes[index] : nil }
        var atEnd: Bool { index >= bytes.count }
        mutating func advance() { index += 1 }
        mutating func take(_ byte: UInt8) -> Bool {
            guard peek == byte else { return false }
            index += 1
            return true
        }
        mutating func skipSpaces() {
            while let byte = peek, byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { index += 1 }
        }
        mutating func digits() -> (value: Int64, count: Int) {
            var value: Int64 = 0
            var count = 0
            while let byte = peek, Timestamp.isDigit(byte) {
                if count < 18 { value = value * 10 + Int64(byte - 48) }
                count += 1
                index += 1
            }
            return (value, count)
        }
        mutating func fixedDigits(_ count: Int) -> Int64? {
            guard index + count <= bytes.count else { return nil }
            var value: Int64 = 0
            for offset in 0..<count {
                let byte = bytes[index + offset]
                guard Timestamp.isDigit(byte) else { return nil }
                value = value * 10 + Int64(byte - 48)
            }
            index += count
            return value
        }
        mutating func number(maxDigits: Int) -> Int64? {
            let start = index
            let result = digits()
            guard result.count > 0, result.count <= maxDigits else { index = start; return nil }
            return result.value
        }
    }
}

/// ``Timestamp/parse(_:)`` for values that come in time order, as a file's records do: a value
/// equal to the previous one is not parsed again, and one that differs from it only in its
/// seconds (`2026-11-20 00:00:17+0000` after `2026-11-20 00:00:05+0000`) is the previous
/// minute's epoch plus its seconds. Anything else is parsed whole.
struct TimestampCache {
    private var last: [UInt8] = []
    private var lastEpoch: Int64?
    /// The epoch of the last value's minute, when it has the `YYYY-MM-DD HH:MM:SS` shape.
    private var lastMinute: Int64?

    /// Where the seconds are in `YYYY-MM-DD HH:MM:SS…`.
    private static let seconds = 17

    mutating func epoch(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        if bytes.count == last.count {
            if bytes.count == 0 || equal(bytes, 0..<bytes.count) { return lastEpoch }
            if let minute = lastMinute, equal(bytes, 0..<Self.seconds), equal(bytes, (Self.seconds + 2)..<bytes.count),
               let second = Self.twoDigits(bytes, at: Self.seconds), second <= 60 {
                last[Self.seconds] = bytes[Self.seconds]
                last[Self.seconds + 1] = bytes[Self.seconds + 1]
                lastEpoch = minute + second
                return lastEpoch
            }
        }
        last = Array(bytes)
        lastEpoch = Timestamp.parse(bytes)
        lastMinute = nil
        if let epoch = lastEpoch, bytes.count >= Self.seconds + 2, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
           bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"), let second = Self.twoDigits(bytes, at: Self.seconds) {
            lastMinute = epoch - second
        }
        return lastEpoch
    }

    /// True when `bytes` and the last value agree in `range` (both at least that long).
    private func equal(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        range.isEmpty || last.withUnsafeBytes {
            memcmp($0.baseAddress! + range.lowerBound, bytes.baseAddress! + range.lowerBound, range.count) == 0
        }
    }

    private static func twoDigits(_ bytes: UnsafeRawBufferPointer, at index: Int) -> Int64? {
        let (tens, units) = (bytes[index] &- 48, bytes[index + 1] &- 48)
        return tens < 10 && units < 10 ? Int64(tens) * 10 + Int64(units) : nil
    }
}
