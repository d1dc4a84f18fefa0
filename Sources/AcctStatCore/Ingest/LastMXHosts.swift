/// Each recipient domain's last MX host name (up to 32 bytes) and its provider, by the domain's
/// local id: a domain's records nearly always name the same MX, and comparing four words is far
/// cheaper than hashing and looking the name up for every record (that cost 7-9% of an ingest).
/// Names over 32 bytes are not remembered: they are looked up each time, so the answer is always exact.
struct LastMXHosts {
    /// Four words per domain: the host name's bytes, zero-padded.
    private var words: [UInt64] = []
    /// Per domain: the name's length, 0 when nothing is remembered.
    private var lengths: [UInt8] = []
    private var providers: [MailboxHost?] = []

    static let maximumLength = 32

    /// The provider remembered for `host` at `domain`: `.some(nil)` when the host is known to
    /// have none; nil when `host` is not the domain's remembered one.
    /// `mutating` though it changes nothing: read in place from the class that holds it, where a
    /// plain read would retain and release its three arrays for every record.
    @inline(__always)
    mutating func provider(domain: Int32, host: UnsafeRawBufferPointer) -> MailboxHost?? {
        let slot = Int(domain)
        guard slot < lengths.count, Int(lengths[slot]) == host.count, host.count <= Self.maximumLength else { return nil }
        let loaded = Self.load(host)
        let base = slot * 4
        guard words[base] == loaded.0, words[base + 1] == loaded.1, words[base + 2] == loaded.2, words[base + 3] == loaded.3 else { return nil }
        return .some(providers[slot])
    }

    mutating func remember(domain: Int32, host: UnsafeRawBufferPointer, provider: MailboxHost?) {
        guard host.count <= Self.maximumLength, domain >= 0 else { return }
        let slot = Int(domain)
        if slot >= lengths.count {
            let grown = max(slot + 1, lengths.count * 2)
            words += repeatElement(0, count: grown * 4 - words.count)
            lengths += repeatElement(0, count: grown - lengths.count)
            providers += repeatElement(nil, count: grown - providers.count)
        }
        let loaded = Self.load(host)
        (words[slot * 4], words[slot * 4 + 1], words[slot * 4 + 2], words[slot * 4 + 3]) = loaded
        lengths[slot] = UInt8(host.count)
        providers[slot] = provider
    }

    /// Up to 32 bytes as four words, zero-padded.
    @inline(__always)
    private static func load(_ bytes: UnsafeRawBufferPointer) -> (UInt64, UInt64, UInt64, UInt64) {
        var padded: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &padded) { target in
            target.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes.prefix(maximumLength)))
        }
        return padded
    }
}
