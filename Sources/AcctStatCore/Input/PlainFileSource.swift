#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads an uncompressed file (or standard input) through a POSIX descriptor.
public final class PlainFileSource: ByteSource {
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    public private(set) var ending: SourceEnding = .open
    public private(set) var inputBytesRead: Int64 = 0

    public init(descriptor: Int32, ownsDescriptor: Bool) {
        self.descriptor = descriptor
        self.ownsDescriptor = ownsDescriptor
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard ending == .open, buffer.count > 0 else { return 0 }
        while true {
            let got = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if got > 0 {
                inputBytesRead += Int64(got)
                return got
            }
            if got == 0 {
                ending = .clean
                return 0
            }
            if errno == EINTR { continue }
            ending = .damaged("read error: \(String(cString: strerror(errno)))")
            return 0
        }
    }

    /// Seeks past `count` bytes when the descriptor is a regular file, else reads them.
    /// Never seeks past the end: a file shorter than `count` skips only what it has.
    public func skip(_ count: Int64) -> Int64 {
        var info = stat()
        let position = lseek(descriptor, 0, SEEK_CUR)
        if position >= 0, fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG {
            let skipped = max(0, min(count, Int64(info.st_size) - Int64(position)))
            if lseek(descriptor, off_t(Int64(position) + skipped), SEEK_SET) >= 0 {
                inputBytesRead += skipped
                return skipped
            }
        }
        return skipByReading(count)
    }
}
