/// Reduces a verdict value to the part that decides its verdict, as a cache key.
///
/// Authentication-Results values differ in every record (`header.b=` holds signature
/// bytes, `smtp.mailfrom=` a VERP address), so caching whole values would never hit.
/// The key keeps only the `dkim=` entries, without their `header.b=` property, joined
/// by `;`. Parsing the key gives the same verdict as parsing the whole value
/// (``VerdictParser`` ignores the authserv-id, other methods and `header.b`).
/// A value without any `dkim=` entry (a bare result) is kept whole, minus `header.b=`.
enum VerdictKey {
    static func extract(_ value: UnsafeRawBufferPointer, into key: inout [UInt8]) {
        key.removeAll(keepingCapacity: true)
        var segmentStart = 0
        var depth = 0
        var inQuote = false
        var sawDKIM = false
        var index = 0
        while index <= value.count {
            let atEnd = index == value.count
            let byte: UInt8 = atEnd ? UInt8(ascii: ";") : value[index]
            if byte == UInt8(ascii: "\"") { inQuote.toggle() }
            else if !inQuote && byte == UInt8(ascii: "(") { depth += 1 }
            else if !inQuote && byte == UInt8(ascii: ")") { depth = max(0, depth - 1) }
            else if (!inQuote && depth == 0 && byte == UInt8(ascii: ";")) || atEnd {
                if isDKIMEntry(value, from: segmentStart, to: index) {
                    if sawDKIM { key.append(UInt8(ascii: ";")) }
                    sawDKIM = true
                    appendWithoutSignatureBytes(value, from: segmentStart, to: index, into: &key)
                }
                segmentStart = index + 1
            }
            index += 1
        }
        if !sawDKIM { appendWithoutSignatureBytes(value, from: 0, to: value.count, into: &key) }
    }

    /// True when the segment, after spaces, starts with `dkim` then optional spaces then `=`.
    private static func isDKIMEntry(_ value: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Bool {
        var index = start
        while index < end, value[index] == UInt8(ascii: " ") || value[index] == UInt8(ascii: "\t") { index += 1 }
        guard end - index >= 5 else { return false }
        let word = (value[index] | 0x20, value[index + 1] | 0x20, value[index + 2] | 0x20, value[index + 3] | 0x20)
        guard word == (UInt8(ascii: "d"), UInt8(ascii: "k"), UInt8(ascii: "i"), UInt8(ascii: "m")) else { return false }
        index += 4
        while index < end, value[index] == UInt8(ascii: " ") { index += 1 }
        return index < end && value[index] == UInt8(ascii: "=")
    }

    /// Copies the range, leaving out `header.b=<value>` (any case).
    private static func appendWithoutSignatureBytes(_ value: UnsafeRawBufferPointer, from start: Int, to end: Int, into key: inout [UInt8]) {
        var copied = start
        var index = start
        while index + marker.count <= end {
            guard value[index] | 0x20 == UInt8(ascii: "h"), (1..<marker.count).allSatisfy({ value[index + $0] | 0x20 == marker[$0] }) else {
                index += 1
                continue
            }
            key.append(contentsOf: value[copied..<index])
            index += marker.count
            if index < end, value[index] == UInt8(ascii: "\"") {
                index += 1
                while index < end, value[index] != UInt8(ascii: "\"") { index += 1 }
                index = min(index + 1, end)
            } else {
                while index < end, value[index] != UInt8(ascii: " "), value[index] != UInt8(ascii: "\t"),
                      value[index] != UInt8(ascii: ";") { index += 1 }
            }
            copied = index
        }
        key.append(contentsOf: value[copied..<end])
    }

    private static let marker = Array("header.b=".utf8)
}
