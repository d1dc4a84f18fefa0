/// The key of one row of the `counts` table, with names as local ids of a ``NameTable``.
public struct CountKey: Hashable, Sendable {
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

    /// Hashes three packed words instead of nine fields: this key is hashed once per record.
    public func hash(into hasher: inout Hasher) {
        let small = UInt64(UInt8(truncatingIfNeeded: type.hashCode)) | UInt64(result.hashCode) << 8
            | UInt64(cause?.hashCode ?? 0xff) << 16 | UInt64(source.hashCode) << 24 | UInt64(keySource.hashCode) << 28
        hasher.combine(UInt64(UInt32(bitPattern: hour)) | small << 32)
        hasher.combine(UInt64(UInt32(bitPattern: rcptDomain)) | UInt64(UInt32(bitPattern: signingDomain)) << 32)
        hasher.combine(UInt64(UInt32(bitPattern: selector)) | UInt64(UInt32(bitPattern: vmta)) << 32)
    }
}

private extension CaseIterable where Self: Equatable {
    /// The case's position, for packing into a hash.
    var hashCode: UInt8 {
        UInt8(truncatingIfNeeded: Self.allCases.firstIndex(of: self).map { Self.allCases.distance(from: Self.allCases.startIndex, to: $0) } ?? 0)
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
    public var counts: [CountKey: Int] = [:]
    public var failures: [FailureRow] = []
    public var problems = ProblemLog()
    public var position: FilePosition
    /// True when the file is complete and fully read (a gzip that ended cleanly, stdin).
    public var finished = false
    /// Why reading stopped early, if it did (`truncated`, a damage message); empty otherwise.
    public var endState = ""
    /// The newest record time in this batch (UTC epoch seconds), 0 when none.
    public var newestRecord: Int64 = 0

    public init(position: FilePosition) {
        self.position = position
    }

    public var isEmpty: Bool { counts.isEmpty && failures.isEmpty && problems.isEmpty }
}
