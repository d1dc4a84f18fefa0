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
        for byte in text {
            if byte == UInt8(ascii: "@") {
                var removed = false
                while let last = output.last, isLocalPart(last) {
                    output.removeLast()
                    removed = true
                }
                if removed { output.append(UInt8(ascii: "*")) }
            }
            output.append(byte)
        }
    }

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
