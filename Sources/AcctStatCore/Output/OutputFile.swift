import Foundation

/// Writes output to stdout, or atomically to a file: a temporary file beside it, then a rename,
/// so a reader never sees half a file and a failed run leaves the old file in place.
public enum OutputFile {
    public static func write(_ text: String, to path: String?) throws {
        try stream(to: path) { write in try write(text) }
    }

    /// What `body` writes, as one text (for callers and tests that want the output whole).
    public static func text(_ body: (_ write: (String) throws -> Void) throws -> Void) rethrows -> String {
        var text = ""
        try body { text += $0 }
        return text
    }

    /// Gives `body` a function that appends text to the output, written out in 1 MiB pieces, so
    /// output of any length takes little memory; with a `path`, the file appears when `body` returns.
    public static func stream(to path: String?, _ body: (_ write: (String) throws -> Void) throws -> Void) throws {
        guard let path, path != "-" else {
            try Sink(FileHandle.standardOutput, name: "stdout").run(body)
            return
        }
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil),
                  let handle = FileHandle(forWritingAtPath: temporary.path) else {
                throw StoreError("cannot write \(path): \(String(cString: strerror(errno)))")
            }
            defer { try? handle.close() }
            try Sink(handle, name: path).run(body)
            if rename(temporary.path, url.path) != 0 {
                throw StoreError("cannot rename \(temporary.path) to \(path): \(String(cString: strerror(errno)))")
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    /// Buffers text and writes it to a file handle.
    private final class Sink {
        private let handle: FileHandle
        private let name: String
        private var buffer: [UInt8] = []
        private static let pieceSize = 1 << 20

        init(_ handle: FileHandle, name: String) {
            self.handle = handle
            self.name = name
            buffer.reserveCapacity(Self.pieceSize)
        }

        func run(_ body: (_ write: (String) throws -> Void) throws -> Void) throws {
            try body { text in
                self.buffer.append(contentsOf: text.utf8)
                if self.buffer.count >= Self.pieceSize { try self.flush() }
            }
            try flush()
        }

        private func flush() throws {
            guard !buffer.isEmpty else { return }
            do {
                try handle.write(contentsOf: buffer)
            } catch {
                throw StoreError("cannot write \(name): \(error.localizedDescription)")
            }
            buffer.removeAll(keepingCapacity: true)
        }
    }
}
