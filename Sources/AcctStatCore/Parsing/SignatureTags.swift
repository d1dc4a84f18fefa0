/// Reads the `d=` and `s=` tags of a DKIM-Signature or X-DKIM-Options header value.
///
/// Tags are `name=value` pairs separated by `;` (RFC 6376 §3.2); folding white space
/// inside values is removed. Used when no verdict column named the signing domain and selector.
public enum SignatureTags {
    public static func parse(_ value: String) -> (signingDomain: String?, selector: String?) {
        var domain: String?
        var selector: String?
        for tag in value.split(separator: ";") {
            guard let equals = tag.firstIndex(of: "=") else { continue }
            let name = tag[..<equals].trimmingSpaces.lowercased()
            let tagValue = String(tag[tag.index(after: equals)...].filter { !$0.isWhitespace })
            guard !tagValue.isEmpty else { continue }
            switch name {
            case "d": domain = DomainName.normalize(tagValue)
            case "s": selector = tagValue.lowercased()
            default: break
            }
        }
        return (domain, selector)
    }
}
