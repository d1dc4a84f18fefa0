/// `report --format csv|json`: one row per bucket of one group. A public interface; see the README.
public enum ReportRowsRenderer {
    static let resultColumns = ["total", "pass", "fail", "neutral", "policy", "temperror", "permerror", "none", "unknown", "rejected",
                                "pass_rate", "rejected_rate"]

    public static func columns(_ by: ReportOptions.GroupBy) -> [String] {
        switch by {
        case .domain: ["bucket_start", "rcpt_domain"] + resultColumns
        case .selector: ["bucket_start", "signing_domain", "selector"] + resultColumns
        case .provider: ["bucket_start", "provider"] + resultColumns
        case .vmta: ["bucket_start", "vmta"] + resultColumns
        case .mta: ["bucket_start", "mta"] + resultColumns
        case .cause: ["bucket_start", "result", "cause", "count"]
        }
    }

    /// The CSV as one text.
    public static func csv(_ report: Report, by: ReportOptions.GroupBy, store: AccountingStore) throws -> String {
        try OutputFile.text { try writeCSV(report, by: by, store: store, to: $0) }
    }

    /// The JSON as one text.
    public static func json(_ report: Report, by: ReportOptions.GroupBy, store: AccountingStore) throws -> String {
        try OutputFile.text { try writeJSON(report, by: by, store: store, to: $0) }
    }

    /// Writes the CSV a row at a time: a long window of every group is millions of rows.
    /// Returns false when rows read while writing may not agree with the report (``forEachRow(_:by:store:_:)``).
    @discardableResult
    public static func writeCSV(_ report: Report, by: ReportOptions.GroupBy, store: AccountingStore, to write: (String) throws -> Void) throws -> Bool {
        var lines = CSVLines()
        lines.line(columns(by))
        let agree = try forEachRow(report, by: by, store: store) { row in
            row.write(to: &lines)
            try lines.write(to: write)
        }
        try lines.write(to: write, ifOver: 0)
        return agree
    }

    /// Writes the JSON a row at a time, as `JSONValue.pretty()` would print it whole.
    /// Returns false when rows read while writing may not agree with the report (``forEachRow(_:by:store:_:)``).
    @discardableResult
    public static func writeJSON(_ report: Report, by: ReportOptions.GroupBy, store: AccountingStore, to write: (String) throws -> Void) throws -> Bool {
        var agree = true
        let data = report.data
        let zone = data.options.zone
        let filters = data.options.filters
        var options: [(String, JSONValue)] = [("by", .string(by.rawValue)), ("bucket", .string(data.bucket.rawValue))]
        options.append(("top", data.options.top.map { .int(Int64($0)) } ?? .null))
        for (name, value) in [("domain", filters.domain), ("signing_domain", filters.signingDomain), ("selector", filters.selector),
                              ("vmta", filters.vmta), ("mta", filters.mta), ("provider", filters.provider)] {
            options.append((name, value.map { .string($0) } ?? .null))
        }
        options.append(("type", filters.types.map { .array($0.map { .string($0.rawValue) }) } ?? .null))
        let names = columns(by)
        try JSONValue.writePretty([
            ("window", .object([("from", .string(zone.iso(data.window.from))), ("to", .string(zone.iso(data.window.to))),
                                ("default", .bool(data.windowIsDefault)),
                                // False when an end was older than the minute counts and snapped to a whole hour.
                                ("exact_to_the_minute", .bool(!data.windowSnapped))])),
            ("tz", .string(zone.name)),
            ("newest_record", data.newestRecord > 0 ? .string(zone.iso(data.newestRecord)) : .null),
            ("options", .object(options)),
        ], then: "rows", to: write) { append in
            agree = try forEachRow(report, by: by, store: store) { try append(Row.JSONObject(names: names, row: $0)) }
        }
        return agree
    }

    /// The rows in order of bucket, then group name (the `--top` biggest groups when given).
    /// Group rows are read from `store` a bucket at a time, so no series of every group is held.
    /// Returns false when a long window's buckets, read from `store` as they are written, were read
    /// after an ingest committed (``ReportData/forEachBucket(from:dimension:parts:_:)``).
    @discardableResult
    static func forEachRow(_ report: Report, by: ReportOptions.GroupBy, store: AccountingStore, _ body: (Row) throws -> Void) throws -> Bool {
        let data = report.data
        let zone = data.options.zone
        if by == .cause {
            var rows: [Row] = []
            for cause in report.causes() {
                for (bucket, results) in cause.buckets {
                    for (result, count) in results.occurredWords {
                        rows.append(Row(bucket: zone.iso(bucket), key: [result, cause.cause.rawValue], values: .count(count)))
                    }
                }
            }
            for row in rows.sorted(by: { lhs, rhs in lhs.sortKey.lexicographicallyPrecedes(rhs.sortKey) }) { try body(row) }
            return true
        }
        guard data.groupSeriesKept else {
            // A long window of every group, read and written a bucket at a time. Nothing tallies
            // the whole window (it would be a second read), so each bucket's groups are put in
            // name order by the rank of every stored name, and their key columns made once.
            let order = GroupNameOrder(data, by: by)
            var keys = FastMap<ReportTally.GroupID, [String?]>()
            return try data.forEachBucket(from: store, dimension: by) { start, tally in
                let bucket = zone.iso(start)
                // Each group's place is looked up once, not in every comparison of the sort.
                let groups = tally.groups(by).filter { $0.1.counts.total > 0 }.map { (place: order.place($0.0), id: $0.0, counts: $0.1.counts) }
                for group in groups.sorted(by: { $0.place < $1.place }) {
                    try body(Row(bucket: bucket, key: keys.update(group.id, default: data.groupNames(group.id, by)) { $0 }, values: .counts(group.counts)))
                }
            }
        }
        // The groups of the whole window (the `--top` ones when given), in name order, once; their
        // key columns are made once too.
        let window = data.tally.groups(by)
        let shown = data.options.top.map { limit in ReportTally.top(window, limit: limit) { data.groupNames($0, by) } } ?? Array(window.keys)
        let named = shown.map { (id: $0, key: data.groupNames($0, by)) }
            .sorted { $0.key.map { $0 ?? "" }.lexicographicallyPrecedes($1.key.map { $0 ?? "" }) }
        let keys = named.map(\.key)
        // Each group's series is in bucket order: walk the buckets once, with a cursor per group.
        let series = named.map { window[$0.id]?.series ?? [] }
        var starts = Set(data.bucketStarts)
        for entries in series { starts.formUnion(entries.lazy.map(\.start)) }
        var cursors = [Int](repeating: 0, count: series.count)
        for start in starts.sorted() {
            let bucket = zone.iso(start)
            for rank in series.indices {
                let cursor = cursors[rank]
                guard cursor < series[rank].count, series[rank][cursor].start == start else { continue }
                cursors[rank] = cursor + 1
                let counts = series[rank][cursor].counts
                if counts.total > 0 { try body(Row(bucket: bucket, key: keys[rank], values: .counts(counts))) }
            }
        }
        return true
    }

    /// One row: a bucket's start, the group's key columns (or a cause's result and cause), then
    /// the group's counts (or the cause's count). Written straight to CSV: outputs run to millions of rows.
    struct Row {
        enum Values {
            case counts(ResultCounts)
            case count(Int64)
        }

        var bucket: String
        var key: [String?]
        var values: Values

        /// The row as a JSON object of the columns `names`: unknown names are null, as is the pass
        /// rate of no verdicts. Written straight to bytes: a long window is millions of rows.
        struct JSONObject: JSONWritable {
            let names: [String]
            let row: Row

            func write(into output: inout OutputBytes, pretty: Bool, level: Int) {
                JSONValue.writeObject(keys: names, into: &output, pretty: pretty, level: level) { index, output in
                    let valuesStart = 1 + row.key.count
                    if index == 0 {
                        JSONValue.appendQuoted(row.bucket, to: &output)
                    } else if index < valuesStart {
                        JSONValue.appendQuotedOrNull(row.key[index - 1], to: &output)
                    } else {
                        switch row.values {
                        case .count(let count): output.append(decimal: count)
                        case .counts(let counts):
                            // total, a column per result, rejected, pass_rate, rejected_rate (as in the CSV line)
                            let column = index - valuesStart, results = DKIMResult.allCases.count
                            if column == 0 {
                                output.append(decimal: counts.total)
                            } else if column <= results {
                                output.append(decimal: counts[DKIMResult.allCases[column - 1]])
                            } else if column == results + 1 {
                                output.append(decimal: counts.rejected)
                            } else {
                                Row.rate(column == results + 2 ? counts.passRate : counts.rejectedRate)
                                    .write(into: &output, pretty: pretty, level: level + 1)
                            }
                        }
                    }
                }
            }
        }

        /// The line of the CSV: the values of ``JSONObject`` as plain text.
        func write(to lines: inout CSVLines) {
            lines.field(bucket)
            for name in key { lines.field(name) }
            switch values {
            case .counts(let counts):
                lines.field(counts.total)
                for result in DKIMResult.allCases { lines.field(counts[result]) }
                lines.field(counts.rejected)
                lines.field(Self.rate(counts.passRate))
                lines.field(Self.rate(counts.rejectedRate))
            case .count(let count):
                lines.field(count)
            }
            lines.endLine()
        }

        fileprivate var sortKey: [String] { [bucket] + key.map { $0 ?? "" } }

        /// `pass_rate`, `rejected_rate`: 4 decimals, null (an empty CSV field) when there is none.
        private static func rate(_ rate: Double?) -> JSONValue {
            rate.map { .double($0, decimals: 4) } ?? .null
        }
    }
}

/// Groups in the order of their key columns' names, as the rows list them (an unknown name, as
/// an empty one, first), decided from every stored name rather than from a window's groups.
private struct GroupNameOrder {
    /// Position of each name (by name id, or by provider id) among all names, in `String` order.
    private let rank: [Int64: Int]

    init(_ data: ReportData, by: ReportOptions.GroupBy) {
        let named: [(id: Int64, name: String)] = by == .provider
            ? data.providerNames.enumerated().map { (Int64($0.offset), $0.element) }
            : data.names.map { ($0.key, $0.value) }
        var rank: [Int64: Int] = [:]
        for (position, entry) in named.sorted(by: { $0.name < $1.name }).enumerated() { rank[entry.id] = position }
        self.rank = rank
    }

    /// Where a group goes: groups sort by this, as `(Int, Int)` tuples compare.
    func place(_ id: ReportTally.GroupID) -> (Int, Int) {
        (position(id.first), position(id.second))
    }

    private func position(_ id: Int64) -> Int { rank[id] ?? -1 }
}
