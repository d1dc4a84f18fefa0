/// `acctstat files`: the ledger as a table, CSV or JSON. `mta`, the host whose ledger a row is,
/// comes last in CSV and JSON (columns added later go at the end), and the table shows it when
/// the database holds more than one host's.
public enum LedgerReport {
    static let columns = ["path", "compression", "bytes_read", "records", "state", "errors", "warnings", "last_ingested", "mta"]

    public static func render(_ listing: [LedgerListing], format: TableFormat, withSamples: Bool) -> String {
        let rows = listing.map { item -> [JSONValue] in
            let entry = item.entry
            let errors = item.problems.filter { $0.key.severity == .error }.values.reduce(0, +)
            let warnings = item.problems.filter { $0.key.severity == .warning }.values.reduce(0, +)
            return [.string(entry.path), .string(entry.compression), .int(entry.position.offset), .int(entry.position.records),
                    .string(state(entry)), .int(Int64(errors)), .int(Int64(warnings)), .string(ReportTimeZone.utc.iso(entry.lastIngested)), .string(entry.mta)]
        }
        switch format {
        case .json:
            return JSONValue.array(zip(listing, rows).map { item, row in
                var members = Array(zip(columns, row))
                members.append(("problems", .object(item.problems.sorted { $0.key.rawValue < $1.key.rawValue }
                    .map { ($0.key.rawValue, .int(Int64($0.value))) })))
                members.append(("samples", .array(item.samples.map { .string($0.formatted) })))
                return .object(members)
            }).pretty()
        case .csv:
            return CSVWriter.table(columns, rows)
        case .table:
            let hosts = Set(listing.map(\.entry.mta)).count > 1
            var table = TextTable(headers: (hosts ? ["MTA"] : []) + ["PATH", "GZ", "MB READ", "RECORDS", "STATE", "ERRORS", "WARNINGS", "LAST INGESTED (UTC)"],
                                  alignments: (hosts ? [.left] : []) + [.left, .left, .right, .right, .left, .right, .right, .left])
            for (item, row) in zip(listing, rows) {
                table.rows.append((hosts ? [item.entry.mta] : []) + [item.entry.path, item.entry.compression == "gzip" ? "yes" : "no",
                                   megabytes(item.entry.position.offset), grouped(item.entry.position.records),
                                   row[4].plainText ?? "", row[5].plainText ?? "", row[6].plainText ?? "", row[7].plainText ?? ""])
            }
            var text = listing.isEmpty ? "No files ingested yet.\n" : table.rendered()
            if withSamples {
                for item in listing where !item.samples.isEmpty {
                    text += "\n" + item.samples.map(\.formatted).joined(separator: "\n") + "\n"
                }
            }
            return text
        }
    }

    /// `finished` (complete, fully read), `open` (may still grow), or why reading stopped.
    static func state(_ entry: LedgerEntry) -> String {
        if !entry.endState.isEmpty { return entry.endState }
        return entry.finished ? "finished" : "open"
    }
}
