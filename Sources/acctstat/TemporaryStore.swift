import AcctStatCore
import Foundation

/// An empty database in a temporary folder, removed when this goes away: what `ingest --dry-run`
/// asks on a host that has no database yet, so that a dry run creates nothing.
final class TemporaryStore {
    let store: SQLiteStore
    private let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "/acctstat-dry-run-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        store = try SQLiteStore(path: directory + "/empty.sqlite")
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }
}
