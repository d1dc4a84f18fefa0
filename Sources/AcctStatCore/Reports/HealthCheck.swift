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
        /// CRITICAL and WARNING below these pass rates (verdict evidence only); nil: not checked.
        public var critical: Double?
        public var warning: Double?
        /// CRITICAL and WARNING above these rejected rates (receiver rejections ÷ records); nil: not checked.
        public var maxRejected: Double?
        public var warnRejected: Double?
        /// UNKNOWN below this many records with a verdict (for the pass rate) or records (for the rejected rate).
        public var minVolume: Int64
        /// Seconds; nil for no freshness check.
        public var maxAge: Int64?

        public init(critical: Double? = nil, warning: Double? = nil, maxRejected: Double? = nil, warnRejected: Double? = nil,
                    minVolume: Int64 = 1, maxAge: Int64? = nil) {
            self.critical = critical
            self.warning = warning
            self.maxRejected = maxRejected
            self.warnRejected = warnRejected
            self.minVolume = minVolume
            self.maxAge = maxAge
        }

        var checksPassRate: Bool { critical != nil || warning != nil }
        var checksRejectedRate: Bool { maxRejected != nil || warnRejected != nil }
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

    /// Where the verdicts come from: the accounting logs' verdict columns, or receivers' DMARC aggregate reports.
    public enum Source: String, Sendable, CaseIterable {
        case logs, dmarc
    }

    public let source: Source

    /// A host of a fleet and its newest record (`queries/host_newest.sql`).
    public struct Host: Sendable, Equatable {
        public var mta: String
        public var newestRecord: Int64
        public init(mta: String, newestRecord: Int64) {
            self.mta = mta
            self.newestRecord = newestRecord
        }
    }

    /// The fleet's hosts (`hosts`) whose newest record is older than `--max-age`; none without it.
    public let staleHosts: [Host]

    /// A host that sent no record for this long has left the fleet: its silence no longer makes
    /// a fleet's check UNKNOWN (`queries/host_newest.sql`'s horizon).
    public static let fleetHorizon: Int64 = 7 * 86400

    /// - Parameter hosts: every host of the fleet (`queries/host_newest.sql`) when the check covers
    ///   them all (no `--mta`): with `--max-age`, each must be fresh, so one host whose ingest
    ///   stopped is UNKNOWN, not hidden behind the others' newer records.
    public init(data: ReportData, thresholds: Thresholds, now: Int64, hosts: [Host] = []) {
        let filters = data.options.filters
        let parts = [filters.domain.map { "domain \($0)" }, filters.provider.map { "provider \($0)" },
                     filters.signingDomain.map { "signing domain \($0)" }, filters.selector.map { "selector \($0)" },
                     filters.vmta.map { "vmta \($0)" }, filters.mta.map { "mta \($0)" }, filters.types.map { "types \($0.map(\.rawValue).joined(separator: ","))" }]
        self.init(source: .logs, counts: data.tally.counts, newest: data.newestRecord, window: data.window,
                  scope: parts.compactMap { $0 }.joined(separator: ", "), thresholds: thresholds, now: now, hosts: hosts)
    }

    /// The receivers' reported DKIM verdicts: each signature's result in the aggregate reports whose
    /// date range begins in the view's window; fresh while the newest report ended within `maxAge`.
    public init(dmarc view: DMARCView, filters: DMARCView.Filters, thresholds: Thresholds, now: Int64) {
        var counts = ResultCounts()
        for row in view.rows {
            counts[row.dkimResult.flatMap { DKIMResult(word: Substring($0)) } ?? .unknown] += row.count
        }
        let parts = [filters.reporter.map { "reporter \($0)" }, filters.headerFrom.map { "header_from \($0)" },
                     filters.signingDomain.map { "signing domain \($0)" }, filters.selector.map { "selector \($0)" }]
        self.init(source: .dmarc, counts: counts, newest: view.newestReportEnd, window: view.window,
                  scope: parts.compactMap { $0 }.joined(separator: ", "), thresholds: thresholds, now: now)
    }

    private init(source: Source, counts: ResultCounts, newest: Int64, window: TimeWindow, scope: String, thresholds: Thresholds, now: Int64,
                 hosts: [Host] = []) {
        self.source = source
        self.counts = counts
        self.newestRecord = newest
        self.thresholds = thresholds
        self.window = window
        self.scope = scope
        let span = (source == .dmarc ? "in DMARC reports beginning " : "") + "in the last \(ReportTableRenderer.duration(window.seconds))"
            + (scope.isEmpty ? "" : " (\(scope))")
        let age = now - newest
        self.age = age
        let what = source == .dmarc ? "report" : "record"
        let staleHosts = thresholds.maxAge.map { maxAge in hosts.filter { now - $0.newestRecord > maxAge } } ?? []
        self.staleHosts = staleHosts
        if newest == 0 {
            (status, message) = (.unknown, source == .dmarc ? "no data: the database has no DMARC aggregate reports"
                                                          : "no data: the database has no records")
        } else if let maxAge = thresholds.maxAge, age > maxAge {
            (status, message) = (.unknown, "stale data: the newest \(what) \(source == .dmarc ? "ended" : "is") \(Readable.age(seconds: age)) "
                                 + "\(source == .dmarc ? "ago" : "old") (max \(ReportTableRenderer.duration(maxAge))); is ingest running?")
        } else if let maxAge = thresholds.maxAge, !staleHosts.isEmpty {
            let named = staleHosts.prefix(5).map { "\($0.mta) \(Readable.age(seconds: now - $0.newestRecord)) old" }
            let more = staleHosts.count > 5 ? " and \(staleHosts.count - 5) more" : ""
            (status, message) = (.unknown, "stale data: \(staleHosts.count) of \(hosts.count) hosts sent no record for over "
                                 + "\(ReportTableRenderer.duration(maxAge)) (newest record: \(named.joined(separator: ", "))\(more)); "
                                 + "is ingest running there?")
        } else {
            var measures: [(status: Status, text: String)] = []
            if thresholds.checksPassRate { measures.append(Self.passRateStatus(counts, thresholds, span: span, source: source)) }
            if thresholds.checksRejectedRate { measures.append(Self.rejectedRateStatus(counts, thresholds, span: span)) }
            // The worst first: CRITICAL, WARNING, UNKNOWN (a measure that cannot be read), OK.
            let order: [Status] = [.critical, .warning, .unknown, .ok]
            status = order.first { worst in measures.contains { $0.status == worst } } ?? .unknown
            message = measures.map(\.text).joined(separator: "; ")
        }
    }

    /// The pass rate's verdict: verdict evidence only, receiver rejections apart.
    private static func passRateStatus(_ counts: ResultCounts, _ thresholds: Thresholds, span: String,
                                       source: Source) -> (status: Status, text: String) {
        let verdicts = source == .dmarc ? "reported signatures" : "records with a verdict"
        guard let rate = counts.passRate else {
            if source == .dmarc { return (.unknown, "no DKIM signature reported \(span)") }
            // Real PowerMTA logs have no verdict column: rejections alone say nothing of a pass rate.
            return (.unknown, counts.rejected > 0
                ? "no DKIM verdict column \(span): no pass rate, only \(grouped(counts.rejected)) receiver rejections (see --max-rejected-rate)"
                : "no records with a DKIM verdict \(span)")
        }
        guard counts.withVerdict >= thresholds.minVolume else {
            return (.unknown, "only \(grouped(counts.withVerdict)) \(verdicts) \(span), below the minimum of \(grouped(thresholds.minVolume))")
        }
        let base = (source == .dmarc ? "receivers' DKIM pass rate " : "pass rate ")
            + "\(Readable.rate(rate)) over \(grouped(counts.withVerdict)) \(verdicts) \(span)"
        if let critical = thresholds.critical, rate < critical { return (.critical, base + ", below \(Readable.rate(critical))") }
        if let warning = thresholds.warning, rate < warning { return (.warning, base + ", below \(Readable.rate(warning))") }
        return (.ok, base)
    }

    /// The rejected rate's verdict: records whose only DKIM evidence is a receiver's rejection, of all records.
    private static func rejectedRateStatus(_ counts: ResultCounts, _ thresholds: Thresholds, span: String) -> (status: Status, text: String) {
        guard let rate = counts.rejectedRate else { return (.unknown, "no records \(span)") }
        guard counts.total >= thresholds.minVolume else {
            return (.unknown, "only \(grouped(counts.total)) records \(span), below the minimum of \(grouped(thresholds.minVolume))")
        }
        let base = "rejected \(Readable.rate(rate)) of \(grouped(counts.total)) records \(span) (\(grouped(counts.rejected)) receiver rejections)"
        if let critical = thresholds.maxRejected, rate > critical { return (.critical, base + ", above \(Readable.rate(critical))") }
        if let warning = thresholds.warnRejected, rate > warning { return (.warning, base + ", above \(Readable.rate(warning))") }
        return (.ok, base)
    }

    /// `DKIM OK - pass rate … | pass_rate=0.9912;0.99:;0.98:;0;1 rejected_rate=0.0010;;;0;1 records=… age=…s`
    public var line: String {
        func format(_ value: Double?) -> String { value.map { Decimal.format($0, decimals: 4) } ?? "" }
        // Plugin range syntax: `0.99:` alerts below 0.99 (a bare `0.99` would alert above it, as the rejected rate's do).
        func below(_ value: Double?) -> String { value.map { format($0) + ":" } ?? "" }
        var perfdata = "pass_rate=\(counts.passRate.map { format($0) } ?? "U");\(below(thresholds.warning));\(below(thresholds.critical));0;1"
        perfdata += " rejected_rate=\(counts.rejectedRate.map { format($0) } ?? "U");\(format(thresholds.warnRejected));\(format(thresholds.maxRejected));0;1"
        perfdata += " records=\(counts.total) verdicts=\(counts.withVerdict) pass=\(counts[.pass]) fail=\(counts[.fail])"
        perfdata += " unknown=\(counts[.unknown]) rejected=\(counts.rejected)"
        if newestRecord > 0 { perfdata += " age=\(max(0, age))s" }
        return "DKIM \(status.label) - \(message) | \(perfdata)\n"
    }

    public func json(zone: ReportTimeZone) -> String {
        JSONValue.object([
            ("status", .string(status.label)), ("exit_code", .int(Int64(status.rawValue))), ("message", .string(message)),
            ("window", .object([("from", .string(zone.iso(window.from))), ("to", .string(zone.iso(window.to)))])),
            ("tz", .string(zone.name)), ("source", .string(source.rawValue)), ("scope", scope.isEmpty ? .null : .string(scope)),
            ("pass_rate", counts.passRate.map { .double($0, decimals: 4) } ?? .null),
            ("rejected_rate", counts.rejectedRate.map { .double($0, decimals: 4) } ?? .null),
            ("records", .int(counts.total)), ("verdicts", .int(counts.withVerdict)), ("pass", .int(counts[.pass])),
            ("fail", .int(counts[.fail])), ("unknown", .int(counts[.unknown])), ("rejected", .int(counts.rejected)),
            ("newest_record", newestRecord > 0 ? .string(zone.iso(newestRecord)) : .null),
            ("age_seconds", newestRecord > 0 ? .int(age) : .null),
            ("stale_hosts", .array(staleHosts.map { host in
                .object([("mta", .string(host.mta)), ("newest_record", .string(zone.iso(host.newestRecord)))])
            })),
            ("thresholds", .object([("critical", thresholds.critical.map { .double($0, decimals: 4) } ?? .null),
                                    ("warning", thresholds.warning.map { .double($0, decimals: 4) } ?? .null),
                                    ("max_rejected", thresholds.maxRejected.map { .double($0, decimals: 4) } ?? .null),
                                    ("warn_rejected", thresholds.warnRejected.map { .double($0, decimals: 4) } ?? .null),
                                    ("min_volume", .int(thresholds.minVolume)),
                                    ("max_age_seconds", thresholds.maxAge.map { .int($0) } ?? .null)])),
        ]).pretty()
    }
}
