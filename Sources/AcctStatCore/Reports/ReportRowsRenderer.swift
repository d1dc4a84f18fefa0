/// `report --format csv|json`: one row per bucket of one group. A public interface; see the README.
public enum ReportRowsRenderer {
    static let resultColumns = ["total", "pass", "fail", "neutral", "policy", "temperror", "permerror", "none", "unknown", "pass_rate"]

    public static func columns(_ by: ReportOptions.GroupBy) -> [String] {
        switch by {
        case .domain: ["bucket_start", "rcpt_domain"] + resultColumns
        case .selector: ["bucket_start", "signing_domain", "selector"] + resultColumns
        case .provider: ["bucket_start", "provider"] + resultColumns
        case .vmta: ["bucket_start", "vmta"] + resultColumns
        case .cause: ["bucket_start", "result", "cause", "count"]
        }
    }

    // Whole texts: the writers throw only what their `write` throws, and appending to a string does not.
    public static func csv(_ report: Report, by: ReportOptions.GroupBy) -> String {
        (try? OutputFile.text { try writeCSV(report, by: by, to: $0) }) ?? ""
    }

    public static func json(_ report: Report, by: ReportOptions.GroupBy) -> String {
        (try? OutputFile.text { try writeJSON(report, by: by, to: $0) }) ?? ""
    }

    /// Writes the CSV a row at a time: a long window of every group is millions of rows.
    public static func writeCSV(_ report: Report, by: ReportOptions.GroupBy, to write: (String) throws -> Void) throws {
        try write(CSVWriter.line(columns(by)))
        try forEachRow(report, by: by) { try write(CSVWriter.line($0.map(\.plainText))) }
    }

    /// Writes the JSON a row at a time, as `JSONValue.pretty()` would print it whole.
    public static func writeJSON(_ report: Report, by: ReportOptions.GroupBy, to write: (String) throws -> Void) throws {
        let data = report.data
        let zone = data.options.zone
        let filters = data.options.filters
        var options: [(String, JSONValue)] = [("by", .string(by.rawValue)), ("bucket", .string(data.bucket.rawValue))]
        options.append(("top", data.options.top.map { .int(Int64($0)) } ?? .null))
        for (name, value) in [("domain", filters.domain), ("signing_domain", filters.signingDomain), ("selector", filters.selector),
                              ("vmta", filters.vmta), ("provider", filters.provider)] {
            options.append((name, value.map { .string($0) } ?? .null))
        }
        options.append(("type", filters.types.map { .array($0.map { .string($0.rawValue) }) } ?? .null))
        let names = columns(by)
        try JSONValue.writePretty([
            ("window", .object([("from", .string(zone.iso(data.window.from))), ("to", .string(zone.iso(data.window.to))),
                                ("default", .bool(data.windowIsDefault))])),
            ("tz", .string(zone.name)),
            ("newest_record", data.newestRecord > 0 ? .string(zone.iso(data.newestRecord)) : .null),
            ("options", .object(options)),
        ], then: "rows", to: write) { append in
            try forEachRow(report, by: by) { try append(.object(Array(zip(names, $0)))) }
        }
    }

    /// The rows in order of bucket, then group name (the `--top` biggest groups when given).
    static func forEachRow(_ report: Report, by: ReportOptions.GroupBy, _ body: ([JSONValue]) throws -> Void) throws {
        let zone = report.data.options.zone
        if by == .cause {
            var rows: [[JSONValue]] = []
            for cause in report.causes() {
                for (bucket, results) in cause.buckets {
                    for (result, count) in results {
                        rows.append([.string(zone.iso(bucket)), .string(result.rawValue), .string(cause.cause.rawValue), .int(count)])
                    }
                }
            }
            for row in rows.sorted(by: { lhs, rhs in lhs.map(sortKey).lexicographicallyPrecedes(rhs.map(sortKey)) }) { try body(row) }
            return
        }
        // Each group's series is in bucket order: walk the buckets once, with a cursor per group,
        // so no row is held and nothing is sorted but the groups.
        let groups = report.groups(by, limit: report.data.options.top).groups
            .sorted { $0.key.map { $0 ?? "" }.lexicographicallyPrecedes($1.key.map { $0 ?? "" }) }
        var starts = Set(report.bucketStarts)
        for group in groups { starts.formUnion(group.series.lazy.map(\.start)) }
        var cursors = [Int](repeating: 0, count: groups.count)
        for start in starts.sorted() {
            let bucketName = JSONValue.string(zone.iso(start))
            for (rank, group) in groups.enumerated() {
                let cursor = cursors[rank]
                guard cursor < group.series.count, group.series[cursor].start == start else { continue }
                cursors[rank] = cursor + 1
                let counts = group.series[cursor].counts
                guard counts.total > 0 else { continue }
                var row = [bucketName] + group.key.map { $0.map(JSONValue.string) ?? .null } + [.int(counts.total)]
                row += DKIMResult.allCases.map { .int(counts[$0]) }
                row.append(counts.passRate.map { .double($0, decimals: 4) } ?? .null)
                try body(row)
            }
        }
    }

    private static func sortKey(_ value: JSONValue) -> String {
        if case .string(let text) = value { return text }
        return ""
    }
}
