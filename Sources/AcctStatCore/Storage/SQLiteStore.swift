import CSQLiteSetup
import Foundation
import GRDB

/// The SQLite backend: a WAL database, so reports read while an ingest writes.
///
/// Safe to share between ingest workers: GRDB serialises writes, and the name cache is
/// only touched inside write transactions.
public final class SQLiteStore: AccountingStore, @unchecked Sendable {
    public let path: String
    /// The host this store writes for (`--mta`): its ledger, and the host of every row it writes.
    public let mta: String
    /// `mta`'s name id, stored when the store opens for writing.
    let mtaId: Int64
    /// Internal, not private: the extensions in `SQLiteStore+*.swift` use it.
    let pool: DatabasePool
    /// Database ids of names already resolved, by their bytes, per kind; bounded for the long-tail `detail` kind.
    var nameIds: [NameTable.Kind: ByteCache<Int64>] = [:]
    private static let nameCacheBytes = 8 << 20
    /// SQLite's process-wide options, set once before the first connection opens
    /// (`Sources/CSQLiteSetup`): the writer's instructions −4.8% on a day's ingest.
    private static let sqliteSetUp: Void = { _ = acctstat_sqlite_setup() }()

    /// Opens (and creates or upgrades) the database at `path`. With `readOnly`, the
    /// database must exist already; one written by an older acctstat is upgraded first
    /// (the schema only, under SQLite's own locking), so a report never meets an old schema.
    /// `announce` hears, before it starts, of an upgrade of a database that holds data: one
    /// can rewrite the tables (schema v6 did), and a large database then takes a while.
    public init(path: String, readOnly: Bool = false, mta: String = MTAName.local, announce: (String) -> Void = { _ in }) throws {
        Self.sqliteSetUp
        self.path = path
        self.mta = mta
        var configuration = Self.configuration(readOnly: readOnly)
        // synchronous = NORMAL is safe for exactly-once in WAL mode (see README, "Database schema").
        // temp_store: the writer keeps the statement journals of multi-row inserts in memory (a cold
        // ingest of the benchmark wrote 732 MB with them on disk, 84 MB without); readers keep temporary
        // tables on disk, so a GROUP BY over a long export (8.4M rows: 876 MB in memory) stays bounded.
        configuration.prepareDatabase { db in
            Self.keepWALFiles(db)
            MinuteDetail.register(in: db)
            let tempStore = db.configuration.readonly ? "FILE" : "MEMORY"
            try db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -16384; PRAGMA temp_store = \(tempStore)")
            // The kept WAL file (keepWALFiles) shrinks back to 1 MiB after a checkpoint, rather than
            // keeping the size a large ingest grew it to.
            if !db.configuration.readonly { try db.execute(sql: "PRAGMA journal_size_limit = 1048576") }
        }
        do {
            if readOnly {
                guard FileManager.default.fileExists(atPath: path) else {
                    throw StoreError("no database at \(path); run 'acctstat ingest' first, or pass --db")
                }
            } else {
                let directory = (path as NSString).deletingLastPathComponent
                if !directory.isEmpty {
                    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                }
            }
            if readOnly {
                Self.waitForSchema(path)
                try Self.upgradeIfNeeded(path, announce: announce)
            }
            let pool = try DatabasePool(path: path, configuration: configuration)
            self.pool = pool
            if !readOnly {
                if let notice = try pool.read({ try Self.upgradeNotice($0, path: path, mta: mta) }) { announce(notice) }
                try Schema.migrator(upgradeMTA: mta).migrate(pool)
                mtaId = try pool.write { db in
                    try db.execute(sql: "INSERT INTO names (kind, value) VALUES ('mta', ?) ON CONFLICT (kind, value) DO NOTHING",
                                   arguments: [mta])
                    return try Int64.fetchOne(db, sql: "SELECT id FROM names WHERE kind = 'mta' AND value = ?", arguments: [mta]) ?? 0
                }
            } else if try pool.read({ try !$0.tableExists("counts") }) {
                let empty = try pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM sqlite_master") ?? 0 } == 0
                throw StoreError(empty ? "\(path) holds no acctstat data yet (its first ingest has not begun, or was stopped before it "
                                         + "did); run 'acctstat ingest'" : "\(path) is not an acctstat database")
            } else {
                // A read-only store (a dry run) looks up `mta`'s ledger: -1, no row, for a host never stored.
                mtaId = try pool.read { db in
                    try Int64.fetchOne(db, sql: "SELECT id FROM names WHERE kind = 'mta' AND value = ?", arguments: [mta]) ?? -1
                }
            }
        } catch let error as StoreError {
            throw Self.storeError(error, path: path)
        } catch let error as DatabaseError where StoreError.isDamage(error.extendedResultCode.rawValue) {
            throw Self.storeError(error, path: path)
        } catch let error as DatabaseError where readOnly && error.resultCode == .SQLITE_READONLY
                    && !FileManager.default.fileExists(atPath: path + "-shm") {
            throw StoreError("cannot read \(path) as this user: its -wal and -shm files are missing and its folder is not "
                             + "writable; run 'acctstat ingest' once as the database's owner (it keeps them), see README, Permissions")
        } catch {
            throw StoreError("cannot open database \(path): \(error)")
        }
    }

    public func ledgerEntry(matching fingerprint: ContentFingerprint) throws -> LedgerEntry? {
        let rows = try wrap {
            try pool.read { db in
                try Row.fetchAll(db, sql: "\(Self.ledgerColumns) WHERE f.fingerprint = ? AND f.mta_id = ?",
                                 arguments: [fingerprint.value, mtaId])
            }
        }
        return rows.map(Self.entry).filter { fingerprint.sameContent(asHead: $0.head) }
            .max { $0.position.offset < $1.position.offset }
    }

    public func commit(_ batch: IngestBatch, entry: inout LedgerEntry, names: NameTable, now: Int64) throws {
        let claimed = entry
        entry = entry.committing(batch, now: now)
        let snapshot = entry
        let fileId: Int64
        do {
            fileId = try wrap {
                try pool.write { db in
                    try checkClaim(claimed, db: db)
                    let fileId = try saveEntry(snapshot, db: db)
                    try resolveNames(names, db: db)
                    let ids = ResolvedIds(names, mta: mtaId)
                    try insertCounts(batch.counts, into: "counts", ids: ids, db: db)
                    if !batch.otherSignatures.isEmpty {
                        try insertCounts(batch.otherSignatures, into: "other_signatures", ids: ids, db: db)
                    }
                    try insertSeen(batch.seen, ids: ids, db: db)
                    try insertSourceIPs(batch.sourceIPs, db: db)
                    try insertFailures(batch.failures, ids: ids, fileId: fileId, db: db)
                    try insertProblems(batch.problems, fileId: fileId, db: db)
                    return fileId
                }
            }
        } catch {
            // The rollback took back the names this commit stored: forget their ids.
            nameIds = [:]
            throw error
        }
        entry.id = fileId
    }

    public func moveCheckpoint(of entry: LedgerEntry, to position: FilePosition) throws {
        guard let id = entry.id else { return }
        try wrap {
            try pool.write { db in
                try checkClaim(entry, db: db)
                try db.execute(sql: "UPDATE files SET bytes = ?, lines = ? WHERE id = ?", arguments: [position.offset, position.line, id])
            }
        }
    }

    public func recordNotAccounting(_ problem: ProblemSample, now: Int64) throws {
        // One row per path, under a fingerprint no content can have: listed by `files --problems`,
        // never matched by a content's lookup, and counted once however many runs meet the file.
        let fingerprint = "not-accounting:" + problem.path
        try wrap {
            try pool.write { db in
                let existing = try Int64.fetchOne(db, sql: "SELECT id FROM files WHERE fingerprint = ? AND mta_id = ?",
                                                  arguments: [fingerprint, mtaId])
                if let existing {
                    try db.execute(sql: "UPDATE files SET last_ingested = ?, end_state = ? WHERE id = ?",
                                   arguments: [now, "not accounting data", existing])
                    return
                }
                try db.execute(sql: """
                    INSERT INTO files (fingerprint, head, path, compression, bytes, lines, records, header, finished, end_state,
                                       first_ingested, last_ingested, newest_record, disk_bytes, mta_id)
                    VALUES (?, x'', ?, 'plain', 0, 0, 0, NULL, 1, 'not accounting data', ?, ?, 0, 0, ?)
                    """, arguments: [fingerprint, problem.path, now, now, mtaId])
                var problems = ProblemLog()
                problems.record(problem)
                try insertProblems(problems, fileId: db.lastInsertedRowID, db: db)
            }
        }
    }

    public func updatePath(_ path: String, of entryId: Int64) throws {
        try wrap {
            try pool.write { db in
                try db.execute(sql: "UPDATE files SET path = ? WHERE id = ? AND path <> ?", arguments: [path, entryId, path])
            }
        }
    }

    public func recordRun(started: Int64, finished: Int64, filesRead: Int, records: Int64, problems: ProblemLog,
                          config: PMTAConfig?) throws {
        try wrap {
            try pool.write { db in
                try db.execute(sql: """
                    INSERT INTO runs (started, finished, files_read, records, errors, warnings, config_path, config_fingerprint, mta_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [started, finished, filesRead, records, problems.count(of: .error), problems.count(of: .warning),
                                    config?.files.first, config?.fingerprint, mtaId])
            }
        }
    }

    public func ledger() throws -> [LedgerListing] {
        try wrap {
            try pool.read { db in
                let entries = try Row.fetchAll(db, sql: "\(Self.ledgerColumns) ORDER BY f.path, mta, f.first_ingested, f.id").map(Self.entry)
                var problems: [Int64: [ProblemKind: Int]] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT file_id, kind, count FROM file_problems") {
                    if let kind = ProblemKind(rawValue: row["kind"]) { problems[row["file_id"], default: [:]][kind] = row["count"] }
                }
                var samples: [Int64: [ProblemSample]] = [:]
                for row in try Row.fetchAll(db, sql: """
                    SELECT s.file_id, s.kind, s.line, s.message, f.path FROM problem_samples s JOIN files f ON f.id = s.file_id ORDER BY s.id
                    """) {
                    if let kind = ProblemKind(rawValue: row["kind"]) {
                        samples[row["file_id"], default: []].append(
                            ProblemSample(kind: kind, path: row["path"], line: row["line"], message: row["message"]))
                    }
                }
                return entries.map { LedgerListing(entry: $0, problems: problems[$0.id!] ?? [:], samples: samples[$0.id!] ?? []) }
            }
        }
    }

    public func query(_ sql: String, arguments: [SQLValue]) throws -> QueryResult {
        try query(sql, statementArguments: StatementArguments(arguments.map(Self.databaseValue)))
    }

    public func query(_ sql: String, named arguments: [String: SQLValue]) throws -> QueryResult {
        try query(sql, statementArguments: StatementArguments(arguments.mapValues(Self.databaseValue)))
    }

    public func forEachRow(_ sql: String, named arguments: [String: SQLValue], _ body: (any RowReader) throws -> Void) throws {
        try wrap {
            try pool.read { db in
                let statement = try readOnlyStatement(sql, db: db)
                try statement.setArguments(StatementArguments(arguments.mapValues(Self.databaseValue)))
                try RawRows(statement).forEach(body)
            }
        }
    }

    public func forEachRow(_ sql: String, passes: Int, columns: ([String]) throws -> Void, _ body: (_ pass: Int, [SQLValue]) throws -> Void) throws {
        try forEachRow(sql, statementArguments: [], passes: passes, columns: columns, body)
    }

    private func query(_ sql: String, statementArguments: StatementArguments) throws -> QueryResult {
        var result = QueryResult(columns: [], rows: [])
        try forEachRow(sql, statementArguments: statementArguments, passes: 1, columns: { result.columns = $0 }) { result.rows.append($1) }
        return result
    }

    /// Streams a read-only query `passes` times in one read transaction: its column names, then
    /// each row's values.
    private func forEachRow(_ sql: String, statementArguments: StatementArguments, passes: Int, columns: ([String]) throws -> Void,
                            _ body: (_ pass: Int, [SQLValue]) throws -> Void) throws {
        try wrap {
            try pool.read { db in
                let statement = try readOnlyStatement(sql, db: db)
                try statement.setArguments(statementArguments)
                try columns(statement.columnNames)
                for pass in 0..<passes {
                    let rows = try Row.fetchCursor(statement)
                    while let row = try rows.next() {
                        try body(pass, (0..<row.count).map { Self.sqlValue(row[$0] as DatabaseValue) })
                    }
                }
            }
        }
    }

    private func readOnlyStatement(_ sql: String, db: Database) throws -> Statement {
        let statement = try db.makeStatement(sql: sql)
        guard statement.isReadonly else { throw StoreError("only read-only SQL is allowed here") }
        return statement
    }

    private static func databaseValue(_ value: SQLValue) -> (any DatabaseValueConvertible)? {
        switch value {
        case .null: nil
        case .integer(let number): number
        case .real(let number): number
        case .text(let text): text
        }
    }

    // MARK: - Writing

    /// The ledger's check-and-claim, inside the transaction that commits the data: the file's
    /// row must still say what this reader started from. Another ingest that read the same
    /// content at the same time (a lock bypassed, say on a network file system) has moved it,
    /// and then this commit is refused, so no record can ever count twice.
    func checkClaim(_ claimed: LedgerEntry, db: Database) throws {
        if let id = claimed.id {
            // The offset says it all: another reader that read anything has moved it, and one that
            // read nothing new cannot have counted anything twice.
            let bytes = try Int64.fetchOne(db, sql: "SELECT bytes FROM files WHERE id = ?", arguments: [id])
            guard bytes == claimed.position.offset else { throw StoreError.concurrentIngest("read \(claimed.path)") }
            return
        }
        let heads = try Data.fetchAll(db, sql: "SELECT head FROM files WHERE fingerprint = ? AND mta_id = ?",
                                      arguments: [claimed.fingerprint, mtaId])
        if heads.contains(where: { ContentFingerprint.sameContent([UInt8]($0), claimed.head) }) {
            throw StoreError.concurrentIngest("began reading \(claimed.path)")
        }
    }

    func saveEntry(_ entry: LedgerEntry, db: Database) throws -> Int64 {
        let arguments: StatementArguments = [
            entry.fingerprint, Data(entry.head), entry.path, entry.compression, entry.position.offset, entry.position.line,
            entry.position.records, entry.position.header, entry.finished, entry.endState, entry.firstIngested, entry.lastIngested,
            entry.newestRecord, entry.diskBytes, mtaId,
        ]
        if let id = entry.id {
            try db.execute(sql: """
                UPDATE files SET fingerprint = ?, head = ?, path = ?, compression = ?, bytes = ?, lines = ?, records = ?,
                    header = ?, finished = ?, end_state = ?, first_ingested = ?, last_ingested = ?, newest_record = ?, disk_bytes = ?,
                    mta_id = ?
                WHERE id = ?
                """, arguments: arguments + [id])
            return id
        }
        try db.execute(sql: """
            INSERT INTO files (fingerprint, head, path, compression, bytes, lines, records, header, finished, end_state,
                               first_ingested, last_ingested, newest_record, disk_bytes, mta_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: arguments)
        return db.lastInsertedRowID
    }

    /// Gives every local name a database id, inserting the new ones: one statement for a new
    /// name (most of them, in a first ingest), two for a name stored by an earlier run.
    func resolveNames(_ names: NameTable, db: Database) throws {
        let insert = BoundStatement(try db.cachedStatement(sql: "INSERT INTO names (kind, value) VALUES (?, ?) ON CONFLICT (kind, value) DO NOTHING"))
        let select = BoundStatement(try db.cachedStatement(sql: "SELECT id FROM names WHERE kind = ? AND value = ?"))
        /// The database id of a name not known yet, stored when new.
        func store(_ kind: NameTable.Kind, _ value: String) throws -> Int64 {
            insert.bind(1, kind.rawValue)
            insert.bind(2, value)
            if let inserted = try insert.insertedRowID() { return inserted }
            select.bind(1, kind.rawValue)
            select.bind(2, value)
            guard let stored = try select.firstInteger() else { throw StoreError("could not store the name '\(value)'") }
            return stored
        }
        for kind in NameTable.Kind.allCases {
            let pending = names.unresolved(kind).values
            guard !pending.isEmpty else { continue }
            // Taken out while it changes, so it is not copied; a failed commit forgets them all anyway.
            var known = nameIds.removeValue(forKey: kind) ?? ByteCache(byteLimit: Self.nameCacheBytes)
            var resolved: [Int64] = []
            resolved.reserveCapacity(pending.count)
            for value in pending {
                var bytes = value
                resolved.append(try bytes.withUTF8 { try known.value(for: UnsafeRawBufferPointer($0)) { try store(kind, value) } })
            }
            nameIds[kind] = known
            names.resolve(kind, resolved)
        }
    }

    /// Adds `counts` to `table`, `counts` or `other_signatures` (the same columns).
    private func insertCounts(_ counts: CountTable, into table: String, ids: ResolvedIds, db: Database) throws {
        // In primary-key order (``ResolvedIds/storedRows(_:)``). A batch's keys are distinct, so
        // no statement updates a row twice (PostgreSQL would refuse that).
        let (rows, minutes) = ids.storedRows(counts)
        try insertRows(rows, into: "\(table) (hour, \(Self.keyColumns), count, minutes)", columns: 9, conflict: """
            ON CONFLICT (hour, \(Self.keyColumns)) DO UPDATE SET count = \(table).count + excluded.count,
                minutes = acctstat_minutes_merge(\(table).minutes, excluded.minutes)
            """, db: db) { row, statement, first in
            let next = bindKey(row.key, to: statement, from: first)
            statement.bind(next, row.count)
            statement.bind(next + 1, bytes: minutes, row.minutes)
        }
    }

    /// Widens each source IP's first and last delivery by the batch's.
    private func insertSourceIPs(_ sourceIPs: SourceIPSpans, db: Database) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO source_ips (ip, first_seen, last_seen) VALUES (?, ?, ?)
            ON CONFLICT (ip) DO UPDATE SET first_seen = MIN(source_ips.first_seen, excluded.first_seen),
                last_seen = MAX(source_ips.last_seen, excluded.last_seen)
            """)
        for (ip, span) in sourceIPs.seen {
            try statement.execute(arguments: [ip, span.first, span.last])
        }
    }

    /// Widens each signing key's first and last seen by the batch's.
    private func insertSeen(_ seen: SigningKeySpans, ids: ResolvedIds, db: Database) throws {
        try insertRows(seen.map, into: "selector_seen (signing_domain_id, selector_id, first_seen, last_seen)", columns: 4, conflict: """
            ON CONFLICT (signing_domain_id, selector_id) DO UPDATE SET first_seen = MIN(selector_seen.first_seen, excluded.first_seen),
                last_seen = MAX(selector_seen.last_seen, excluded.last_seen)
            """, db: db) { entry, statement, first in
            statement.bind(first, ids.domains[Int(entry.0.domain)])
            statement.bind(first + 1, ids.selectors[Int(entry.0.selector)])
            statement.bind(first + 2, entry.1.first)
            statement.bind(first + 3, entry.1.last)
        }
    }

    private func insertFailures(_ failures: [FailureRow], ids: ResolvedIds, fileId: Int64, db: Database) throws {
        // A record has one (time, file, line); should a bug ever repeat one, the drill-down row is
        // dropped rather than the whole commit refused, which would stop every later ingest.
        try insertRows(failures, into: "failures (time, \(Self.keyColumns), job_id, dsn_status, detail_id, file_id, line)", columns: 12, conflict: "ON CONFLICT (time, file_id, line) DO NOTHING", db: db) { failure, statement, first in
            let next = bindKey(ids.stored(failure.key, time: failure.time), to: statement, from: first)
            statement.bind(next, failure.jobId)
            statement.bind(next + 1, failure.dsnStatus)
            statement.bind(next + 2, ids.details[Int(failure.detail)])
            statement.bind(next + 3, fileId)
            statement.bind(next + 4, Int64(failure.line))
        }
    }

    /// Rows per INSERT statement: SQLite's cost per statement exceeds its cost per row, so
    /// many rows go in one multi-row VALUES list (a C benchmark here: 600k upserts took 0.87 s
    /// one row at a time, 0.74 s at 100 rows; plain inserts 0.87 s and 0.42 s).
    static let rowsPerStatement = 64

    /// Inserts `rows` with multi-row statements; `bind` binds one row from parameter `first`.
    private func insertRows<Rows: Sequence>(_ rows: Rows, into target: String, columns: Int, conflict: String = "", db: Database,
                                            bind: (Rows.Element, BoundStatement, Int32) -> Void) throws {
        func statement(rows count: Int) throws -> BoundStatement {
            let row = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
            let values = Array(repeating: row, count: count).joined(separator: ", ")
            return BoundStatement(try db.cachedStatement(sql: "INSERT INTO \(target) VALUES \(values) \(conflict)"))
        }
        var chunk: [Rows.Element] = []
        chunk.reserveCapacity(Self.rowsPerStatement)
        func flush(into statement: BoundStatement) throws {
            for (index, row) in chunk.enumerated() { bind(row, statement, Int32(index * columns + 1)) }
            try statement.step()
            chunk.removeAll(keepingCapacity: true)
        }
        let full = try statement(rows: Self.rowsPerStatement)
        for row in rows {
            chunk.append(row)
            if chunk.count == Self.rowsPerStatement { try flush(into: full) }
        }
        if !chunk.isEmpty { try flush(into: try statement(rows: chunk.count)) }
    }

    func insertProblems(_ problems: ProblemLog, fileId: Int64, db: Database) throws {
        guard !problems.isEmpty else { return }
        let count = try db.cachedStatement(sql: """
            INSERT INTO file_problems (file_id, kind, count) VALUES (?, ?, ?)
            ON CONFLICT (file_id, kind) DO UPDATE SET count = file_problems.count + excluded.count
            """)
        for (kind, total) in problems.counts {
            try count.execute(arguments: [fileId, kind.rawValue, total])
        }
        let stored = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM problem_samples WHERE file_id = ?", arguments: [fileId]) ?? 0
        let sample = try db.cachedStatement(sql: "INSERT INTO problem_samples (file_id, kind, line, message) VALUES (?, ?, ?, ?)")
        for problem in problems.samples.prefix(max(0, ProblemLog.sampleLimit - stored)) {
            try sample.execute(arguments: [fileId, problem.kind.rawValue, problem.line, problem.message])
        }
    }

    /// The key columns `counts` and `failures` share after their time column, in ``bindKey`` order.
    private static let keyColumns = "rcpt_domain_id, codes, signing_domain_id, selector_id, vmta_id, mta_id"

    /// Binds a stored key (its time, then ``keyColumns``) from parameter `first`. Returns the next parameter index.
    func bindKey(_ key: StoredKey, to statement: BoundStatement, from first: Int32) -> Int32 {
        statement.bind(first, key.time)
        statement.bind(first + 1, key.rcptDomain)
        statement.bind(first + 2, key.codes)
        statement.bind(first + 3, key.signingDomain)
        statement.bind(first + 4, key.selector)
        statement.bind(first + 5, key.vmta)
        statement.bind(first + 6, key.mta)
        return first + 7
    }

    // MARK: - Reading

    /// The ledger's rows with their host's name (`mta`), for ``entry(_:)``; `f` is `files`.
    private static let ledgerColumns = "SELECT f.*, COALESCE(m.value, '') AS mta FROM files f LEFT JOIN names m ON m.id = f.mta_id"

    private static func entry(_ row: Row) -> LedgerEntry {
        LedgerEntry(
            id: row["id"], fingerprint: row["fingerprint"], head: [UInt8]((row["head"] as Data?) ?? Data()),
            path: row["path"], compression: row["compression"],
            position: FilePosition(offset: row["bytes"], line: row["lines"], records: row["records"], header: row["header"]),
            finished: row["finished"], endState: row["end_state"],
            firstIngested: row["first_ingested"], lastIngested: row["last_ingested"], newestRecord: row["newest_record"],
            diskBytes: row["disk_bytes"] ?? 0, mta: row["mta"] ?? "")
    }

    private static func sqlValue(_ value: DatabaseValue) -> SQLValue {
        switch value.storage {
        case .null: .null
        case .int64(let number): .integer(number)
        case .double(let number): .real(number)
        case .string(let text): .text(text)
        case .blob(let data): .text(String(decoding: data, as: UTF8.self))
        }
    }

    func wrap<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw Self.storeError(error, path: path)
        }
    }

    /// `error` as the one error type of the storage layer: damage named as such, with what to do.
    static func storeError(_ error: Error, path: String, context: String = "database") -> StoreError {
        switch error {
        case let error as StoreError where error.kind == .damaged && !error.description.hasPrefix("the database "):
            return .damaged(path, detail: "SQLite: database disk image is malformed, or not a database")
        case let error as StoreError:
            return error
        case let error as DatabaseError where StoreError.isDamage(error.extendedResultCode.rawValue):
            return .damaged(path, detail: "SQLite: " + (error.message ?? "\(error.resultCode)"))
        default:
            return StoreError("\(context) \(path): \(error)")
        }
    }
}
