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
    }

    /// The groups of a dimension, biggest first (by volume, then name).
    public func groups(_ by: ReportOptions.GroupBy) -> [Group] {
        var groups: [[String?]: Group] = [:]
        var bucketOfHour: [Int64: Int64] = [:]
        for row in data.rows {
            let key = groupKey(by, row)
            let bucket = bucketOfHour[row.hour] ?? data.bucket.start(of: row.hour, zone: data.options.zone)
            bucketOfHour[row.hour] = bucket
            var group = groups[key] ?? Group(key: key)
            group.counts[row.result] += row.count
            group.buckets[bucket, default: ResultCounts()][row.result] += row.count
            group.firstSeen = min(group.firstSeen, row.hour)
            group.lastSeen = max(group.lastSeen, row.hour + 3599)
            groups[key] = group
        }
        for row in data.previousRows {
            let key = groupKey(by, row)
            if groups[key] != nil { groups[key]!.previous[row.result] += row.count }
        }
        return groups.values.sorted { lhs, rhs in
            lhs.counts.total != rhs.counts.total ? lhs.counts.total > rhs.counts.total
                : lhs.key.map { $0 ?? "" }.lexicographicallyPrecedes(rhs.key.map { $0 ?? "" })
        }
    }

    /// Failure causes, most frequent first.
    public func causes(top: Int = 3) -> [Cause] {
        var byCause: [FailureCause: (count: Int64, results: [DKIMResult: Int64], buckets: [Int64: [DKIMResult: Int64]],
                                      domains: [Int64: Int64], selectors: [[Int64]: Int64])] = [:]
        for row in data.rows {
            guard let cause = row.cause else { continue }
            var entry = byCause[cause] ?? (0, [:], [:], [:], [:])
            entry.count += row.count
            entry.results[row.result, default: 0] += row.count
            entry.buckets[data.bucket.start(of: row.hour, zone: data.options.zone), default: [:]][row.result, default: 0] += row.count
            entry.domains[row.rcptDomain, default: 0] += row.count
            entry.selectors[[row.signingDomain, row.selector], default: 0] += row.count
            byCause[cause] = entry
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

    private func groupKey(_ by: ReportOptions.GroupBy, _ row: ReportData.Row) -> [String?] {
        switch by {
        case .domain: [data.name(row.rcptDomain)]
        case .selector: [data.name(row.signingDomain), data.name(row.selector)]
        case .provider: [data.providers.provider(of: data.name(row.rcptDomain))]
        case .vmta: [data.name(row.vmta)]
        case .cause: [row.result.rawValue, row.cause?.rawValue]
        }
    }
}
