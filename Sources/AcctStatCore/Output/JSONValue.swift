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
        var output = OutputBytes()
        write(into: &output, pretty: false, level: 0)
        return output.takeText()
    }

    /// Indented JSON for files people read.
    public func pretty() -> String {
        var output = OutputBytes()
        write(into: &output, pretty: true, level: 0)
        output.append(UInt8(ascii: "\n"))
        return output.takeText()
    }

    /// Writes, exactly as `pretty()` would, an object of `members` and then `key`, an array whose
    /// elements `elements` hands over one at a time: a long array is never held whole.
    static func writePretty<Element: JSONWritable>(_ members: [(String, JSONValue)], then key: String, to write: (String) throws -> Void,
                                                   elements: (_ append: (Element) throws -> Void) throws -> Void) throws {
        var output = OutputBytes()
        output.append("{\n")
        for (name, value) in members {
            output.append("  ")
            appendQuoted(name, to: &output)
            output.append(": ")
            value.write(into: &output, pretty: true, level: 1)
            output.append(",\n")
        }
        output.append("  ")
        appendQuoted(key, to: &output)
        output.append(": ")
        try writeArray(level: 1, into: &output, to: write, elements: elements)
        output.append("\n}\n")
        try output.write(to: write, ifOver: 0)
    }

    /// Writes, exactly as `pretty()` would, an array of what `elements` hands over one at a time.
    static func writePretty<Element: JSONWritable>(to write: (String) throws -> Void,
                                                   elements: (_ append: (Element) throws -> Void) throws -> Void) throws {
        var output = OutputBytes()
        try writeArray(level: 0, into: &output, to: write, elements: elements)
        output.append(UInt8(ascii: "\n"))
        try output.write(to: write, ifOver: 0)
    }

    /// Appends the array to `output`, handing the text on to `write` in pieces as it grows.
    private static func writeArray<Element: JSONWritable>(level: Int, into output: inout OutputBytes, to write: (String) throws -> Void,
                                                          elements: (_ append: (Element) throws -> Void) throws -> Void) throws {
        var count = 0
        try withoutActuallyEscaping(write) { write in
            try elements { element in
                output.append(count == 0 ? "[\n" : ",\n")
                pad(&output, level + 1)
                element.write(into: &output, pretty: true, level: level + 1)
                try output.write(to: write)
                count += 1
            }
        }
        guard count > 0 else { return output.append("[]") }
        output.append(UInt8(ascii: "\n"))
        pad(&output, level)
        output.append(UInt8(ascii: "]"))
    }

    func write(into output: inout OutputBytes, pretty: Bool, level: Int) {
        switch self {
        case .null: output.append("null")
        case .bool(let value): output.append(value ? "true" : "false")
        case .int(let value): output.append(decimal: value)
        case .double(let value, let decimals): output.append(Decimal.format(value, decimals: decimals))
        case .string(let value): Self.appendQuoted(value, to: &output)
        case .array(let values):
            Self.writeContainer(open: "[", close: "]", count: values.count, into: &output, pretty: pretty, level: level) { index, output in
                values[index].write(into: &output, pretty: pretty, level: level + 1)
            }
        case .object(let members):
            Self.writeObject(keys: members.map(\.0), into: &output, pretty: pretty, level: level) { index, output in
                members[index].1.write(into: &output, pretty: pretty, level: level + 1)
            }
        }
    }

    /// Writes an object of `keys` as `.object` is written, each member's value by `value`
    /// (its index, the output): a row can be written straight from its columns, with no
    /// `JSONValue` made for it.
    static func writeObject(keys: [String], into output: inout OutputBytes, pretty: Bool, level: Int,
                            value: (Int, inout OutputBytes) -> Void) {
        writeContainer(open: "{", close: "}", count: keys.count, into: &output, pretty: pretty, level: level) { index, output in
            appendQuoted(keys[index], to: &output)
            output.append(pretty ? ": " : ":")
            value(index, &output)
        }
    }

    /// An array or object: `open`, the elements `element` writes, separated by commas and, when
    /// `pretty`, each on its own line one level deeper, then `close`. Empty, just `open` and `close`.
    private static func writeContainer(open: Unicode.Scalar, close: Unicode.Scalar, count: Int, into output: inout OutputBytes,
                                       pretty: Bool, level: Int, element: (Int, inout OutputBytes) -> Void) {
        output.append(UInt8(ascii: open))
        guard count > 0 else { return output.append(UInt8(ascii: close)) }
        for index in 0..<count {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            if pretty {
                output.append(UInt8(ascii: "\n"))
                pad(&output, level + 1)
            }
            element(index, &output)
        }
        if pretty {
            output.append(UInt8(ascii: "\n"))
            pad(&output, level)
        }
        output.append(UInt8(ascii: close))
    }

    private static func pad(_ output: inout OutputBytes, _ depth: Int) {
        for _ in 0..<depth { output.append("  ") }
    }

    /// Appends `text` as a JSON string, or `null` when there is none (an unknown name).
    static func appendQuotedOrNull(_ text: UnsafeRawBufferPointer?, to output: inout OutputBytes) {
        if let text { appendQuoted(text, to: &output) } else { output.append("null") }
    }

    static func appendQuotedOrNull(_ text: String?, to output: inout OutputBytes) {
        if let text { appendQuoted(text, to: &output) } else { output.append("null") }
    }

    /// Appends `text` as a JSON string (``appendQuoted(_:to:)-bytes``).
    static func appendQuoted(_ text: String, to output: inout OutputBytes) {
        var text = text
        text.withUTF8 { appendQuoted(UnsafeRawBufferPointer($0), to: &output) }
    }

    /// Appends UTF-8 `text` as a JSON string, escaped where JSON needs it and `<` too (safe in
    /// HTML). Every byte that needs an escape is ASCII, so other bytes are copied as they are.
    static func appendQuoted(_ text: UnsafeRawBufferPointer, to output: inout OutputBytes) {
        output.append(UInt8(ascii: "\""))
        // Most texts (names, codes, times) need no escape: copied whole, not byte by byte.
        guard text.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "<") }) else {
            output.append(text)
            return output.append(UInt8(ascii: "\""))
        }
        let hex = Array("0123456789abcdef".utf8)
        for byte in text {
            switch byte {
            case UInt8(ascii: "\""): output.append("\\\"")
            case UInt8(ascii: "\\"): output.append("\\\\")
            case UInt8(ascii: "\n"): output.append("\\n")
            case UInt8(ascii: "\r"): output.append("\\r")
            case UInt8(ascii: "\t"): output.append("\\t")
            case UInt8(ascii: "<"): output.append("\\u003c")   // safe to embed in HTML
            case ..<0x20:
                output.append("\\u00")
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 15)])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}

/// A value written as JSON at a depth of indentation: a ``JSONValue``, or a row written straight
/// from its columns (``JSONValue/writeObject(keys:into:pretty:level:value:)``).
protocol JSONWritable {
    func write(into output: inout OutputBytes, pretty: Bool, level: Int)
}

extension JSONValue: JSONWritable {}
