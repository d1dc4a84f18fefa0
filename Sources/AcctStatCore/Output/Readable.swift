/// How numbers are written for people, the same in every output: counts grouped by thousands,
/// rates and shares with one decimal, changes in percentage points.
enum Readable {
    /// A pass rate (0…1) as `85.4%`; `-` when there is none.
    static func rate(_ rate: Double?) -> String {
        rate.map { Decimal.format($0 * 100, decimals: 1) + "%" } ?? "-"
    }

    /// A change in percentage points, as `+1.5pp`.
    static func change(_ points: Double?) -> String? {
        points.map { ($0 >= 0 ? "+" : "") + Decimal.format($0, decimals: 1) + "pp" }
    }

    /// `1 record`, `2 records`, `1,234 records`: a count and its noun, plural when it is not 1.
    static func count(_ value: Int64, _ noun: String) -> String {
        "\(grouped(value)) \(noun)\(value == 1 ? "" : "s")"
    }

    /// An age as people say it: `5d 14h`, `3h 12m`, `45m` (whole minutes; `0m` under one).
    static func age(seconds: Int64) -> String {
        let minutes = max(0, seconds) / 60
        let (days, hours, rest) = (minutes / 1440, minutes % 1440 / 60, minutes % 60)
        if days > 0 { return hours > 0 ? "\(days)d \(hours)h" : "\(days)d" }
        if hours > 0 { return rest > 0 ? "\(hours)h \(rest)m" : "\(hours)h" }
        return "\(rest)m"
    }

    /// `part` as a share of `total`, as `12.5%`; `-` of nothing.
    static func percent(_ part: Int64, of total: Int64) -> String {
        total > 0 ? Decimal.format(Double(part) / Double(total) * 100, decimals: 1) + "%" : "-"
    }
}

/// 1234567 as `1,234,567`.
public func grouped(_ value: Int64) -> String {
    let digits = String(abs(value))
    var result = ""
    for (index, character) in digits.enumerated() {
        if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
        result.append(character)
    }
    return (value < 0 ? "-" : "") + result
}

func megabytes(_ bytes: Int64) -> String {
    Decimal.format(Double(bytes) / 1_000_000, decimals: 1)
}

/// Fixed-decimal formatting without Foundation's locale surprises.
public enum Decimal {
    public static func format(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "null" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        let whole = Int64(scaled / scale)
        let fraction = Int64(scaled - Double(whole) * scale)
        let sign = value < 0 && scaled != 0 ? "-" : ""
        guard decimals > 0 else { return sign + String(whole) }
        let digits = String(fraction)
        return sign + String(whole) + "." + String(repeating: "0", count: decimals - digits.count) + digits
    }
}
