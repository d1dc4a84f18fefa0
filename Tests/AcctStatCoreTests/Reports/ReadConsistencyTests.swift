import Foundation
import Testing
@testable import AcctStatCore

/// A report reads its parts, windows and buckets in separate read transactions. An ingest that
/// commits in between must not give numbers that silently disagree: the report reads again, or
/// says that it could not.
@Suite struct ReadConsistencyTests {
    /// A SQLite store whose reads of the report's counts query run an ingest of a new file into
    /// the same database right after the reads numbered in `ingestAfter` (1 is the first).
    final class IngestingStore: DelegatingStore, @unchecked Sendable {
        let directory: TemporaryDirectory
        let database: String
        let ingestAfter: (Int) -> Bool
        private let reads = Locked(0)
        let ingested = Locked(0)

        init(directory: TemporaryDirectory, database: String, ingestAfter: @escaping (Int) -> Bool) throws {
            self.directory = directory
            self.database = database
            self.ingestAfter = ingestAfter
            super.init(try SQLiteStore(path: database, readOnly: true))
        }

        override func forEachRow(_ sql: String, named arguments: [String: SQLValue], _ body: (any RowReader) throws -> Void) throws {
            try inner.forEachRow(sql, named: arguments, body)
            guard sql == QueryCatalog.sql("report") else { return }
            let read = reads.withLock { $0 += 1; return $0 }
            guard ingestAfter(read) else { return }
            // Ten more records at 00:00-00:09 of the day, from a file of their own.
            let file = ingested.withLock { $0 += 1; return $0 }
            let path = directory.write("more/acct-\(file).csv", TestLogs.header + TestLogs.records(1440 * file..<1440 * file + 10))
            _ = try AcctStatCoreTests.ingest([path], database: database)
        }
    }

    static let day = TimeWindow(from: TimeWindow.instant("2026-11-20", zone: .utc)!, to: TimeWindow.instant("2026-11-21", zone: .utc)!)

    /// A database of 100 records on 2026-11-20, and a store that ingests more while a report reads.
    func setUp(ingestAfter: @escaping (Int) -> Bool) throws -> IngestingStore {
        let directory = TemporaryDirectory()
        let database = directory.file("db.sqlite")
        try ingest([directory.write("acct.csv", TestLogs.header + TestLogs.records(0..<100))], database: database)
        return try IngestingStore(directory: directory, database: database, ingestAfter: ingestAfter)
    }

    @Test func anIngestCommittingDuringTheReadsMakesTheReportReadAgain() throws {
        // After both parts of the window were read (reads 1 and 2), before the previous window.
        let store = try setUp { $0 == 2 }
        let data = try ReportData.load(from: store, options: ReportOptions(window: Self.day, zone: .utc, now: Self.day.to),
                                       providers: try ProviderTable())
        #expect(store.ingested.withLock { $0 } == 1)
        #expect(!data.readDuringIngest)
        // Both windows' parts were read again after the ingest: the report counts it whole.
        #expect(data.tally.counts.total == 110)
        #expect(data.tally.groups(.domain).reduce(0) { $0 + $1.1.counts.total } == 110)
    }

    @Test func ingestsCommittingDuringEveryReadAreSaid() throws {
        let store = try setUp { _ in true }
        let data = try ReportData.load(from: store, options: ReportOptions(window: Self.day, zone: .utc, now: Self.day.to),
                                       providers: try ProviderTable())
        #expect(data.readDuringIngest)
        #expect(store.ingested.withLock { $0 } >= ReportData.readAttempts)
    }

    /// CSV rows of a long window read bucket by bucket while they are written: an ingest between
    /// two buckets is reported by the writer's result.
    @Test(arguments: [false, true])
    func rowsReadBucketByBucketSayWhenAnIngestCommitted(ingestsMeanwhile: Bool) throws {
        let store = try setUp { ingestsMeanwhile && $0 == 5 }
        var options = ReportOptions(window: TimeWindow(from: Self.day.from, to: Self.day.to + 86400), zone: .utc, now: Self.day.to)
        options.bucket = .hour
        options.read(for: .rows(.domain))
        let report = Report(data: try ReportData.load(from: store, options: options, providers: try ProviderTable()))
        #expect(!report.data.groupSeriesKept)
        let agree = try ReportRowsRenderer.writeCSV(report, by: .domain, store: store) { _ in }
        #expect(agree == !ingestsMeanwhile)
    }
}
