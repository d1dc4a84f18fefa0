/// `acctstat export`: the stored counts of a window, as CSV, JSON or NDJSON.
///
/// The columns are a public interface: `hour,type,rcpt_domain,signing_domain,selector,result,cause,vmta,count`.
/// Unknown values are empty in CSV and `null` in JSON. Rows stream from the database to the
/// output one at a time, so an export of any length takes little memory.
public enum Export {
    public enum Format: String, CaseIterable, Sendable { case csv, json, ndjson }

    public static let columns = ["hour", "type", "rcpt_domain", "signing_domain", "selector", "result", "cause", "vmta", "count"]

    /// What one count is.
    public enum Unit: Sendable {
        /// A record, under the result DMARC reads from its signatures (`counts`).
        case records
        /// A signature's verdict, under its own selector (`signature_counts`): a record signed twice counts twice.
        case signatures
    }

    /// export.sql, or for signatures the same over `signature_counts_named`.
    static func sql(_ unit: Unit) -> String {
        let sql = QueryCatalog.sql("export")
        guard unit == .signatures else { return sql }
        precondition(sql.components(separatedBy: "FROM counts_named c").count == 2, "export.sql reads FROM counts_named c once")
        return sql.replacingOccurrences(of: "FROM counts_named c", with: "FROM signature_counts_named c")
    }

    /// Writes the export of `window` through `write`: the records (or signatures) a report of the
    /// same window counts (``WindowPlan``), one row per hour they fall in.
    public static func write(store: AccountingStore, window: TimeWindow, format: Format, unit: Unit = .records,
                             to write: (String) throws -> Void) throws {
        let plan = WindowPlan(window: window, minutesFrom: try store.minuteCountsFrom())
        let (from, to) = (plan.counted.from, plan.counted.to)
        // Rows come in hour order: each hour's text is made once.
        var hour: (epoch: Int64, text: String)?
        func forEachRow(_ body: (_ row: any RowReader, _ hour: String) throws -> Void) throws {
            try store.forEachRow(sql(unit), named: plan.sqlArguments("window")) { row in
                let epoch = row.int(0)
                if hour?.epoch != epoch { hour = (epoch, ReportTimeZone.utc.iso(epoch)) }
                try body(row, hour!.text)
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
            var lines = OutputBytes()
            try forEachRow { row, hour in
                JSONRow(row: row, hour: hour).write(into: &lines, pretty: false, level: 0)
                lines.append(UInt8(ascii: "\n"))
                try lines.write(to: write)
            }
            try lines.write(to: write, ifOver: 0)
        case .json:
            let window: JSONValue = .object([("from", .string(ReportTimeZone.utc.iso(from))), ("to", .string(ReportTimeZone.utc.iso(to)))])
            try JSONValue.writePretty([("window", window), ("tz", .string("UTC"))], then: "rows", to: write) { append in
                try forEachRow { row, hour in try append(JSONRow(row: row, hour: hour)) }
            }
        }
    }

    /// A row as a JSON object, its members in column order, written straight from the row's
    /// bytes: exports run to millions of rows.
    private struct JSONRow: JSONWritable {
        let row: any RowReader
        let hour: String

        func write(into output: inout OutputBytes, pretty: Bool, level: Int) {
            JSONValue.writeObject(keys: columns, into: &output, pretty: pretty, level: level) { index, output in
                switch index {
                case 0: JSONValue.appendQuoted(hour, to: &output)
                case 8: output.append(decimal: row.int(8))
                default: JSONValue.appendQuotedOrNull(row.text(index), to: &output)
                }
            }
        }
    }

    /// The export of `window` as one text.
    public static func render(store: AccountingStore, window: TimeWindow, format: Format) throws -> String {
        try OutputFile.text { try write(store: store, window: window, format: format, to: $0) }
    }
}
