import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Why a DMARC input could not be read: a problem kind and a message naming what was wrong.
public struct ReportInputError: Error, Equatable, Sendable {
    public var kind: ProblemKind
    public var message: String
    /// The line in the XML document, when the parser knows it.
    public var line: Int?

    public init(_ kind: ProblemKind, _ message: String, line: Int? = nil) {
        self.kind = kind
        self.message = message
        self.line = line
    }

    /// Why gzip data ended early, if it did: cut off, or damaged.
    init?(ending: SourceEnding) {
        switch ending {
        case .truncated: self.init(.truncatedGzip, "truncated gzip: the report data ends early (cut off?)")
        case .damaged(let why): self.init(.corruptData, why)
        case .open, .clean: return nil
        }
    }

    /// Data that inflates beyond `limit` bytes.
    static func tooLarge(limit: Int) -> ReportInputError {
        ReportInputError(.tooLarge, "DMARC report data that inflates beyond \(limit >> 20) MiB (a zip or gzip bomb?); not read")
    }

    /// The problem as the ingest records it, in the file at `path`.
    func sample(at path: String) -> ProblemSample {
        ProblemSample(kind: kind, path: path, line: line, message: message)
    }
}

/// Reads a DMARC aggregate report's XML with Foundation's event-driven `XMLParser` (libxml2's SAX
/// interface: no document tree is built), with or without the RFC 9990 namespace or any prefix.
///
/// Lenient where real reporters deviate: junk before the root element (some send an `<xs:schema>`
/// line first) or after it, extra whitespace, upper-case results, a missing selector, an empty
/// `org_name`. Strict where data would be lost or made up: invalid XML or UTF-8, no report id, no
/// date range, a record without a count. Entities are never resolved: a document that declares one
/// is refused.
public enum AggregateReportParser {
    /// Parses one report. `fallbackReporter` names the reporter when the report names neither an
    /// `org_name` nor a contact e-mail (the sending mail's domain, when it came by mail).
    public static func parse(_ bytes: [UInt8], fallbackReporter: String = "") throws(ReportInputError) -> AggregateReport {
        if ByteText.firstIndex(of: Array("<!ENTITY".utf8), in: bytes) != nil {
            throw ReportInputError(.invalidReport, "the XML declares entities, which are never resolved (XML external entities)")
        }
        let (document, linesCut) = rootElement(of: bytes)
        guard let document else {
            throw ReportInputError(.invalidReport, "no <feedback> element: not a DMARC aggregate report")
        }
        if declaresUTF8(document), let offset = firstInvalidUTF8(document) {
            let line = linesCut + 1 + document[..<offset].reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            throw ReportInputError(.invalidUTF8, "invalid UTF-8 at byte \(offset) of the XML", line: line)
        }
        let reader = Reader()
        // A stream, not one Data: libxml2 refuses a single chunk above 10 MB (its XML_MAX_TEXT_LENGTH),
        // and large senders get reports larger than that.
        let parser = XMLParser(stream: InputStream(data: Data(document)))
        parser.shouldResolveExternalEntities = false
        parser.shouldProcessNamespaces = false
        parser.delegate = reader
        let parsed = parser.parse()
        if let refused = reader.refused { throw refused }
        if !parsed || reader.parseError != nil {
            let code = (reader.parseError?.error as NSError?)?.code
            throw ReportInputError(.invalidReport, "invalid XML: \(code.map(Self.reason) ?? "the parser stopped")",
                                   line: linesCut + (reader.parseError?.line ?? parser.lineNumber))
        }
        var report = reader.report
        if let missing = reader.missing.first {
            throw ReportInputError(.invalidReport, missing)
        }
        if report.reportId.isEmpty { throw ReportInputError(.invalidReport, "the report has no report_id") }
        if !reader.sawBegin || !reader.sawEnd {
            throw ReportInputError(.invalidReport, "the report has no date_range begin and end (epoch seconds)")
        }
        if report.reporter.isEmpty {
            report.reporter = domain(ofAddress: report.reporterEmail) ?? fallbackReporter
        }
        if report.reporter.isEmpty { throw ReportInputError(.invalidReport, "the report names no reporter (org_name or email)") }
        return report
    }

    /// The XML declaration, if any, and the `feedback` element, whatever precedes or follows them;
    /// and how many lines were cut before the element.
    static func rootElement(of bytes: [UInt8]) -> (document: [UInt8]?, linesCut: Int) {
        var index = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        var declaration: ArraySlice<UInt8> = []
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D {
            index += 1
        }
        if bytes[index...].starts(with: Array("<?xml".utf8)), let close = ByteText.firstIndex(of: Array("?>".utf8), in: bytes, from: index) {
            declaration = bytes[index..<(close + 2)]
            index = close + 2
        }
        var cursor = index
        while let open = bytes[cursor...].firstIndex(of: UInt8(ascii: "<")) {
            var nameEnd = open + 1
            while nameEnd < bytes.count, isNameByte(bytes[nameEnd]) { nameEnd += 1 }
            let name = bytes[(open + 1)..<nameEnd]
            let local = name.lastIndex(of: UInt8(ascii: ":")).map { name[($0 + 1)...] } ?? name
            if Array(local) == Array("feedback".utf8), nameEnd < bytes.count, !isNameByte(bytes[nameEnd]) {
                var end = bytes.count
                let closing = Array("</".utf8) + Array(name) + Array(">".utf8)
                if let last = ByteText.lastIndex(of: closing, in: bytes, from: open) { end = last + closing.count }
                let linesCut = bytes[declaration.endIndex..<open].reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
                return (Array(declaration) + (declaration.isEmpty ? [] : [0x0A]) + bytes[open..<end],
                        linesCut + bytes[..<declaration.endIndex].reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
                            - (declaration.isEmpty ? 0 : 1))
            }
            cursor = open + 1
        }
        return (nil, 0)
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":")
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }

    /// libxml2's error number (what `XMLParser` reports on Linux) in words.
    static func reason(_ code: Int) -> String {
        let words: String = switch code {
        case 4: "the document is empty"
        case 5: "the document ends early, or goes on after its root element"
        case 9: "a character XML does not allow"
        case 23, 26: "an undeclared or unfinished entity reference (an unescaped &?)"
        case 31, 32: "an encoding the parser cannot read"
        case 39, 40, 41, 42: "a malformed attribute"
        case 68, 73: "a malformed tag"
        case 76: "an end tag does not match its start tag"
        case 77: "the document ends inside an element (cut off?)"
        default: "the document is not well-formed"
        }
        return words + " (libxml2 error \(code))"
    }

    /// True unless the XML declaration names another encoding than UTF-8.
    private static func declaresUTF8(_ document: [UInt8]) -> Bool {
        guard document.starts(with: Array("<?xml".utf8)), let close = ByteText.firstIndex(of: Array("?>".utf8), in: document) else {
            return true
        }
        let declaration = String(decoding: document[..<close], as: UTF8.self).lowercased()
        guard let range = declaration.range(of: "encoding") else { return true }
        let value = declaration[range.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\"" || $0 == "'" }
        return value.hasPrefix("utf-8") || value.hasPrefix("utf8") || value.hasPrefix("us-ascii") || value.hasPrefix("ascii")
    }

    /// The offset of the first byte that is not part of well-formed UTF-8, if any.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let following: Int
            let smallest: UInt32
            if lead & 0xE0 == 0xC0 {
                (following, smallest) = (1, 0x80)
            } else if lead & 0xF0 == 0xE0 {
                (following, smallest) = (2, 0x800)
            } else if lead & 0xF8 == 0xF0 {
                (following, smallest) = (3, 0x10000)
            } else {
                return index
            }
            guard index + following < bytes.count else { return index }
            var scalar = UInt32(lead) & (0x3F >> UInt32(following))
            for offset in 1...following {
                let byte = bytes[index + offset]
                guard byte & 0xC0 == 0x80 else { return index }
                scalar = scalar << 6 | UInt32(byte & 0x3F)
            }
            if scalar < smallest || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { return index }
            index += following + 1
        }
        return nil
    }

    /// The domain of an e-mail address (`mailto:` and angle brackets allowed), lower-cased.
    static func domain(ofAddress address: String) -> String? {
        var text = address.trimmingCharacters(in: .whitespacesAndNewlines)
        if let open = text.lastIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close {
            text = String(text[text.index(after: open)..<close])
        }
        guard let at = text.lastIndex(of: "@") else { return nil }
        let domain = text[text.index(after: at)...].trimmingCharacters(in: CharacterSet(charactersIn: " >;,")).lowercased()
        return domain.isEmpty ? nil : domain
    }

    /// The parser's delegate: follows the path of local element names and fills the report.
    private final class Reader: NSObject, XMLParserDelegate {
        var report = AggregateReport()
        /// The local names from the root, joined by `/` (`feedback/record/row/count`), and where
        /// each level starts in it: kept as one string, since every event switches on it.
        var path = ""
        var levelStarts: [String.Index] = []
        var text = ""
        var record = AggregateReport.Record()
        var signature = AggregateReport.Signature()
        var sawBegin = false, sawEnd = false
        /// The first error, and the line the parser was on.
        var parseError: (error: Error, line: Int)?
        var refused: ReportInputError?
        /// Required values that were missing or unreadable, in document order.
        var missing: [String] = []

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            levelStarts.append(path.endIndex)
            path += (path.isEmpty ? "" : "/") + Self.local(elementName)
            text = ""
            switch path {
            case "feedback/record": record = AggregateReport.Record()
            case "feedback/record/auth_results/dkim": signature = AggregateReport.Signature()
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            text += string
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
            let lower = value.lowercased()
            switch path {
            case "feedback/report_metadata/org_name": report.reporter = value
            case "feedback/report_metadata/email": report.reporterEmail = value
            case "feedback/report_metadata/report_id": report.reportId = value
            case "feedback/report_metadata/date_range/begin":
                if let seconds = Self.seconds(value) { (report.begin, sawBegin) = (seconds, true) }
            case "feedback/report_metadata/date_range/end":
                if let seconds = Self.seconds(value) { (report.end, sawEnd) = (seconds, true) }
            case "feedback/policy_published/domain": report.policy.domain = lower
            case "feedback/policy_published/p": report.policy.p = lower
            case "feedback/policy_published/sp": report.policy.sp = lower
            case "feedback/policy_published/pct": report.policy.pct = Int64(value)
            case "feedback/policy_published/adkim": report.policy.adkim = lower
            case "feedback/policy_published/aspf": report.policy.aspf = lower
            case "feedback/record/row/source_ip": record.sourceIP = lower
            case "feedback/record/row/count":
                if let count = Int64(value), count >= 0 {
                    record.count = count
                } else {
                    missing.append("record \(report.records.count + 1) has no count a number can be read from ('\(value)')")
                }
            case "feedback/record/row/policy_evaluated/disposition": record.disposition = lower
            case "feedback/record/row/policy_evaluated/dkim": record.dmarcDKIM = lower
            case "feedback/record/row/policy_evaluated/spf": record.dmarcSPF = lower
            case "feedback/record/identifiers/header_from": record.headerFrom = lower
            case "feedback/record/identifiers/envelope_from": record.envelopeFrom = lower
            case "feedback/record/auth_results/dkim/domain": signature.domain = lower
            case "feedback/record/auth_results/dkim/selector": signature.selector = lower
            case "feedback/record/auth_results/dkim/result": signature.result = lower
            case "feedback/record/auth_results/dkim/human_result": signature.humanResult = value
            case "feedback/record/auth_results/dkim": record.signatures.append(signature)
            case "feedback/record": report.records.append(record)
            default: break
            }
            if let start = levelStarts.popLast() { path.removeSubrange(start...) }
            text = ""
        }

        func parser(_ parser: XMLParser, foundInternalEntityDeclarationWithName name: String, value: String?) {
            refuse(parser)
        }

        func parser(_ parser: XMLParser, foundExternalEntityDeclarationWithName name: String, publicID: String?, systemID: String?) {
            refuse(parser)
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
            if self.parseError == nil { self.parseError = (parseError, parser.lineNumber) }
        }

        private func refuse(_ parser: XMLParser) {
            refused = ReportInputError(.invalidReport, "the XML declares entities, which are never resolved (XML external entities)")
            parser.abortParsing()
        }

        /// `dmarc:feedback` → `feedback`.
        static func local(_ name: String) -> String {
            name.lastIndex(of: ":").map { String(name[name.index(after: $0)...]) } ?? name
        }

        /// Epoch seconds, as an integer or (some reporters) a decimal.
        static func seconds(_ text: String) -> Int64? {
            if let whole = Int64(text) { return whole }
            return Double(text).flatMap { $0.isFinite ? Int64($0) : nil }
        }
    }
}
