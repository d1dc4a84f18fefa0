/// An Internet message (RFC 5322) with MIME parts (RFC 2045, 2046), enough to find a DMARC
/// report attached to it: headers, nested multiparts, base64 and quoted-printable bodies.
struct MailMessage {
    /// Header fields in order, names lower-cased, folded lines joined.
    let headers: [(name: String, value: String)]
    let body: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) {
        var headers: [(name: String, value: String)] = []
        var index = bytes.startIndex
        var bodyStart = bytes.endIndex
        while index < bytes.endIndex {
            let lineEnd = bytes[index...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
            var line = bytes[index..<lineEnd]
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            let next = min(lineEnd + 1, bytes.endIndex)
            if line.isEmpty {
                bodyStart = next
                break
            }
            let text = String(decoding: line, as: UTF8.self)
            if let first = line.first, first == 0x20 || first == 0x09, !headers.isEmpty {
                headers[headers.count - 1].value += " " + text.trimmingCharacters(in: .whitespaces)
            } else if let colon = text.firstIndex(of: ":") {
                headers.append((text[..<colon].trimmingCharacters(in: .whitespaces).lowercased(),
                                text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            }
            index = next
        }
        self.headers = headers
        self.body = bytes[bodyStart...]
    }

    /// The first value of a header field (name in any case).
    func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name == lower }?.value
    }

    /// The content type, lower-cased (`text/plain` by default), and its parameters (names lower-cased).
    var contentType: (type: String, parameters: [String: String]) {
        let (value, parameters) = Self.split(header("content-type") ?? "text/plain")
        return (value.lowercased(), parameters)
    }

    /// The file name of an attachment, from Content-Disposition or Content-Type.
    var fileName: String? {
        header("content-disposition").flatMap { Self.split($0).parameters["filename"] } ?? contentType.parameters["name"]
    }

    /// The parts of a multipart body, or nil for a single part.
    var parts: [MailMessage]? {
        let (type, parameters) = contentType
        guard type.hasPrefix("multipart/"), let boundary = parameters["boundary"], !boundary.isEmpty else { return nil }
        let delimiter = Array("--\(boundary)".utf8)
        var parts: [MailMessage] = []
        var partStart: Int?
        var index = body.startIndex
        while index < body.endIndex {
            let lineEnd = body[index...].firstIndex(of: UInt8(ascii: "\n")) ?? body.endIndex
            let line = body[index..<lineEnd]
            if line.starts(with: delimiter) {
                if let start = partStart {
                    // The line break before the delimiter belongs to the delimiter.
                    var end = index
                    if end > start, body[end - 1] == UInt8(ascii: "\n") { end -= 1 }
                    if end > start, body[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                    parts.append(MailMessage(body[start..<end]))
                }
                if line.dropFirst(delimiter.count).starts(with: Array("--".utf8)) { return parts }
                partStart = min(lineEnd + 1, body.endIndex)
            }
            index = lineEnd + 1
        }
        // No closing delimiter (a cut-off mail): the last part is kept as it is.
        if let start = partStart, start < body.endIndex { parts.append(MailMessage(body[start...])) }
        return parts
    }

    /// Every part that is not itself a multipart, depth first.
    var leaves: [MailMessage] {
        guard let parts else { return [self] }
        return parts.flatMap(\.leaves)
    }

    /// True for a DMARC failure report or any other ARF feedback report (RFC 5965, 6591).
    var isFeedbackReport: Bool {
        let (type, parameters) = contentType
        if type == "multipart/report", parameters["report-type"]?.lowercased() == "feedback-report" { return true }
        if type == "message/feedback-report" { return true }
        return parts?.contains { $0.isFeedbackReport } ?? false
    }

    /// The body with its transfer encoding undone.
    var decodedBody: [UInt8] {
        switch header("content-transfer-encoding")?.lowercased() {
        case "base64": Self.base64(body)
        case "quoted-printable": Self.quotedPrintable(body)
        default: Array(body)
        }
    }

    /// `value; name=param; name2="param 2"` → the value and its parameters.
    static func split(_ field: String) -> (value: String, parameters: [String: String]) {
        var pieces: [String] = []
        var current = ""
        var quoted = false
        for character in field {
            if character == "\"" { quoted.toggle() }
            if character == ";" && !quoted {
                pieces.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        pieces.append(current)
        var parameters: [String: String] = [:]
        for piece in pieces.dropFirst() {
            guard let equals = piece.firstIndex(of: "=") else { continue }
            let name = piece[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var value = piece[piece.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            parameters[name] = value
        }
        return (pieces[0].trimmingCharacters(in: .whitespaces), parameters)
    }

    /// Base64, skipping line breaks and anything else outside the alphabet.
    static func base64(_ text: ArraySlice<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(text.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in text {
            let value: UInt32
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = UInt32(byte - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = UInt32(byte - UInt8(ascii: "a")) + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = UInt32(byte - UInt8(ascii: "0")) + 52
            case UInt8(ascii: "+"), UInt8(ascii: "-"): value = 62
            case UInt8(ascii: "/"), UInt8(ascii: "_"): value = 63
            case UInt8(ascii: "="): return output
            default: continue
            }
            accumulator = accumulator << 6 | value
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return output
    }

    /// Quoted-printable: `=XX` escapes, and soft line breaks (`=` at a line's end) removed.
    static func quotedPrintable(_ text: ArraySlice<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(text.count)
        var index = text.startIndex
        while index < text.endIndex {
            let byte = text[index]
            guard byte == UInt8(ascii: "=") else {
                output.append(byte)
                index += 1
                continue
            }
            let next = index + 1
            if next < text.endIndex, text[next] == UInt8(ascii: "\n") {
                index = next + 1
            } else if next + 1 < text.endIndex, text[next] == UInt8(ascii: "\r"), text[next + 1] == UInt8(ascii: "\n") {
                index = next + 2
            } else if next + 1 < text.endIndex, let high = hexValue(text[next]), let low = hexValue(text[next + 1]) {
                output.append(high << 4 | low)
                index = next + 2
            } else {
                output.append(byte)
                index += 1
            }
        }
        return output
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
