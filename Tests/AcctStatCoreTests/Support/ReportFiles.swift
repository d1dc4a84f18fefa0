import Foundation
@testable import AcctStatCore

/// DMARC aggregate reports written for tests, and the containers they arrive in: gzip, zip and mail.
enum ReportFiles {
    struct Signature {
        var domain: String
        var selector: String?
        var result: String
    }

    struct Record {
        var sourceIP = "198.51.100.7"
        var count: Int
        var disposition = "none"
        var dkim = "pass"
        var spf = "pass"
        var headerFrom = "example.org"
        var signatures: [Signature]
    }

    /// An RFC 7489 report; `namespace` writes RFC 9990's, `prefix` puts every element in it under that prefix.
    static func xml(org: String, email: String = "reports@receiver.example", id: String, begin: Int64, end: Int64? = nil,
                    records: [Record], namespace: Bool = false, prefix: String? = nil) -> String {
        let p = prefix.map { $0 + ":" } ?? ""
        func element(_ name: String, _ content: String) -> String { "<\(p)\(name)>\(content)</\(p)\(name)>" }
        let rows = records.map { record in
            let signatures = record.signatures.map { signature in
                element("dkim", element("domain", signature.domain) + (signature.selector.map { element("selector", $0) } ?? "")
                        + element("result", signature.result))
            }.joined()
            return element("record", element("row", element("source_ip", record.sourceIP) + element("count", String(record.count))
                + element("policy_evaluated", element("disposition", record.disposition) + element("dkim", record.dkim)
                          + element("spf", record.spf)))
                + element("identifiers", element("header_from", record.headerFrom))
                + element("auth_results", signatures + element("spf", element("domain", record.headerFrom) + element("result", record.spf))))
        }.joined(separator: "\n")
        let xmlns = namespace ? " xmlns\(prefix.map { ":" + $0 } ?? "")=\"urn:ietf:params:xml:ns:dmarc-2.0\"" : ""
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<\(p)feedback\(xmlns)>\n"
            + element("report_metadata", element("org_name", org) + element("email", email) + element("report_id", id)
                      + element("date_range", element("begin", String(begin)) + element("end", String(end ?? begin + 86399)))) + "\n"
            + element("policy_published", element("domain", "example.org") + element("p", "none")) + "\n"
            + rows + "\n</\(p)feedback>\n"
    }

    /// A zip archive holding `entries`, deflated (the raw deflate data of gzip's member, its CRC-32 from gzip's trailer).
    static func zip(_ entries: [(name: String, content: [UInt8])]) -> [UInt8] {
        var archive: [UInt8] = []
        var directory: [UInt8] = []
        for entry in entries {
            let gzip = gzipBytes(entry.content)
            let deflated = Array(gzip[10..<(gzip.count - 8)])
            let crc = Array(gzip[(gzip.count - 8)..<(gzip.count - 4)])
            let name = Array(entry.name.utf8)
            let offset = archive.count
            archive += le32(0x0403_4b50) + le16(20) + le16(0) + le16(8) + le16(0) + le16(0) + crc + le32(deflated.count)
                + le32(entry.content.count) + le16(name.count) + le16(0) + name + deflated
            directory += le32(0x0201_4b50) + le16(20) + le16(20) + le16(0) + le16(8) + le16(0) + le16(0) + crc + le32(deflated.count)
                + le32(entry.content.count) + le16(name.count) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(offset) + name
        }
        return archive + directory + le32(0x0605_4b50) + le16(0) + le16(0) + le16(entries.count) + le16(entries.count)
            + le32(directory.count) + le32(archive.count) + le16(0)
    }

    static func gzipBytes(_ bytes: [UInt8]) -> [UInt8] {
        TestLogs.gzip(String(decoding: bytes, as: UTF8.self))
    }

    enum Encoding { case base64, quotedPrintable }

    /// A report mail: a text part, then `attachment` as a part of `type` in `encoding`.
    static func mail(from: String = "DMARC Reports <noreply-dmarc@receiver.example>", attachment: [UInt8], type: String,
                     name: String, encoding: Encoding) -> [UInt8] {
        let body: String
        switch encoding {
        case .base64: body = Data(attachment).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        case .quotedPrintable: body = quotedPrintable(attachment)
        }
        let text = """
            Return-Path: <noreply-dmarc@receiver.example>\r
            Received: from mx.receiver.example (mx.receiver.example [192.0.2.1])\r
            \tby mx.example.com with ESMTPS; Tue, 01 Dec 2026 06:00:00 +0000\r
            From: \(from)\r
            To: dmarc@example.org\r
            Subject: Report domain: example.org Submitter: receiver.example\r
            MIME-Version: 1.0\r
            Content-Type: multipart/mixed;\r
            \tboundary="==b0und4ry"\r
            \r
            --==b0und4ry\r
            Content-Type: text/plain; charset=us-ascii\r
            \r
            This is an aggregate report.\r
            --==b0und4ry\r
            Content-Type: \(type); name="\(name)"\r
            Content-Disposition: attachment; filename="\(name)"\r
            Content-Transfer-Encoding: \(encoding == .base64 ? "base64" : "quoted-printable")\r
            \r
            \(body)\r
            --==b0und4ry--\r

            """
        return Array(text.utf8)
    }

    /// Quoted-printable with soft line breaks every 60 characters.
    static func quotedPrintable(_ bytes: [UInt8]) -> String {
        var lines: [String] = []
        var line = ""
        for byte in bytes {
            let piece: String
            if byte == UInt8(ascii: "\n") {
                lines.append(line)
                line = ""
                continue
            } else if byte == UInt8(ascii: "=") || byte >= 0x7F || (byte < 0x20 && byte != 0x09) {
                piece = String(format: "=%02X", byte)
            } else {
                piece = String(UnicodeScalar(byte))
            }
            if line.count + piece.count > 60 {
                lines.append(line + "=")
                line = ""
            }
            line += piece
        }
        lines.append(line)
        return lines.joined(separator: "\r\n")
    }

    private static func le16(_ value: Int) -> [UInt8] { [UInt8(value & 0xff), UInt8(value >> 8 & 0xff)] }
    private static func le32(_ value: Int) -> [UInt8] { le16(value & 0xffff) + le16(value >> 16 & 0xffff) }
}
