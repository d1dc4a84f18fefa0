#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The name of the PowerMTA host that wrote the logs (`--mta`), stored with every count,
/// failure and ledger row, so many hosts can share one database and each keeps its own ledger.
public enum MTAName {
    /// The default `--mta`: `$ACCTSTAT_MTA` when set, else this machine's host name as `hostname`
    /// prints it (lowercased).
    public static var local: String {
        if let configured = ProcessInfo.processInfo.environment["ACCTSTAT_MTA"], let name = try? normalized(configured) {
            return name
        }
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return (try? normalized(name)) ?? "localhost"
    }

    /// `name` as a filter looks it up: as stored when it is a host name, else as given (it then
    /// matches nothing, and the report says which hosts there are).
    public static func lookup(_ name: String) -> String { (try? normalized(name)) ?? name }

    /// `name` as stored: trimmed and lowercased (host names are case-insensitive). Throws for an
    /// empty name, one over 253 bytes, or one with a space, a comma or a control character.
    public static func normalized(_ name: String) throws -> String {
        let trimmed = name.trimmingCharacters(in: .whitespaces).lowercased()
        guard !trimmed.isEmpty else { throw MTANameError(message: "--mta needs a host name") }
        guard trimmed.utf8.count <= 253 else { throw MTANameError(message: "--mta is longer than a host name can be (253 bytes)") }
        guard !trimmed.unicodeScalars.contains(where: { $0.value < 0x21 || $0 == "," || $0.value == 0x7f }) else {
            throw MTANameError(message: "--mta '\(trimmed)' has a space, a comma or a control character; give the host's name")
        }
        return trimmed
    }
}

public struct MTANameError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}
