/// Writes RFC 4180 CSV: fields with a comma, quote, CR or LF are quoted, quotes doubled.
public enum CSVWriter {
    /// One line, with its line end.
    public static func line(_ fields: [String?]) -> String {
        var output = ""
        append(fields, to: &output)
        return output
    }

    /// One line of values, each as its plain text (``JSONValue/plainText``).
    static func line(_ values: [JSONValue]) -> String {
        var output = ""
        append(values.lazy.map(\.plainText), to: &output)
        return output
    }

    /// A header line, then a line per row, each value as its plain text.
    static func table(_ columns: [String], _ rows: [[JSONValue]]) -> String {
        var output = ""
        append(columns.lazy.map { $0 }, to: &output)
        for row in rows { append(row.lazy.map(\.plainText), to: &output) }
        return output
    }

    private static func append<Fields: Sequence<String?>>(_ fields: Fields, to output: inout String) {
        var first = true
        for field in fields {
            if !first { output.append(",") }
            first = false
            guard let field else { continue }
            // Bytes, not Characters: exports write millions of fields.
            if field.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) {
                output.append("\"")
                output.append(field.replacing("\"", with: "\"\""))
                output.append("\"")
            } else {
                output.append(field)
            }
        }
        output.append("\n")
    }
}
