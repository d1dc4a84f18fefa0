import Foundation
import Dispatch

/// The counts a report is made of, loaded once with the queries in `queries/`.
///
/// Every section and every renderer (table, CSV, JSON, HTML) reads this one structure,
/// so they can never disagree about a number. The stored counts stream through
/// ``ReportTally`` as they are read; no row is kept.
public struct ReportData: Sendable {
    /// One stored count, with the enums as their stored codes (``StoredCode``): the tally
    /// indexes arrays with them.
    struct Row {
        var hour: Int64
        var type: Int
        var rcptDomain: Int64
        var signingDomain: Int64
        var selector: Int64
        var result: Int
        /// 0 for none.
        var cause: Int
        var vmta: Int64
        /// The PowerMTA host's name id.
        var mta: Int64
        var source: Int
        var count: Int64
        var keySource: Int
    }

    /// A sample diagnostic of a cause.
    public struct Sample: Sendable {
        public var detail: String
        public var occurrences: Int64
        public var lastSeen: Int64
    }

    public var options: ReportOptions
    /// The window reported on (``WindowPlan/counted``: the asked one to whole minutes, or snapped
    /// to whole hours where older than the minute counts), and whether it was the default one.
    public var window: TimeWindow
    /// True when an end of the asked window was older than the minute counts and snapped to an hour.
    public var windowSnapped: Bool
    /// Windows are exact to the minute from this time on (``AccountingStore/minuteCountsFrom()``).
    public var minutesFrom: Int64
    public var windowIsDefault: Bool
    public var bucket: ReportOptions.Bucket
    /// Bucket starts in the window, in order.
    public var bucketStarts: [Int64]
    public var tally: ReportTally
    /// False when the groups of a long window keep no series (``ReportOptions/groupSeries``):
    /// rows per bucket then come from ``forEachBucket(from:dimension:parts:_:)``.
    public var groupSeriesKept: Bool
    /// The window of the same length just before, for the change columns (totals only).
    public var previous: ReportTally
    public var names: [Int64: String]
    /// Provider names by provider id, one numbering for the whole report (``ProviderNumbering``).
    public var providerNames: [String] { providers.names }
    let providers: ProviderNumbering
    public var samples: [FailureCause: [Sample]]
    /// Each signing key's first and last record, to the second, by (signing domain id, selector id);
    /// none when the filters keep only some of a key's records (``ReportOptions/Filters/narrowBelowTheKey``).
    var keySpans: [ReportTally.GroupID: SigningKeySpan]
    /// For a report that counted nothing: each filter whose value the database has never seen,
    /// with some values it has (``FilterMiss``).
    public var filterMisses: [FilterMiss] = []
    /// The newest record time in the whole database, 0 when it is empty.
    public var newestRecord: Int64
    /// The logs beside receivers' DMARC reports, per selector and day: for outputs that show selectors.
    public var receivers = ReceiverComparison()
    /// The ledger's state (`queries/ledger_state.sql`) the data was read in.
    var ledgerState: String?
    /// True when ingests kept committing while every attempt read the data: its parts may mix
    /// the database's states (see ``load(from:options:providers:parts:)``).
    public var readDuringIngest = false

    /// Reads of one report before it says the data may mix states (``readDuringIngest``).
    static let readAttempts = 3

    /// Loads the data for `options` from `store`, reading each window in `parts` parts at once.
    ///
    /// The parts, the windows and the samples are read in separate read transactions (in
    /// parallel). On PostgreSQL they share one snapshot (``AccountingStore/readingOneSnapshot(_:)``).
    /// On SQLite an ingest that commits between them would make them disagree: the ledger's state
    /// is read before and after, and the data read again when it moved.
    public static func load(from store: AccountingStore, options: ReportOptions, providers: ProviderTable,
                            parts: Int = 2) throws -> ReportData {
        // Where the store shares one snapshot among its reads (PostgreSQL), the ledger never moves.
        try store.readingOneSnapshot { try loadAgreeing(from: store, options: options, providers: providers, parts: parts) }
    }

    private static func loadAgreeing(from store: AccountingStore, options: ReportOptions, providers: ProviderTable,
                                     parts: Int) throws -> ReportData {
        var attempt = 1
        while true {
            let before = try ledgerState(of: store)
            var data = try loadOnce(from: store, options: options, providers: providers, parts: parts)
            data.ledgerState = before
            if options.sections.contains(.selector) {
                data.receivers = try ReceiverComparison.load(from: store, options: options, window: data.window)
            }
            if try ledgerState(of: store) == before { return data }
            if attempt == readAttempts {
                data.readDuringIngest = true
                return data
            }
            attempt += 1
        }
    }

    private static func ledgerState(of store: AccountingStore) throws -> String? {
        try store.query(QueryCatalog.sql("ledger_state"), arguments: []).rows.first?.first?.string
    }

    private static func loadOnce(from store: AccountingStore, options: ReportOptions, providers: ProviderTable,
                                 parts: Int) throws -> ReportData {
        let newest = try store.newestRecord(mta: options.filters.mta)
        let minutesFrom = try store.minuteCountsFrom()
        let asked: TimeWindow
        if let window = options.window {
            asked = window
        } else {
            // The hour of the newest record; of the clock while there is none (never 1970).
            let end = floorDivide(newest > 0 ? newest : options.now, 3600) * 3600 + 3600
            asked = TimeWindow(from: end - 7 * 86400, to: end)
        }
        let plan = WindowPlan(window: asked, minutesFrom: minutesFrom)
        let window = plan.counted
        // Tens of thousands of names: read beside the counts, unless providers are numbered from them first.
        let namesRead = InBackground { try store.namesById() }
        // Naming every domain's provider takes a lookup per domain: only when providers are shown or filtered.
        let providersNeeded = options.sections.contains(.provider) || options.filters.provider != nil
        let numbering = ProviderNumbering(names: providersNeeded ? try namesRead.value() : [:], table: providers)
        let bucket = options.bucket ?? .default(for: window)
        let starts = bucketStarts(window: window, bucket: bucket, zone: options.zone)
        /// The groups of each dimension the output shows, in `tally`.
        func shown(in tally: ReportTally, limit: Int) throws -> [ReportOptions.GroupBy: [ReportTally.GroupID]] {
            let names = try namesRead.value()
            return Dictionary(uniqueKeysWithValues: ReportTally.groupDimensions.map { dimension in
                (dimension, ReportTally.top(tally.groups(dimension), limit: limit) {
                    groupNames($0, dimension, names: names, providers: numbering.names)
                })
            })
        }
        // Long series for every group of a long tail would grow with the data: when the report
        // shows only the top groups, a first pass finds them and only they keep a series.
        // Shown whole, a long window is read bucket by bucket (``forEachBucket``), keeping no series
        // at all; its whole-window tally is then read only when the output needs it (``ReportOptions/tallyWindow``).
        var seriesFor: [ReportOptions.GroupBy: Set<ReportTally.GroupID>]?
        let longWindow = starts.count > Self.seriesPassThreshold
        let bucketByBucket = longWindow && options.shownGroups == nil && options.top == nil && !options.groupSeries
        if bucketByBucket {
            seriesFor = Dictionary(uniqueKeysWithValues: ReportTally.groupDimensions.map { ($0, []) })
        } else if let limit = options.shownGroups, longWindow {
            let totals = try totals(store: store, options: options, window: window, minutesFrom: minutesFrom, parts: parts, providers: numbering,
                                    into: ReportTally(sections: options.sections))
            seriesFor = try shown(in: totals, limit: limit).mapValues(Set.init)
        }
        let wantedSeries = seriesFor
        let current = bucketByBucket && !options.tallyWindow ? ReportTally() : try tallyInParts(window, parts: parts) { part in
            var tally = ReportTally(sections: options.sections)
            tally.seriesFor = wantedSeries
            try add(store: store, options: options, window: part, minutesFrom: minutesFrom, bucket: bucket, providers: numbering, to: &tally)
            return tally
        }
        // The previous window only gives changes, and only to the groups shown: its tally
        // looks for those alone instead of building every group of the long tail again.
        var previous = ReportTally()
        if options.comparesWithPrevious {
            previous = try totals(store: store, options: options, window: WindowPlan(window: window.previous, minutesFrom: minutesFrom).counted,
                                  minutesFrom: minutesFrom, parts: parts, providers: numbering,
                                  into: try options.shownGroups.map { ReportTally(only: try shown(in: current, limit: $0)) } ?? ReportTally(sections: options.sections))
        }
        var samples: [FailureCause: [Sample]] = [:]
        let sampleRows = try store.query(QueryCatalog.sql("report_samples"), named: options.filters.arguments(window: window))
        for row in sampleRows.rows {
            guard let cause = row[0].int.flatMap(FailureCause.init(code:)) else { continue }
            samples[cause, default: []].append(Sample(detail: row[1].string ?? "", occurrences: row[2].int ?? 0, lastSeen: row[3].int ?? 0))
        }
        let misses = current.counts.total == 0 ? try filterMisses(store: store, filters: options.filters) : []
        return ReportData(options: options, window: window, windowSnapped: plan.snapped, minutesFrom: minutesFrom,
                          windowIsDefault: options.window == nil, bucket: bucket,
                          bucketStarts: starts, tally: current, groupSeriesKept: !bucketByBucket, previous: previous,
                          names: try namesRead.value(), providers: numbering,
                          samples: samples,
                          keySpans: options.filters.narrowBelowTheKey ? [:]
                              : Dictionary(try store.signingKeySpans().map { (ReportTally.GroupID($0.signingDomain, $0.selector), $0) },
                                           uniquingKeysWith: { first, _ in first }),
                          filterMisses: misses, newestRecord: newest)
    }

    /// A filter whose value is not in the database.
    public struct FilterMiss: Sendable, Equatable {
        /// The option, as `--selector`.
        public var option: String
        public var value: String
        /// Up to 10 values the database has, in alphabetical order.
        public var known: [String]
    }

    private static func filterMisses(store: AccountingStore, filters: ReportOptions.Filters) throws -> [FilterMiss] {
        let asked: [(option: String, filter: String, value: String?)] = [
            ("--domain", "domain", filters.domain.flatMap { DomainName.normalize($0) }),
            ("--signing-domain", "signing_domain", filters.signingDomain.flatMap { DomainName.normalize($0) }),
            ("--selector", "selector", filters.selector?.lowercased()), ("--vmta", "vmta", filters.vmta),
            ("--mta", "mta", filters.mta),
        ]
        return try asked.compactMap { option, filter, value in
            guard let value else { return nil }
            let rows = try store.query(QueryCatalog.sql("filter_values"), named: ["filter": .text(filter), "value": .text(value)]).rows
            guard !rows.contains(where: { $0.first?.int == 1 }) else { return nil }
            return FilterMiss(option: option, value: value, known: rows.compactMap { $0.count > 1 ? $0[1].string : nil })
        }
    }

    /// The window bucket by bucket, in order: a tally of each bucket's totals per group of `dimension`
    /// (no other dimension's groups). Memory holds one bucket, however long the window. Returns
    /// false when an ingest committed since the data was loaded: the buckets may then not agree
    /// with it, nor with each other.
    @discardableResult
    func forEachBucket(from store: AccountingStore, dimension: ReportOptions.GroupBy, parts: Int = 2,
                       _ body: (_ start: Int64, _ tally: ReportTally) throws -> Void) throws -> Bool {
        for (index, start) in bucketStarts.enumerated() {
            let end = index + 1 < bucketStarts.count ? bucketStarts[index + 1] : window.to
            let bucketWindow = TimeWindow(from: max(start, window.from), to: min(end, window.to))
            try body(start, try Self.totals(store: store, options: options, window: bucketWindow, minutesFrom: minutesFrom, parts: parts,
                                            providers: providers,
                                            into: ReportTally(sections: [dimension])))
        }
        return try Self.ledgerState(of: store) == ledgerState
    }

    /// Windows with more buckets than this get the top-groups first pass.
    static let seriesPassThreshold = 31

    /// Tallies a window read in hour-aligned parts, several at once on connections of the WAL
    /// database, each by `tallyPart`, and merges the parts' tallies in order.
    private static func tallyInParts(_ window: TimeWindow, parts: Int,
                                     _ tallyPart: @Sendable (TimeWindow) throws -> ReportTally) throws -> ReportTally {
        let pieces = window.parts(parts)
        let loaded = Locked([Result<ReportTally, Error>?](repeating: nil, count: pieces.count))
        DispatchQueue.concurrentPerform(iterations: pieces.count) { index in
            let result = Result { try tallyPart(pieces[index]) }
            loaded.withLock { $0[index] = result }
        }
        return ReportTally.merged(try loaded.withLock { $0 }.map { try $0!.get() }[...])
    }

    /// The window's totals (no series, no causes) added to copies of `empty` (which says the groups
    /// it keeps), read in parts.
    private static func totals(store: AccountingStore, options: ReportOptions, window: TimeWindow, minutesFrom: Int64, parts: Int,
                               providers: ProviderNumbering, into empty: ReportTally) throws -> ReportTally {
        try tallyInParts(window, parts: parts) { part in
            var tally = empty
            try add(store: store, options: options, window: part, minutesFrom: minutesFrom, bucket: nil, providers: providers, to: &tally)
            return tally
        }
    }

    /// Streams the window's counts into `tally`, segment by segment (``WindowPlan``). With
    /// `bucket` nil, only totals are kept. `window` is counted exactly (``WindowPlan/counted``).
    private static func add(store: AccountingStore, options: ReportOptions, window: TimeWindow, minutesFrom: Int64,
                            bucket: ReportOptions.Bucket?, providers: ProviderNumbering, to tally: inout ReportTally) throws {
        let wanted = options.filters.provider?.lowercased()
        let providerWanted = providers.names.map { wanted == nil || $0.lowercased() == wanted }
        let zone = options.zone
        let known = KnownCodes()
        // Rows come in hour order: each hour's bucket is worked out once.
        var bucketOf: (hour: Int64, start: Int64?) = (.min, nil)
        for segment in WindowPlan(window: window, minutesFrom: minutesFrom).segments {
            var arguments: [String: SQLValue]
            if let part = segment.minutes {
                arguments = options.filters.arguments(window: TimeWindow(from: part.hour, to: part.hour + 3600))
                (arguments["minute_first"], arguments["minute_end"]) = (.integer(Int64(part.minutes.lowerBound)), .integer(Int64(part.minutes.upperBound)))
            } else {
                arguments = options.filters.arguments(window: TimeWindow(from: segment.from, to: segment.to))
                (arguments["minute_first"], arguments["minute_end"]) = (.null, .null)
            }
            /// Streams the rows of `table` (report.sql's columns) that pass the filters, with their bucket and
            /// provider; for totals (no `bucket`), rows of one key may come summed (``AccountingStore/forEachTotal(in:named:_:)``).
            func forEachRow(_ table: CountsTable, _ body: (Row, _ bucket: Int64?, _ provider: Int64) -> Void) throws {
                func each(_ row: any RowReader) {
                    guard row.int(5) != 0 else { return }   // none of the hour's records in the minutes asked for
                    let codes = PackedCodes(value: row.int(6))
                    let row = Row(hour: row.int(0), type: codes[.type], rcptDomain: row.int(1), signingDomain: row.int(2),
                                  selector: row.int(3), result: codes[.result], cause: codes[.cause], vmta: row.int(4), mta: row.int(7),
                                  source: codes[.source], count: row.int(5), keySource: codes[.keySource])
                    // Codes this version does not know (a newer acctstat wrote them) are left out, not misread.
                    guard known.contains(row) else { return }
                    let provider = providers.id(ofDomain: row.rcptDomain, mx: codes[.mxProvider])
                    guard providerWanted[Int(provider)] else { return }
                    if let bucket, bucketOf.hour != row.hour {
                        bucketOf = (row.hour, bucket.start(of: row.hour, zone: zone))
                    }
                    body(row, bucket == nil ? nil : bucketOf.start, provider)
                }
                if bucket == nil {
                    try store.forEachTotal(in: table, named: arguments, each)
                } else {
                    try store.forEachCount(in: table, named: arguments, each)
                }
            }
            try forEachRow(.counts) { row, bucket, provider in tally.add(row, bucket: bucket, provider: provider) }
            if options.filters.selector != nil {
                // Filtered to a selector, the report counts that selector's signature verdicts throughout.
                try forEachRow(.otherSignatures) { row, bucket, provider in tally.add(row, bucket: bucket, provider: provider) }
            } else if tally.countsOtherSignatures {
                try forEachRow(.otherSignatures) { row, bucket, _ in tally.addOtherSignature(row, bucket: bucket) }
            }
        }
    }

    /// The starts of the buckets that cover `window`, on the wall clock of `zone`.
    static func bucketStarts(window: TimeWindow, bucket: ReportOptions.Bucket, zone: ReportTimeZone) -> [Int64] {
        var starts: [Int64] = []
        var cursor = bucket.start(of: window.from, zone: zone)
        while cursor < window.to {
            starts.append(cursor)
            // The next start is the first that differs, probed every half hour: no bucket is shorter
            // (DST makes days of 23 or 25 hours, and moves some clocks by 30 minutes).
            var probe = cursor
            var next = cursor
            while next <= cursor {
                probe += 1800
                next = bucket.start(of: probe, zone: zone)
            }
            cursor = next
        }
        return starts
    }

    /// When a selector group was first and last seen inside the window: to the second where its
    /// first or last record of all lies inside the window (``keySpans``), else at the window's
    /// edge or the bounds of its rows' minutes or hours, never after the newest record.
    func seenInWindow(_ id: ReportTally.GroupID, _ tally: ReportTally.GroupTally) -> (first: Int64, last: Int64) {
        var first = max(tally.firstSeen, window.from)
        var last = min(tally.lastSeen, window.to - 1, max(newestRecord, first))
        if let span = keySpans[id] {
            if span.firstSeen >= window.from && span.firstSeen < window.to { first = span.firstSeen }
            if span.lastSeen >= window.from && span.lastSeen < window.to { last = span.lastSeen }
        }
        return (first, last)
    }

    /// A group's key columns as names.
    func groupNames(_ id: ReportTally.GroupID, _ by: ReportOptions.GroupBy) -> [String?] {
        Self.groupNames(id, by, names: names, providers: providerNames)
    }

    static func groupNames(_ id: ReportTally.GroupID, _ by: ReportOptions.GroupBy, names: [Int64: String], providers: [String]) -> [String?] {
        func name(_ id: Int64) -> String? { id == 0 ? nil : names[id] }
        switch by {
        case .domain, .vmta, .mta: return [name(id.first)]
        case .selector: return [name(id.first), name(id.second)]
        case .provider: return [providers[Int(id.first)]]
        case .cause: return [DKIMResult(code: id.first)?.rawValue, FailureCause(code: id.second)?.rawValue]
        }
    }

    public func name(_ id: Int64) -> String? { id == 0 ? nil : names[id] }
}

/// Each domain's mailbox provider, numbered once per report, so every tally (both windows,
/// every part of them) gives a provider the same group id, and each domain is looked up once.
struct ProviderNumbering: Sendable {
    /// Provider names by provider id.
    let names: [String]
    /// Provider id by name id; ids without a name (0, or a name stored after the report began) are `other`.
    private let byNameId: [Int32]
    private let other: Int32
    /// Provider id by ``MailboxHost`` code (0: none, and codes this version does not know).
    private let byMX: [Int32]

    init(names: [Int64: String], table: ProviderTable) {
        var ids: [String: Int32] = [:]
        var list: [String] = []
        func id(of provider: String) -> Int32 {
            if let known = ids[provider] { return known }
            ids[provider] = Int32(list.count)
            list.append(provider)
            return Int32(list.count - 1)
        }
        other = id(of: table.provider(of: nil))
        var byMX = [Int32](repeating: -1, count: MailboxHost.byCode.count)
        for host in MailboxHost.allCases { byMX[Int(host.code)] = id(of: host.providerName) }
        self.byMX = byMX
        var byNameId = [Int32](repeating: other, count: Int((names.keys.max() ?? 0) + 1))
        for nameId in names.keys.sorted() where nameId > 0 {
            byNameId[Int(nameId)] = id(of: table.provider(of: names[nameId]))
        }
        self.byNameId = byNameId
        self.names = list
    }

    /// The provider of the receiving MX when the record named one (`mx`, a ``MailboxHost`` code),
    /// else the recipient domain's.
    func id(ofDomain domain: Int64, mx: Int = 0) -> Int64 {
        if mx > 0, mx < byMX.count, byMX[mx] >= 0 { return Int64(byMX[mx]) }
        return Int64(byNameId.indices.contains(Int(domain)) ? byNameId[Int(domain)] : other)
    }
}

/// Which stored codes this version knows, as flat tables read once per report rather than a lazy
/// global per row (five per row showed as 1.7% of a 7-day report in `swift_once`).
private struct KnownCodes {
    let types = RecordType.byCode.map { $0 != nil }
    let results = DKIMResult.byCode.map { $0 != nil }
    let causes = FailureCause.byCode.enumerated().map { $0.offset == 0 || $0.element != nil }   // 0 is "no cause"
    let sources = EvidenceSource.byCode.map { $0 != nil }
    let keySources = KeySource.byCode.map { $0 != nil }

    @inline(__always)
    func contains(_ row: ReportData.Row) -> Bool {
        known(types, row.type) && known(results, row.result) && known(causes, row.cause) && known(sources, row.source)
            && known(keySources, row.keySource)
    }

    @inline(__always)
    private func known(_ table: [Bool], _ code: Int) -> Bool { code >= 0 && code < table.count && table[code] }
}

/// A value worked out on a thread of its own while the caller goes on; ``value()`` waits for it.
/// Its own thread, not Dispatch's pool: a PostgreSQL read blocks its thread while the connection's
/// tasks run, and on 2 cores a third blocked pool thread stalled the report for a second until
/// Dispatch added one.
private final class InBackground<Value: Sendable>: @unchecked Sendable {
    private var result: Result<Value, Error>?
    private let done = DispatchSemaphore(value: 0)

    init(_ work: @escaping @Sendable () throws -> Value) {
        Thread {
            self.result = Result { try work() }
            self.done.signal()
        }.start()
    }

    func value() throws -> Value {
        done.wait()
        defer { done.signal() }   // the next call returns at once
        return try result!.get()
    }
}
