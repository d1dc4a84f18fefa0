/// The sections of `acctstat report`, computed from ``ReportData``.
public struct Report: Sendable {
    /// One group of a section (a recipient domain, a signing domain and selector, a provider, a vmta).
    public struct Group: Sendable {
        /// The group's key columns; nil for unknown.
        public var key: [String?]
        public var counts = ResultCounts()
        /// Counts per bucket start.
        public var buckets: [Int64: ResultCounts] = [:]
        public var previous = ResultCounts()
        public var firstSeen: Int64 = .max
        public var lastSeen: Int64 = .min

        /// Pass-rate change against the previous window, in percentage points.
        public var passRateChange: Double? {
            guard let now = counts.passRate, let before = previous.passRate else { return nil }
            return (now - before) * 100
        }
    }

    /// One failure cause, with where it shows up most.
    public struct Cause: Sendable {
        public var cause: FailureCause
        public var count: Int64
        public var byResult: [DKIMResult: Int64]
        public var buckets: [Int64: [DKIMResult: Int64]]
        public var topDomains: [(String?, Int64)]
        public var topSelectors: [(String?, Int64)]
        public var samples: [ReportData.Sample]
    }

    public struct Summary: Sendable {
        public var counts = ResultCounts()
        public var previous = ResultCounts()
        public var byType: [RecordType: Int64] = [:]
        public var bySource: [EvidenceSource: Int64] = [:]
    }

    public let data: ReportData
    public let summary: Summary
    /// Bucket starts in the window, in order.
    public let bucketStarts: [Int64]
    /// The bucket of every hour that has rows: time zone arithmetic once per hour, not per row.
    private let bucketOfHour: [Int64: Int64]

    public init(data: ReportData) {
        self.data = data
        var summary = Summary()
        for row in data.rows {
            summary.counts[row.result] += row.count
            summary.byType[row.type, default: 0] += row.count
            summary.bySource[row.source, default: 0] += row.count
        }
        for row in data.previousRows { summary.previous[row.result] += row.count }
        self.summary = summary
        var starts: [Int64] = []
        let zone = data.options.zone
        var cursor = data.bucket.start(of: data.window.from, zone: zone)
        while cursor < data.window.to {
            starts.append(cursor)
            // Step a little past the bucket's nominal length and snap back: DST days are 23 or 25 hours.
            let nominal: Int64 = data.bucket == .hour ? 3600 : data.bucket == .day ? 86400 : 7 * 86400
            cursor = data.bucket.start(of: cursor + nominal + 7200, zone: zone)
        }
        bucketStarts = starts
        var buckets: [Int64: Int64] = [:]
        for row in data.rows where buckets[row.hour] == nil {
            buckets[row.hour] = data.bucket.start(of: row.hour, zone: zone)
        }
        bucketOfHour = buckets
    }

    /// The groups of a dimension, biggest first (by volume, then name), at most `limit` of
    /// them, with how many groups there are in all.
    ///
    /// Groups are keyed by ids while counting; names are looked up once per group, and the
    /// per-bucket series is built only for the groups returned.
    public func groups(_ by: ReportOptions.GroupBy, limit: Int? = nil) -> (groups: [Group], total: Int) {
        var index: [GroupID: Int] = [:]
        var totals: [ResultCounts] = []
        var ids: [GroupID] = []
        var providerIds: [Int64: Int64] = [:]
        var providerNames: [String] = []
        func id(of row: ReportData.Row) -> GroupID {
            switch by {
            case .domain: return GroupID(row.rcptDomain, 0)
            case .selector: return GroupID(row.signingDomain, row.selector)
            case .vmta: return GroupID(row.vmta, 0)
            case .cause: return GroupID(Int64(DKIMResult.allCases.firstIndex(of: row.result)!),
                                        row.cause.map { Int64(FailureCause.allCases.firstIndex(of: $0)!) } ?? -1)
            case .provider:
                if let known = providerIds[row.rcptDomain] { return GroupID(known, 0) }
                let name = data.providers.provider(of: data.name(row.rcptDomain))
                let known = Int64(providerNames.firstIndex(of: name) ?? { providerNames.append(name); return providerNames.count - 1 }())
                providerIds[row.rcptDomain] = known
                return GroupID(known, 0)
            }
        }
        for row in data.rows {
            let key = id(of: row)
            let position = index[key] ?? {
                index[key] = ids.count
                ids.append(key)
                totals.append(ResultCounts())
                return ids.count - 1
            }()
            totals[position][row.result] += row.count
        }
        let names = ids.map { key -> [String?] in
            switch by {
            case .domain, .vmta: [data.name(key.first)]
            case .selector: [data.name(key.first), data.name(key.second)]
            case .provider: [providerNames[Int(key.first)]]
            case .cause: [DKIMResult.allCases[Int(key.first)].rawValue, key.second < 0 ? nil : FailureCause.allCases[Int(key.second)].rawValue]
            }
        }
        let sortNames = names.map { $0.map { $0 ?? "" } }
        var order = Array(ids.indices).sorted { lhs, rhs in
            totals[lhs].total != totals[rhs].total ? totals[lhs].total > totals[rhs].total
                : sortNames[lhs].lexicographicallyPrecedes(sortNames[rhs])
        }
        if let limit { order = Array(order.prefix(limit)) }
        var groups = order.map { Group(key: names[$0], counts: totals[$0]) }
        var selected: [GroupID: Int] = [:]
        for (position, original) in order.enumerated() { selected[ids[original]] = position }
        for row in data.rows {
            guard let position = selected[id(of: row)] else { continue }
            let bucket = bucketOfHour[row.hour]!
            groups[position].buckets[bucket, default: ResultCounts()][row.result] += row.count
            groups[position].firstSeen = min(groups[position].firstSeen, row.hour)
            groups[position].lastSeen = max(groups[position].lastSeen, row.hour + 3599)
        }
        for row in data.previousRows {
            if let position = selected[id(of: row)] { groups[position].previous[row.result] += row.count }
        }
        return (groups, ids.count)
    }

    /// A group's identity while counting: ids, not names.
    private struct GroupID: Hashable {
        let first: Int64
        let second: Int64
        init(_ first: Int64, _ second: Int64) {
            self.first = first
            self.second = second
        }
    }

    /// Failure causes, most frequent first.
    public func causes(top: Int = 3) -> [Cause] {
        struct Tally {
            var count: Int64 = 0
            var results: [DKIMResult: Int64] = [:]
            var buckets: [Int64: [DKIMResult: Int64]] = [:]
            var domains: [Int64: Int64] = [:]
            var selectors: [[Int64]: Int64] = [:]
        }
        var byCause: [FailureCause: Tally] = [:]
        for row in data.rows {
            guard let cause = row.cause else { continue }
            // Mutated in place through the default subscript: no copy of the nested dictionaries per row.
            byCause[cause, default: Tally()].count += row.count
            byCause[cause, default: Tally()].results[row.result, default: 0] += row.count
            byCause[cause, default: Tally()].buckets[bucketOfHour[row.hour]!, default: [:]][row.result, default: 0] += row.count
            byCause[cause, default: Tally()].domains[row.rcptDomain, default: 0] += row.count
            byCause[cause, default: Tally()].selectors[[row.signingDomain, row.selector], default: 0] += row.count
        }
        return byCause.map { cause, entry in
            let domains = entry.domains.sorted { $0.value != $1.value ? $0.value > $1.value : (data.name($0.key) ?? "") < (data.name($1.key) ?? "") }
                .prefix(top).map { (data.name($0.key), $0.value) }
            let selectors = entry.selectors.sorted { $0.value != $1.value ? $0.value > $1.value : selectorName($0.key) < selectorName($1.key) }
                .prefix(top).map { (Optional(selectorName($0.key)).flatMap { $0.isEmpty ? nil : $0 }, $0.value) }
            return Cause(cause: cause, count: entry.count, byResult: entry.results, buckets: entry.buckets, topDomains: Array(domains),
                         topSelectors: Array(selectors), samples: data.samples[cause] ?? [])
        }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.cause.rawValue < $1.cause.rawValue }
    }

    /// `s1._domainkey.example.com`-style label of a signing domain and selector: `example.com/s1`.
    private func selectorName(_ ids: [Int64]) -> String {
        let domain = data.name(ids[0]), selector = data.name(ids[1])
        if domain == nil && selector == nil { return "" }
        return (domain ?? "?") + "/" + (selector ?? "?")
    }
}
