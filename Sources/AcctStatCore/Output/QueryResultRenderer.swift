/// Renders any query's result as a table, CSV or JSON (for `acctstat sql`).
public enum QueryResultRenderer {
    /// Runs `sql` and writes its rows a row at a time, so a result of any length takes little
    /// memory: a table reads the rows twice (over one snapshot), for its column widths first.
    public static func write(_ sql: String, from store: AccountingStore, format: TableFormat, to write: (String) throws -> Void) throws {
        switch format {
        case .table:
            try writeTable(sql, from: store, to: write)
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

    /// Text columns to the left, all others (numbers, NULL) to the right; NULL is written `NULL`.
    private static func writeTable(_ sql: String, from store: AccountingStore, to write: (String) throws -> Void) throws {
        func cell(_ value: SQLValue) -> String { json(value).plainText ?? "NULL" }
        var headers: [String] = []
        var headerWritten = false
        var layout = TextTable.Layout(columns: [], widths: [:], alignments: [])
        var lines = OutputBytes()
        try store.forEachRow(sql, passes: 2, columns: { columns in
            headers = columns
            layout = TextTable.Layout(columns: Array(columns.indices),
                                      widths: Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($0.offset, $0.element.visibleCount) }),
                                      alignments: Array(repeating: .right, count: columns.count))
        }) { pass, row in
            if pass == 0 {
                for (column, value) in row.enumerated() {
                    layout.widths[column] = max(layout.widths[column]!, cell(value).visibleCount)
                    if case .text = value { layout.alignments[column] = .left }
                }
                return
            }
            if !headerWritten {
                lines.append(layout.line(headers))
                headerWritten = true
            }
            let cells = row.map(cell)
            // A value wider in this pass than in the first (random(), say) is shown whole, never cut.
            for (column, text) in cells.enumerated() where text.visibleCount > layout.widths[column]! {
                layout.widths[column] = text.visibleCount
            }
            lines.append(layout.line(cells))
            try lines.write(to: write)
        }
        if !headerWritten { lines.append(layout.line(headers)) }
        try lines.write(to: write, ifOver: 0)
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
