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

    public static func csv(_ report: Report, by: ReportOptions.GroupBy) -> String {
        CSVWriter.table(columns(by), rows(report, by: by))
    }

    public static func json(_ report: Report, by: ReportOptions.GroupBy) -> String {
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
        return JSONValue.object([
            ("window", .object([("from", .string(zone.iso(data.window.from))), ("to", .string(zone.iso(data.window.to))),
                                ("default", .bool(data.windowIsDefault))])),
            ("tz", .string(zone.name)),
            ("newest_record", data.newestRecord > 0 ? .string(zone.iso(data.newestRecord)) : .null),
            ("options", .object(options)),
            ("rows", .array(rows(report, by: by).map { .object(Array(zip(names, $0))) })),
        ]).pretty()
    }

    /// The rows, ordered by bucket, then group (the `--top` biggest groups when given).
    static func rows(_ report: Report, by: ReportOptions.GroupBy) -> [[JSONValue]] {
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
            return rows.sorted { lhs, rhs in lhs.map(sortKey).lexicographicallyPrecedes(rhs.map(sortKey)) }
        }
        // Groups are put in name order once; rows then sort by bucket and that rank, integers only.
        let groups = report.groups(by, limit: report.data.options.top).groups
            .sorted { $0.key.map { $0 ?? "" }.lexicographicallyPrecedes($1.key.map { $0 ?? "" }) }
        var bucketNames: [Int64: JSONValue] = [:]
        var rows: [(bucket: Int64, rank: Int, row: [JSONValue])] = []
        for (rank, group) in groups.enumerated() {
            let key = group.key.map { $0.map(JSONValue.string) ?? .null }
            for (bucket, counts) in group.buckets where counts.total > 0 {
                let bucketName = bucketNames[bucket] ?? .string(zone.iso(bucket))
                bucketNames[bucket] = bucketName
                var row = [bucketName] + key + [.int(counts.total)]
                row += DKIMResult.allCases.map { .int(counts[$0]) }
                row.append(counts.passRate.map { .double($0, decimals: 4) } ?? .null)
                rows.append((bucket, rank, row))
            }
        }
        return rows.sorted { $0.bucket != $1.bucket ? $0.bucket < $1.bucket : $0.rank < $1.rank }.map(\.row)
    }

    private static func sortKey(_ value: JSONValue) -> String {
        if case .string(let text) = value { return text }
        return ""
    }
}
