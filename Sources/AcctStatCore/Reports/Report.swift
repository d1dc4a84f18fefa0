/// The sections of `acctstat report`, computed from ``ReportData``.
public struct Report: Sendable {
    /// One group of a section (a recipient domain, a signing domain and selector, a provider, a vmta).
    public struct Group: Sendable {
        /// The group's key columns; nil for unknown.
        public var key: [String?]
        public var counts = ResultCounts()
        /// Counts per bucket, in bucket order (only buckets with records).
        public var series: [(start: Int64, counts: ResultCounts)] = []
        public var previous = ResultCounts()
        public var firstSeen: Int64 = .max
        public var lastSeen: Int64 = .min

        /// Pass-rate change against the previous window, in percentage points.
        public var passRateChange: Double? { counts.passRateChange(since: previous) }

        /// The counts of the bucket that starts at `start`, if it has records.
        public func counts(at start: Int64) -> ResultCounts? {
            var (low, high) = (0, series.count)
            while low < high {
                let middle = (low + high) / 2
                if series[middle].start < start { low = middle + 1 } else { high = middle }
            }
            return low < series.count && series[low].start == start ? series[low].counts : nil
        }
    }

    /// One failure cause, with where it shows up most.
    public struct Cause: Sendable {
        public var cause: FailureCause
        public var count: Int64
        /// Its records by result, receiver rejections apart.
        public var byResult: ResultCounts
        public var buckets: [Int64: ResultCounts]
        public var topDomains: [(String?, Int64)]
        public var topSelectors: [(String?, Int64)]
        public var samples: [ReportData.Sample]

        /// `fail 21, permerror 3`, `rejected 14`: results by count, ties in result order, rejections last.
        public var resultsText: String {
            byResult.occurredWords.enumerated().sorted { $0.element.count != $1.element.count ? $0.element.count > $1.element.count : $0.offset < $1.offset }
                .map { "\($0.element.word) \(grouped($0.element.count))" }.joined(separator: ", ")
        }

        /// `gmail.com 12, (unknown) 3`.
        public var topDomainsText: String { Self.listText(topDomains) }

        /// `example.com/s1 9, …`.
        public var topSelectorsText: String { Self.listText(topSelectors) }

        private static func listText(_ items: [(String?, Int64)]) -> String {
            items.map { "\($0.0 ?? "(unknown)") \(grouped($0.1))" }.joined(separator: ", ")
        }
    }

    public struct Summary: Sendable {
        public var counts = ResultCounts()
        public var previous = ResultCounts()
        public var byType: [RecordType: Int64] = [:]
        public var bySource: [EvidenceSource: Int64] = [:]
        /// Where signing domains and selectors came from.
        public var byKeySource: [KeySource: Int64] = [:]
    }

    public let data: ReportData
    public let summary: Summary
    /// Bucket starts in the window, in order.
    public var bucketStarts: [Int64] { data.bucketStarts }

    public init(data: ReportData) {
        self.data = data
        summary = Summary(counts: data.tally.counts, previous: data.previous.counts, byType: data.tally.byType,
                          bySource: data.tally.bySource, byKeySource: data.tally.byKeySource)
    }

    /// Said when the window's records carry no verdict evidence but receivers rejected some:
    /// real PowerMTA logs have no verdict column, so their reports show rejections and no pass rate.
    public var noVerdictNote: String? {
        let counts = summary.counts
        guard counts.withVerdict == 0, counts.rejected > 0 else { return nil }
        return "No verdict column in these records (PowerMTA logs none of its own): no pass rate; "
            + "receivers rejected \(grouped(counts.rejected)) of \(grouped(counts.total)) for authentication"
    }

    /// Said when the report counts signature verdicts (a `--selector` filter): a record signed twice
    /// counts once for each of its selectors.
    public var signatureUnitNote: String? {
        data.options.filters.selector.map { "Counting signature verdicts of selector \($0): each signature of a record counts for its own selector" }
    }

    /// The groups of a dimension, biggest first (by volume, then name), at most `limit` of
    /// them, with how many groups there are in all.
    public func groups(_ by: ReportOptions.GroupBy, limit: Int? = nil) -> (groups: [Group], total: Int) {
        let tallies = data.tally.groups(by)
        let previous = data.previous.groups(by)
        let groups = ReportTally.top(tallies, limit: limit) { names(of: $0, by) }.map { id -> Group in
            let tally = tallies[id]!
            let key = names(of: id, by)
            let seen = by == .selector ? data.seenInWindow(id, tally) : (tally.firstSeen, tally.lastSeen)
            return Group(key: key, counts: tally.counts, series: tally.series, previous: previous[id]?.counts ?? ResultCounts(),
                         firstSeen: seen.0, lastSeen: seen.1)
        }
        return (groups, tallies.count)
    }

    private func names(of id: ReportTally.GroupID, _ by: ReportOptions.GroupBy) -> [String?] {
        data.groupNames(id, by)
    }

    /// Failure causes, most frequent first.
    public func causes(top: Int = 3) -> [Cause] {
        // A cause only other signatures had (their records passed another signature) has no record to show.
        data.tally.causes.filter { $0.value.count > 0 }.map { cause, entry in
            let domains = entry.domains.first(top) { $0.value != $1.value ? $0.value > $1.value : (data.name($0.key) ?? "") < (data.name($1.key) ?? "") }
                .map { (data.name($0.key), $0.value) }
            let selectors = entry.selectors.first(top) { $0.value != $1.value ? $0.value > $1.value : selectorName($0.key) < selectorName($1.key) }
                .map { (Optional(selectorName($0.key)).flatMap { $0.isEmpty ? nil : $0 }, $0.value) }
            return Cause(cause: cause, count: entry.count, byResult: entry.results, buckets: entry.buckets, topDomains: Array(domains),
                         topSelectors: Array(selectors), samples: data.samples[cause] ?? [])
        }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.cause.rawValue < $1.cause.rawValue }
    }

    /// A signing domain and selector as `example.com/s1`; empty when both are unknown.
    private func selectorName(_ id: ReportTally.GroupID) -> String {
        let domain = data.name(id.first), selector = data.name(id.second)
        if domain == nil && selector == nil { return "" }
        return (domain ?? "?") + "/" + (selector ?? "?")
    }
}

