/// One record from ``CSVScanner``: field ranges into the scanner's buffer.
///
/// Valid only during the `onRecord` call. Fields stay raw bytes; decode only the few
/// fields you keep, with ``string(_:)`` or ``withField(_:_:)``.
public struct CSVRecord {
    static let quotedFlag: UInt8 = 1
    static let escapedFlag: UInt8 = 2

    /// The record's bytes, including its line end.
    public let bytes: UnsafeRawBufferPointer
    /// How many fields were kept (at most the scanner's `maxFields`).
    public let fieldCount: Int
    let starts: UnsafePointer<Int32>
    let ends: UnsafePointer<Int32>
    let flags: UnsafePointer<UInt8>
    /// True when the record had more fields than the scanner keeps.
    public let fieldsTrimmed: Bool
    /// The line the record starts on (1-based).
    public let line: Int
    /// Stream offset just after the record.
    public let endOffset: Int64

    init(bytes: UnsafeRawBufferPointer, fieldCount: Int, starts: UnsafeMutablePointer<Int32>,
         ends: UnsafeMutablePointer<Int32>, flags: UnsafeMutablePointer<UInt8>,
         fieldsTrimmed: Bool, line: Int, endOffset: Int64) {
        self.bytes = bytes
        self.fieldCount = fieldCount
        self.starts = UnsafePointer(starts)
        self.ends = UnsafePointer(ends)
        self.flags = UnsafePointer(flags)
        self.fieldsTrimmed = fieldsTrimmed
        self.line = line
        self.endOffset = endOffset
    }

    /// The raw bytes of field `index` (empty when out of range), quotes removed but
    /// doubled quotes not yet undone; see ``needsUnescaping(_:)``.
    @inline(__always)
    public func raw(_ index: Int) -> UnsafeRawBufferPointer {
        guard index >= 0 && index < fieldCount else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        let start = Int(starts[index])
        return UnsafeRawBufferPointer(rebasing: bytes[start..<Int(ends[index])])
    }

    /// True when field `index` holds doubled quotes (or text after its closing quote).
    @inline(__always)
    public func needsUnescaping(_ index: Int) -> Bool {
        index >= 0 && index < fieldCount && flags[index] & Self.escapedFlag != 0
    }

    /// Calls `body` with the field's decoded bytes, unescaping only when needed.
    public func withField<R>(_ index: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        let field = raw(index)
        guard needsUnescaping(index) else { return body(field) }
        let decoded = Self.unescape(field)
        return decoded.withUnsafeBytes(body)
    }

    /// The field as a String; invalid UTF-8 becomes U+FFFD.
    public func string(_ index: Int) -> String {
        withField(index) { String(decoding: $0, as: UTF8.self) }
    }

    /// Undoes RFC 4180 quoting: `""` becomes `"`, and a lone quote is dropped.
    static func unescape(_ field: UnsafeRawBufferPointer) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(field.count)
        var index = 0
        while index < field.count {
            let byte = field[index]
            if byte == UInt8(ascii: "\"") {
                if index + 1 < field.count && field[index + 1] == UInt8(ascii: "\"") {
                    out.append(byte)
                    index += 2
                    continue
                }
                index += 1
                continue
            }
            out.append(byte)
            index += 1
        }
        return out
    }
}
