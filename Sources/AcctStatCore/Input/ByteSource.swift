/// A forward-only stream of decompressed accounting bytes.
///
/// Sources never throw while reading: a damaged or unreadable input ends the
/// stream, and ``ending`` says why. Everything returned before that is good
/// data, so the ingester keeps every complete record before the damage.
public protocol ByteSource: AnyObject {
    /// Reads up to `buffer.count` bytes and returns how many were read; 0 means the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int

    /// How many of the bytes read so far a checksum has verified; nil without checksums (a default).
    var verifiedOffset: Int64? { get }

    /// Why the stream ended; meaningful once ``read(into:)`` has returned 0.
    var ending: SourceEnding { get }

    /// Compressed (on-disk) bytes consumed so far, for progress reporting.
    var inputBytesRead: Int64 { get }

    /// Skips `count` bytes of decompressed data and returns how many were skipped.
    func skip(_ count: Int64) -> Int64
}

/// How a ``ByteSource`` ended.
public enum SourceEnding: Equatable, Sendable {
    /// Still open: more bytes may follow.
    case open
    /// Reached the end of the input normally. For gzip, every member was complete.
    case clean
    /// The gzip stream stopped in the middle of a member: cut off, or still being written.
    case truncated
    /// The bytes could not be decoded (bad gzip data), or the file could not be read.
    case damaged(String)

    /// True when the data is known to be complete, so a final record without a line end is whole.
    public var isComplete: Bool { self == .clean }
}

extension ByteSource {
    /// For data with checksums (gzip): how many of the bytes read so far a checksum has verified
    /// (the end of the last gzip member whose CRC-32 and length matched). nil for data without
    /// checksums, whose bytes are as good as read.
    public var verifiedOffset: Int64? { nil }

    /// Resuming a gzip file at a checkpoint has to inflate everything before it;
    /// plain files seek instead (see ``PlainFileSource``).
    public func skip(_ count: Int64) -> Int64 {
        skipByReading(count)
    }

    /// Every byte left (a DMARC report or attachment, read whole), or nil past `limit`.
    public func readAll(limit: Int) -> [UInt8]? {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(into: $0) }
            if count == 0 { return bytes }
            bytes += chunk[0..<count]
            if bytes.count > limit { return nil }
        }
    }

    /// Reads and discards `count` bytes, returning how many were skipped.
    public func skipByReading(_ count: Int64) -> Int64 {
        var remaining = count
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 8)
        defer { scratch.deallocate() }
        while remaining > 0 {
            let want = Int(min(Int64(scratch.count), remaining))
            let got = read(into: UnsafeMutableRawBufferPointer(rebasing: scratch[0..<want]))
            if got == 0 { break }
            remaining -= Int64(got)
        }
        return count - remaining
    }
}
