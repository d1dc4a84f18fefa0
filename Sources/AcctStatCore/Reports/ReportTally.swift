/// The counts of one report window, accumulated row by row as the store streams them.
///
/// Nothing keeps the rows themselves, so memory grows with the number of groups and
/// buckets a report shows, not with the number of stored counts it reads.
public struct ReportTally: Sendable {
    /// A group's identity: ids, not names (a domain; a signing domain and selector; …).
    public struct GroupID: Hashable, Sendable {
        public let first: Int64
        public let second: Int64
        public init(_ first: Int64, _ second: Int64) {
            self.first = first
            self.second = second
        }
    }

    public struct GroupTally: Sendable {
        public var counts = ResultCounts()
        /// Counts per bucket start; empty for the previous window, which needs totals only.
        public var buckets: [Int64: ResultCounts] = [:]
        public var firstSeen: Int64 = .max
        public var lastSeen: Int64 = .min
    }

    public struct CauseTally: Sendable {
        public var count: Int64 = 0
        public var results: [DKIMResult: Int64] = [:]
        public var buckets: [Int64: [DKIMResult: Int64]] = [:]
        public var domains: [Int64: Int64] = [:]
        public var selectors: [GroupID: Int64] = [:]
    }

    public var counts = ResultCounts()
    public var byType: [RecordType: Int64] = [:]
    public var bySource: [EvidenceSource: Int64] = [:]
    public var byKeySource: [KeySource: Int64] = [:]
    public var domains: [GroupID: GroupTally] = [:]
    public var selectors: [GroupID: GroupTally] = [:]
    public var vmtas: [GroupID: GroupTally] = [:]
    public var providers: [GroupID: GroupTally] = [:]
    public var resultCauses: [GroupID: GroupTally] = [:]
    public var causes: [FailureCause: CauseTally] = [:]
    /// Provider names, indexed by the provider group ids.
    public var providerNames: [String] = []
    /// When set, per-bucket series are kept only for these groups of each listed dimension
    /// (the ones a report will show); other groups keep totals only.
    var seriesFor: [ReportOptions.GroupBy: Set<GroupID>]?

    /// The ids of the `limit` biggest groups (by volume, then name), in that order.
    static func top(_ tallies: [GroupID: GroupTally], limit: Int?, names: (GroupID) -> [String?]) -> [GroupID] {
        let named = tallies.map { (id: $0.key, total: $0.value.counts.total, key: names($0.key).map { $0 ?? "" }) }
        let ordered = named.sorted { lhs, rhs in
            lhs.total != rhs.total ? lhs.total > rhs.total : lhs.key.lexicographicallyPrecedes(rhs.key)
        }.map(\.id)
        return limit.map { Array(ordered.prefix($0)) } ?? ordered
    }

    /// The tallies of a dimension.
    public func groups(_ by: ReportOptions.GroupBy) -> [GroupID: GroupTally] {
        switch by {
        case .domain: domains
        case .selector: selectors
        case .vmta: vmtas
        case .provider: providers
        case .cause: resultCauses
        }
    }

    /// Adds one stored count. `bucket` is nil for the previous window: no series, no causes.
    mutating func add(_ row: ReportData.Row, bucket: Int64?, provider: Int64) {
        counts[row.result] += row.count
        byType[row.type, default: 0] += row.count
        bySource[row.source, default: 0] += row.count
        byKeySource[row.keySource, default: 0] += row.count
        // Each tally is updated in place through the default subscript: no copy per row.
        let domain = GroupID(row.rcptDomain, 0), selector = GroupID(row.signingDomain, row.selector)
        let vmta = GroupID(row.vmta, 0), providerID = GroupID(provider, 0)
        let resultCause = GroupID(row.result.code, row.cause?.code ?? 0)
        Self.add(row, series(.domain, domain, bucket), to: &domains[domain, default: GroupTally()])
        Self.add(row, series(.selector, selector, bucket), to: &selectors[selector, default: GroupTally()])
        Self.add(row, series(.vmta, vmta, bucket), to: &vmtas[vmta, default: GroupTally()])
        Self.add(row, series(.provider, providerID, bucket), to: &providers[providerID, default: GroupTally()])
        Self.add(row, series(.cause, resultCause, bucket), to: &resultCauses[resultCause, default: GroupTally()])
        guard let bucket, let cause = row.cause else { return }
        causes[cause, default: CauseTally()].count += row.count
        causes[cause, default: CauseTally()].results[row.result, default: 0] += row.count
        causes[cause, default: CauseTally()].buckets[bucket, default: [:]][row.result, default: 0] += row.count
        causes[cause, default: CauseTally()].domains[row.rcptDomain, default: 0] += row.count
        causes[cause, default: CauseTally()].selectors[GroupID(row.signingDomain, row.selector), default: 0] += row.count
    }

    /// The bucket to record for a group, or nil when its series is not wanted.
    private func series(_ dimension: ReportOptions.GroupBy, _ id: GroupID, _ bucket: Int64?) -> Int64? {
        guard let bucket, let wanted = seriesFor?[dimension] else { return bucket }
        return wanted.contains(id) ? bucket : nil
    }

    private static func add(_ row: ReportData.Row, _ bucket: Int64?, to tally: inout GroupTally) {
        tally.counts[row.result] += row.count
        guard let bucket else { return }
        tally.buckets[bucket, default: ResultCounts()][row.result] += row.count
        tally.firstSeen = min(tally.firstSeen, row.hour)
        tally.lastSeen = max(tally.lastSeen, row.hour + 3599)
    }
}
