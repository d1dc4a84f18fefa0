/// A ``ByteSource`` over bytes in memory (a mail's attachment; tests' inputs) that hands them out
/// `chunkSize` at a time.
public final class MemorySource: ByteSource {
    private let bytes: [UInt8]
    private let chunkSize: Int
    private var offset = 0
    public private(set) var ending: SourceEnding = .open
    public var inputBytesRead: Int64 { Int64(offset) }

    public init(_ bytes: [UInt8], chunkSize: Int = .max) {
        self.bytes = bytes
        self.chunkSize = chunkSize
    }

    public convenience init(_ text: String, chunkSize: Int = .max) {
        self.init(Array(text.utf8), chunkSize: chunkSize)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let count = min(buffer.count, chunkSize, bytes.count - offset)
        guard count > 0 else {
            ending = .clean
            return 0
        }
        bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: count) }
        offset += count
        return count
    }
}
