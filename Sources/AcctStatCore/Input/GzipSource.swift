/// Inflates a gzip stream read from another ``ByteSource``, member after member.
///
/// Notes for the next maintainer:
/// - The decoding itself is a ``GzipDecoder``: Intel ISA-L when it can be loaded (about
///   eight times faster than zlib on accounting logs), zlib otherwise. This type owns the
///   input buffer and the rules that do not depend on the decoder.
/// - A decoder reports the end of each gzip member. Concatenated members are legal gzip
///   (logrotate and `cat a.gz b.gz` make them), so after a member ends we reset and
///   carry on while bytes remain. Anything after a member that does not start with the
///   gzip magic is reported as damage, like zcat's "trailing garbage".
/// - Input that ends inside a member is ``SourceEnding/truncated``: a file still
///   being compressed, or one cut off. All bytes inflated before that are delivered.
/// See RFC 1952 (gzip) and the zlib manual: https://zlib.net/manual.html
public final class GzipSource: ByteSource {
    private let compressed: ByteSource
    private let decoder: GzipDecoder
    private let input: UnsafeMutableRawBufferPointer
    private var inputStart = 0
    private var inputEnd = 0
    private var compressedEnded = false
    private var memberEnded = false
    public private(set) var ending: SourceEnding = .open
    public var inputBytesRead: Int64 { compressed.inputBytesRead }
    /// Decompressed bytes delivered so far.
    private var delivered: Int64 = 0
    /// Decompressed bytes up to the end of the last member whose CRC-32 and length verified:
    /// a bit flipped in a member decodes to plausible garbage, found out only at the member's end.
    public private(set) var verifiedBytes: Int64 = 0
    public var verifiedOffset: Int64? { verifiedBytes }

    public init(compressed: ByteSource, decoder kind: GzipDecoderKind = .preferred, inputBufferSize: Int = 1 << 17) {
        self.compressed = compressed
        self.input = .allocate(byteCount: max(inputBufferSize, 2), alignment: 16)
        switch kind {
        case .isal: decoder = ISALDecoder() ?? ZlibDecoder()
        case .zlib: decoder = ZlibDecoder()
        }
        if let failure = decoder.startupFailure { ending = .damaged(failure) }
    }

    deinit {
        input.deallocate()
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard ending == .open, buffer.count > 0 else { return 0 }
        var produced = 0
        while produced < buffer.count {
            if inputStart == inputEnd && !refill() { break }
            if memberEnded {
                // A new member must start with the gzip magic; anything else is garbage.
                guard startsWithGzipMagic() else {
                    ending = .damaged("unexpected bytes after the end of the gzip data")
                    break
                }
                decoder.reset()
                memberEnded = false
            }
            let pending = UnsafeRawBufferPointer(rebasing: input[inputStart..<inputEnd])
            let step = decoder.step(pending, into: UnsafeMutableRawBufferPointer(rebasing: buffer[produced...]))
            inputStart += step.consumed
            produced += step.produced
            switch step.status {
            case .progress:
                if step.consumed == 0 && step.produced == 0 { ending = .damaged("corrupt gzip data (the decoder made no progress)") }
            case .memberEnd:
                memberEnded = true
                verifiedBytes = delivered + Int64(produced)
            case .failed(let why):
                ending = .damaged("corrupt gzip data (\(why))")
            }
            if ending != .open { break }
        }
        if produced == 0 && ending == .open {
            ending = memberEnded ? .clean : .truncated
        }
        delivered += Int64(produced)
        return produced
    }

    /// Reads more compressed input; false at the end of the underlying stream.
    private func refill() -> Bool {
        guard !compressedEnded else { return false }
        let got = compressed.read(into: input)
        if got == 0 {
            compressedEnded = true
            if case .damaged(let why) = compressed.ending { ending = .damaged(why) }
            return false
        }
        inputStart = 0
        inputEnd = got
        return true
    }

    /// True when the pending input starts with 1f 8b, reading one more byte if needed.
    private func startsWithGzipMagic() -> Bool {
        if inputEnd - inputStart < 2 {
            // Only one byte is buffered: move it to the front and read more behind it.
            input[0] = input[inputStart]
            let got = compressedEnded ? 0 : compressed.read(into: UnsafeMutableRawBufferPointer(rebasing: input[1...]))
            if got == 0 { compressedEnded = true }
            inputStart = 0
            inputEnd = 1 + got
            if got == 0 { return false }
        }
        return input[inputStart] == 0x1f && input[inputStart + 1] == 0x8b
    }
}
