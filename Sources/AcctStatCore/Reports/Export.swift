/// `acctstat export`: the stored counts of a window, as CSV, JSON or NDJSON.
///
/// The columns are a public interface: `hour,type,rcpt_domain,signing_domain,selector,result,cause,vmta,count`.
/// Unknown values are empty in CSV and `null` in JSON.
public enum Export {
    public enum Format: String, CaseIterable, Sendable { case csv, json, ndjson }

    public static let columns = ["hour", "type", "rcpt_domain", "signing_domain", "selector", "result", "cause", "vmta", "count"]

    /// Renders the export of `window` (widened to whole hours).
    public static func render(store: AccountingStore, window: TimeWindow, format: Format) throws -> String {
        let from = floorDivide(window.from, 3600) * 3600
        let to = floorDivide(window.to + 3599, 3600) * 3600
        let result = try store.query(QueryCatalog.sql("export"), arguments: [.integer(from), .integer(to)])
        let rows: [[JSONValue]] = result.rows.map { row in
            row.enumerated().map { index, value in
                switch (index, value) {
                case (0, _): .string(ReportTimeZone.utc.iso(value.int ?? 0))
                case (8, _): .int(value.int ?? 0)
                case (_, .null): .null
                default: .string(value.string ?? "")
                }
            }
        }
        switch format {
        case .csv:
            return CSVWriter.line(columns) + rows.map { CSVWriter.line($0.map(\.plainText)) }.joined()
        case .ndjson:
            return rows.map { JSONValue.object(Array(zip(columns, $0))).rendered() + "\n" }.joined()
        case .json:
            return JSONValue.object([
                ("window", .object([("from", .string(ReportTimeZone.utc.iso(from))), ("to", .string(ReportTimeZone.utc.iso(to)))])),
                ("tz", .string("UTC")),
                ("rows", .array(rows.map { .object(Array(zip(columns, $0))) })),
            ]).pretty()
        }
    }
}
