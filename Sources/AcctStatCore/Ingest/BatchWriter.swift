import Dispatch

/// Commits batches on writer threads while the workers go on reading.
///
/// Each file has a ``Stream``: its batches are committed in order, and a worker may have one
/// batch waiting while it builds the next, never more, so memory stays bounded. A worker does
/// not wait for a file's last commits: it ``close(_:then:)``s the stream and reads on, and hears
/// how the commits went on the writer thread. Exactly-once is unchanged: every commit still
/// carries its data and its checkpoint in one transaction, and a crash loses at most the
/// batches not yet committed, which the next run reads again.
///
/// A store that takes commits at once (``AccountingStore/concurrentCommits``: PostgreSQL's
/// server works on one while the next is sent) gets that many lanes, each a writer thread. A
/// worker's streams share its names (``NameTable``), so they share a lane: one lane per worker.
final class BatchWriter: @unchecked Sendable {
    private let lanes: [DispatchQueue]
    /// The lane of each worker's names, given out in turn.
    private let laneOfNames = Locked([ObjectIdentifier: Int]())
    private let store: AccountingStore
    private let commits: CommitCounter

    /// One file's commits. `entry` and `failure` are touched only on its lane.
    final class Stream: @unchecked Sendable {
        fileprivate var entry: LedgerEntry
        fileprivate var failure: Error?
        fileprivate let slot = DispatchSemaphore(value: 1)
        fileprivate let names: NameTable

        init(entry: LedgerEntry, names: NameTable) {
            self.entry = entry
            self.names = names
        }
    }

    init(store: AccountingStore, commits: CommitCounter) {
        self.store = store
        self.commits = commits
        lanes = (0..<max(1, store.concurrentCommits)).map { DispatchQueue(label: "acctstat.batch-writer-\($0)") }
    }

    private func lane(of stream: Stream) -> DispatchQueue {
        let key = ObjectIdentifier(stream.names)
        return lanes[laneOfNames.withLock { map in
            if let lane = map[key] { return lane }
            map[key] = map.count % lanes.count
            return map[key]!
        }]
    }

    /// Queues `batch`; waits while the stream's previous batch is still being written.
    func submit(_ batch: IngestBatch, to stream: Stream, now: Int64) {
        stream.slot.wait()
        lane(of: stream).async { [store, commits] in
            defer { stream.slot.signal() }
            guard stream.failure == nil else { return }
            do {
                try store.commit(batch, entry: &stream.entry, names: stream.names, now: now)
                commits.add(Int64(batch.counts.total))
            } catch {
                stream.failure = error
            }
        }
    }

    /// Queues taking back `batch` (records read from damaged gzip data, committed before its check
    /// failed; ``SQLiteStore/withdraw(_:lines:entry:names:problems:now:)``), after the stream's commits.
    func withdraw(_ batch: IngestBatch, lines: ClosedRange<Int>, problems: ProblemLog, from stream: Stream, now: Int64) {
        stream.slot.wait()
        lane(of: stream).async { [store, commits] in
            defer { stream.slot.signal() }
            guard stream.failure == nil else { return }
            do {
                try store.withdraw(batch, lines: lines, entry: &stream.entry, names: stream.names, problems: problems, now: now)
                commits.add(-Int64(batch.counts.total))
            } catch {
                stream.failure = error
            }
        }
    }

    /// Calls `committed` on the writer thread once the stream's batches are committed, with the
    /// first failure if one failed; returns at once.
    func close(_ stream: Stream, then committed: @escaping @Sendable (Error?) -> Void) {
        lane(of: stream).async { committed(stream.failure) }
    }

    /// Waits until everything queued so far is committed and every `close` has been called back.
    func drain() {
        for lane in lanes { lane.sync {} }
    }
}
