/// `acctstat check`: one verdict for cron and Nagios-style monitoring.
///
/// UNKNOWN covers no data, too little volume, and stale data: a stalled ingest must never
/// look healthy.
public struct HealthCheck: Sendable {
    public enum Status: Int32, Sendable {
        case ok = 0, warning = 1, critical = 2, unknown = 3

        public var label: String {
            switch self {
            case .ok: "OK"
            case .warning: "WARNING"
            case .critical: "CRITICAL"
            case .unknown: "UNKNOWN"
            }
        }
    }

    public struct Thresholds: Sendable {
        public var critical: Double
        public var warning: Double?
        public var minVolume: Int64
        /// Seconds; nil for no freshness check.
        public var maxAge: Int64?

        public init(critical: Double, warning: Double? = nil, minVolume: Int64 = 1, maxAge: Int64? = nil) {
            self.critical = critical
            self.warning = warning
            self.minVolume = minVolume
            self.maxAge = maxAge
        }
    }

    public let status: Status
    public let message: String
    public let counts: ResultCounts
    public let newestRecord: Int64
    /// Seconds from the newest record to now.
    public let age: Int64
    public let thresholds: Thresholds
    public let window: TimeWindow
    public let scope: String

    public init(data: ReportData, thresholds: Thresholds, now: Int64) {
        let counts = data.tally.counts
        self.counts = counts
        self.newestRecord = data.newestRecord
        self.thresholds = thresholds
        self.window = data.window
        let filters = data.options.filters
        let parts = [filters.domain.map { "domain \($0)" }, filters.provider.map { "provider \($0)" },
                     filters.signingDomain.map { "signing domain \($0)" }, filters.selector.map { "selector \($0)" },
                     filters.vmta.map { "vmta \($0)" }, filters.types.map { "types \($0.map(\.rawValue).joined(separator: ","))" }]
        self.scope = parts.compactMap { $0 }.joined(separator: ", ")
        let span = "in the last \(ReportTableRenderer.duration(data.window.seconds))" + (scope.isEmpty ? "" : " (\(scope))")
        let age = now - data.newestRecord
        self.age = age
        if data.newestRecord == 0 {
            (status, message) = (.unknown, "no data: the database has no records")
        } else if let maxAge = thresholds.maxAge, age > maxAge {
            (status, message) = (.unknown, "stale data: the newest record is \(Readable.age(seconds: age)) old "
                                 + "(max \(ReportTableRenderer.duration(maxAge))); is ingest running?")
        } else if counts.withVerdict == 0 {
            (status, message) = (.unknown, "no records with a DKIM verdict \(span)")
        } else if counts.verdictsOnlyFromReplies {
            // Rejections alone would read as a 0% pass rate: nothing here measures the signatures.
            (status, message) = (.unknown, "no DKIM verdict column \(span): its \(grouped(counts.withVerdict)) verdicts "
                                 + "are receiver rejections, which never report a pass")
        } else if counts.withVerdict < thresholds.minVolume {
            (status, message) = (.unknown, "only \(grouped(counts.withVerdict)) records with a verdict \(span), "
                                 + "below the minimum of \(grouped(thresholds.minVolume))")
        } else {
            let rate = counts.passRate ?? 0
            let rateText = Readable.rate(rate)
            let base = "pass rate \(rateText) over \(grouped(counts.withVerdict)) records with a verdict \(span)"
            if rate < thresholds.critical {
                (status, message) = (.critical, base + ", below \(Readable.rate(thresholds.critical))")
            } else if let warning = thresholds.warning, rate < warning {
                (status, message) = (.warning, base + ", below \(Readable.rate(warning))")
            } else {
                (status, message) = (.ok, base)
            }
        }
    }

    /// `DKIM OK - pass rate … | pass_rate=0.9912;0.99:;0.98:;0;1 records=… age=…s`
    public var line: String {
        let rate = counts.passRate.map { Decimal.format($0, decimals: 4) } ?? "U"
        // Plugin range syntax: `0.99:` alerts below 0.99 (a bare `0.99` would alert above it).
        let warning = thresholds.warning.map { Decimal.format($0, decimals: 4) + ":" } ?? ""
        var perfdata = "pass_rate=\(rate);\(warning);\(Decimal.format(thresholds.critical, decimals: 4)):;0;1"
        perfdata += " records=\(counts.total) verdicts=\(counts.withVerdict) pass=\(counts[.pass]) fail=\(counts[.fail])"
        perfdata += " unknown=\(counts[.unknown]) column_verdicts=\(counts.fromColumns)"
        if newestRecord > 0 { perfdata += " age=\(max(0, age))s" }
        return "DKIM \(status.label) - \(message) | \(perfdata)\n"
    }

    public func json(zone: ReportTimeZone) -> String {
        JSONValue.object([
            ("status", .string(status.label)), ("exit_code", .int(Int64(status.rawValue))), ("message", .string(message)),
            ("window", .object([("from", .string(zone.iso(window.from))), ("to", .string(zone.iso(window.to)))])),
            ("tz", .string(zone.name)), ("scope", scope.isEmpty ? .null : .string(scope)),
            ("pass_rate", counts.passRate.map { .double($0, decimals: 4) } ?? .null),
            ("records", .int(counts.total)), ("verdicts", .int(counts.withVerdict)), ("pass", .int(counts[.pass])),
            ("fail", .int(counts[.fail])), ("unknown", .int(counts[.unknown])), ("column_verdicts", .int(counts.fromColumns)),
            ("newest_record", newestRecord > 0 ? .string(zone.iso(newestRecord)) : .null),
            ("age_seconds", newestRecord > 0 ? .int(age) : .null),
            ("thresholds", .object([("critical", .double(thresholds.critical, decimals: 4)),
                                    ("warning", thresholds.warning.map { .double($0, decimals: 4) } ?? .null),
                                    ("min_volume", .int(thresholds.minVolume)),
                                    ("max_age_seconds", thresholds.maxAge.map { .int($0) } ?? .null)])),
        ]).pretty()
    }
}
