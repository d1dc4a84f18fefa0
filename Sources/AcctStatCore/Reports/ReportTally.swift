/// The counts of one report window, accumulated row by row as the store streams them.
///
/// Nothing keeps the rows themselves, so memory grows with the number of groups and
/// buckets a report shows, not with the number of stored counts it reads. A report reads
/// hundreds of thousands of rows, so each row costs a handful of ``FastMap`` probes and
/// array updates, no `Dictionary` hashing; the rows arrive in hour order (report.sql), so
/// a group's series only ever grows at its end.
public struct ReportTally: Sendable {
    /// A group's identity: ids, not names (a domain; a signing domain and selector; …).
    public struct GroupID: Hashable, Sendable, FastHashable {
        public let first: Int64
        public let second: Int64
        public init(_ first: Int64, _ second: Int64) {
            self.first = first
            self.second = second
        }

        var fastHash: Int {
            Int(truncatingIfNeeded: FastHash.mix(UInt64(bitPattern: second), into: FastHash.mix(UInt64(bitPattern: first))))
        }
    }

    public struct GroupTally: Sendable {
        public var counts = ResultCounts()
        /// Counts per bucket start, in bucket order (kept so by ``add(_:result:at:to:)``); empty for
        /// the previous window, which needs totals only.
        public internal(set) var series: [(start: Int64, counts: ResultCounts)] = []
        public var firstSeen: Int64 = .max
        public var lastSeen: Int64 = .min

        mutating func merge(_ later: GroupTally) {
            counts.add(later.counts)
            ReportTally.merge(later.series, into: &series)
            firstSeen = min(firstSeen, later.firstSeen)
            lastSeen = max(lastSeen, later.lastSeen)
        }
    }

    public struct CauseTally: Sendable {
        public var count: Int64 = 0
        var resultCounts = ResultCounts()
        var series: [(start: Int64, counts: ResultCounts)] = []
        var domainCounts = FastMap<Int64, Int64>()
        var selectorCounts = FastMap<GroupID, Int64>()

        mutating func merge(_ later: CauseTally) {
            count += later.count
            resultCounts.add(later.resultCounts)
            ReportTally.merge(later.series, into: &series)
            for (domain, count) in later.domainCounts { domainCounts.update(domain, default: 0) { $0 += count } }
            for (selector, count) in later.selectorCounts { selectorCounts.update(selector, default: 0) { $0 += count } }
        }

        public var results: ResultCounts { resultCounts }
        public var buckets: [Int64: ResultCounts] {
            Dictionary(series.map { ($0.start, $0.counts) }, uniquingKeysWith: { first, _ in first })
        }
        public var domains: [Int64: Int64] { domainCounts.dictionary }
        public var selectors: [GroupID: Int64] { selectorCounts.dictionary }
    }

    public var counts = ResultCounts()
    /// The window's counts per bucket, in bucket order (empty for the previous window).
    public private(set) var series: [(start: Int64, counts: ResultCounts)] = []
    private var typeCounts = [Int64](repeating: 0, count: RecordType.allCases.count + 1)
    private var sourceCounts = [Int64](repeating: 0, count: EvidenceSource.allCases.count + 1)
    private var keySourceCounts = [Int64](repeating: 0, count: KeySource.allCases.count + 1)
    private var domains = FastMap<GroupID, GroupTally>()
    private var selectors = FastMap<GroupID, GroupTally>()
    private var vmtas = FastMap<GroupID, GroupTally>()
    private var mtas = FastMap<GroupID, GroupTally>()
    private var providers = FastMap<GroupID, GroupTally>()
    private var causeTallies = [CauseTally?](repeating: nil, count: FailureCause.allCases.count + 1)
    /// When set, per-bucket series are kept only for these groups of each listed dimension
    /// (the ones a report will show); other groups keep totals only.
    var seriesFor: [ReportOptions.GroupBy: Set<GroupID>]?
    /// The dimensions that tally only the groups given at creation (``init(only:everyGroupOf:)``),
    /// as ``closedBit(_:)`` bits; a closed dimension without groups costs a row nothing. Closing
    /// ``ReportOptions/GroupBy/cause`` leaves out the causes (``causes``).
    private var closedDimensions: UInt8 = 0

    /// A tally of every group of every dimension, and of the causes.
    init() {}

    /// A tally of every group of the `sections` a report shows (``ReportOptions/sections``), and
    /// of no other.
    init(sections: Set<ReportOptions.GroupBy>) {
        self.init(only: [:], everyGroupOf: sections)
    }

    /// A tally of only these groups in each dimension (no group at all of a dimension not listed),
    /// except the dimensions in `open`, which tally every group. For the previous window, where
    /// only the groups a report shows get a change, and for a long window's rows of one dimension
    /// read bucket by bucket. The totals by result, type and source count every row.
    init(only groups: [ReportOptions.GroupBy: [GroupID]], everyGroupOf open: Set<ReportOptions.GroupBy> = []) {
        for dimension in ReportOptions.GroupBy.allCases where !open.contains(dimension) {
            closedDimensions |= Self.closedBit(dimension)
        }
        for (dimension, ids) in groups where !open.contains(dimension) {
            guard let path = Self.groupsPath(dimension) else { continue }
            for id in ids { self[keyPath: path].update(id, default: GroupTally()) { _ in } }
        }
    }

    /// The dimensions that have groups (the causes are tallied as ``causes``).
    static let groupDimensions: [ReportOptions.GroupBy] = [.domain, .selector, .vmta, .mta, .provider]

    public var byType: [RecordType: Int64] { Self.nonZero(typeCounts) }
    public var bySource: [EvidenceSource: Int64] { Self.nonZero(sourceCounts) }
    public var byKeySource: [KeySource: Int64] { Self.nonZero(keySourceCounts) }
    public var causes: [FailureCause: CauseTally] {
        Dictionary(uniqueKeysWithValues: causeTallies.indices.compactMap { code in
            causeTallies[code].flatMap { tally in FailureCause(code: Int64(code)).map { ($0, tally) } }
        })
    }

    /// The ids of the `limit` biggest groups (by volume, then name), in that order.
    static func top(_ tallies: FastMap<GroupID, GroupTally>, limit: Int?, names: (GroupID) -> [String?]) -> [GroupID] {
        guard let limit else {
            let named = tallies.map { (id: $0.0, total: $0.1.counts.total, key: names($0.0).map { $0 ?? "" }) }
            return named.sorted { lhs, rhs in
                lhs.total != rhs.total ? lhs.total > rhs.total : lhs.key.lexicographicallyPrecedes(rhs.key)
            }.map(\.id)
        }
        // The few groups shown: names are looked up only to break ties in volume with the ones kept.
        return tallies.map { (id: $0.0, total: $0.1.counts.total) }.first(limit) { lhs, rhs in
            lhs.total != rhs.total ? lhs.total > rhs.total
                : names(lhs.id).map { $0 ?? "" }.lexicographicallyPrecedes(names(rhs.id).map { $0 ?? "" })
        }.map(\.id)
    }

    /// The tallies of a dimension; none for ``ReportOptions/GroupBy/cause``, whose tallies are ``causes``.
    func groups(_ by: ReportOptions.GroupBy) -> FastMap<GroupID, GroupTally> {
        Self.groupsPath(by).map { self[keyPath: $0] } ?? FastMap()
    }

    /// Where a dimension's groups are kept; nil for ``ReportOptions/GroupBy/cause``.
    private static func groupsPath(_ by: ReportOptions.GroupBy) -> WritableKeyPath<ReportTally, FastMap<GroupID, GroupTally>>? {
        switch by {
        case .domain: \.domains
        case .selector: \.selectors
        case .vmta: \.vmtas
        case .mta: \.mtas
        case .provider: \.providers
        case .cause: nil
        }
    }

    /// Adds one stored count. `bucket` is nil for the previous window: no series, no causes.
    mutating func add(_ row: ReportData.Row, bucket: Int64?, provider: Int64) {
        counts.add(row.count, result: row.result, source: row.source)
        if let bucket { Self.add(row.count, result: row.result, source: row.source, at: bucket, to: &series) }
        typeCounts[row.type] += row.count
        sourceCounts[row.source] += row.count
        keySourceCounts[row.keySource] += row.count
        let domain = GroupID(row.rcptDomain, 0), selector = GroupID(row.signingDomain, row.selector)
        let vmta = GroupID(row.vmta, 0), mta = GroupID(row.mta, 0), providerID = GroupID(provider, 0)
        var buckets = (domain: bucket, selector: bucket, vmta: bucket, mta: bucket, provider: bucket)
        if let bucket, let wanted = seriesFor {
            buckets = (Self.series(wanted[.domain], domain, bucket), Self.series(wanted[.selector], selector, bucket),
                       Self.series(wanted[.vmta], vmta, bucket), Self.series(wanted[.mta], mta, bucket),
                       Self.series(wanted[.provider], providerID, bucket))
        }
        Self.add(row, buckets.domain, to: domain, in: &domains, closed: closedDimensions & Self.closedBit(.domain) != 0)
        Self.add(row, buckets.selector, to: selector, in: &selectors, closed: closedDimensions & Self.closedBit(.selector) != 0)
        Self.add(row, buckets.vmta, to: vmta, in: &vmtas, closed: closedDimensions & Self.closedBit(.vmta) != 0)
        Self.add(row, buckets.mta, to: mta, in: &mtas, closed: closedDimensions & Self.closedBit(.mta) != 0)
        Self.add(row, buckets.provider, to: providerID, in: &providers, closed: closedDimensions & Self.closedBit(.provider) != 0)
        guard let bucket, row.cause != 0, closedDimensions & Self.closedBit(.cause) == 0 else { return }
        let code = row.cause
        if causeTallies[code] == nil { causeTallies[code] = CauseTally() }
        causeTallies[code]!.count += row.count
        causeTallies[code]!.resultCounts.add(row.count, result: row.result, source: row.source)
        Self.add(row.count, result: row.result, source: row.source, at: bucket, to: &causeTallies[code]!.series)
        causeTallies[code]!.domainCounts.update(row.rcptDomain, default: 0) { $0 += row.count }
        causeTallies[code]!.selectorCounts.update(selector, default: 0) { $0 += row.count }
    }

    /// Adds one stored count of records' other signatures (`other_signatures`): a verdict for its
    /// own selector, so only the selectors and the causes' top selectors count it. Records, domains,
    /// providers, vmtas, mtas and causes count each record once, under its own verdict.
    mutating func addOtherSignature(_ row: ReportData.Row, bucket: Int64?) {
        let selector = GroupID(row.signingDomain, row.selector)
        var seriesBucket = bucket
        if let bucket, let wanted = seriesFor { seriesBucket = Self.series(wanted[.selector], selector, bucket) }
        Self.add(row, seriesBucket, to: selector, in: &selectors, closed: closedDimensions & Self.closedBit(.selector) != 0)
        guard bucket != nil, row.cause != 0, closedDimensions & Self.closedBit(.cause) == 0 else { return }
        // Kept even where no record has the cause (yet: a later part of the window may have some);
        // a cause with no record is not shown (``Report/causes(top:)``).
        if causeTallies[row.cause] == nil { causeTallies[row.cause] = CauseTally() }
        causeTallies[row.cause]!.selectorCounts.update(selector, default: 0) { $0 += row.count }
    }

    /// True when a row of other signatures can change this tally: it keeps selectors or causes.
    var countsOtherSignatures: Bool {
        closedDimensions & Self.closedBit(.selector) == 0 || !selectors.isEmpty || closedDimensions & Self.closedBit(.cause) == 0
    }

    /// The tallies of consecutive parts of one window, in order, as one.
    static func merged(_ parts: ArraySlice<ReportTally>) -> ReportTally {
        guard var whole = parts.first else { return ReportTally() }
        for part in parts.dropFirst() { whole.merge(part) }
        return whole
    }

    /// Adds the tally of the part of the window that follows this one.
    private mutating func merge(_ later: ReportTally) {
        counts.add(later.counts)
        Self.merge(later.series, into: &series)
        for code in typeCounts.indices { typeCounts[code] += later.typeCounts[code] }
        for code in sourceCounts.indices { sourceCounts[code] += later.sourceCounts[code] }
        for code in keySourceCounts.indices { keySourceCounts[code] += later.keySourceCounts[code] }
        Self.merge(later.domains, into: &domains)
        Self.merge(later.selectors, into: &selectors)
        Self.merge(later.vmtas, into: &vmtas)
        Self.merge(later.mtas, into: &mtas)
        Self.merge(later.providers, into: &providers)
        for code in causeTallies.indices {
            guard let laterCause = later.causeTallies[code] else { continue }
            if causeTallies[code] == nil { causeTallies[code] = CauseTally() }
            causeTallies[code]!.merge(laterCause)
        }
    }

    private static func merge(_ later: FastMap<GroupID, GroupTally>, into groups: inout FastMap<GroupID, GroupTally>) {
        for (id, tally) in later { groups.update(id, default: GroupTally()) { $0.merge(tally) } }
    }

    /// Appends a later series: its buckets start where this one's end, or later.
    private static func merge(_ later: [(start: Int64, counts: ResultCounts)], into series: inout [(start: Int64, counts: ResultCounts)]) {
        for bucket in later {
            if let last = series.indices.last, series[last].start == bucket.start {
                series[last].counts.add(bucket.counts)
            } else {
                series.append(bucket)
            }
        }
    }

    @inline(__always)
    private static func closedBit(_ dimension: ReportOptions.GroupBy) -> UInt8 {
        switch dimension {
        case .domain: 1
        case .selector: 2
        case .vmta: 4
        case .provider: 8
        case .cause: 16
        case .mta: 32
        }
    }

    /// The bucket to record for a group, or nil when its series is not wanted (`wanted` lists the
    /// groups of its dimension that keep one; nil for every group).
    /// Static: as a method, each call from ``add(_:bucket:provider:)`` copied the whole tally.
    private static func series(_ wanted: Set<GroupID>?, _ id: GroupID, _ bucket: Int64) -> Int64? {
        guard let wanted else { return bucket }
        return !wanted.isEmpty && wanted.contains(id) ? bucket : nil
    }

    /// Adds a row to its group, which is created unless the groups are `closed`.
    @inline(__always)
    private static func add(_ row: ReportData.Row, _ bucket: Int64?, to id: GroupID, in groups: inout FastMap<GroupID, GroupTally>,
                            closed: Bool) {
        if closed {
            if !groups.isEmpty { groups.updateIfPresent(id) { add(row, bucket, to: &$0) } }
        } else {
            groups.update(id, default: GroupTally()) { add(row, bucket, to: &$0) }
        }
    }

    private static func add(_ row: ReportData.Row, _ bucket: Int64?, to tally: inout GroupTally) {
        tally.counts.add(row.count, result: row.result, source: row.source)
        guard let bucket else { return }
        add(row.count, result: row.result, source: row.source, at: bucket, to: &tally.series)
        tally.firstSeen = min(tally.firstSeen, row.hour)
        tally.lastSeen = max(tally.lastSeen, row.hour + 3599)
    }

    /// Adds to a series kept in bucket order. Buckets arrive in order, so the last one is nearly
    /// always the one, or a new bucket goes at the end; any other is looked up from the end.
    private static func add(_ count: Int64, result: Int, source: Int, at bucket: Int64,
                            to series: inout [(start: Int64, counts: ResultCounts)]) {
        if let last = series.last?.start, last == bucket {
            series[series.count - 1].counts.add(count, result: result, source: source)
            return
        }
        let after = (series.lastIndex { $0.start <= bucket } ?? -1) + 1
        if after > 0, series[after - 1].start == bucket {
            series[after - 1].counts.add(count, result: result, source: source)
        } else {
            var counts = ResultCounts()
            counts.add(count, result: result, source: source)
            series.insert((bucket, counts), at: after)
        }
    }

    /// A count per code as a dictionary of the cases that occurred.
    private static func nonZero<Case: StoredCode & Hashable>(_ counts: [Int64]) -> [Case: Int64] {
        Dictionary(uniqueKeysWithValues: counts.indices.compactMap { code in
            counts[code] > 0 ? Case(code: Int64(code)).map { ($0, counts[code]) } : nil
        })
    }
}
