/// Reads the `d=` and `s=` tags of a DKIM-Signature or X-DKIM-Options header value.
///
/// Tags are `name=value` pairs separated by `;` (RFC 6376 §3.2); folding white space
/// inside values is removed. Used when no verdict column named the signing domain and selector.
public enum SignatureTags {
    /// Copies just the `d=` and `s=` values into `key` (`d` 0x00 `s`), without allocating:
    /// the rest of a DKIM-Signature (`bh=`, `b=`) differs in every record, so this is the cache key.
    static func extractKey(_ value: UnsafeRawBufferPointer, into key: inout [UInt8]) {
        key.removeAll(keepingCapacity: true)
        var domain: Range<Int>?
        var selector: Range<Int>?
        var tagStart = 0
        let separator = Self.separator
        while tagStart <= value.count {
            let index = separator.firstIndex(in: value, from: tagStart, to: value.count)
            // A tag is `name = value`; only the one-letter names d and s matter here.
            var cursor = tagStart
            while cursor < index, isSpace(value[cursor]) { cursor += 1 }
            let name = cursor < index ? value[cursor] | 0x20 : 0
            cursor += 1
            while cursor < index, isSpace(value[cursor]) { cursor += 1 }
            if cursor < index, value[cursor] == UInt8(ascii: "=") {
                if name == UInt8(ascii: "d") { domain = (cursor + 1)..<index }
                if name == UInt8(ascii: "s") { selector = (cursor + 1)..<index }
            }
            // d= and s= come before the long bh= and b= in practice: stop once both are known
            // (a tag repeated in one signature makes it invalid, RFC 6376 §3.2; the first is kept).
            if domain != nil && selector != nil { break }
            tagStart = index + 1
        }
        if let domain { key.append(contentsOf: UnsafeRawBufferPointer(rebasing: value[domain])) }
        key.append(0)
        if let selector { key.append(contentsOf: UnsafeRawBufferPointer(rebasing: value[selector])) }
    }

    private static let separator = ByteSearch(UInt8(ascii: ";"))

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n")
    }

    /// Parses a key made by ``extractKey(_:into:)``.
    static func parse(key: [UInt8]) -> (signingDomain: String?, selector: String?) {
        let zero = key.firstIndex(of: 0) ?? key.count
        let domain = String(decoding: key[..<zero], as: UTF8.self)
        let selector = zero < key.count ? String(decoding: key[(zero + 1)...], as: UTF8.self) : ""
        return parse("d=\(domain);s=\(selector)")
    }

    public static func parse(_ value: String) -> (signingDomain: String?, selector: String?) {
        var domain: String?
        var selector: String?
        for tag in value.split(separator: ";") {
            guard let equals = tag.firstIndex(of: "=") else { continue }
            let name = tag[..<equals].trimmingSpaces.lowercased()
            let tagValue = String(tag[tag.index(after: equals)...].filter { !$0.isWhitespace })
            guard !tagValue.isEmpty else { continue }
            switch name {
            case "d" where domain == nil: domain = DomainName.normalize(tagValue)
            case "s" where selector == nil: selector = tagValue.lowercased()
            default: break
            }
        }
        return (domain, selector)
    }
}
