/// `acctstat export`: the stored counts of a window, as CSV, JSON or NDJSON.
///
/// The columns are a public interface: `hour,mta,type,rcpt_domain,signing_domain,selector,result,cause,vmta,provider,count`.
/// Unknown values are empty in CSV and `null` in JSON. Rows stream from the database to the
/// output one at a time, so an export of any length takes little memory.
public enum Export {
    public enum Format: String, CaseIterable, Sendable { case csv, json, ndjson }

    public static let columns = ["hour", "mta", "type", "rcpt_domain", "signing_domain", "selector", "result", "cause", "vmta", "provider", "count"]

    /// What one count is.
    public enum Unit: Sendable {
        /// A record, under the result DMARC reads from its signatures (`counts`).
        case records
        /// A signature's verdict, under its own selector (`signature_counts`): a record signed twice counts twice.
        case signatures
    }

    /// export.sql, or for signatures the same over `signature_counts_named`.
    static func sql(_ unit: Unit) -> String {
        unit == .signatures ? QueryCatalog.sql("export", reading: "signature_counts_named", insteadOf: "counts_named")
                            : QueryCatalog.sql("export")
    }

    /// One row of the export: the key columns after the hour (mta, type … vmta, then provider) and the count.
    struct Row: Equatable {
        var hour: String
        var keys: [String?]
        var count: Int64
    }

    /// Writes the export of `window` through `write`: the records (or signatures) a report of the
    /// same window counts (``WindowPlan``), one row per hour they fall in. A record's provider is
    /// its receiving MX's where it named one, else its recipient domain's in `providers`. With `mta`,
    /// only that PowerMTA host's rows.
    public static func write(store: AccountingStore, window: TimeWindow, format: Format, unit: Unit = .records, mta: String? = nil,
                             providers: ProviderTable, to write: (String) throws -> Void) throws {
        let plan = WindowPlan(window: window, minutesFrom: try store.minuteCountsFrom())
        let (from, to) = (plan.counted.from, plan.counted.to)
        // Rows come in hour order: each hour's text is made once; each domain's provider is looked up once.
        var hour: (epoch: Int64, text: String)?
        var providerOfDomain: [String: String] = [:]
        func forEachRow(_ body: (Row) throws -> Void) throws {
            // Rows that differ only in mx_provider can name the same provider: they are next to each other, and merged.
            var pending: Row?
            var arguments = plan.sqlArguments("window")
            arguments["mta"] = mta.map { .text(MTAName.lookup($0)) } ?? .null
            try store.forEachRow(sql(unit), named: arguments) { row in
                let epoch = row.int(0)
                if hour?.epoch != epoch { hour = (epoch, ReportTimeZone.utc.iso(epoch)) }
                var keys = (1...8).map { row.string($0) }
                let domain = keys[2]
                let provider = row.string(9) ?? domain.map { domain in
                    if let known = providerOfDomain[domain] { return known }
                    let found = providers.provider(of: domain)
                    providerOfDomain[domain] = found
                    return found
                } ?? providers.provider(of: nil)
                keys.append(provider)
                let next = Row(hour: hour!.text, keys: keys, count: row.int(10))
                if var merged = pending, merged.hour == next.hour, merged.keys == next.keys {
                    merged.count += next.count
                    pending = merged
                } else {
                    if let pending { try body(pending) }
                    pending = next
                }
            }
            if let pending { try body(pending) }
        }
        switch format {
        case .csv:
            var lines = CSVLines()
            lines.line(columns)
            try forEachRow { row in
                lines.field(row.hour)
                for key in row.keys { lines.field(key) }
                lines.field(row.count)
                lines.endLine()
                try lines.write(to: write)
            }
            try lines.write(to: write, ifOver: 0)
        case .ndjson:
            var lines = OutputBytes()
            try forEachRow { row in
                JSONRow(row: row).write(into: &lines, pretty: false, level: 0)
                lines.append(UInt8(ascii: "\n"))
                try lines.write(to: write)
            }
            try lines.write(to: write, ifOver: 0)
        case .json:
            let window: JSONValue = .object([("from", .string(ReportTimeZone.utc.iso(from))), ("to", .string(ReportTimeZone.utc.iso(to)))])
            try JSONValue.writePretty([("window", window), ("tz", .string("UTC"))], then: "rows", to: write) { append in
                try forEachRow { row in try append(JSONRow(row: row)) }
            }
        }
    }

    /// A row as a JSON object, its members in column order.
    private struct JSONRow: JSONWritable {
        let row: Row

        func write(into output: inout OutputBytes, pretty: Bool, level: Int) {
            JSONValue.writeObject(keys: columns, into: &output, pretty: pretty, level: level) { index, output in
                switch index {
                case 0: JSONValue.appendQuoted(row.hour, to: &output)
                case columns.count - 1: output.append(decimal: row.count)
                default: JSONValue.appendQuotedOrNull(row.keys[index - 1], to: &output)
                }
            }
        }
    }

    /// The export of `window` as one text.
    public static func render(store: AccountingStore, window: TimeWindow, format: Format, unit: Unit = .records, mta: String? = nil,
                              providers: ProviderTable) throws -> String {
        try OutputFile.text { try write(store: store, window: window, format: format, unit: unit, mta: mta, providers: providers, to: $0) }
    }
}
