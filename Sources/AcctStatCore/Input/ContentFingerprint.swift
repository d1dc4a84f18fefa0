/// Identifies an accounting file by its decompressed content, not by its name.
///
/// The fingerprint hashes the header line and the first data record, which carries
/// a time stamp and a recipient, so two different files practically never share
/// it. The ledger also keeps the first ``headLength`` bytes (`head`): a file is the
/// same content as a ledger entry when their heads agree over the shorter of the
/// two. That is how a live file that has grown, or one that was rotated and
/// gzipped after a partial read, is recognised as the content already begun.
public struct ContentFingerprint: Hashable, Sendable {
    /// How many leading bytes of decompressed content a probe reads and the ledger keeps.
    public static let headLength = 4096

    /// Hex FNV-1a 64 of the header line and first record, with their length.
    public let value: String
    /// The first bytes of content, at most ``headLength``.
    public let head: [UInt8]

    /// Returns nil when `head` does not yet hold a complete first record, unless the
    /// stream is known to have ended (`complete`) with data after the header.
    public init?(head: [UInt8], complete: Bool) {
        var lineEnds = 0
        var identityEnd: Int?
        var index = 0
        while index < head.count {
            let byte = head[index]
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                if byte == UInt8(ascii: "\r"), index + 1 < head.count, head[index + 1] == UInt8(ascii: "\n") {
                    index += 1
                }
                lineEnds += 1
                if lineEnds == 2 {
                    identityEnd = index + 1
                    break
                }
            }
            index += 1
        }
        if identityEnd == nil, complete, lineEnds == 1, head.count > 0 {
            // A header plus one record with no final line end: the whole content identifies it.
            let last = head[head.count - 1]
            if last != UInt8(ascii: "\n") && last != UInt8(ascii: "\r") { identityEnd = head.count }
        }
        if identityEnd == nil, lineEnds >= 1, head.count == Self.headLength {
            // A first record longer than the head: the full head identifies the content.
            identityEnd = head.count
        }
        guard let end = identityEnd else { return nil }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in head[0..<end] {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        self.value = String(hash, radix: 16) + "-" + String(end)
        self.head = head
    }

    /// True when `other` is a prefix of this head or this head of it: the same content, read at different lengths.
    public func sameContent(asHead other: [UInt8]) -> Bool { Self.sameContent(head, other) }

    /// True when one head is a prefix of the other: the same content, read at different lengths.
    public static func sameContent(_ one: [UInt8], _ other: [UInt8]) -> Bool {
        let shorter = min(one.count, other.count)
        return one[0..<shorter] == other[0..<shorter]
    }
}
