/// Writes RFC 4180 CSV: fields with a comma, quote, CR or LF are quoted, quotes doubled.
public enum CSVWriter {
    public static func line(_ fields: [String?]) -> String {
        fields.map { field in
            guard let field else { return "" }
            guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
            return "\"" + field.replacing("\"", with: "\"\"") + "\""
        }.joined(separator: ",") + "\n"
    }
}
