/// Reads a DKIM verdict column: a bare result, or Authentication-Results syntax.
///
/// Accepted values:
/// - bare: `pass`, `fail (body hash did not verify) header.d=example.com header.s=s1`;
/// - RFC 8601: `mx.example; spf=pass smtp.mailfrom=…; dkim=fail (signature expired) header.d=example.com
///   header.s=s1 header.b=AbCd; dmarc=…`, including Microsoft's `;` without spaces and OpenDKIM's
///   `dkim=fail reason="…" (2048-bit key)`.
/// A value can hold several signatures' verdicts: several `dkim=` entries, or bare verdicts separated
/// by `;` or `,` (`fail header.d=x.com header.s=new; pass header.d=x.com header.s=old`). Each counts
/// for its own selector; the record's verdict is DMARC's reading of them: a `pass` when any passed,
/// otherwise the first.
/// See https://www.rfc-editor.org/rfc/rfc8601
public enum VerdictParser {
    /// One verdict read from a value.
    public struct Verdict: Equatable, Sendable {
        public var result: DKIMResult
        public var reason: String?
        public var signingDomain: String?
        public var selector: String?
    }

    public enum Outcome: Equatable, Sendable {
        /// The record's verdict, and the other signatures' verdicts in the order written.
        case verdict(Verdict, otherSignatures: [Verdict] = [])
        /// Authentication-Results without any `dkim=` entry: no DKIM evidence, but not an error.
        case noDKIMEntry
        /// Present but unreadable. This is a problem, never a pass.
        case unreadable
    }

    public static func parse(_ value: String) -> Outcome {
        let trimmed = value.trimmingSpaces
        guard !trimmed.isEmpty else { return .noDKIMEntry }
        var verdicts: [Verdict] = []
        var sawMethod = false
        for segment in split(trimmed, on: ";") {
            let entry = segment.trimmingSpaces
            guard let equals = entry.firstIndex(of: "=") else { continue }
            let method = entry[..<equals].trimmingSpaces.lowercased()
            if method.contains(" ") { continue }
            sawMethod = true
            guard method == "dkim" else { continue }
            guard let verdict = parseEntry(entry[entry.index(after: equals)...]) else { return .unreadable }
            verdicts.append(verdict)
        }
        if !verdicts.isEmpty { return recordVerdict(verdicts) }
        if sawMethod && trimmed.lowercased().contains("=") && !startsWithResult(trimmed) { return .noDKIMEntry }
        // Bare results: `fail (reason) header.d=…`, or several of them in a list.
        var bare: [Verdict] = []
        for entry in bareEntries(trimmed) {
            guard let verdict = parseEntry(entry) else { return .unreadable }
            bare.append(verdict)
        }
        return bare.isEmpty ? .unreadable : recordVerdict(bare)
    }

    /// The record's verdict first (a pass if any, else the first), then the others in order.
    private static func recordVerdict(_ verdicts: [Verdict]) -> Outcome {
        let chosen = verdicts.firstIndex { $0.result == .pass } ?? 0
        var others = verdicts
        others.remove(at: chosen)
        return .verdict(verdicts[chosen], otherSignatures: others)
    }

    /// A bare value's entries: split on `;` and `,` outside quotes and comments, where what follows
    /// starts with a result word (a comma inside one verdict, `fail (x), header.d=…`, stays in it).
    private static func bareEntries(_ text: String) -> [Substring] {
        var entries: [Substring] = []
        for part in split(text, on: ";").flatMap({ split(String($0), on: ",") }) {
            let trimmed = Substring(part.trimmingSpaces)
            if entries.isEmpty || startsWithResult(String(trimmed)) {
                if !trimmed.isEmpty || entries.isEmpty { entries.append(trimmed) }
            } else {
                entries[entries.count - 1] = Substring(entries[entries.count - 1] + " " + trimmed)
            }
        }
        return entries
    }

    private static func startsWithResult(_ text: String) -> Bool {
        let word = text.prefix(while: { $0.isLetter || $0 == "_" })
        return DKIMResult(word: word) != nil
    }

    /// Parses `result [comments] [properties]`.
    static func parseEntry(_ text: Substring) -> Verdict? {
        var rest = text.drop(while: { $0 == " " || $0 == "\t" })
        let word = rest.prefix(while: { $0.isLetter || $0 == "_" })
        guard let result = DKIMResult(word: word) else { return nil }
        rest = rest.dropFirst(word.count)
        var verdict = Verdict(result: result)
        var comment: String?
        var identity: String?
        while let first = rest.first {
            if first == " " || first == "\t" || first == "," {
                rest = rest.dropFirst()
            } else if first == "(" {
                let (text, remainder) = readComment(rest)
                if comment == nil, !text.isEmpty, !isKeySizeNote(text) { comment = text }
                rest = remainder
            } else {
                let token = rest.prefix(while: { $0 != " " && $0 != "\t" && $0 != "(" && $0 != "=" })
                rest = rest.dropFirst(token.count)
                guard rest.first == "=" else { continue }
                rest = rest.dropFirst()
                let value: String
                if rest.first == "\"" {
                    let body = rest.dropFirst().prefix(while: { $0 != "\"" })
                    value = String(body)
                    rest = rest.dropFirst(body.count + 1)
                    if rest.first == "\"" { rest = rest.dropFirst() }
                } else {
                    let body = rest.prefix(while: { $0 != " " && $0 != "\t" && $0 != "(" })
                    value = String(body)
                    rest = rest.dropFirst(body.count)
                }
                switch token.lowercased() {
                case "reason": verdict.reason = value
                case "header.d": verdict.signingDomain = normalizedDomain(value)
                case "header.s": verdict.selector = value.isEmpty ? nil : value.lowercased()
                case "header.i": identity = value
                default: break
                }
            }
        }
        if verdict.reason == nil { verdict.reason = comment }
        if verdict.signingDomain == nil, let identity, let at = identity.lastIndex(of: "@") {
            verdict.signingDomain = normalizedDomain(String(identity[identity.index(after: at)...]))
        }
        return verdict
    }

    private static func normalizedDomain(_ value: String) -> String? {
        let stripped = value.trimming("\"'<>")
        guard !stripped.isEmpty, stripped.lowercased() != "none" else { return nil }
        return DomainName.normalize(stripped)
    }

    /// OpenDKIM's `(2048-bit key; unprotected)` describes the key, not the failure.
    private static func isKeySizeNote(_ text: String) -> Bool {
        text.lowercased().contains("-bit key")
    }

    /// Reads a parenthesised comment (comments may nest) and strips quotes around it.
    private static func readComment(_ text: Substring) -> (String, Substring) {
        var depth = 0
        var index = text.startIndex
        var inQuote = false
        while index < text.endIndex {
            let character = text[index]
            if character == "\"" { inQuote.toggle() }
            if !inQuote {
                if character == "(" { depth += 1 }
                if character == ")" {
                    depth -= 1
                    if depth == 0 { break }
                }
            }
            index = text.index(after: index)
        }
        let inner = text[text.index(after: text.startIndex)..<index]
        let rest = index < text.endIndex ? text[text.index(after: index)...] : text[index...]
        return (String(inner).trimming("\" "), rest)
    }

    /// Splits on `separator` outside double quotes and parentheses.
    static func split(_ text: String, on separator: Character) -> [Substring] {
        var parts: [Substring] = []
        var depth = 0
        var inQuote = false
        var start = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "\"" { inQuote.toggle() }
            else if !inQuote && character == "(" { depth += 1 }
            else if !inQuote && character == ")" { depth = max(0, depth - 1) }
            else if !inQuote && depth == 0 && character == separator {
                parts.append(text[start..<index])
                start = text.index(after: index)
            }
            index = text.index(after: index)
        }
        parts.append(text[start...])
        return parts
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        trimming(" \t\r\n")
    }

    func trimming(_ set: String) -> String {
        let characters = Set(set)
        guard let first = firstIndex(where: { !characters.contains($0) }),
              let last = lastIndex(where: { !characters.contains($0) }) else { return "" }
        return String(self[first...last])
    }
}
