import Foundation

/// Normalises domain names the way acctstat stores them: lower case, A-labels for IDN.
public enum DomainName {
    /// The domain of an address such as `<User@Bücher.DE>`: the text after the last `@`,
    /// without angle brackets or spaces, normalised with ``normalize(_:)``. Nil when there is no domain.
    public static func ofAddress(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard let at = bytes.lastIndex(ofByte: UInt8(ascii: "@")) else { return nil }
        var start = at + 1
        var end = bytes.count
        while start < end, isTrimmed(bytes[start]) { start += 1 }
        while end > start, isTrimmed(bytes[end - 1]) { end -= 1 }
        guard start < end else { return nil }
        return normalize(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
    }

    /// Lower-cases ASCII and converts non-ASCII labels to punycode A-labels.
    /// A trailing dot (the DNS root) is removed. Nil for text that cannot be a domain.
    public static func normalize(_ bytes: UnsafeRawBufferPointer) -> String? {
        var end = bytes.count
        while end > 0, bytes[end - 1] == UInt8(ascii: ".") { end -= 1 }
        guard end > 0 else { return nil }
        let trimmed = UnsafeRawBufferPointer(rebasing: bytes[0..<end])
        if trimmed.allSatisfy({ $0 < 0x80 }) {
            return String(unsafeUninitializedCapacity: trimmed.count) { out in
                for (index, byte) in trimmed.enumerated() {
                    out[index] = byte &- 65 < 26 ? byte | 0x20 : byte
                }
                return trimmed.count
            }
        }
        return normalize(String(decoding: trimmed, as: UTF8.self))
    }

    /// The String form of ``normalize(_:)-(UnsafeRawBufferPointer)``.
    public static func normalize(_ text: String) -> String? {
        let composed = text.precomposedStringWithCanonicalMapping.lowercased()
        var labels: [String] = []
        // IDNA treats the ideographic and fullwidth full stops as dots too.
        for label in composed.split(omittingEmptySubsequences: false, whereSeparator: { ".。．｡".contains($0) }) {
            let scalars = Array(label.unicodeScalars)
            if scalars.allSatisfy({ $0.isASCII }) {
                labels.append(String(label))
            } else {
                guard !scalars.contains(where: { $0.value == 0xFFFD }), let encoded = Punycode.encode(scalars) else { return nil }
                labels.append("xn--" + encoded)
            }
        }
        while labels.last == "" { labels.removeLast() }
        return labels.isEmpty ? nil : labels.joined(separator: ".")
    }

    private static func isTrimmed(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
            || byte == UInt8(ascii: "\"")
    }
}
