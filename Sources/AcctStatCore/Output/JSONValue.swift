/// A JSON value with deterministic output: keys keep their insertion order.
public indirect enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double, decimals: Int)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool { lhs.rendered() == rhs.rendered() }

    /// The value as a CSV field: text as is, numbers formatted, null empty.
    public var plainText: String? {
        switch self {
        case .null: nil
        case .bool(let value): value ? "true" : "false"
        case .int(let value): String(value)
        case .double(let value, let decimals): Decimal.format(value, decimals: decimals)
        case .string(let value): value
        case .array, .object: rendered()
        }
    }

    /// Compact JSON on one line, as NDJSON needs.
    public func rendered() -> String {
        var output = ""
        write(into: &output, indent: nil, level: 0)
        return output
    }

    /// Indented JSON for files people read.
    public func pretty() -> String {
        var output = ""
        write(into: &output, indent: "  ", level: 0)
        return output + "\n"
    }

    /// Writes, exactly as `pretty()` would, an object of `members` and then `key`, an array whose
    /// elements `elements` hands over one at a time: a long array is never held whole.
    static func writePretty(_ members: [(String, JSONValue)], then key: String, to write: (String) throws -> Void,
                            elements: (_ append: (JSONValue) throws -> Void) throws -> Void) throws {
        try write("{\n")
        for (name, value) in members {
            var member = "  "
            appendQuoted(name, to: &member)
            member += ": "
            value.write(into: &member, indent: "  ", level: 1)
            try write(member + ",\n")
        }
        var member = "  "
        appendQuoted(key, to: &member)
        try write(member + ": ")
        try writeArray(level: 1, to: write, elements: elements)
        try write("\n}\n")
    }

    /// Writes, exactly as `pretty()` would, an array of what `elements` hands over one at a time.
    static func writePretty(to write: (String) throws -> Void, elements: (_ append: (JSONValue) throws -> Void) throws -> Void) throws {
        try writeArray(level: 0, to: write, elements: elements)
        try write("\n")
    }

    private static func writeArray(level: Int, to write: (String) throws -> Void,
                                   elements: (_ append: (JSONValue) throws -> Void) throws -> Void) throws {
        let pad = String(repeating: "  ", count: level + 1)
        var count = 0
        try withoutActuallyEscaping(write) { write in
            try elements { element in
                var text = (count == 0 ? "[\n" : ",\n") + pad
                element.write(into: &text, indent: "  ", level: level + 1)
                try write(text)
                count += 1
            }
        }
        try write(count == 0 ? "[]" : "\n" + String(repeating: "  ", count: level) + "]")
    }

    private func write(into output: inout String, indent: String?, level: Int) {
        let newline = indent == nil ? "" : "\n"
        func pad(_ depth: Int) {
            guard let indent else { return }
            for _ in 0..<depth { output += indent }
        }
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .int(let value): output += String(value)
        case .double(let value, let decimals): output += Decimal.format(value, decimals: decimals)
        case .string(let value): Self.appendQuoted(value, to: &output)
        case .array(let values):
            guard !values.isEmpty else { output += "[]"; return }
            output += "[" + newline
            for (index, value) in values.enumerated() {
                pad(level + 1)
                value.write(into: &output, indent: indent, level: level + 1)
                if index + 1 < values.count { output += "," }
                output += newline
            }
            pad(level)
            output += "]"
        case .object(let members):
            guard !members.isEmpty else { output += "{}"; return }
            output += "{" + newline
            for (index, (key, value)) in members.enumerated() {
                pad(level + 1)
                Self.appendQuoted(key, to: &output)
                output += indent == nil ? ":" : ": "
                value.write(into: &output, indent: indent, level: level + 1)
                if index + 1 < members.count { output += "," }
                output += newline
            }
            pad(level)
            output += "}"
        }
    }

    /// Appends `text` as a JSON string, escaped where JSON needs it and `<` too (safe in HTML).
    static func appendQuoted(_ text: String, to output: inout String) {
        output += "\""
        // Most texts (names, codes, times) need no escape: copied whole, not scalar by scalar.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "<") }) {
            output += text
            output += "\""
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "<": output += "\\u003c"   // safe to embed in HTML
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }
}

/// Fixed-decimal formatting without Foundation's locale surprises.
public enum Decimal {
    public static func format(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "null" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        let whole = Int64(scaled / scale)
        let fraction = Int64(scaled - Double(whole) * scale)
        let sign = value < 0 && scaled != 0 ? "-" : ""
        guard decimals > 0 else { return sign + String(whole) }
        let digits = String(fraction)
        return sign + String(whole) + "." + String(repeating: "0", count: decimals - digits.count) + digits
    }
}
