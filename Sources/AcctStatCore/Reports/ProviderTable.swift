/// Maps recipient domains to mailbox providers (Google, Microsoft, Yahoo, …).
///
/// The table is `data/providers.txt`, embedded at build time; users extend it with their
/// own file in the same format, whose lines win.
public struct ProviderTable: Sendable {
    private var exact: [String: String] = [:]
    private var anyTopLevel: [String: String] = [:]   // "hotmail" for hotmail.*

    public static let other = "other"

    /// The built-in table, optionally extended by `userText` (read first, so it wins).
    public init(userText: String? = nil) throws(ProviderTableError) {
        if let userText { try add(userText, source: "user provider file") }
        try add(EmbeddedQueries.providers, source: "data/providers.txt")
    }

    /// The built-in table's text (`data/providers.txt`, embedded at build time).
    public static var builtIn: String { EmbeddedQueries.providers + "\n" }

    /// Every provider the table names, `other` included.
    public var names: Set<String> { Set(exact.values).union(anyTopLevel.values).union([Self.other]) }

    public func provider(of domain: String?) -> String {
        guard let domain else { return Self.other }
        if let name = exact[domain] { return name }
        // hotmail.co.uk → try "hotmail.co", then "hotmail": the domain up to each dot, longest first.
        var end = domain.endIndex
        while let dot = domain.utf8[..<end].lastIndex(of: UInt8(ascii: ".")) {
            if let name = anyTopLevel[String(domain[..<dot])] { return name }
            end = dot
        }
        return Self.other
    }

    private mutating func add(_ text: String, source: String) throws(ProviderTableError) {
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingSpaces
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            guard let colon = line.firstIndex(of: ":") else {
                throw ProviderTableError(description: "\(source):\(number + 1): expected 'Name: domain …'")
            }
            let name = line[..<colon].trimmingSpaces
            for pattern in line[line.index(after: colon)...].split(whereSeparator: { $0 == " " || $0 == "\t" }) {
                let lower = pattern.lowercased()
                if lower.hasSuffix(".*") {
                    let stem = String(lower.dropLast(2))
                    if anyTopLevel[stem] == nil { anyTopLevel[stem] = name }
                } else if exact[lower] == nil {
                    exact[lower] = name
                }
            }
        }
    }
}

public struct ProviderTableError: Error, CustomStringConvertible, Sendable {
    public let description: String
}
