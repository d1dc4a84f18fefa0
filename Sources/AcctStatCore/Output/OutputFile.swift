import Foundation

/// Writes output to stdout, or atomically to a file: a temporary file beside it, then a rename,
/// so a reader never sees half a file and a failed run leaves the old file in place.
public enum OutputFile {
    public static func write(_ text: String, to path: String?) throws {
        guard let path, path != "-" else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try Data(text.utf8).write(to: temporary)
            if rename(temporary.path, url.path) != 0 {
                throw StoreError("cannot rename \(temporary.path) to \(path): \(String(cString: strerror(errno)))")
            }
        } catch let error as StoreError {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw StoreError("cannot write \(path): \(error.localizedDescription)")
        }
    }
}
