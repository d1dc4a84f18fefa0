#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One input, opened and probed: its format, whether it is accounting data, and its fingerprint.
public final class InputFile {
    /// How the bytes are stored on disk.
    public enum Compression: String, Sendable { case plain, gzip }

    /// What the probe found.
    public enum Content: Equatable, Sendable {
        /// An accounting file (or stream) whose first line is a PowerMTA header.
        case accounting
        /// A plain file with nothing in it yet: what logrotate's `create` leaves until PowerMTA
        /// writes its header. Waiting, not a problem.
        case empty
        /// Not accounting data; the reason says what was found instead.
        case other(String)
    }

    public let path: String
    public let compression: Compression
    public let content: Content
    /// Nil for accounting data that does not yet hold a whole first record.
    public let fingerprint: ContentFingerprint?
    /// The first decompressed bytes (up to ``ContentFingerprint/headLength``), what the probe read.
    public let head: [UInt8]
    /// Decompressed bytes, starting at byte 0 (the probe's bytes are replayed).
    public let source: ByteSource
    /// Size on disk and last modification, when the input is a file.
    public let sizeOnDisk: Int64?
    public let modified: Double?
    /// Stdin or a FIFO: read as it comes, never settled by its size or age.
    public var isStream: Bool { sizeOnDisk == nil }

    /// The name used for standard input.
    public static let stdinPath = "-"

    private init(path: String, compression: Compression, content: Content, fingerprint: ContentFingerprint?,
                 head: [UInt8], source: ByteSource, sizeOnDisk: Int64?, modified: Double?) {
        self.path = path
        self.compression = compression
        self.content = content
        self.fingerprint = fingerprint
        self.head = head
        self.source = source
        self.sizeOnDisk = sizeOnDisk
        self.modified = modified
    }

    /// Opens and probes `path` (`-` is standard input). Throws only when it cannot be opened.
    public static func open(_ path: String) throws(InputError) -> InputFile {
        let descriptor: Int32
        var size: Int64?
        var modified: Double?
        if path == stdinPath {
            descriptor = STDIN_FILENO
        } else {
            descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else {
                throw InputError(path: path, reason: String(cString: strerror(errno)), vanished: errno == ENOENT)
            }
            var info = stat()
            if fstat(descriptor, &info) == 0 {
                size = Int64(info.st_size)
                modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
                if (info.st_mode & S_IFMT) == S_IFDIR {
                    close(descriptor)
                    throw InputError(path: path, reason: "is a directory")
                }
                if (info.st_mode & S_IFMT) == S_IFIFO {
                    // A named pipe given on the command line is read as a stream, like stdin.
                    (size, modified) = (nil, nil)
                }
            }
        }
        let raw = PlainFileSource(descriptor: descriptor, ownsDescriptor: path != stdinPath)
        var magic = [UInt8](repeating: 0, count: 2)
        let magicCount = magic.withUnsafeMutableBytes { readFully(raw, into: $0) }
        magic.removeLast(2 - magicCount)
        let isGzip = magic == [0x1f, 0x8b]
        let replayed = PrefixedSource(prefix: magic, rest: raw)
        let decoded: ByteSource = isGzip ? GzipSource(compressed: replayed) : replayed

        var head = [UInt8](repeating: 0, count: ContentFingerprint.headLength)
        let headCount = head.withUnsafeMutableBytes { readFully(decoded, into: $0) }
        head.removeLast(head.count - headCount)
        let complete = headCount < ContentFingerprint.headLength && decoded.ending.isComplete

        let content = classify(head: head, isGzip: isGzip, ending: decoded.ending)
        return InputFile(
            path: path,
            compression: isGzip ? .gzip : .plain,
            content: content,
            fingerprint: content == .accounting ? ContentFingerprint(head: head, complete: complete) : nil,
            head: head,
            source: PrefixedSource(prefix: head, rest: decoded),
            sizeOnDisk: size,
            modified: modified)
    }

    /// Decides from the first bytes whether this is PowerMTA accounting data.
    static func classify(head: [UInt8], isGzip: Bool, ending: SourceEnding) -> Content {
        if head.isEmpty {
            if case .damaged(let why) = ending { return .other(why) }
            if ending == .truncated { return .other("truncated gzip with no data") }
            return isGzip ? .other("empty gzip data") : .empty
        }
        var start = 0
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        var end = start
        while end < head.count, head[end] != UInt8(ascii: ","), head[end] != UInt8(ascii: "\n"),
              head[end] != UInt8(ascii: "\r") {
            end += 1
        }
        let firstField = head[start..<end].map { $0 | 0x20 }
        if firstField == Array("type".utf8), end < head.count, head[end] == UInt8(ascii: ",") {
            return .accounting
        }
        if head.contains(0) { return .other("binary data") }
        return .other("first line is not a PowerMTA accounting header (its first field must be 'type')")
    }

    private static func readFully(_ source: ByteSource, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        var filled = 0
        while filled < buffer.count {
            let got = source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            if got == 0 { break }
            filled += got
        }
        return filled
    }
}

/// An input that could not be opened or walked.
public struct InputError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let reason: String
    /// The file no longer exists: rotated away between listing and opening.
    public var vanished = false
    public var description: String { "\(path): \(reason)" }
}
