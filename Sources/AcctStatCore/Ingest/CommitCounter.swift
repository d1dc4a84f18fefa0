import Foundation

/// Records committed so far by a run, read from another thread: what an interrupted ingest
/// (Ctrl-C) reports before it exits. Only the writer thread adds; anyone may read.
public final class CommitCounter: @unchecked Sendable {
    private var committed: Int64 = 0
    private let lock = NSLock()

    public init() {}

    public var records: Int64 {
        lock.lock()
        defer { lock.unlock() }
        return committed
    }

    func add(_ records: Int64) {
        lock.lock()
        committed += records
        lock.unlock()
    }
}
