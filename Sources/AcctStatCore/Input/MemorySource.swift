import AcctStatCore

/// A ``ByteSource`` over bytes in memory that hands them out `chunkSize` at a time.
final class MemorySource: ByteSource {
    private let bytes: [UInt8]
    private let chunkSize: Int
    private var offset = 0
    private(set) var ending: SourceEnding = .open
    var inputBytesRead: Int64 { Int64(offset) }

    init(_ bytes: [UInt8], chunkSize: Int = .max) {
        self.bytes = bytes
        self.chunkSize = chunkSize
    }

    convenience init(_ text: String, chunkSize: Int = .max) {
        self.init(Array(text.utf8), chunkSize: chunkSize)
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
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

/// Chunk sizes every parser fixture is fed at (STYLE.md).
let chunkSizes = [1, 2, 3, 7, 64, 4096, Int.max]
