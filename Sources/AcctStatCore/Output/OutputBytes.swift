/// Output text built as UTF-8 bytes and handed on in pieces: outputs of millions of rows (CSV,
/// JSON) make no String per field, line or row. Bytes that are not UTF-8 (a stored text that
/// was not) become U+FFFD when handed on, as they would in a String.
struct OutputBytes {
    private var bytes: [UInt8] = []

    mutating func append(_ byte: UInt8) {
        bytes.append(byte)
    }

    mutating func append(_ text: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: text)
    }

    mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    /// An integer in decimal, as `String(number)` writes it.
    mutating func append(decimal number: Int64) {
        if number < 0 { bytes.append(UInt8(ascii: "-")) }
        let start = bytes.count
        var rest = number.magnitude
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        bytes[start...].reverse()
    }

    /// Hands the text so far to `write` once it passes `limit` bytes (all of it with a limit of
    /// 0), and starts over.
    mutating func write(to write: (String) throws -> Void, ifOver limit: Int = 1 << 16) rethrows {
        guard bytes.count > limit else { return }
        try write(takeText())
    }

    mutating func takeText() -> String {
        defer { bytes.removeAll(keepingCapacity: true) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
