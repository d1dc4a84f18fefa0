/// Everything acctstat asks of its database. `SQLiteStore` is the one backend today;
/// a PostgreSQL backend for fleets implements the same protocol with the same SQL.
public protocol AccountingStore: AnyObject, Sendable {
    /// The ledger row whose content the fingerprint and head belong to, if any.
    func ledgerEntry(matching fingerprint: ContentFingerprint) throws -> LedgerEntry?

    /// How many commits may run at once, from as many threads, each for other files: 1 where one
    /// writer is all the database takes (SQLite).
    var concurrentCommits: Int { get }

    /// Commits a batch and its checkpoint in one transaction, creating the ledger row
    /// on the first commit (`entry.id` is set then).
    func commit(_ batch: IngestBatch, entry: inout LedgerEntry, names: NameTable, now: Int64) throws

    /// Takes back what `batch` counted (records read from damaged gzip data and committed before
    /// its checksum failed, read again), with their failures and problem samples on `lines`, and
    /// moves the checkpoint to `batch.position`, recording `problems`: one transaction.
    func withdraw(_ batch: IngestBatch, lines: ClosedRange<Int>, entry: inout LedgerEntry, names: NameTable,
                  problems: ProblemLog, now: Int64) throws

    /// The time (a whole hour) from which every record has its minute count: windows are exact
    /// to the minute from there on. An ingest counts by minute every record at or after it.
    func minuteCountsFrom() throws -> Int64

    /// Forgets the minutes of hours more than the retention before the newest record, after a
    /// run: the time from ``minuteCountsFrom()`` moves up to there, and never back, so neither a
    /// clock that jumps nor an old file read late can leave a gap in what it promises.
    func pruneMinuteCounts() throws

    /// When each signing domain and selector (by name ids) was first and last seen, to the second.
    func signingKeySpans() throws -> [SigningKeySpan]

    /// Runs SQLite's quick check when the last one is a day old or more (`store_state`), and
    /// records when; throws ``StoreError/damaged(_:detail:)`` when it finds damage, so no ingest
    /// writes into a damaged database unnoticed for longer than a day.
    func quickCheckIfDue(now: Int64) throws

    /// SQLite's integrity check, and the ledger's records against the stored counts.
    func verify() throws -> VerifyResult

    /// Moves a file's checkpoint (back, for a file that shrank), if the ledger still says what
    /// `entry` says; else ``StoreError/busy(_:)``.
    func moveCheckpoint(of entry: LedgerEntry, to position: FilePosition) throws

    /// Lists a file named like accounting that is not accounting data in the ledger, once per path,
    /// with its problem (a ``ProblemKind/notAccounting`` sample), so `files --problems` shows it.
    func recordNotAccounting(_ problem: ProblemSample, now: Int64) throws

    /// What the ledger says of a DMARC report file with this content (its end state), if it was read before.
    func reportFileState(fingerprint: String) throws -> String?

    /// Records a DMARC report file in the ledger and stores each of its reports not stored before
    /// (by reporter and report id), with its problems: one transaction. Returns the reports that were new.
    func storeReportFile(_ file: ReportFile, now: Int64) throws -> Int

    /// Notes that known content was seen at a new path.
    func updatePath(_ path: String, of entryId: Int64) throws

    /// Removes the counts, failure rows and DMARC reports from before `before` (a whole UTC hour),
    /// in one transaction. The ledger stays, so the files they came from are never read again;
    /// the records removed are kept in `store_state` (`pruned_records`) for ``verify()``.
    func prune(before: Int64) throws -> PruneSummary

    /// Records one ingest run, with the PowerMTA configuration in force, if any.
    func recordRun(started: Int64, finished: Int64, filesRead: Int, records: Int64, problems: ProblemLog, config: PMTAConfig?) throws

    /// The ledger, newest first.
    func ledger() throws -> [LedgerListing]

    /// Runs a read-only query with positional (`?`) arguments.
    func query(_ sql: String, arguments: [SQLValue]) throws -> QueryResult

    /// Runs a read-only query with named (`:name`) arguments.
    func query(_ sql: String, named arguments: [String: SQLValue]) throws -> QueryResult

    /// Streams a read-only query's rows without holding them all. `body` must not use the store.
    func forEachRow(_ sql: String, named arguments: [String: SQLValue], _ body: (any RowReader) throws -> Void) throws

    /// Streams `queries/report.sql`'s rows over `table`: the counts of one segment of a window
    /// that pass the filters in `arguments`, in hour order (rows of one hour in any order).
    /// `body` must not use the store.
    func forEachCount(in table: CountsTable, named arguments: [String: SQLValue], _ body: (any RowReader) throws -> Void) throws

    /// The same counts for a tally of totals, which never looks at a row's hour: rows of one key
    /// may come summed into one (its `hour` then any of theirs), in any order. `body` must not use the store.
    func forEachTotal(in table: CountsTable, named arguments: [String: SQLValue], _ body: (any RowReader) throws -> Void) throws

    /// The names reports show (domains, selectors, VMTAs, hosts) by id (`report_names.sql`).
    func namesById() throws -> [Int64: String]

    /// Runs `body`, whose reads see one state of the database where the backend can share a
    /// snapshot among its connections (PostgreSQL). Where it cannot (SQLite: each read sees the
    /// state at its own start), callers compare the ledger's state before and after.
    func readingOneSnapshot<T>(_ body: () throws -> T) throws -> T

    /// Streams a read-only query without arguments: first its column names, then each row's
    /// values, `passes` times over one snapshot of the database (the same rows each pass). An
    /// output that must see every row before it writes the first (a table's column widths)
    /// reads them twice instead of holding them.
    func forEachRow(_ sql: String, passes: Int, columns: ([String]) throws -> Void, _ body: (_ pass: Int, [SQLValue]) throws -> Void) throws
}

/// The two tables of counts `queries/report.sql` reads: records, and records' other signatures.
public enum CountsTable: String, Sendable, CaseIterable {
    case counts
    case otherSignatures = "other_signatures"

    /// report.sql over this table.
    var reportSQL: String {
        self == .counts ? QueryCatalog.sql("report") : QueryCatalog.sql("report", reading: rawValue, insteadOf: "counts")
    }
}

extension AccountingStore {
    /// One writer.
    public var concurrentCommits: Int { 1 }

    /// report.sql as it is: SQLite's rows cost little each.
    public func forEachCount(in table: CountsTable, named arguments: [String: SQLValue], _ body: (any RowReader) throws -> Void) throws {
        try forEachRow(table.reportSQL, named: arguments, body)
    }

    /// Each read on its own snapshot: SQLite's connections cannot share one.
    public func readingOneSnapshot<T>(_ body: () throws -> T) throws -> T {
        try body()
    }

    /// report.sql's rows as they are: summing them in SQLite's sorter costs more than the tally does.
    public func forEachTotal(in table: CountsTable, named arguments: [String: SQLValue], _ body: (any RowReader) throws -> Void) throws {
        try forEachCount(in: table, named: arguments, body)
    }

    /// Streams a read-only query without arguments: first its column names, then each row's values.
    func forEachRow(_ sql: String, columns: ([String]) throws -> Void, _ body: ([SQLValue]) throws -> Void) throws {
        try forEachRow(sql, passes: 1, columns: columns) { _, row in try body(row) }
    }

    /// The newest record ingested (UTC epoch seconds, 0 for none), of one host (`mta`) or of all (nil).
    func newestRecord(mta: String?) throws -> Int64 {
        try query(QueryCatalog.sql("newest_record"), named: ["mta": mta.map { .text($0) } ?? .null]).rows.first?.first?.int ?? 0
    }

    /// report_names.sql's rows as they come.
    public func namesById() throws -> [Int64: String] {
        var names: [Int64: String] = [:]
        try forEachRow(QueryCatalog.sql("report_names"), named: [:]) { row in
            if let value = row.string(1) { names[row.int(0)] = value }
        }
        return names
    }
}

/// When one signing domain and selector, by their name ids, was first and last seen (UTC epoch seconds).
public struct SigningKeySpan: Sendable, Equatable {
    public var signingDomain: Int64
    public var selector: Int64
    public var firstSeen: Int64
    public var lastSeen: Int64
}

/// What `acctstat prune` removed.
public struct PruneSummary: Sendable, Equatable {
    /// Records (`counts`) and other signatures' verdicts removed.
    public var records: Int64 = 0
    public var signatures: Int64 = 0
    /// Failure drill-down rows removed.
    public var failures: Int64 = 0
    /// DMARC aggregate reports removed (with their records).
    public var dmarcReports: Int64 = 0
    /// PostgreSQL: the monthly partitions dropped whole (their names).
    public var droppedPartitions: [String] = []

    public init() {}
}

/// What `acctstat verify` found.
public struct VerifyResult: Sendable, Equatable {
    /// SQLite's integrity check said "ok".
    public var intact: Bool
    /// The first problems the integrity check named (at most 10).
    public var damage: [String]
    /// Records the ledger says were counted, and records the counts hold; nil when the database
    /// could not be read that far.
    public var ledgerRecords: Int64?
    public var storedRecords: Int64?
    /// Records `acctstat prune` removed from the counts (the ledger still lists them).
    public var prunedRecords: Int64 = 0

    /// What checked the database's integrity, in words.
    public var integrityCheck = "SQLite's integrity check over every page"

    public var agrees: Bool { intact && ledgerRecords == storedRecords.map { $0 + prunedRecords } }

    public var text: String {
        var lines: [String] = []
        if intact {
            lines.append("integrity: ok (\(integrityCheck))")
        } else {
            lines.append("integrity: DAMAGED")
            lines += damage.map { "  " + $0 }
        }
        if let ledgerRecords, let storedRecords {
            let pruned = prunedRecords > 0 ? " and \(grouped(prunedRecords)) were pruned" : ""
            lines.append("ledger: \(grouped(ledgerRecords)) records counted, the counts hold \(grouped(storedRecords))\(pruned)"
                         + (agrees ? ": they agree" : ": they DISAGREE"))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// A database failure that ends the run.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable {
        /// Anything else: the database could not be opened, read or written.
        case failure
        /// Another ingest holds or has moved what this one needed: try again later.
        case busy
        /// SQLite says the file is damaged (SQLITE_CORRUPT) or not a database (SQLITE_NOTADB).
        case damaged
    }

    public let kind: Kind
    public let description: String

    public init(_ description: String, kind: Kind = .failure) {
        self.kind = kind
        self.description = description
    }

    public static func busy(_ description: String) -> StoreError { StoreError(description, kind: .busy) }

    /// The ledger's check-and-claim failed: another ingest `didWhat` (read the file) since this one began.
    static func concurrentIngest(_ didWhat: String) -> StoreError {
        .busy("another ingest \(didWhat) at the same time; this run's part of it was not committed, "
              + "and the next run reads on from where that ingest stopped")
    }

    /// The database at `path` is damaged; `detail` is SQLite's word for it.
    public static func damaged(_ path: String, detail: String) -> StoreError {
        StoreError("the database \(path) is damaged (\(detail)); restore it from a backup, or re-ingest the logs into a new "
                   + "database (they are the source of truth): acctstat ingest --db NEW.sqlite /var/log/pmta. "
                   + "'acctstat verify' checks a database", kind: .damaged)
    }

    /// SQLite's result codes for a damaged file: SQLITE_CORRUPT and SQLITE_NOTADB (primary codes).
    static func isDamage(_ resultCode: Int32) -> Bool {
        let primary = resultCode & 0xff
        return primary == 11 || primary == 26
    }
}
