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
        let structure = Self.structure
        var segmentStart = 0
        var depth = 0
        var inQuote = false
        var sawDKIM = false
        var index = 0
        while true {
            index = structure.firstIndex(in: value, from: index, to: value.count)
            if index < value.count {
                let byte = value[index]
                index += 1
                if byte == UInt8(ascii: "\"") { inQuote.toggle() }
                if inQuote || byte == UInt8(ascii: "\"") { continue }
                if byte == UInt8(ascii: "(") { depth += 1 }
                if byte == UInt8(ascii: ")") { depth = max(0, depth - 1) }
                // Only a ';' outside quotes and comments ends an entry.
                if byte != UInt8(ascii: ";") || depth > 0 { continue }
                index -= 1
            }
            if isDKIMEntry(value, from: segmentStart, to: index) {
                if sawDKIM { key.append(UInt8(ascii: ";")) }
                sawDKIM = true
                appendWithoutSignatureBytes(value, from: segmentStart, to: index, into: &key)
            }
            if index == value.count { break }
            index += 1
            segmentStart = index
        }
        if !sawDKIM { appendWithoutSignatureBytes(value, from: 0, to: value.count, into: &key) }
    }

    /// The bytes that shape an Authentication-Results value: quotes, comments, entry ends.
    private static let structure = ByteSearch(UInt8(ascii: "\""), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: ";"))

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
        // Each `=` is checked for `header.b` in the eight bytes before it, in one comparison.
        var equals = start + markerName
        while true {
            equals = Self.equals.firstIndex(in: value, from: equals, to: end)
            guard equals < end else { break }
            let name = value.loadUnaligned(fromByteOffset: equals - markerName, as: UInt64.self)
            guard name | lowercase == markerWord else {
                equals += 1
                continue
            }
            key.append(contentsOf: UnsafeRawBufferPointer(rebasing: value[copied..<(equals - markerName)]))
            var index = equals + 1
            if index < end, value[index] == UInt8(ascii: "\"") {
                index += 1
                while index < end, value[index] != UInt8(ascii: "\"") { index += 1 }
                index = min(index + 1, end)
            } else {
                while index < end, value[index] != UInt8(ascii: " "), value[index] != UInt8(ascii: "\t"),
                      value[index] != UInt8(ascii: ";") { index += 1 }
            }
            copied = index
            equals = index + markerName
        }
        key.append(contentsOf: UnsafeRawBufferPointer(rebasing: value[copied..<end]))
    }

    /// `header.b` as a little-endian word, and its length; OR-ing `lowercase` into a word turns
    /// ASCII capitals into small letters (`.` already has the bit), as the byte-wise `| 0x20` did.
    private static let markerName = 8
    private static let markerWord = Array("header.b".utf8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
    private static let lowercase: UInt64 = 0x2020_2020_2020_2020
    private static let equals = ByteSearch(UInt8(ascii: "="))
}
