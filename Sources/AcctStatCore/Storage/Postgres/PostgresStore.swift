import Foundation
import NIOCore
import PostgresNIO

/// The PostgreSQL backend, for fleets: many hosts' ingests write one database at once.
///
/// The same tables, views and codes as ``SQLiteStore`` (``PostgresSchema``), so the reports'
/// SQL runs unchanged. A batch is written by a ``PostgresCommitter`` in the transaction that moves
/// its file's checkpoint (`COPY … FROM STDIN`; a merge by key only for hours already stored): `kill -9`
/// or a lost connection leaves either all of it or none. Two batches of other files may commit at
/// once, each on its own connection; reads that overlap get connections of their own too.
///
/// Each host (`--mta`) has its own ledger; two ingests of one host are kept apart by an advisory
/// lock (``init(target:readOnly:mta:wait:announce:)``), ingests of different hosts only meet
/// on row locks of the rows both add to (and on the names both store, `ON CONFLICT DO NOTHING`).
public final class PostgresStore: AccountingStore, @unchecked Sendable {
    public let target: PostgresTarget
    /// The host this store writes for (`--mta`).
    public let mta: String
    /// `mta`'s name id; -1 for a read-only store of a host never stored.
    let mtaId: Int64
    private let bridge: PostgresConnectionBridge
    private let readers: ReaderPool
    /// The connections batches are committed on: the store's own, and one more for a second
    /// commit at once (``concurrentCommits``).
    private let committers: Locked<[PostgresCommitter]>
    /// The store's own connection's committer, for the ledger's writes outside a batch.
    private let committer: PostgresCommitter

    /// Connects, and (unless `readOnly`) creates or upgrades the schema and, with `ingestLock`, takes
    /// this host's ingest lock, waiting up to `wait` seconds for another ingest of the same host to finish.
    public init(target: PostgresTarget, readOnly: Bool = false, ingestLock: Bool = true, mta: String = MTAName.local, wait: Double = 0,
                announce: (String) -> Void = { _ in }) throws {
        self.target = target
        self.mta = mta
        bridge = try PostgresConnectionBridge(target)
        readers = ReaderPool(bridge)
        if readOnly {
            let applied = try bridge.rows("SELECT to_regclass('acctstat_migrations') IS NOT NULL")
            guard applied.first?.first == .integer(1) else {
                throw StoreError("\(target) holds no acctstat data yet; run 'acctstat ingest --db \(target)' first")
            }
            mtaId = try Self.nameId(bridge, kind: "mta", value: mta) ?? -1
            committer = try PostgresCommitter(bridge, mtaId: mtaId, staging: false)
            committers = Locked([committer])
            return
        }
        // A replica answers reports (above) but refuses every write: say so before the first one.
        let refusesWrites = try bridge.rows("SELECT pg_is_in_recovery() OR current_setting('transaction_read_only') = 'on'")
        if refusesWrites.first?.first == .integer(1) {
            throw StoreError("\(target) is read-only (a hot standby, or default_transaction_read_only is on): "
                             + "ingest and prune write, so point --db at the primary; reports can stay on this server")
        }
        if ingestLock { try Self.takeIngestLock(bridge, mta: mta, wait: wait, target: target) }
        try Self.migrate(bridge, announce: announce)
        try bridge.execute("INSERT INTO names (kind, value) VALUES ('mta', $1) ON CONFLICT (kind, value) DO NOTHING", Self.binds(mta))
        mtaId = try Self.nameId(bridge, kind: "mta", value: mta) ?? 0
        committer = try PostgresCommitter(bridge, mtaId: mtaId)
        committers = Locked([committer])
    }

    static func binds(_ values: any PostgresDynamicTypeEncodable...) -> PostgresBindings {
        var binds = PostgresBindings()
        for value in values { binds.append(value) }
        return binds
    }

    private static func nameId(_ bridge: PostgresConnectionBridge, kind: String, value: String) throws -> Int64? {
        try bridge.rows("SELECT id FROM names WHERE kind = $1 AND value = $2", binds(kind, value)).first?.first?.int
    }

    /// One ingest per host at a time: a session advisory lock on the host's name, held while the
    /// connection lives (a killed ingest's connection ends, and its lock with it).
    private static func takeIngestLock(_ bridge: PostgresConnectionBridge, mta: String, wait: Double, target: PostgresTarget) throws {
        let deadline = Date().addingTimeInterval(max(wait, 2))
        while true {
            let taken = try bridge.rows("SELECT pg_try_advisory_lock(hashtextextended($1, 0))", binds("acctstat ingest " + mta))
            if taken.first?.first == .integer(1) { return }
            if Date() >= deadline {
                throw StoreError.busy("another ingest for mta \(mta) is running on \(target); waited \(Int(max(wait, 2))) s "
                                      + "(--wait SECONDS waits longer)")
            }
            usleep(200_000)
        }
    }

    /// Applies the migrations not applied yet, each in its own transaction, under an advisory lock
    /// so two hosts starting together do not both create the schema.
    private static func migrate(_ bridge: PostgresConnectionBridge, announce: (String) -> Void) throws {
        try bridge.transaction {
            try bridge.execute("SELECT pg_advisory_xact_lock(hashtextextended('acctstat schema', 0))")
            try bridge.execute("CREATE TABLE IF NOT EXISTS acctstat_migrations (identifier TEXT PRIMARY KEY)")
            let applied = Set(try bridge.rows("SELECT identifier FROM acctstat_migrations").compactMap { $0.first?.string })
            for migration in PostgresSchema.migrations where !applied.contains(migration.identifier) {
                if !applied.isEmpty { announce("upgrading \(bridge.target) to this version's schema (\(migration.identifier))") }
                try bridge.execute(migration.sql)
                try bridge.execute("INSERT INTO acctstat_migrations (identifier) VALUES ($1)", binds(migration.identifier))
            }
        }
    }

    // MARK: - The ledger

    /// The ledger's columns, `f` being `files`, in ``entry(_:)``'s order.
    private static let ledgerColumns = """
        SELECT f.id, f.fingerprint, encode(f.head, 'hex'), f.path, f.compression, f.bytes, f.lines, f.records, f.header, f.finished,
               f.end_state, f.first_ingested, f.last_ingested, f.newest_record, f.disk_bytes, COALESCE(m.value, '')
        FROM files f LEFT JOIN names m ON m.id = f.mta_id
        """

    private static func entry(_ row: [SQLValue]) -> LedgerEntry {
        LedgerEntry(id: row[0].int, fingerprint: row[1].string ?? "", head: hexBytes(row[2].string ?? ""), path: row[3].string ?? "",
                    compression: row[4].string ?? "",
                    position: FilePosition(offset: row[5].int ?? 0, line: Int(row[6].int ?? 0), records: row[7].int ?? 0, header: row[8].string),
                    finished: row[9].int == 1, endState: row[10].string ?? "", firstIngested: row[11].int ?? 0,
                    lastIngested: row[12].int ?? 0, newestRecord: row[13].int ?? 0, diskBytes: row[14].int ?? 0, mta: row[15].string ?? "")
    }

    static func hexBytes(_ hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.utf8.count / 2)
        var high: UInt8?
        for digit in hex.utf8 {
            let value = digit >= 97 ? digit - 87 : digit - 48
            if let first = high { bytes.append(first << 4 | value); high = nil } else { high = value }
        }
        return bytes
    }

    public func ledgerEntry(matching fingerprint: ContentFingerprint) throws -> LedgerEntry? {
        let rows = try bridge.rows(Self.ledgerColumns + " WHERE f.fingerprint = $1 AND f.mta_id = $2", Self.binds(fingerprint.value, mtaId))
        return rows.map(Self.entry).filter { fingerprint.sameContent(asHead: $0.head) }.max { $0.position.offset < $1.position.offset }
    }

    public func ledger() throws -> [LedgerListing] {
        try bridge.transaction("START TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY") {
            let entries = try bridge.rows(Self.ledgerColumns + " ORDER BY f.path, 16, f.first_ingested, f.id").map(Self.entry)
            var problems: [Int64: [ProblemKind: Int]] = [:]
            for row in try bridge.rows("SELECT file_id, kind, count FROM file_problems") {
                if let id = row[0].int, let kind = row[1].string.flatMap(ProblemKind.init(rawValue:)) { problems[id, default: [:]][kind] = Int(row[2].int ?? 0) }
            }
            var samples: [Int64: [ProblemSample]] = [:]
            for row in try bridge.rows("SELECT s.file_id, s.kind, s.line, s.message, f.path FROM problem_samples s JOIN files f ON f.id = s.file_id ORDER BY s.id") {
                if let id = row[0].int, let kind = row[1].string.flatMap(ProblemKind.init(rawValue:)) {
                    samples[id, default: []].append(ProblemSample(kind: kind, path: row[4].string ?? "", line: row[2].int.map { Int($0) },
                                                                  message: row[3].string ?? ""))
                }
            }
            return entries.map { LedgerListing(entry: $0, problems: problems[$0.id!] ?? [:], samples: samples[$0.id!] ?? []) }
        }
    }

    public func moveCheckpoint(of entry: LedgerEntry, to position: FilePosition) throws {
        guard let id = entry.id else { return }
        try bridge.transaction {
            try committer.checkClaim(entry)
            try bridge.execute("UPDATE files SET bytes = $1, lines = $2 WHERE id = $3", Self.binds(position.offset, Int64(position.line), id))
        }
    }

    public func updatePath(_ path: String, of entryId: Int64) throws {
        try bridge.execute("UPDATE files SET path = $1 WHERE id = $2 AND path <> $1", Self.binds(path, entryId))
    }

    public func recordNotAccounting(_ problem: ProblemSample, now: Int64) throws {
        let fingerprint = "not-accounting:" + problem.path
        try bridge.transaction {
            if let existing = try bridge.rows("SELECT id FROM files WHERE fingerprint = $1 AND mta_id = $2",
                                              Self.binds(fingerprint, mtaId)).first?.first?.int {
                try bridge.execute("UPDATE files SET last_ingested = $1, end_state = 'not accounting data' WHERE id = $2", Self.binds(now, existing))
                return
            }
            let id = try bridge.rows("""
                INSERT INTO files (fingerprint, head, path, compression, bytes, lines, records, header, finished, end_state,
                                   first_ingested, last_ingested, newest_record, disk_bytes, mta_id)
                VALUES ($1, '', $2, 'plain', 0, 0, 0, NULL, 1, 'not accounting data', $3, $3, 0, 0, $4) RETURNING id
                """, Self.binds(fingerprint, problem.path, now, mtaId)).first?.first?.int ?? 0
            var problems = ProblemLog()
            problems.record(problem)
            try committer.insertProblems(problems, fileId: id)
        }
    }

    public func recordRun(started: Int64, finished: Int64, filesRead: Int, records: Int64, problems: ProblemLog, config: PMTAConfig?) throws {
        var binds = Self.binds(started, finished, Int64(filesRead), records, Int64(problems.count(of: .error)), Int64(problems.count(of: .warning)))
        binds.append(config?.files.first)
        binds.append(config?.fingerprint)
        binds.append(mtaId)
        try bridge.execute("""
            INSERT INTO runs (started, finished, files_read, records, errors, warnings, config_path, config_fingerprint, mta_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """, binds)
    }

    // MARK: - Writing a batch

    /// Two: while the server adds one batch, the other connection sends the next (each worker's
    /// files on their own connection, ``BatchWriter``).
    public var concurrentCommits: Int { 2 }

    public func commit(_ batch: IngestBatch, entry: inout LedgerEntry, names: NameTable, now: Int64) throws {
        try withCommitter { try $0.commit(batch, entry: &entry, names: names, now: now) }
    }

    public func withdraw(_ batch: IngestBatch, lines: ClosedRange<Int>, entry: inout LedgerEntry, names: NameTable,
                         problems: ProblemLog, now: Int64) throws {
        try withCommitter { try $0.withdraw(batch, lines: lines, entry: &entry, names: names, problems: problems, now: now) }
    }

    /// Runs `body` with a committer no other commit is using: an idle one, or one on a new connection.
    private func withCommitter<T>(_ body: (PostgresCommitter) throws -> T) throws -> T {
        let taken = try committers.withLock { $0.popLast() } ?? PostgresCommitter(PostgresConnectionBridge(target), mtaId: mtaId)
        defer { committers.withLock { $0.append(taken) } }
        return try body(taken)
    }

    // MARK: - DMARC report files

    public func reportFileState(fingerprint: String) throws -> String? {
        try bridge.rows("SELECT end_state FROM files WHERE fingerprint = $1 AND mta_id = $2 ORDER BY id LIMIT 1",
                        Self.binds(fingerprint, mtaId)).first?.first?.string
    }

    public func storeReportFile(_ file: ReportFile, now: Int64) throws -> Int {
        try bridge.transaction {
            let fileId = try bridge.rows("""
                INSERT INTO files (fingerprint, head, path, compression, bytes, lines, records, header, finished, end_state,
                                   first_ingested, last_ingested, newest_record, disk_bytes, kind, mta_id)
                VALUES ($1, '', $2, $3, 0, 0, 0, NULL, 1, '', $4, $4, 0, $5, $6, $7) RETURNING id
                """, Self.binds(file.fingerprint, file.path, file.compression.rawValue, now, file.diskBytes,
                               file.contents.forensic ? "dmarc-failure" : "dmarc", mtaId)).first?.first?.int ?? 0
            var stored = 0
            for report in file.contents.reports where try insert(report, fileId: fileId) { stored += 1 }
            try bridge.execute("UPDATE files SET end_state = $1 WHERE id = $2", Self.binds(file.endState(newReports: stored), fileId))
            try committer.insertProblems(file.problems, fileId: fileId)
            return stored
        }
    }

    /// Stores one report unless its (reporter, report id) is stored already; true when it was new.
    private func insert(_ report: AggregateReport, fileId: Int64) throws -> Bool {
        let policy = report.policy
        var binds = Self.binds(report.reporter, report.reportId, report.reporterEmail, report.begin, report.end, policy.domain,
                               policy.p, policy.sp)
        binds.append(policy.pct.map { Int64($0) })
        binds.append(policy.adkim)
        binds.append(policy.aspf)
        binds.append(fileId)
        guard let reportRow = try bridge.rows("""
            INSERT INTO dmarc_reports (reporter, report_id, reporter_email, begin_time, end_time, policy_domain, policy_p,
                                       policy_sp, policy_pct, policy_adkim, policy_aspf, file_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            ON CONFLICT (reporter, report_id) DO NOTHING RETURNING id
            """, binds).first?.first?.int else { return false }
        for record in report.records {
            let recordRow = try bridge.rows("""
                INSERT INTO dmarc_records (report, source_ip, count, disposition, dmarc_dkim, dmarc_spf, header_from, envelope_from)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id
                """, Self.binds(reportRow, record.sourceIP, Int64(record.count), record.disposition, record.dmarcDKIM, record.dmarcSPF,
                               record.headerFrom, record.envelopeFrom)).first?.first?.int ?? 0
            for (position, signature) in record.signatures.enumerated() {
                try bridge.execute("""
                    INSERT INTO dmarc_signatures (record, position, domain, selector, result, human_result) VALUES ($1, $2, $3, $4, $5, $6)
                    """, Self.binds(recordRow, Int64(position), signature.domain, signature.selector, signature.result, signature.humanResult))
            }
        }
        return true
    }

    // MARK: - Minutes, keys, checks

    public func minuteCountsFrom() throws -> Int64 {
        try read(("SELECT value FROM store_state WHERE name = 'minute_counts_from'", PostgresBindings())).rows.first?.first?.int ?? .max
    }

    public func pruneMinuteCounts() throws {
        try bridge.transaction {
            // One host at a time moves the minutes' start (a row lock on it), never back.
            let stored = try bridge.rows("SELECT value FROM store_state WHERE name = 'minute_counts_from' FOR UPDATE").first?.first?.int ?? 0
            let newest = try bridge.rows("SELECT COALESCE(MAX(newest_record), 0) FROM files").first?.first?.int ?? 0
            guard newest > 0 else { return }
            let from = max(stored, floorDivide(newest - SQLiteStore.minuteRetention + 3599, 3600) * 3600)
            guard from != stored else { return }
            for table in ["counts", "other_signatures"] {
                try bridge.execute("UPDATE \(table) SET minutes = NULL WHERE hour >= $1 AND hour < $2 AND minutes IS NOT NULL",
                                   Self.binds(stored, from))
            }
            try bridge.execute("UPDATE store_state SET value = $1 WHERE name = 'minute_counts_from'", Self.binds(from))
        }
    }

    public func signingKeySpans() throws -> [SigningKeySpan] {
        try read(("SELECT signing_domain_id, selector_id, first_seen, last_seen FROM selector_seen", PostgresBindings())).rows.map { row in
            SigningKeySpan(signingDomain: row[0].int ?? 0, selector: row[1].int ?? 0, firstSeen: row[2].int ?? 0, lastSeen: row[3].int ?? 0)
        }
    }

    /// Nothing to do: PostgreSQL checks its own pages as it reads them (and with data checksums,
    /// when the cluster has them); SQLite's quick check has no counterpart to run here.
    public func quickCheckIfDue(now: Int64) throws {}

    /// Months wholly before `before` go as whole partitions (a quick drop, their disk space back at
    /// once); the rest of the month `before` falls in is deleted row by row.
    public func prune(before: Int64) throws -> PruneSummary {
        try bridge.transaction {
            var summary = PruneSummary()
            let sum = "SELECT COALESCE(SUM(count), 0) FROM"
            summary.records = try bridge.rows("\(sum) counts WHERE hour < $1", Self.binds(before)).first?.first?.int ?? 0
            summary.signatures = try bridge.rows("\(sum) other_signatures WHERE hour < $1", Self.binds(before)).first?.first?.int ?? 0
            summary.failures = try bridge.rows("SELECT COUNT(*) FROM failures WHERE time < $1", Self.binds(before)).first?.first?.int ?? 0
            let keptFrom = PostgresSchema.epoch(ofMonth: PostgresSchema.month(of: before))
            for (table, column) in PostgresSchema.partitionedTables.sorted(by: { $0.key < $1.key }) {
                let partitions = try bridge.rows("""
                    SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i
                    JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = $1 ORDER BY 1
                    """, Self.binds(table))
                for partition in partitions {
                    // FOR VALUES FROM ('1793491200') TO ('1796083200'): dropped when it ends by the month kept first.
                    guard let name = partition[0].string, let bound = partition[1].string,
                          let upper = bound.split(separator: "(").last.flatMap({ Int64($0.filter(\.isNumber)) }),
                          upper <= keptFrom else { continue }
                    try bridge.execute("DROP TABLE \(name)")
                    summary.droppedPartitions.append(name)
                }
                try bridge.execute("DELETE FROM \(table) WHERE \(column) < $1", Self.binds(before))
            }
            committers.withLock { $0.forEach { $0.partitions = [] } }
            try bridge.execute("DELETE FROM mta_hours WHERE hour < $1", Self.binds(before))
            try bridge.execute("""
                DELETE FROM dmarc_signatures WHERE record IN (
                    SELECT d.id FROM dmarc_records d JOIN dmarc_reports r ON r.id = d.report WHERE r.begin_time < $1)
                """, Self.binds(before))
            try bridge.execute("DELETE FROM dmarc_records WHERE report IN (SELECT id FROM dmarc_reports WHERE begin_time < $1)", Self.binds(before))
            summary.dmarcReports = try bridge.rows("""
                WITH gone AS (DELETE FROM dmarc_reports WHERE begin_time < $1 RETURNING 1) SELECT COUNT(*) FROM gone
                """, Self.binds(before)).first?.first?.int ?? 0
            try bridge.execute("""
                INSERT INTO store_state (name, value) VALUES ('pruned_records', $1)
                ON CONFLICT (name) DO UPDATE SET value = store_state.value + excluded.value
                """, Self.binds(summary.records))
            return summary
        }
    }

    public func verify() throws -> VerifyResult {
        try bridge.transaction("START TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY") {
            let ledger = try bridge.rows("SELECT COALESCE(SUM(records), 0) FROM files").first?.first?.int ?? 0
            let stored = try bridge.rows("SELECT COALESCE(SUM(count), 0) FROM counts").first?.first?.int ?? 0
            var result = VerifyResult(intact: true, damage: [], ledgerRecords: ledger, storedRecords: stored)
            result.prunedRecords = try bridge.rows("SELECT value FROM store_state WHERE name = 'pruned_records'").first?.first?.int ?? 0
            result.integrityCheck = "PostgreSQL checks each page as it reads it; this read every count and ledger row, "
                + "and looked for keys stored twice (their writer keeps them unique)"
            for table in CountsTable.allCases {
                let repeated = try bridge.rows("""
                    SELECT COUNT(*) FROM (SELECT 1 FROM \(table.rawValue)
                    GROUP BY hour, rcpt_domain_id, codes, signing_domain_id, selector_id, vmta_id, mta_id HAVING COUNT(*) > 1) AS keys
                    """).first?.first?.int ?? 0
                if repeated > 0 {
                    result.intact = false
                    result.damage.append("\(repeated) keys of \(table.rawValue) are stored more than once")
                }
            }
            return result
        }
    }

    // MARK: - Reading

    public func query(_ sql: String, arguments: [SQLValue]) throws -> QueryResult {
        try read(PostgresValues.translate(sql, positional: arguments))
    }

    public func query(_ sql: String, named arguments: [String: SQLValue]) throws -> QueryResult {
        try read(PostgresValues.translate(sql, named: arguments))
    }

    public func forEachRow(_ sql: String, named arguments: [String: SQLValue], _ body: (any RowReader) throws -> Void) throws {
        let (sql, binds) = try PostgresValues.translate(sql, named: arguments)
        try readers.transaction("START TRANSACTION READ ONLY") { reader in
            try reader.forEachRow(sql, binds, decode: { try $0.map(PostgresValues.value) }) { try body(ValuesRow(values: $0)) }
        }
    }

    /// report.sql's rows, read packed by hour (``PackedCounts``).
    public func forEachCount(in table: CountsTable, named arguments: [String: SQLValue], _ body: (any RowReader) throws -> Void) throws {
        try forEachPacked(PackedCounts.sql(table.reportSQL), named: arguments, body)
    }

    /// report.sql's rows summed by key in the server, packed in chunks (``PackedCounts/totalsSQL(_:)``):
    /// the client reads a tenth of a week's rows.
    public func forEachTotal(in table: CountsTable, named arguments: [String: SQLValue], _ body: (any RowReader) throws -> Void) throws {
        // A week's keys hash in some 10 MB; at the default 4 MB the sums spill to disk.
        try forEachPacked(PackedCounts.totalsSQL(table.reportSQL), named: arguments, settings: "SET LOCAL work_mem = '64MB'", body)
    }

    private func forEachPacked(_ packedSQL: String, named arguments: [String: SQLValue], settings: String? = nil,
                               _ body: (any RowReader) throws -> Void) throws {
        let (sql, binds) = try PostgresValues.translate(packedSQL, named: arguments)
        let row = PackedCountsRow()
        try readers.transaction("START TRANSACTION READ ONLY") { reader in
            if let settings { try reader.execute(settings) }
            try reader.forEachRow(sql, binds, chunkRows: 1, decode: PackedCounts.Hour.init) { hour in
                row.hour = hour
                for index in 0..<hour.rows {
                    row.index = index
                    try body(row)
                }
            }
        }
    }

    /// report_names.sql's rows in two arrays: tens of thousands of names come in one row.
    public func namesById() throws -> [Int64: String] {
        let sql = "SELECT array_agg(id), array_agg(value) FROM (\(QueryCatalog.sql("report_names"))) AS names"
        var names: [Int64: String] = [:]
        try readers.transaction("START TRANSACTION READ ONLY") { reader in
            try reader.forEachRow(sql, decode: { row in
                let cells = Array(row)
                return (try PostgresArray.integers(cells[0]), try PostgresArray.texts(cells[1]))
            }) { ids, values in
                guard ids.count == values.count else { throw StoreError("report_names: \(ids.count) ids for \(values.count) names") }
                for (id, value) in zip(ids, values) { if let value { names[id] = value } }
            }
        }
        return names
    }

    public func forEachRow(_ sql: String, passes: Int, columns: ([String]) throws -> Void, _ body: (_ pass: Int, [SQLValue]) throws -> Void) throws {
        let (sql, binds) = try PostgresValues.translate(sql)
        try readers.transaction("START TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY") { reader in
            for pass in 0..<passes {
                var named = pass > 0
                try reader.forEachRow(sql, binds, decode: { row in (row.map(\.columnName), try row.map(PostgresValues.value)) }) { names, values in
                    if !named { try columns(names) }
                    named = true
                    try body(pass, values)
                }
                if !named { try columns([]) }
            }
        }
    }

    /// Every read in `body` sees one state of the database: its transactions, on several
    /// connections at once, import one snapshot (`pg_export_snapshot`), so the ingests of a busy
    /// fleet, committing all the while, never make a report's parts disagree.
    public func readingOneSnapshot<T>(_ body: () throws -> T) throws -> T {
        try readers.sharingOneSnapshot(body)
    }

    /// Runs a translated query in a read-only transaction; its rows and column names.
    private func read(_ translated: (String, PostgresBindings)) throws -> QueryResult {
        let (sql, binds) = translated
        return try readers.transaction("START TRANSACTION READ ONLY") { reader in
            var result = QueryResult(columns: [], rows: [])
            try reader.forEachRow(sql, binds, decode: { row in (row.map(\.columnName), try row.map(PostgresValues.value)) }) { names, values in
                if result.columns.isEmpty { result.columns = names }
                result.rows.append(values)
            }
            return result
        }
    }
}

/// The connections a store reads on: its own, and more opened when reads overlap (a report reads
/// the parts of its window at once, as it does from SQLite), kept for the next read.
private final class ReaderPool: @unchecked Sendable {
    private let target: PostgresTarget
    private let idle: Locked<[PostgresConnectionBridge]>

    /// A snapshot shared by the reads of ``sharingOneSnapshot(_:)``: exported by a transaction
    /// that `holder` keeps open for `owner`, the thread that began it, which reads in it.
    private struct SharedSnapshot {
        let id: String
        let holder: PostgresConnectionBridge
        let owner: pthread_t
    }
    private let shared = Locked<SharedSnapshot?>(nil)

    init(_ first: PostgresConnectionBridge) {
        target = first.target
        idle = Locked([first])
    }

    /// Runs `body` in a transaction on a connection no other read is using; inside
    /// ``sharingOneSnapshot(_:)``, in the snapshot's own transaction on the thread that holds it,
    /// and in a repeatable-read transaction that imports the snapshot on any other.
    func transaction<T>(_ begin: String, _ body: (PostgresConnectionBridge) throws -> T) throws -> T {
        let snapshot = shared.withLock { $0 }
        if let snapshot, pthread_equal(snapshot.owner, pthread_self()) != 0 { return try body(snapshot.holder) }
        let reader = try idle.withLock { $0.popLast() } ?? PostgresConnectionBridge(target)
        defer { idle.withLock { $0.append(reader) } }
        guard let snapshot else { return try reader.transaction(begin) { try body(reader) } }
        return try reader.transaction("START TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY") {
            try reader.execute("SET TRANSACTION SNAPSHOT '\(snapshot.id)'")
            return try body(reader)
        }
    }

    /// Runs `body` with every read transaction in it on one snapshot, exported by a transaction
    /// held open until `body` returns. Nested calls share the outer one's.
    func sharingOneSnapshot<T>(_ body: () throws -> T) throws -> T {
        if shared.withLock({ $0 }) != nil { return try body() }
        let holder = try idle.withLock { $0.popLast() } ?? PostgresConnectionBridge(target)
        defer { idle.withLock { $0.append(holder) } }
        return try holder.transaction("START TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY") {
            guard let exported = try holder.rows("SELECT pg_export_snapshot()").first?.first?.string,
                  exported.allSatisfy({ $0.isHexDigit || $0 == "-" }) else {
                throw StoreError("PostgreSQL at \(target.host):\(target.port) exported no snapshot to share among a report's reads")
            }
            shared.withLock { $0 = SharedSnapshot(id: exported, holder: holder, owner: pthread_self()) }
            defer { shared.withLock { $0 = nil } }
            return try body()
        }
    }
}
