/// The form of a receiver's reply (`dsnDiag`) that acctstat classifies, caches and stores.
///
/// Besides the recipient they quote (``Redaction``), the biggest receivers put a token in each
/// reply that is unique to the message or to the server that answered:
/// - Gmail ends every reply with a message id: `… 5.7.26 https://support.google.com/… x12si1234567qkb.12 - gsmtp`;
/// - Microsoft names its front-end server, lately with a time and a request id, in brackets
///   (`[BN8NAM12FT067.eop-nam12.prod.protection.outlook.com 2025-05-05T12:34:56.789Z 08DD…]`),
///   and Outlook.com adds a message id (`[MxId=11B9F8E1C0A1BC2F]`).
///
/// Those tokens become `*`, so one rejection is one detail however many messages it hit:
/// reports group its samples, the database stores its text once, and ingest classifies it once.
public enum ReplyDetail {
    /// Copies the stored form of `reply` into `output`: addresses redacted, per-message tokens masked.
    public static func storedForm(of reply: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        Redaction.redactAddresses(reply, into: &output)
        maskGmailMessageId(&output)
        maskMicrosoftTokens(&output)
    }

    /// The String form of ``storedForm(of:into:)``.
    public static func storedForm(_ reply: String) -> String {
        var output: [UInt8] = []
        Array(reply.utf8).withUnsafeBytes { storedForm(of: $0, into: &output) }
        return String(decoding: output, as: UTF8.self)
    }

    private static let gmailTrailer = Array(" - gsmtp".utf8)

    /// `<id> - gsmtp` at the end (trailing spaces aside) becomes `* - gsmtp`.
    private static func maskGmailMessageId(_ text: inout [UInt8]) {
        var end = text.count
        while end > 0, text[end - 1] == UInt8(ascii: " ") { end -= 1 }
        let trailerStart = end - gmailTrailer.count
        guard trailerStart > 0, text[trailerStart..<end].elementsEqual(gmailTrailer) else { return }
        var idStart = trailerStart
        while idStart > 0, text[idStart - 1] != UInt8(ascii: " ") { idStart -= 1 }
        guard idStart < trailerStart else { return }
        text.replaceSubrange(idStart..<trailerStart, with: [UInt8(ascii: "*")])
    }

    private static let messageIdTag = Array("MxId=".utf8)

    /// A bracketed group naming an `….outlook.com` server becomes `[*.outlook.com]`; `[MxId=…]` becomes `[MxId=*]`.
    private static func maskMicrosoftTokens(_ text: inout [UInt8]) {
        var searchFrom = 0
        while let open = text[searchFrom...].firstIndex(of: UInt8(ascii: "[")),
              let close = text[(open + 1)...].firstIndex(of: UInt8(ascii: "]")) {
            let inside = text[(open + 1)..<close]
            var replacement: [UInt8]?
            // ASCII case only: a host name's.
            let lowercased = inside.map { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) ? $0 | 0x20 : $0 }
            if String(decoding: lowercased, as: UTF8.self).contains(".outlook.com") {
                replacement = Array("*.outlook.com".utf8)
            } else if inside.starts(with: messageIdTag), inside.count > messageIdTag.count {
                replacement = messageIdTag + [UInt8(ascii: "*")]
            }
            guard let replacement else {
                searchFrom = close + 1
                continue
            }
            text.replaceSubrange((open + 1)..<close, with: replacement)
            searchFrom = open + 1 + replacement.count + 1
        }
    }
}
