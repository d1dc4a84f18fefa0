import CZlib

/// Inflates a gzip stream read from another ``ByteSource``, member after member.
///
/// Notes for the next maintainer:
/// - The `z_stream` lives at a stable heap address: zlib keeps pointers into it.
/// - Window bits `15 + 32` let zlib detect the gzip header (and zlib headers) itself.
/// - `inflate` returns `Z_STREAM_END` at the end of each gzip member. Concatenated
///   members are legal gzip (logrotate and `cat a.gz b.gz` make them), so after a
///   member ends we reset and carry on while bytes remain. Anything after a member
///   that does not start with the gzip magic is reported as damage, like zcat's
///   "trailing garbage".
/// - Input that ends inside a member is ``SourceEnding/truncated``: a file still
///   being compressed, or one cut off. All bytes inflated before that are delivered.
/// See the zlib manual: https://zlib.net/manual.html
public final class GzipSource: ByteSource {
    private let compressed: ByteSource
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: UnsafeMutableRawBufferPointer
    private var inputEnd = false
    private var memberEnded = false
    public private(set) var ending: SourceEnding = .open
    public var inputBytesRead: Int64 { compressed.inputBytesRead }

    public init(compressed: ByteSource, inputBufferSize: Int = 1 << 17) {
        self.compressed = compressed
        self.input = .allocate(byteCount: inputBufferSize, alignment: 16)
        self.stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        if czlib_inflateInit2(stream, 15 + 32) != Z_OK {
            ending = .damaged("zlib could not start")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        input.deallocate()
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard ending == .open, buffer.count > 0 else { return 0 }
        stream.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = uInt(min(buffer.count, Int(UInt32.max)))
        while stream.pointee.avail_out > 0 {
            if stream.pointee.avail_in == 0 && !refill() { break }
            if memberEnded {
                // A new member must start with the gzip magic; anything else is garbage.
                guard startsWithGzipMagic() else {
                    ending = .damaged("unexpected bytes after the end of the gzip data")
                    break
                }
                inflateReset(stream)
                memberEnded = false
            }
            let status = inflate(stream, Z_NO_FLUSH)
            switch status {
            case Z_OK, Z_BUF_ERROR:
                continue
            case Z_STREAM_END:
                memberEnded = true
            default:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "status \(status)"
                ending = .damaged("corrupt gzip data (\(message))")
            }
            if ending != .open { break }
        }
        let produced = buffer.count - Int(stream.pointee.avail_out)
        if produced == 0 && ending == .open {
            ending = memberEnded ? .clean : .truncated
        }
        return produced
    }

    /// Reads more compressed input; false at the end of the underlying stream.
    private func refill() -> Bool {
        guard !inputEnd else { return false }
        let got = compressed.read(into: input)
        if got == 0 {
            inputEnd = true
            if case .damaged(let why) = compressed.ending { ending = .damaged(why) }
            return false
        }
        stream.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_in = uInt(got)
        return true
    }

    /// True when the pending input starts with 1f 8b, reading one more byte if needed.
    private func startsWithGzipMagic() -> Bool {
        let first = stream.pointee.next_in[0]
        if stream.pointee.avail_in >= 2 {
            return first == 0x1f && stream.pointee.next_in[1] == 0x8b
        }
        // Only one byte is buffered: move it to the front and read more behind it.
        input.storeBytes(of: first, toByteOffset: 0, as: UInt8.self)
        let got = inputEnd ? 0 : compressed.read(into: UnsafeMutableRawBufferPointer(rebasing: input[1...]))
        if got == 0 { inputEnd = true }
        stream.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_in = uInt(1 + got)
        return got > 0 && first == 0x1f && input.load(fromByteOffset: 1, as: UInt8.self) == 0x8b
    }
}
