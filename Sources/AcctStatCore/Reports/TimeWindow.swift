import Foundation

/// A half-open time range `[from, to)` in UTC epoch seconds, from `--since` or `--from`/`--to`.
public struct TimeWindow: Equatable, Sendable {
    public var from: Int64
    public var to: Int64

    public init(from: Int64, to: Int64) {
        self.from = from
        self.to = to
    }

    public var seconds: Int64 { to - from }

    /// Every record ever, before 1970 too (whole hours, so it never snaps).
    public static let everything = TimeWindow(from: -3600 << 32, to: 3600 << 32)

    /// The window of the same length just before this one.
    public var previous: TimeWindow { TimeWindow(from: from - seconds, to: from) }

    /// The window cut into `count` consecutive parts that start on whole UTC hours (the
    /// first part keeps the window's own start), each cut at the hour nearest an equal share:
    /// an hour from 13:30 to 14:30 is read as its two ragged hours at once. Parts may be empty.
    func parts(_ count: Int) -> [TimeWindow] {
        let share = seconds / Int64(count)
        var cuts = (1..<count).map { floorDivide(from + Int64($0) * share + 1800, 3600) * 3600 }.map { min(max($0, from), to) }
        cuts = [from] + cuts + [to]
        return (0..<count).map { TimeWindow(from: cuts[$0], to: max(cuts[$0], cuts[$0 + 1])) }
    }

    /// Parses `90m`, `24h`, `7d` or `4w` into seconds.
    public static func duration(_ text: String) -> Int64? {
        guard let unit = text.last, let amount = Int64(text.dropLast()), amount > 0 else { return nil }
        switch unit {
        case "m": return amount * 60
        case "h": return amount * 3600
        case "d": return amount * 86400
        case "w": return amount * 7 * 86400
        default: return nil
        }
    }

    /// Parses `2026-11-01`, `2026-11-01T13:00`, `2026-11-01 13:00:00` or any of those with
    /// `Z` or an offset. A value without an offset is in `zone`.
    public static func instant(_ text: String, zone: ReportTimeZone) -> Int64? {
        var value = text.trimmingSpaces
        if value.count == 10 { value += "T00:00:00" }
        // Add seconds to HH:MM.
        if let timeStart = value.firstIndex(where: { $0 == "T" || $0 == " " }) {
            let time = value[value.index(after: timeStart)...]
            let clock = time.prefix(while: { $0.isNumber || $0 == ":" })
            if clock.count == 5 { value.insert(contentsOf: ":00", at: clock.endIndex) }
        }
        let hasOffset = value.hasSuffix("Z") || value.hasSuffix("z")
            || value.dropFirst(10).contains(where: { $0 == "+" || $0 == "-" })
        guard let parsed = Array(value.utf8).withUnsafeBytes({ Timestamp.parse($0) }), value.count >= 19 else { return nil }
        return hasOffset ? parsed : zone.utcInstant(fromLocal: parsed)
    }
}

/// The time zone reports are written in: an IANA name, or a fixed `±hh:mm` offset.
public struct ReportTimeZone: Sendable, Equatable {
    public let name: String
    private let zone: TimeZone

    /// Accepts `UTC`, an IANA name, `±hh:mm`, `±hhmm`, or `UTC±hh:mm` (which avoids a leading
    /// `-` that command-line parsers take for an option).
    public init?(_ text: String) {
        var trimmed = text.trimmingSpaces
        if trimmed.uppercased().hasPrefix("UTC"), trimmed.count > 3, let sign = trimmed.dropFirst(3).first, sign == "+" || sign == "-" {
            trimmed = String(trimmed.dropFirst(3))
        }
        if trimmed.uppercased() == "UTC" || trimmed == "Z" {
            name = "UTC"
            zone = TimeZone(secondsFromGMT: 0)!
            return
        }
        if let sign = trimmed.first, sign == "+" || sign == "-" {
            let digits = trimmed.dropFirst().filter { $0 != ":" }
            guard digits.count == 4, let hours = Int(digits.prefix(2)), let minutes = Int(digits.suffix(2)),
                  hours <= 14, minutes < 60 else { return nil }
            let seconds = (hours * 3600 + minutes * 60) * (sign == "-" ? -1 : 1)
            guard let fixed = TimeZone(secondsFromGMT: seconds) else { return nil }
            name = Self.offsetText(Int64(seconds))
            zone = fixed
            return
        }
        guard let named = TimeZone(identifier: trimmed) else { return nil }
        name = named.identifier
        zone = named
    }

    public static let utc = ReportTimeZone("UTC")!

    /// The system's zone, as `TZ` or /etc/localtime set it.
    public static var system: ReportTimeZone {
        ReportTimeZone(TimeZone.current.identifier) ?? .utc
    }

    /// Seconds east of UTC at `instant`.
    public func offset(at instant: Int64) -> Int64 {
        Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant))))
    }

    /// The UTC instant of a local wall-clock time (local seconds since the epoch).
    public func utcInstant(fromLocal local: Int64) -> Int64 {
        var guess = local - offset(at: local)
        guess = local - offset(at: guess)
        return guess
    }

    /// The start of the wall-clock day that holds `instant` (UTC epoch seconds).
    public func startOfDay(containing instant: Int64) -> Int64 {
        let local = instant + offset(at: instant)
        return utcInstant(fromLocal: floorDivide(local, 86400) * 86400)
    }

    /// ISO 8601 with this zone's offset: `2026-11-01T00:00:00Z` or `2026-11-01T00:00:00-05:00`.
    public func iso(_ instant: Int64) -> String {
        let offset = offset(at: instant)
        let local = instant + offset
        let days = floorDivide(local, 86400)
        let secondOfDay = local - days * 86400
        let (year, month, day) = Self.civil(fromDays: days)
        let clock = "\(pad(year, 4))-\(pad(month))-\(pad(day))T\(pad(secondOfDay / 3600)):\(pad(secondOfDay % 3600 / 60)):\(pad(secondOfDay % 60))"
        return clock + (offset == 0 ? "Z" : Self.offsetText(offset))
    }

    static func offsetText(_ offset: Int64) -> String {
        (offset < 0 ? "-" : "+") + pad(abs(offset) / 3600) + ":" + pad(abs(offset) % 3600 / 60)
    }

    /// Year, month, day of days since 1970-01-01 (Howard Hinnant's algorithm).
    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let dayOfEra = z - era * 146097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

/// Zero-pads a number to `width` digits.
func pad(_ value: Int64, _ width: Int = 2) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}
