@testable import AcctStatCore

/// An `AccountingStore` that hands every call to a SQLite store; tests subclass it to change
/// what one kind of read sees.
class DelegatingStore: AccountingStore, @unchecked Sendable {
    let inner: SQLiteStore

    init(_ inner: SQLiteStore) {
        self.inner = inner
    }

    func forEachRow(_ sql: String, named arguments: [String: SQLValue], _ body: (any RowReader) throws -> Void) throws {
        try inner.forEachRow(sql, named: arguments, body)
    }
    func forEachRow(_ sql: String, passes: Int, columns: ([String]) throws -> Void, _ body: (Int, [SQLValue]) throws -> Void) throws {
        try inner.forEachRow(sql, passes: passes, columns: columns, body)
    }
    func ledgerEntry(matching fingerprint: ContentFingerprint) throws -> LedgerEntry? { try inner.ledgerEntry(matching: fingerprint) }
    func commit(_ batch: IngestBatch, entry: inout LedgerEntry, names: NameTable, now: Int64) throws {
        try inner.commit(batch, entry: &entry, names: names, now: now)
    }
    func withdraw(_ batch: IngestBatch, lines: ClosedRange<Int>, entry: inout LedgerEntry, names: NameTable,
                  problems: ProblemLog, now: Int64) throws {
        try inner.withdraw(batch, lines: lines, entry: &entry, names: names, problems: problems, now: now)
    }
    func pruneMinuteCounts() throws { try inner.pruneMinuteCounts() }
    func minuteCountsFrom() throws -> Int64 { try inner.minuteCountsFrom() }
    func signingKeySpans() throws -> [SigningKeySpan] { try inner.signingKeySpans() }
    func verify() throws -> VerifyResult { try inner.verify() }
    func quickCheckIfDue(now: Int64) throws { try inner.quickCheckIfDue(now: now) }
    func moveCheckpoint(of entry: LedgerEntry, to position: FilePosition) throws { try inner.moveCheckpoint(of: entry, to: position) }
    func recordNotAccounting(_ problem: ProblemSample, now: Int64) throws { try inner.recordNotAccounting(problem, now: now) }
    func reportFileState(fingerprint: String) throws -> String? { try inner.reportFileState(fingerprint: fingerprint) }
    func storeReportFile(_ file: ReportFile, now: Int64) throws -> Int { try inner.storeReportFile(file, now: now) }
    func updatePath(_ path: String, of entryId: Int64) throws { try inner.updatePath(path, of: entryId) }
    func prune(before: Int64) throws -> PruneSummary { try inner.prune(before: before) }
    func recordRun(started: Int64, finished: Int64, filesRead: Int, records: Int64, problems: ProblemLog, config: PMTAConfig?) throws {
        try inner.recordRun(started: started, finished: finished, filesRead: filesRead, records: records, problems: problems, config: config)
    }
    func ledger() throws -> [LedgerListing] { try inner.ledger() }
    func query(_ sql: String, arguments: [SQLValue]) throws -> QueryResult { try inner.query(sql, arguments: arguments) }
    func query(_ sql: String, named arguments: [String: SQLValue]) throws -> QueryResult { try inner.query(sql, named: arguments) }
}
