/// Renders any query's result as a table, CSV or JSON (for `acctstat sql`).
public enum QueryResultRenderer {
    /// Runs `sql` and writes its rows: CSV and JSON a row at a time, so a result of any length
    /// takes little memory; a table reads every row first, for its column widths.
    public static func write(_ sql: String, from store: AccountingStore, format: TableFormat, to write: (String) throws -> Void) throws {
        switch format {
        case .table:
            try write(table(try store.query(sql, arguments: [])))
        case .csv:
            var lines = CSVLines()
            try store.forEachRow(sql, columns: { lines.line($0) }) { row in
                lines.line(row.map(json))
                try lines.write(to: write)
            }
            try lines.write(to: write, ifOver: 0)
        case .json:
            var columns: [String] = []
            try JSONValue.writePretty(to: write) { append in
                try store.forEachRow(sql, columns: { columns = $0 }) { row in
                    try append(JSONValue.object(Array(zip(columns, row.map(json)))))
                }
            }
        }
    }

    static func table(_ result: QueryResult) -> String {
        let values = result.rows.map { $0.map(json) }
        var table = TextTable(headers: result.columns, alignments: result.columns.indices.map { column in
            values.allSatisfy { row in if case .string = row[column] { return false } else { return true } } ? .right : .left
        })
        table.rows = values.map { $0.map { $0.plainText ?? "NULL" } }
        return table.rendered()
    }

    private static func json(_ value: SQLValue) -> JSONValue {
        switch value {
        case .null: .null
        case .integer(let number): .int(number)
        case .real(let number): .double(number, decimals: 6)
        case .text(let text): .string(text)
        }
    }
}
