/// The logs beside the receivers: per signing domain, selector and day, what the accounting logs
/// delivered and their verdicts' pass rate, against the messages receivers' DMARC aggregate
/// reports say carried the signature and the share of them that verified.
///
/// Two kinds of evidence, never mixed into one rate: each side keeps its own. The gap is
/// delivered minus reported: mail to receivers that send no reports, or (when negative) mail
/// signed with the selector that the logs never saw leave (another sender, or forwarding).
/// Days are the report's zone's; a report counts on the day its date range begins.
public struct ReceiverComparison: Sendable, Equatable {
    public struct Day: Sendable, Equatable {
        public var start: Int64
        public var delivered: Int64 = 0
        public var logsPass: Int64 = 0
        public var logsVerdicts: Int64 = 0
        public var reported: Int64 = 0
        public var reportedPass: Int64 = 0

        public var logsPassRate: Double? { logsVerdicts > 0 ? Double(logsPass) / Double(logsVerdicts) : nil }
        public var reportedPassRate: Double? { reported > 0 ? Double(reportedPass) / Double(reported) : nil }
        public var gap: Int64 { delivered - reported }
    }

    public struct Selector: Sendable, Equatable {
        public var signingDomain: String
        public var selector: String
        /// Days with reported messages, oldest first.
        public var days: [Day]
    }

    /// Selectors the reports name in the window, by signing domain and selector.
    public var selectors: [Selector] = []

    /// Loads the comparison for the report's window; empty when no report begins in it, or when a
    /// filter the reports cannot follow (recipient domain, provider, vmta, mta, record type) is set.
    static func load(from store: AccountingStore, options: ReportOptions, window: TimeWindow) throws -> ReceiverComparison {
        let filters = options.filters
        guard filters.domain == nil, filters.provider == nil, filters.vmta == nil, filters.mta == nil, filters.types == nil else { return ReceiverComparison() }
        let zone = options.zone
        func wanted(_ domain: String, _ selector: String) -> Bool {
            (filters.signingDomain.map { $0.lowercased() == domain } ?? true) && (filters.selector.map { $0.lowercased() == selector } ?? true)
        }
        var days: [String: [Int64: Day]] = [:]
        try store.forEachRow(QueryCatalog.sql("receivers_reported"), named: ["from": .integer(window.from), "to": .integer(window.to)]) { row in
            let domain = row.string(1) ?? "", selector = row.string(2) ?? ""
            guard wanted(domain, selector) else { return }
            let start = zone.startOfDay(containing: row.int(0))
            days[ReportOptions.keyName(domain: domain, selector: selector), default: [:]][start, default: Day(start: start)].reported += row.int(3)
            days[ReportOptions.keyName(domain: domain, selector: selector)]![start]!.reportedPass += row.int(4)
        }
        guard !days.isEmpty else { return ReceiverComparison() }
        try store.forEachRow(QueryCatalog.sql("receivers_logs"), named: [
            "first_hour": .integer(floorDivide(window.from, 3600) * 3600), "end_hour": .integer(floorDivide(window.to + 3599, 3600) * 3600),
            "delivered": .integer(RecordType.delivered.code), "pass": .integer(DKIMResult.pass.code),
            "unknown": .integer(DKIMResult.unknown.code), "reply": .integer(EvidenceSource.reply.code),
        ]) { row in
            let key = ReportOptions.keyName(domain: row.string(1) ?? "", selector: row.string(2) ?? "")
            let start = zone.startOfDay(containing: row.int(0))
            guard days[key]?[start] != nil else { return }
            days[key]![start]!.delivered += row.int(3)
            days[key]![start]!.logsPass += row.int(4)
            days[key]![start]!.logsVerdicts += row.int(5)
        }
        return ReceiverComparison(selectors: days.keys.sorted().map { key in
            let parts = key.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            return Selector(signingDomain: parts[0], selector: parts.count > 1 ? parts[1] : "",
                            days: days[key]!.values.sorted { $0.start < $1.start })
        })
    }

    /// The sentence that says what the two sides are.
    static let explanation = "DELIVERED and LOGS RATE come from the accounting logs (delivered signatures; pass ÷ verdicts); "
        + "REPORTED and RECEIVERS' RATE from receivers' DMARC aggregate reports (messages carrying the signature; share verified), "
        + "on the day each report begins. GAP is delivered minus reported: mail to receivers that send no reports, "
        + "or, below zero, mail with this selector the logs never saw leave."
}
