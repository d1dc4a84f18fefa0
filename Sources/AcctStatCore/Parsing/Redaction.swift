/// Removes personal data from texts acctstat stores.
///
/// Receivers often quote the recipient in their reply (`550 5.1.1 <jane@example.com>: no
/// such user`). acctstat never stores local parts, so they become `*`. Working on bytes
/// lets ingest use the redacted reply as its cache key: replies that differ only in the
/// recipient are classified once.
public enum Redaction {
    /// Copies `text` into `output`, replacing the local part of every `local@domain` with `*`.
    public static func redactAddresses(_ text: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        output.removeAll(keepingCapacity: true)
        var copied = 0
        var at = atSign.firstIndex(in: text, from: 0, to: text.count)
        while at < text.count {
            // The local part runs back from the '@' to a delimiter (or the previous address's '@').
            var start = at
            while start > copied, isLocalPart(text[start - 1]) { start -= 1 }
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[copied..<start]))
            if start < at { output.append(UInt8(ascii: "*")) }
            output.append(UInt8(ascii: "@"))
            copied = at + 1
            at = atSign.firstIndex(in: text, from: copied, to: text.count)
        }
        output.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[copied...]))
    }

    private static let atSign = ByteSearch(UInt8(ascii: "@"))

    /// The String form of ``redactAddresses(_:into:)``.
    public static func redactAddresses(_ text: String) -> String {
        var output: [UInt8] = []
        Array(text.utf8).withUnsafeBytes { redactAddresses($0, into: &output) }
        return String(decoding: output, as: UTF8.self)
    }

    private static func isLocalPart(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "("),
             UInt8(ascii: ")"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ":"), UInt8(ascii: "["), UInt8(ascii: "]"),
             UInt8(ascii: "\t"), UInt8(ascii: "="), UInt8(ascii: "@"), UInt8(ascii: "*"):
            return false
        default:
            return true
        }
    }
}
