/// The key of one row of the `counts` table, with names as local ids of a ``NameTable``.
public struct CountKey: Equatable, Sendable {
    /// Hours since the Unix epoch, UTC.
    public var hour: Int32
    public var type: RecordType
    public var rcptDomain: Int32
    public var signingDomain: Int32
    public var selector: Int32
    public var result: DKIMResult
    public var cause: FailureCause?
    public var vmta: Int32
    public var source: EvidenceSource
    public var keySource: KeySource
    /// The provider running the receiving MX, when the record names one ``MailboxHost`` knows.
    public var mailboxHost: MailboxHost?
}

/// A ``CountKey`` hashes only its integer fields: keys that differ only in their small
/// enums share a probe run of a few slots.
extension CountKey: FastHashable {
    var fastHash: Int {
        var hash = FastHash.mix(UInt64(UInt32(bitPattern: hour)) | UInt64(UInt32(bitPattern: rcptDomain)) << 32)
        hash = FastHash.mix(UInt64(UInt32(bitPattern: signingDomain)) | UInt64(UInt32(bitPattern: selector)) << 32, into: hash)
        return Int(truncatingIfNeeded: FastHash.mix(UInt64(UInt32(bitPattern: vmta)), into: hash))
    }
}

/// One row of the `failures` drill-down table: a non-pass record with evidence.
public struct FailureRow: Sendable {
    public var time: Int64
    public var key: CountKey
    public var jobId: String?
    public var dsnStatus: String?
    /// Local id of the reason or dsnDiag text (``NameTable/Kind/detail``).
    public var detail: Int32
    public var line: Int
}

/// Where a file's reading stands: what the ledger stores after each batch.
public struct FilePosition: Equatable, Sendable {
    /// Decompressed bytes consumed (always at a record boundary).
    public var offset: Int64
    /// The line the next record starts on.
    public var line: Int
    /// Records counted so far.
    public var records: Int64
    /// The header in force at `offset` (``HeaderMap/storedForm``).
    public var header: String?

    public static let start = FilePosition(offset: 0, line: 1, records: 0, header: nil)
}

/// Everything one transaction commits: counts, failures and problems, with the checkpoint
/// that says where they end. Data and checkpoint are committed together or not at all.
public struct IngestBatch: Sendable {
    public var counts = CountTable()
    /// The verdicts of records' other signatures (a record signed twice counts once in ``counts``,
    /// under the verdict DMARC reads, and its other signature here, under its own selector).
    public var otherSignatures = CountTable()
    /// First and last seen of each signing domain and selector in the batch (records not in the future).
    var seen = SigningKeySpans()
    /// First and last delivery from each source IP in the batch (records not in the future).
    var sourceIPs = SourceIPSpans()
    public var failures: [FailureRow] = []
    public var problems = ProblemLog()
    public var position: FilePosition
    /// True when the file is complete and fully read (a gzip that ended cleanly, stdin).
    public var finished = false
    /// Why reading stopped early, if it did (`truncated`, a damage message); empty otherwise.
    public var endState = ""
    /// The newest record time in this batch (UTC epoch seconds), 0 when none.
    public var newestRecord: Int64 = 0

    /// `expectedKeys`: distinct count keys to make room for (the previous batch's), so the
    /// table does not grow its way there again in every batch.
    public init(position: FilePosition, expectedKeys: Int = 0) {
        self.position = position
        if expectedKeys > 0 { counts = CountTable(capacity: expectedKeys) }
    }

    public var isEmpty: Bool { counts.isEmpty && otherSignatures.isEmpty && failures.isEmpty && problems.isEmpty }
}
