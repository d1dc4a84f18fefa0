/// The rules that turn a verifier's reason text, or a receiver's SMTP reply, into a cause.
///
/// This is the one table to read when a record counted in a surprising way, and the one
/// to extend when a receiver invents a new phrase. Matching is on lower-cased text;
/// the first rule that matches wins, so more specific phrases come first.
/// Sources: RFC 6376 §6.1, OpenDKIM's dkim-tables.c, and receivers' published rejection texts
/// (the README's cause table names them; `EvidenceTests` holds each as a test case).
public enum CauseRules {
    /// Reason texts from a DKIM verdict (`fail (body hash did not verify)`, `reason="…"`).
    public static let verdictReasons: [(phrases: [String], cause: FailureCause)] = [
        // RFC 6376 outcomes that are not about the key, the body or the signature bytes.
        (["from field not signed", "domain mismatch", "unauthorized subdomain"], .other),
        (["body hash", "bodyhash", "does not hash to bh", "wrong body hash", "body-hash"], .bodyHash),
        (["expired", "timestamp in the future"], .expired),
        (["revoked"], .revoked),
        (["no key", "key not found", "key missing", "nxdomain"], .noKey),
        (["too small", "too short", "weak key", "key size"], .weakKey),
        (["dns", "timeout", "timed out", "query failed", "key unavailable", "temporary"], .dns),
        (["syntax", "bad format", "tag missing", "missing required tag", "incompatible version",
          "unacceptable signature header", "inappropriate", "unknown key type", "bad key", "malformed",
          "signature format"], .syntax),
        (["not signed", "no sig", "no signature", "unsigned"], .unsigned),
        (["did not verify", "verification failed", "verify failed", "verify error", "bad sig", "invalid signature",
          "signature error", "signature mismatch", "rsa verify"], .badSignature),
    ]

    /// The cause of a verdict. Empty (nil) for `pass` and `unknown`.
    public static func cause(result: DKIMResult, reason: String?) -> FailureCause? {
        switch result {
        case .pass, .unknown: return nil
        case .none: return .unsigned
        default: break
        }
        if let reason {
            let lower = Array(reason.lowercased().utf8)
            for rule in verdictReasons where rule.phrases.contains(where: { contains(lower, $0) }) {
                return rule.cause
            }
        }
        return result == .temperror ? .dns : .other
    }

    /// One receiver-reply rule: it matches when the reply holds one of `codes` (an enhanced
    /// status code such as 5.7.30) or one of `phrases`; with `needsBoth`, it needs one of each.
    public struct ReplyRule: Sendable {
        public let cause: FailureCause
        public let codes: Set<String>
        public let phrases: [String]
        public let needsBoth: Bool
    }

    /// Authentication rejections in `dsnDiag`. SPF-only rejections (Gmail 4.7.27/5.7.27)
    /// deliberately match nothing: they are not DKIM evidence.
    public static let replyRules: [ReplyRule] = [
        // RFC 7372 X.7.20-22; Gmail's texts, Mimecast, chatmail.
        ReplyRule(cause: .receiverDKIM, codes: ["5.7.20", "5.7.21", "5.7.22"],
                  phrases: ["dkim authentication didn't pass", "dkim authentication did not pass", "dkim does not pass",
                            "dkim sender invalid", "no valid dkim signature", "no passing dkim signature",
                            "no acceptable dkim signature", "dkim signature verification failed", "dkim verification failed",
                            "dkim validation failed", "dkim check failed", "invalid dkim signature", "dkim signature is not valid",
                            "bad dkim signature"], needsBoth: false),
        // Gmail 4.7.30/5.7.30 are Gmail's own codes (the registry gives .30 another meaning): a bare
        // code counts only with Google's mark on the reply (`- gsmtp`).
        ReplyRule(cause: .receiverDKIM, codes: ["4.7.30", "5.7.30"], phrases: ["gsmtp", "google"], needsBoth: true),
        // Gmail 5.7.26 "…DMARC policy", Microsoft 5.7.509, iCloud, Comcast and others; Gmail 4.7.32 alignment.
        ReplyRule(cause: .receiverDMARC, codes: ["5.7.509"],
                  phrases: ["dmarc", "domain owner policy restrictions", "aligned with either the authenticated spf or dkim"],
                  needsBoth: false),
        // Gmail and Yahoo "sender is unauthenticated" (Gmail 2024+: "This mail is unauthenticated … DKIM checks
        // did not pass and SPF check … did not pass"), Microsoft 5.7.515, iCloud HME1.
        ReplyRule(cause: .receiverAuth, codes: ["5.7.515"],
                  phrases: ["sender is unauthenticated", "this mail is unauthenticated", "does not have authentication information",
                            "fails to pass authentication checks", "does not meet the required authentication level",
                            "doesn't meet the required authentication level", "failing both spf and dkim",
                            "must pass either spf or dkim validation", "unauthenticated email", "multiple authentication checks failed"],
                  needsBoth: false),
        // Yahoo 554 5.7.9 "Message not accepted for policy reasons" (help article SLN7253). Not any 5.7.9:
        // RFC 4954's "5.7.9 Authentication mechanism is too weak" is about SMTP AUTH, not the message.
        ReplyRule(cause: .receiverAuth, codes: ["5.7.9"], phrases: ["policy reasons"], needsBoth: true),
    ]

    /// The receiver cause of an SMTP reply, or nil when it is not an authentication rejection.
    public static func replyCause(_ reply: String) -> FailureCause? {
        let lower = Array(reply.lowercased().utf8)
        // Microsoft's 5.7.515 lists each method's verdict (`Spf= Fail , Dkim= Pass , DMARC= Pass`): with
        // DKIM passing, the rejection is about SPF, not the signature.
        guard !saysDKIMPassed(lower) else { return nil }
        let codes = statusCodes(in: lower)
        for rule in replyRules {
            let codeMatch = !rule.codes.isDisjoint(with: codes)
            let phraseMatch = rule.phrases.contains(where: { contains(lower, $0) })
            if rule.needsBoth ? (codeMatch && phraseMatch) : (codeMatch || phraseMatch) {
                return rule.cause
            }
        }
        return nil
    }

    /// True when a lower-cased reply gives DKIM's verdict inline as a pass: `dkim= pass`, `dkim = pass`
    /// (not Gmail's `DKIM = did not pass`).
    static func saysDKIMPassed(_ text: [UInt8]) -> Bool {
        let dkim = Array("dkim".utf8), pass = Array("pass".utf8)
        var index = 0
        while index + dkim.count <= text.count {
            defer { index += 1 }
            guard text[index..<(index + dkim.count)].elementsEqual(dkim) else { continue }
            var cursor = index + dkim.count
            while cursor < text.count, text[cursor] == UInt8(ascii: " ") { cursor += 1 }
            guard cursor < text.count, text[cursor] == UInt8(ascii: "=") else { continue }
            cursor += 1
            while cursor < text.count, text[cursor] == UInt8(ascii: " ") { cursor += 1 }
            if cursor + pass.count <= text.count, text[cursor..<(cursor + pass.count)].elementsEqual(pass) { return true }
        }
        return false
    }

    /// True when `text` holds `phrase` (both lower-case), byte for byte.
    static func contains(_ text: [UInt8], _ phrase: String) -> Bool {
        let needle = Array(phrase.utf8)
        guard let first = needle.first, text.count >= needle.count else { return false }
        var index = 0
        let last = text.count - needle.count
        while index <= last {
            if text[index] == first && text[index..<(index + needle.count)].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }

    /// Enhanced status codes (`class.subject.detail`, RFC 3463) found in lower-cased UTF-8 `bytes`.
    static func statusCodes(in bytes: [UInt8]) -> Set<String> {
        var codes: Set<String> = []
        var index = 0
        func isDigit(_ i: Int) -> Bool { i < bytes.count && bytes[i] &- 48 < 10 }
        while index < bytes.count {
            let startsCode = (bytes[index] == UInt8(ascii: "2") || bytes[index] == UInt8(ascii: "4") || bytes[index] == UInt8(ascii: "5"))
                && (index == 0 || !(isDigit(index - 1) || bytes[index - 1] == UInt8(ascii: ".")))
            if startsCode, index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: ".") {
                var cursor = index + 2
                var parts = 0
                while parts < 2 {
                    let start = cursor
                    while isDigit(cursor), cursor - start < 3 { cursor += 1 }
                    guard cursor > start else { break }
                    parts += 1
                    if parts == 1 {
                        guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: ".") else { break }
                        cursor += 1
                    }
                }
                if parts == 2 && !isDigit(cursor) {
                    codes.insert(String(decoding: bytes[index..<cursor], as: UTF8.self))
                    index = cursor
                    continue
                }
            }
            index += 1
        }
        return codes
    }
}
