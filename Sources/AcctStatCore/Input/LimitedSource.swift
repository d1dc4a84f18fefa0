/// The first `bytes` bytes of another source: reading damaged gzip data again up to where it was read before.
final class LimitedSource: ByteSource {
    private let source: ByteSource
    private var remaining: Int64

    init(_ source: ByteSource, bytes: Int64) {
        self.source = source
        self.remaining = max(0, bytes)
    }

    /// Open at the limit: what lies beyond it is not this source's end.
    var ending: SourceEnding { remaining == 0 ? .open : source.ending }
    var inputBytesRead: Int64 { source.inputBytesRead }
    var verifiedOffset: Int64? { source.verifiedOffset }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard remaining > 0 else { return 0 }
        let want = Int(min(Int64(buffer.count), remaining))
        let got = source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<want]))
        remaining -= Int64(got)
        return got
    }
}
