/// Replays bytes a probe already read, then continues with the source they came from.
///
/// Probing reads the first few KiB of every input to recognise and fingerprint it;
/// this lets the ingester start from byte 0 without reopening (stdin cannot be reopened).
public final class PrefixedSource: ByteSource {
    private let prefix: [UInt8]
    private var prefixOffset = 0
    private let rest: ByteSource

    public init(prefix: [UInt8], rest: ByteSource) {
        self.prefix = prefix
        self.rest = rest
    }

    public var ending: SourceEnding { rest.ending }
    public var inputBytesRead: Int64 { rest.inputBytesRead }
    /// The prefix was read from `rest` first, so its offsets are the same.
    public var verifiedOffset: Int64? { rest.verifiedOffset }

    public func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard prefixOffset < prefix.count else { return rest.read(into: buffer) }
        let count = min(buffer.count, prefix.count - prefixOffset)
        prefix.withUnsafeBytes { bytes in
            buffer.baseAddress!.copyMemory(from: bytes.baseAddress! + prefixOffset, byteCount: count)
        }
        prefixOffset += count
        return count
    }

    public func skip(_ count: Int64) -> Int64 {
        let fromPrefix = Int(min(Int64(prefix.count - prefixOffset), count))
        prefixOffset += fromPrefix
        return Int64(fromPrefix) + rest.skip(count - Int64(fromPrefix))
    }
}
