/// A file that carries DMARC reports, recognised by its content: an aggregate report's XML, a
/// zip holding one (gzip is undone before this, like any gzip input), or an e-mail message with
/// one attached. Mail that carries a failure report (ARF, RFC 6591) is recognised too, so it can
/// be counted and skipped: its content can hold personal data and is never stored.
public enum ReportInput {
    public enum Form: String, Sendable {
        case xml, zip, mail
    }

    /// What a report file held: its aggregate reports, and the documents in it that could not be read.
    public struct Contents: Sendable {
        public var reports: [AggregateReport] = []
        public var problems: [ReportInputError] = []
        /// A failure (forensic) report: nothing read, nothing stored.
        public var forensic = false
    }

    /// Decides from the first (decompressed) bytes and the file's name whether this may be a DMARC
    /// report file; nil for anything else.
    public static func recognize(head: [UInt8], name: String) -> Form? {
        let lower = name.lowercased()
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            let entry = ZipArchive.firstEntryName(head: head)?.lowercased() ?? ""
            return entry.hasSuffix(".xml") || lower.contains(".zip") ? .zip : nil
        }
        var start = head.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while start < head.count, isSpace(head[start]) { start += 1 }
        if start < head.count, head[start] == UInt8(ascii: "<") {
            return hasFeedbackElement(head) || lower.contains(".xml") ? .xml : nil
        }
        return looksLikeMail(head) ? .mail : nil
    }

    /// Reads every aggregate report in `bytes`; `limit` caps what any attachment or zip entry
    /// inflates to. Throws when the file as a whole cannot be read (a damaged zip, a mail with no
    /// report); a document in it that cannot be read is one of the contents' problems.
    public static func read(_ bytes: [UInt8], form: Form, limit: Int) throws(ReportInputError) -> Contents {
        switch form {
        case .xml:
            return Contents(reports: [try AggregateReportParser.parse(bytes)])
        case .zip:
            return documents(try ZipArchive.xmlEntries(of: bytes, limit: limit).map(\.bytes), fallbackReporter: "")
        case .mail:
            let message = MailMessage(bytes[...])
            if message.isFeedbackReport { return Contents(forensic: true) }
            let sender = message.header("from").flatMap { AggregateReportParser.domain(ofAddress: $0) } ?? ""
            var documents: [[UInt8]] = []
            var problems: [ReportInputError] = []
            for part in message.leaves {
                do throws(ReportInputError) {
                    documents += try reportDocuments(in: part, limit: limit)
                } catch {
                    problems.append(error)
                }
            }
            if documents.isEmpty && problems.isEmpty {
                throw ReportInputError(.noReport, "a mail with no DMARC report attached (subject: \(message.header("subject")?.prefix(80) ?? "none"))")
            }
            var contents = Self.documents(documents, fallbackReporter: sender)
            contents.problems = problems + contents.problems
            return contents
        }
    }

    /// Parses each document, keeping the reports and the problems apart.
    private static func documents(_ documents: [[UInt8]], fallbackReporter: String) -> Contents {
        var contents = Contents()
        for document in documents {
            do throws(ReportInputError) {
                contents.reports.append(try AggregateReportParser.parse(document, fallbackReporter: fallbackReporter))
            } catch {
                contents.problems.append(error)
            }
        }
        return contents
    }

    /// The report documents one mail part holds: an XML, gzip or zip attachment, by its content
    /// (reporters label them every way: application/gzip, application/octet-stream, text/xml).
    private static func reportDocuments(in part: MailMessage, limit: Int) throws(ReportInputError) -> [[UInt8]] {
        let type = part.contentType.type
        let name = part.fileName?.lowercased() ?? ""
        guard !type.hasPrefix("text/html") else { return [] }
        let body = part.decodedBody
        if body.starts(with: [0x1f, 0x8b]) {
            let source = GzipSource(compressed: MemorySource(body))
            guard let inflated = source.readAll(limit: limit) else { throw ReportInputError.tooLarge(limit: limit) }
            if let ended = ReportInputError(ending: source.ending) { throw ended }
            return hasFeedbackElement(Array(inflated.prefix(4096))) ? [inflated] : []
        }
        if body.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            return try ZipArchive.xmlEntries(of: body, limit: limit).map(\.bytes)
        }
        if body.count > limit { throw ReportInputError.tooLarge(limit: limit) }
        return hasFeedbackElement(Array(body.prefix(4096))) || name.hasSuffix(".xml") ? [body] : []
    }

    /// True when the bytes hold the start of a `feedback` element, with or without a prefix.
    static func hasFeedbackElement(_ bytes: [UInt8]) -> Bool {
        let name = Array("feedback".utf8)
        var from = 0
        while let found = ByteText.firstIndex(of: name, in: bytes, from: from) {
            let before = found > 0 ? bytes[found - 1] : 0
            let after = found + name.count < bytes.count ? bytes[found + name.count] : UInt8(ascii: ">")
            if before == UInt8(ascii: "<") || before == UInt8(ascii: ":") {
                if isSpace(after) || after == UInt8(ascii: ">") || after == UInt8(ascii: "/") { return true }
            }
            from = found + 1
        }
        return false
    }

    /// An Internet message: its first line is a header field, and a field every mail carries
    /// starts a line within the first bytes.
    static func looksLikeMail(_ head: [UInt8]) -> Bool {
        guard let colon = head.firstIndex(of: UInt8(ascii: ":")), colon > 0,
              head[..<colon].allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return false }
        let text = String(decoding: head, as: UTF8.self).lowercased()
        return ["\nfrom:", "\nsubject:", "\ncontent-type:", "\nmime-version:", "\nreceived:", "\ndate:"]
            .contains { text.contains($0) } || ["from:", "received:", "return-path:", "delivered-to:"].contains { text.hasPrefix($0) }
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
