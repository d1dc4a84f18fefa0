import Foundation

/// How `acctstat ingest` runs.
public struct IngestOptions: Sendable {
    /// Files, directories, or `-` for stdin.
    public var paths: [String]
    /// An extra verdict column to read before the standard ones.
    public var dkimField: String?
    /// The PowerMTA configuration that signed the mail, for records whose evidence names no key.
    public var pmtaConfig: PMTAConfig?
    /// Only say what would be read.
    public var dryRun = false
    /// Records per transaction. Smaller batches let the writer thread start sooner and keep the
    /// workers busy (50,000 measured 18% faster than 200,000 on the benchmark), at a few more upserts.
    public var batchRecords = 50_000
    /// Files read at once; each worker inflates and parses its own file.
    public var workers = 2
    /// Bytes of names (``NameTable``) a worker keeps for its next file; past them it starts the
    /// next file afresh, names and decoded values, so a long tail of distinct texts cannot grow
    /// a run's memory without end (one file's names are still held while it is read). 30,000
    /// domains take ~4 MB.
    public var workerMemoryLimit = 32 << 20
    /// The most a DMARC report file, or any report in it, may inflate to: a report is read whole
    /// (the largest real ones are tens of MB), and a zip or gzip bomb stops here.
    public var reportSizeLimit = 128 << 20
    /// Bytes the scanner reads at a time.
    public var chunkSize = 1 << 18
    /// Seconds without modification after which a plain file is taken as settled: its
    /// unterminated last line is whole, and a header with no records is worth a warning.
    public var quietPeriod: Double = 300
    /// Counts the records committed, for a caller that must say so when the run is interrupted.
    public var commits = CommitCounter()
    /// The clock, injectable for tests.
    public var now: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }

    public init(paths: [String], dkimField: String? = nil) {
        self.paths = paths
        self.dkimField = dkimField
    }
}

extension IngestOptions {
    /// True while `file` may still be written to: a plain file modified within `quietPeriod`.
    /// Stdin and gzip files never are (a cut-off gzip is reported as truncated instead).
    func isFresh(_ file: InputFile) -> Bool {
        guard file.compression == .plain, !file.isStream, let modified = file.modified else { return false }
        return Double(now()) - modified < quietPeriod
    }
}

/// What one ingest run's clock says about record times, fixed when the run starts.
struct RecordClock: Sendable {
    /// Records at or after this (UTC epoch seconds) are counted by minute too: the database's
    /// minute coverage (``AccountingStore/minuteCountsFrom()``).
    var minutesFrom: Int64
    /// Records stamped after this (an hour past the run's clock) are in the future: counted,
    /// with a `future-time` warning, but they move no clock.
    var futureAfter: Int64

    static let futureTolerance: Int64 = 3600
}
