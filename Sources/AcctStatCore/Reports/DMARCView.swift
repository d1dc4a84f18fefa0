/// `acctstat dmarc`: what receivers reported in their DMARC aggregate reports.
///
/// Every number here is the receivers' evidence, never the logs': messages are what a report
/// says it saw; DKIM pass and fail count signature verdicts (a message signed twice counts for
/// each signature); the aligned DKIM pass rate is the share of messages whose DMARC evaluation of
/// DKIM passed (an aligned signature verified). A report counts by its date range's begin.
public struct DMARCView: Sendable {
    /// Filters; nil for all. Compared case-insensitively.
    public struct Filters: Sendable {
        public var signingDomain: String?
        public var selector: String?
        public var reporter: String?
        public var headerFrom: String?

        public init(signingDomain: String? = nil, selector: String? = nil, reporter: String? = nil, headerFrom: String? = nil) {
            self.signingDomain = signingDomain
            self.selector = selector
            self.reporter = reporter
            self.headerFrom = headerFrom
        }

        var any: Bool { signingDomain != nil || selector != nil || reporter != nil || headerFrom != nil }
    }

    /// One report record and one of its DKIM signatures (none: the signature's fields are nil).
    public struct Row: Sendable, Equatable {
        public var begin: Int64
        public var end: Int64
        public var reporter: String
        public var reportId: String
        public var sourceIP: String
        public var headerFrom: String
        public var disposition: String
        public var dmarcDKIM: String
        public var dmarcSPF: String
        public var signingDomain: String?
        public var selector: String?
        public var dkimResult: String?
        public var count: Int64
        /// The stored record it belongs to: a record with two signatures gives two rows.
        var record: Int64
    }

    /// What one reporter said of one signing domain and selector (nil domain: records without a DKIM result).
    public struct Group: Sendable, Equatable {
        public var reporter: String
        public var signingDomain: String?
        public var selector: String?
        /// Messages carrying this signature.
        public var messages: Int64 = 0
        public var dkimPass: Int64 = 0
        public var dkimFail: Int64 = 0
        /// Messages whose DMARC evaluation of DKIM passed.
        public var alignedPass: Int64 = 0
        public var dispositions: [String: Int64] = [:]
        /// Messages and aligned passes per day of the window (in the view's zone), oldest first.
        public var days: [(messages: Int64, alignedPass: Int64)] = []

        public var alignedRate: Double? { messages > 0 ? Double(alignedPass) / Double(messages) : nil }

        public static func == (lhs: Group, rhs: Group) -> Bool {
            lhs.reporter == rhs.reporter && lhs.signingDomain == rhs.signingDomain && lhs.selector == rhs.selector
                && lhs.messages == rhs.messages && lhs.dkimPass == rhs.dkimPass && lhs.dkimFail == rhs.dkimFail
                && lhs.alignedPass == rhs.alignedPass && lhs.dispositions == rhs.dispositions
                && lhs.days.map(\.messages) == rhs.days.map(\.messages) && lhs.days.map(\.alignedPass) == rhs.days.map(\.alignedPass)
        }
    }

    /// Messages from one source IP that is not the sender's own.
    public struct ForeignSource: Sendable, Equatable {
        public var sourceIP: String
        public var messages: Int64
        public var alignedPass: Int64
        public var reporters: [String]
        public var headerFroms: [String]
    }

    public static let columns = ["begin", "end", "reporter", "report_id", "source_ip", "header_from", "disposition", "dmarc_dkim",
                                 "dmarc_spf", "signing_domain", "selector", "dkim_result", "count"]

    public let window: TimeWindow
    public let zone: ReportTimeZone
    public let rows: [Row]
    /// The sender's own addresses: the configuration's `smtp-source-host`s and the logs' `dlvSourceIp`s.
    public let ownIPs: Set<String>
    /// The end of the newest report's date range, of all reports (UTC epoch seconds; 0 when there is none).
    public let newestReportEnd: Int64

    /// Reads the reports whose date range begins in `window` (default: the 7 days that end with
    /// the newest report's date range). `configuredIPs` are own addresses from the PowerMTA configuration.
    public static func load(from store: AccountingStore, window: TimeWindow?, zone: ReportTimeZone, filters: Filters = Filters(),
                            configuredIPs: [String] = []) throws -> DMARCView {
        let newest = try store.query(QueryCatalog.sql("dmarc_newest"), arguments: []).rows.first?.first?.int ?? 0
        let window = window ?? TimeWindow(from: newest - 7 * 86400, to: newest)
        func optional(_ text: String?) -> SQLValue { text.map { .text($0.trimmingCharacters(in: .whitespaces)) } ?? .null }
        var rows: [Row] = []
        try store.forEachRow(QueryCatalog.sql("dmarc"), named: [
            "from": .integer(window.from), "to": .integer(window.to), "reporter": optional(filters.reporter),
            "header_from": optional(filters.headerFrom), "signing_domain": optional(filters.signingDomain),
            "selector": optional(filters.selector),
        ]) { row in
            rows.append(Row(begin: row.int(0), end: row.int(1), reporter: row.string(2) ?? "", reportId: row.string(3) ?? "",
                            sourceIP: row.string(4) ?? "", headerFrom: row.string(5) ?? "", disposition: row.string(6) ?? "",
                            dmarcDKIM: row.string(7) ?? "", dmarcSPF: row.string(8) ?? "", signingDomain: row.string(9),
                            selector: row.string(10), dkimResult: row.string(11), count: row.int(12), record: row.int(13)))
        }
        var own = Set(configuredIPs.map { $0.lowercased() })
        try store.forEachRow(QueryCatalog.sql("source_ips"), named: [:]) { row in
            if let ip = row.string(0) { own.insert(ip) }
        }
        return DMARCView(window: window, zone: zone, rows: rows, ownIPs: own, newestReportEnd: newest)
    }

    /// The days of the window on the zone's wall clock: each day's start (UTC epoch seconds).
    var dayStarts: [Int64] {
        var starts: [Int64] = []
        var day = zone.startOfDay(containing: window.from)
        while day < window.to, starts.count < 366 {
            starts.append(day)
            day = zone.startOfDay(containing: day + 36 * 3600)
        }
        return starts
    }

    /// Per reporter, signing domain and selector, in that order, case-insensitively (records without a DKIM result last in their reporter's).
    public var groups: [Group] {
        let starts = dayStarts
        var groups: [String: Group] = [:]
        for row in rows {
            let key = [row.reporter, row.signingDomain ?? "\u{10FFFF}", row.selector ?? ""].joined(separator: "\u{0}")
            var group = groups[key] ?? Group(reporter: row.reporter, signingDomain: row.signingDomain, selector: row.selector,
                                             days: Array(repeating: (0, 0), count: starts.count))
            let aligned = row.dmarcDKIM == "pass" ? row.count : 0
            group.messages += row.count
            group.alignedPass += aligned
            if row.dkimResult == "pass" { group.dkimPass += row.count }
            if row.dkimResult == "fail" { group.dkimFail += row.count }
            group.dispositions[row.disposition, default: 0] += row.count
            if let day = starts.lastIndex(where: { $0 <= row.begin }) {
                group.days[day].messages += row.count
                group.days[day].alignedPass += aligned
            }
            groups[key] = group
        }
        return groups.sorted { ($0.key.lowercased(), $0.key) < ($1.key.lowercased(), $1.key) }.map(\.value)
    }

    /// Each record once (not once per signature): its report, source IP, header_from, disposition, DMARC results and count.
    var records: [Row] {
        var seen = Set<Int64>()
        return rows.filter { seen.insert($0.record).inserted }
    }

    /// Messages from addresses that are not the sender's own; empty when no own address is known.
    public var foreignSources: [ForeignSource] {
        guard !ownIPs.isEmpty else { return [] }
        var sources: [String: ForeignSource] = [:]
        for record in records where !ownIPs.contains(record.sourceIP) {
            var source = sources[record.sourceIP] ?? ForeignSource(sourceIP: record.sourceIP, messages: 0, alignedPass: 0,
                                                                   reporters: [], headerFroms: [])
            source.messages += record.count
            if record.dmarcDKIM == "pass" { source.alignedPass += record.count }
            if !source.reporters.contains(record.reporter) { source.reporters.append(record.reporter) }
            if !source.headerFroms.contains(record.headerFrom) { source.headerFroms.append(record.headerFrom) }
            sources[record.sourceIP] = source
        }
        return sources.values.sorted { $0.messages != $1.messages ? $0.messages > $1.messages : $0.sourceIP < $1.sourceIP }
    }

    // MARK: - Output

    /// The CSV and JSON rows, times in the zone.
    func values(_ row: Row) -> [JSONValue] {
        [.string(zone.iso(row.begin)), .string(zone.iso(row.end)), .string(row.reporter), .string(row.reportId), .string(row.sourceIP),
         .string(row.headerFrom), .string(row.disposition), .string(row.dmarcDKIM), .string(row.dmarcSPF),
         row.signingDomain.map(JSONValue.string) ?? .null, row.selector.map(JSONValue.string) ?? .null,
         row.dkimResult.map(JSONValue.string) ?? .null, .int(row.count)]
    }

    public func csv() -> String {
        CSVWriter.table(Self.columns, rows.map(values))
    }

    public func json() -> String {
        JSONValue.object([
            ("from", .string(zone.iso(window.from))), ("to", .string(zone.iso(window.to))), ("tz", .string(zone.name)),
            ("own_ips_known", .bool(!ownIPs.isEmpty)),
            ("rows", .array(rows.map { .object(Array(zip(Self.columns, values($0)))) })),
            ("not_from_your_hosts", .array(foreignSources.map { source in
                .object([("source_ip", .string(source.sourceIP)), ("messages", .int(source.messages)),
                         ("aligned_dkim_pass", .int(source.alignedPass)),
                         ("reporters", .array(source.reporters.map(JSONValue.string))),
                         ("header_from", .array(source.headerFroms.map(JSONValue.string)))])
            })),
        ]).pretty()
    }

    public func table(style: TerminalStyle) -> String {
        let reports = Set(rows.map { [$0.reporter, $0.reportId] }).count
        let reporters = Set(rows.map(\.reporter)).count
        var text = style.bold("DMARC aggregate reports") + " beginning \(zone.iso(window.from)) to \(zone.iso(window.to)) (\(zone.name)): "
            + "\(Readable.count(Int64(reports), "report")) from \(Readable.count(Int64(reporters), "reporter")), "
            + "\(Readable.count(records.reduce(0) { $0 + $1.count }, "message"))\n"
        guard !rows.isEmpty else {
            return text + "No DMARC aggregate report in the window. Reports reach the address in your DMARC record's rua= tag; "
                + "ingest them with 'acctstat ingest /var/mail/dmarc'.\n"
        }
        text += "The receivers' evidence: MESSAGES and DKIM PASS/FAIL count signatures as reported; ALIGNED is the share of messages "
            + "whose DMARC DKIM result passed.\n"
        let starts = dayStarts
        var table = TextTable(headers: ["REPORTER", "SIGNING DOMAIN", "SELECTOR", "MESSAGES", "DKIM PASS", "DKIM FAIL", "ALIGNED",
                                        "NONE", "QUARANTINE", "REJECT", "TREND"],
                              alignments: [.left, .left, .left, .right, .right, .right, .right, .right, .right, .right, .left],
                              priorities: [100, 99, 98, 97, 80, 90, 95, 60, 70, 75, 50])
        for group in groups {
            let trend = style.sparkline(group.days.map { $0.messages > 0 ? Double($0.alignedPass) / Double($0.messages) : nil })
            table.rows.append([group.reporter, group.signingDomain ?? "(no DKIM result)", group.selector.map { $0.isEmpty ? "-" : $0 } ?? "",
                               grouped(group.messages), grouped(group.dkimPass), grouped(group.dkimFail),
                               style.rate(Readable.rate(group.alignedRate), group.alignedRate),
                               grouped(group.dispositions["none"] ?? 0), grouped(group.dispositions["quarantine"] ?? 0),
                               grouped(group.dispositions["reject"] ?? 0), trend])
        }
        text += table.rendered(width: style.width)
        text += "\n" + style.bold("Per day") + " (report begin, \(zone.name)), all reporters:\n"
        var daily = TextTable(headers: ["DAY", "MESSAGES", "DKIM PASS", "DKIM FAIL", "ALIGNED"],
                              alignments: [.left, .right, .right, .right, .right])
        for (index, start) in starts.enumerated() {
            let end = index + 1 < starts.count ? starts[index + 1] : window.to
            let dayRows = rows.filter { $0.begin >= start && $0.begin < end }
            let dayRecords = records.filter { $0.begin >= start && $0.begin < end }
            guard !dayRecords.isEmpty else { continue }
            let messages = dayRecords.reduce(0) { $0 + $1.count }
            let aligned = dayRecords.reduce(0) { $0 + ($1.dmarcDKIM == "pass" ? $1.count : 0) }
            let rate = messages > 0 ? Double(aligned) / Double(messages) : nil
            daily.rows.append([String(zone.iso(start).prefix(10)), grouped(messages),
                               grouped(dayRows.reduce(0) { $0 + ($1.dkimResult == "pass" ? $1.count : 0) }),
                               grouped(dayRows.reduce(0) { $0 + ($1.dkimResult == "fail" ? $1.count : 0) }),
                               style.rate(Readable.rate(rate), rate)])
        }
        text += daily.rendered(width: style.width)
        text += "\n" + foreignSourcesText(style: style)
        return text
    }

    /// The "not from your hosts" lines.
    func foreignSourcesText(style: TerminalStyle) -> String {
        guard !ownIPs.isEmpty else {
            return "Not from your hosts: unknown, no own address is known yet (ingest accounting logs with a dlvSourceIp column, "
                + "or pass --pmta-config with smtp-source-host lines).\n"
        }
        let sources = foreignSources
        guard !sources.isEmpty else { return "Not from your hosts: none; every reported source IP is one of your \(ownIPs.count) addresses.\n" }
        let messages = sources.reduce(0) { $0 + $1.messages }
        var text = (style.ascii ? "WARNING: " : "⚠ ") + "Not from your hosts: \(Readable.count(messages, "message")) from "
            + "\(Readable.count(Int64(sources.count), "source IP")) that are not yours (spoofing, or a sender you forgot?):\n"
        for source in sources.prefix(10) {
            text += "  \(source.sourceIP): \(Readable.count(source.messages, "message")), \(grouped(source.alignedPass)) DKIM-aligned, "
                + "From: \(source.headerFroms.joined(separator: ", ")); reported by \(source.reporters.joined(separator: ", "))\n"
        }
        if sources.count > 10 { text += "  … and \(sources.count - 10) more (--format json lists them all)\n" }
        return text
    }
}
