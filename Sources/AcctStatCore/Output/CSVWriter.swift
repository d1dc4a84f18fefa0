/// Writes RFC 4180 CSV: fields with a comma, quote, CR or LF are quoted, quotes doubled.
public enum CSVWriter {
    /// One line, with its line end.
    public static func line(_ fields: [String?]) -> String {
        var lines = CSVLines()
        for field in fields { lines.field(field) }
        lines.endLine()
        return lines.takeText()
    }

    /// A header line, then a line per row, each value as its plain text.
    static func table(_ columns: [String], _ rows: [[JSONValue]]) -> String {
        var lines = CSVLines()
        lines.line(columns)
        for row in rows { lines.line(row) }
        return lines.takeText()
    }
}

/// CSV lines built as bytes (``OutputBytes``): outputs of millions of rows make no String per
/// field or line. The one place CSV is escaped.
struct CSVLines {
    private var bytes = OutputBytes()
    private var lineStarted = false

    /// Appends a field; nil is an empty field.
    mutating func field(_ text: UnsafeRawBufferPointer?) {
        separate()
        guard let text else { return }
        if text.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) {
            bytes.append(UInt8(ascii: "\""))
            for byte in text {
                if byte == UInt8(ascii: "\"") { bytes.append(byte) }
                bytes.append(byte)
            }
            bytes.append(UInt8(ascii: "\""))
        } else {
            bytes.append(text)
        }
    }

    mutating func field(_ text: String?) {
        guard var text else { return field(nil as UnsafeRawBufferPointer?) }
        text.withUTF8 { field(UnsafeRawBufferPointer($0)) }
    }

    /// A value as its plain text (``JSONValue/plainText``).
    mutating func field(_ value: JSONValue) {
        switch value {
        case .int(let number): field(number)
        default: field(value.plainText)
        }
    }

    /// An integer in decimal, as `String(number)` writes it.
    mutating func field(_ number: Int64) {
        separate()
        bytes.append(decimal: number)
    }

    /// A whole line of names.
    mutating func line(_ names: [String]) {
        for name in names { field(name) }
        endLine()
    }

    /// A whole line of values, each as its plain text.
    mutating func line(_ values: [JSONValue]) {
        for value in values { field(value) }
        endLine()
    }

    mutating func endLine() {
        bytes.append(UInt8(ascii: "\n"))
        lineStarted = false
    }

    /// Hands the complete lines so far to `write` as one text once they pass `limit` bytes
    /// (all of them with a limit of 0), and starts over.
    mutating func write(to write: (String) throws -> Void, ifOver limit: Int = 1 << 16) rethrows {
        try bytes.write(to: write, ifOver: limit)
    }

    fileprivate mutating func takeText() -> String {
        bytes.takeText()
    }

    private mutating func separate() {
        if lineStarted { bytes.append(UInt8(ascii: ",")) }
        lineStarted = true
    }
}
