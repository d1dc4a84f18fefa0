/// Renders any query result as a table, CSV or JSON (for `acctstat sql`).
public enum QueryResultRenderer {
    public static func render(_ result: QueryResult, format: TableFormat) -> String {
        let values = result.rows.map { row in row.map { value -> JSONValue in
            switch value {
            case .null: .null
            case .integer(let number): .int(number)
            case .real(let number): .double(number, decimals: 6)
            case .text(let text): .string(text)
            }
        } }
        switch format {
        case .csv:
            return CSVWriter.table(result.columns, values)
        case .json:
            return JSONValue.array(values.map { .object(Array(zip(result.columns, $0))) }).pretty()
        case .table:
            var table = TextTable(headers: result.columns, alignments: result.columns.indices.map { column in
                values.allSatisfy { row in if case .string = row[column] { return false } else { return true } } ? .right : .left
            })
            table.rows = values.map { $0.map { $0.plainText ?? "NULL" } }
            return table.rendered()
        }
    }
}
