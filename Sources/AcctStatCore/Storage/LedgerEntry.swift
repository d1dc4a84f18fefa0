/// One row of the ledger: an input content (not a path) and how far it has been read.
public struct LedgerEntry: Equatable, Sendable {
    /// Nil until the first commit creates the row.
    public var id: Int64?
    public var fingerprint: String
    public var head: [UInt8]
    /// The path this content was last seen at.
    public var path: String
    public var compression: String
    public var position: FilePosition
    /// True once the content is known complete and fully read; it is then skipped.
    public var finished: Bool
    /// Why the last read stopped early (`truncated`, a damage message), or empty.
    public var endState: String
    public var firstIngested: Int64
    public var lastIngested: Int64
    /// The newest `timeLogged` read from this content (UTC epoch seconds).
    public var newestRecord: Int64
    /// The file's size on disk when it was last read; 0 when unknown (stdin, older databases).
    public var diskBytes: Int64 = 0
    /// The host whose ledger this row is (`--mta`); each host's ledger is its own.
    public var mta: String = ""

    /// True when the last read stopped at damaged data (not at the end of a file still being written).
    public var endedOnDamage: Bool { !endState.isEmpty && endState != "truncated" }

    public init(id: Int64? = nil, fingerprint: String, head: [UInt8], path: String, compression: String,
                position: FilePosition = .start, finished: Bool = false, endState: String = "",
                firstIngested: Int64 = 0, lastIngested: Int64 = 0, newestRecord: Int64 = 0, diskBytes: Int64 = 0,
                mta: String = "") {
        self.id = id
        self.fingerprint = fingerprint
        self.head = head
        self.path = path
        self.compression = compression
        self.position = position
        self.finished = finished
        self.endState = endState
        self.firstIngested = firstIngested
        self.lastIngested = lastIngested
        self.newestRecord = newestRecord
        self.diskBytes = diskBytes
        self.mta = mta
    }
}

extension LedgerEntry {
    /// The row once `batch` commits at `now`: its checkpoint, end state and times, as every backend stores it.
    func committing(_ batch: IngestBatch, now: Int64) -> LedgerEntry {
        var entry = self
        entry.position = batch.position
        entry.finished = batch.finished
        entry.endState = batch.endState
        entry.lastIngested = now
        entry.newestRecord = max(newestRecord, batch.newestRecord)
        if entry.firstIngested == 0 { entry.firstIngested = now }
        return entry
    }

    /// The row once `batch`'s records are taken back at `now` (``AccountingStore/withdraw``): the
    /// checkpoint back at `batch`'s position, unfinished.
    func withdrawing(_ batch: IngestBatch, now: Int64) -> LedgerEntry {
        var entry = self
        entry.position = batch.position
        entry.finished = false
        entry.endState = batch.endState
        entry.lastIngested = now
        return entry
    }
}

/// A ledger row with its problem counts, for `acctstat files`.
public struct LedgerListing: Sendable {
    public var entry: LedgerEntry
    public var problems: [ProblemKind: Int]
    public var samples: [ProblemSample]
}
