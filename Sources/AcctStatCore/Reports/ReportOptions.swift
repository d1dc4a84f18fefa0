/// What a report covers and how it groups: shared by `report`, `check` and the renderers.
public struct ReportOptions: Sendable {
    /// The grouping of `--by`.
    public enum GroupBy: String, CaseIterable, Sendable { case domain, selector, cause, provider, vmta, mta }

    /// The time buckets of trends.
    public enum Bucket: String, CaseIterable, Sendable {
        case hour, day, week

        /// The default: hourly up to 48 hours, daily beyond.
        public static func `default`(for window: TimeWindow) -> Bucket {
            window.seconds <= 48 * 3600 ? .hour : .day
        }

        /// The start of the bucket holding `instant`, on the wall clock of `zone` (weeks start on Monday).
        public func start(of instant: Int64, zone: ReportTimeZone) -> Int64 {
            switch self {
            case .hour:
                // Back to where the local hour began, with the offset in force: on the night clocks go
                // back, the repeated hour is a bucket of its own (a local time would name two instants).
                let local = instant + zone.offset(at: instant)
                return instant - (local - floorDivide(local, 3600) * 3600)
            case .day, .week:
                let localDays = floorDivide(instant + zone.offset(at: instant), 86400)
                let daysSinceMonday = ((localDays + 3) % 7 + 7) % 7   // 1970-01-01 was a Thursday
                let startDay = self == .day ? localDays : localDays - daysSinceMonday
                return zone.utcInstant(fromLocal: startDay * 86400)
            }
        }

        /// A bucket's start as short as its size allows: the date of a day or a week, else the time.
        func label(of start: Int64, zone: ReportTimeZone) -> String {
            let text = zone.iso(start)
            return self == .hour ? text : String(text.prefix(10))
        }
    }

    /// Filters; nil means no filter.
    public struct Filters: Sendable, Equatable {
        public var domain: String?
        public var signingDomain: String?
        public var selector: String?
        public var vmta: String?
        /// The PowerMTA host (`--mta`), as stored (``MTAName/normalized(_:)``).
        public var mta: String?
        public var types: [RecordType]?
        public var provider: String?

        public init(domain: String? = nil, signingDomain: String? = nil, selector: String? = nil, vmta: String? = nil,
                    mta: String? = nil, types: [RecordType]? = nil, provider: String? = nil) {
            self.domain = domain
            self.signingDomain = signingDomain
            self.selector = selector
            self.vmta = vmta
            self.mta = mta.map(MTAName.lookup)
            self.types = types
            self.provider = provider
        }

        /// True when the filters keep only some of a signing key's records (a recipient domain,
        /// vmta, host, record type or provider): the key's own first and last record (`selector_seen`)
        /// then need not be any of the rows reported.
        var narrowBelowTheKey: Bool {
            domain != nil || vmta != nil || mta != nil || types != nil || provider != nil
        }

        /// The named arguments of the report queries.
        func arguments(window: TimeWindow) -> [String: SQLValue] {
            func text(_ value: String?) -> SQLValue { value.map { .text($0) } ?? .null }
            return [
                "from": .integer(window.from), "to": .integer(window.to),
                "domain": text(domain.flatMap { DomainName.normalize($0) }),
                "signing_domain": text(signingDomain.flatMap { DomainName.normalize($0) }),
                "selector": text(selector?.lowercased()), "vmta": text(vmta), "mta": text(mta),
                "types": text(types.map { "," + $0.map { String($0.code) }.joined(separator: ",") + "," }),
            ]
        }
    }

    /// The window asked for; nil means "the 7 days that end at the newest data".
    public var window: TimeWindow?
    public var zone: ReportTimeZone
    public var bucket: Bucket?
    public var by: GroupBy?
    public var filters = Filters()
    public var top: Int?
    /// How many groups per section the output shows (the biggest by volume); nil for all
    /// (CSV and JSON without `--top`). Long windows keep per-bucket series, and the previous
    /// window keeps totals, only for those.
    public var shownGroups: Int?
    /// Whether the output compares with the window of the same length before this one (the
    /// table's and the HTML page's changes). When false, the previous window is not read.
    public var comparesWithPrevious = true
    /// Whether every group keeps a per-bucket series when the window has more than 31 buckets and
    /// ``shownGroups`` is nil. CSV and JSON set it false: they read such a window bucket by bucket
    /// instead (``ReportData/forEachBucket(from:dimension:parts:_:)``), so memory does not grow with it.
    public var groupSeries = true
    /// Whether the output needs the whole window's tally (totals, causes, series). CSV and JSON rows
    /// of a group dimension set it false: a long window they read bucket by bucket is then read once,
    /// not first whole and then again by bucket. (A window of up to 31 buckets is still tallied:
    /// its rows come from the series.)
    public var tallyWindow = true
    /// The sections the output shows: only their dimensions' groups are tallied (``GroupBy/cause``
    /// is the causes section), the totals always are. Every section by default.
    public var sections = Set(GroupBy.allCases)
    /// The clock, fixed in tests.
    public var now: Int64
    /// Keys of the PowerMTA configuration (`--pmta-config`), to mark selectors that no key has.
    public var configuredKeys: Set<String>?

    /// `domain/selector`, the form of ``configuredKeys``.
    public static func keyName(domain: String, selector: String) -> String { domain + "/" + selector }

    public init(window: TimeWindow? = nil, zone: ReportTimeZone, now: Int64) {
        self.window = window
        self.zone = zone
        self.now = now
    }
}

/// What a report is read for, which decides how it is read (``ReportOptions/read(for:)``).
public enum ReportOutput: Sendable {
    /// The table or the HTML page: the top groups (`--top`, else 10) of these sections, with
    /// trends and changes against the previous window.
    case page(sections: [ReportOptions.GroupBy])
    /// CSV or JSON rows of one dimension: every bucket of every group, or of the `--top` ones.
    case rows(ReportOptions.GroupBy)
    /// One line of totals (`check`).
    case totals
}

extension ReportOptions {
    /// Sets how the report is read for `output` (after ``top`` is set): ``shownGroups``,
    /// ``comparesWithPrevious``, ``groupSeries``, ``tallyWindow`` and ``sections``.
    public mutating func read(for output: ReportOutput) {
        switch output {
        case .page(let shown):
            shownGroups = top ?? 10
            (comparesWithPrevious, groupSeries, tallyWindow) = (true, true, true)
            sections = Set(shown)
        case .rows(let dimension):
            shownGroups = top
            (comparesWithPrevious, groupSeries, tallyWindow) = (false, false, dimension == .cause)
            sections = [dimension]
        case .totals:
            shownGroups = nil
            (comparesWithPrevious, groupSeries, tallyWindow) = (false, false, true)
            sections = []
        }
    }
}
