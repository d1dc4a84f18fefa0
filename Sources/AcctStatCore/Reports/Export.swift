/// `acctstat export`: the stored counts of a window, as CSV, JSON or NDJSON.
///
/// The columns are a public interface: `hour,type,rcpt_domain,signing_domain,selector,result,cause,vmta,count`.
/// Unknown values are empty in CSV and `null` in JSON. Rows stream from the database to the
/// output one at a time, so an export of any length takes little memory.
public enum Export {
    public enum Format: String, CaseIterable, Sendable { case csv, json, ndjson }

    public static let columns = ["hour", "type", "rcpt_domain", "signing_domain", "selector", "result", "cause", "vmta", "count"]

    /// Writes the export of `window` (widened to whole hours) through `write`.
    public static func write(store: AccountingStore, window: TimeWindow, format: Format, to write: (String) throws -> Void) throws {
        let from = floorDivide(window.from, 3600) * 3600
        let to = floorDivide(window.to + 3599, 3600) * 3600
        // Rows come in hour order: each hour's text is made once.
        var hour: (epoch: Int64, text: String)?
        func forEachRow(_ body: (_ row: any RowReader, _ hour: String) throws -> Void) throws {
            try store.forEachRow(QueryCatalog.sql("export"), named: ["from": .integer(from), "to": .integer(to)]) { row in
                let epoch = row.int(0)
                if hour?.epoch != epoch { hour = (epoch, ReportTimeZone.utc.iso(epoch)) }
                try body(row, hour!.text)
            }
        }
        /// Each row as a JSON object, its members in column order.
        func eachRow(_ body: (JSONValue) throws -> Void) throws {
            try forEachRow { row, hour in
                try body(.object(columns.indices.map { index -> (String, JSONValue) in
                    switch index {
                    case 0: (columns[index], .string(hour))
                    case 8: (columns[index], .int(row.int(8)))
                    default: (columns[index], row.string(index).map(JSONValue.string) ?? .null)
                    }
                }))
            }
        }
        switch format {
        case .csv:
            // Straight from the row's bytes: exports run to millions of rows.
            var lines = CSVLines()
            lines.line(columns)
            try forEachRow { row, hour in
                lines.field(hour)
                for index in 1...7 { lines.field(row.text(index)) }
                lines.field(row.int(8))
                lines.endLine()
                try lines.write(to: write)
            }
            try lines.write(to: write, ifOver: 0)
        case .ndjson:
            try eachRow { try write($0.rendered() + "\n") }
        case .json:
            let window: JSONValue = .object([("from", .string(ReportTimeZone.utc.iso(from))), ("to", .string(ReportTimeZone.utc.iso(to)))])
            try JSONValue.writePretty([("window", window), ("tz", .string("UTC"))], then: "rows", to: write) { append in
                try eachRow { try append($0) }
            }
        }
    }

    /// The export of `window` as one text.
    public static func render(store: AccountingStore, window: TimeWindow, format: Format) throws -> String {
        try OutputFile.text { try write(store: store, window: window, format: format, to: $0) }
    }
}
