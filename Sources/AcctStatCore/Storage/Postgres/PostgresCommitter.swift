import NIOCore
import PostgresNIO

/// Commits batches on one connection of a ``PostgresStore``, with what it knows of the database:
/// the names' ids and the partitions that exist. A store keeps one per commit that may run at
/// once (``PostgresStore/concurrentCommits``); each runs its whole transaction on its own connection.
final class PostgresCommitter: @unchecked Sendable {
    let bridge: PostgresConnectionBridge
    /// The host whose rows this writes.
    let mtaId: Int64
    /// Database ids of names stored already, per kind (cleared when large, and after a rollback).
    private var nameIds: [NameTable.Kind: [String: Int64]] = [:]
    private static let nameCacheLimit = 200_000
    /// The months whose partitions are known to exist, per partitioned table.
    var partitions: Set<String> = []

    /// `staging`: creates the connection's staging table, which batches' rows in hours already stored pass through.
    init(_ bridge: PostgresConnectionBridge, mtaId: Int64, staging: Bool = true) throws {
        self.bridge = bridge
        self.mtaId = mtaId
        if staging { try bridge.execute("CREATE TEMP TABLE staging_counts (LIKE counts) ON COMMIT DELETE ROWS") }
    }

    /// The ledger's check-and-claim, as ``SQLiteStore``'s: the row must still say what this reader started from.
    func checkClaim(_ claimed: LedgerEntry) throws {
        if let id = claimed.id {
            let bytes = try bridge.rows("SELECT bytes FROM files WHERE id = $1 FOR UPDATE", PostgresStore.binds(id)).first?.first?.int
            guard bytes == claimed.position.offset else { throw StoreError.concurrentIngest("read \(claimed.path)") }
            return
        }
        let heads = try bridge.rows("SELECT encode(head, 'hex') FROM files WHERE fingerprint = $1 AND mta_id = $2",
                                    PostgresStore.binds(claimed.fingerprint, mtaId))
        if heads.contains(where: { ContentFingerprint.sameContent(PostgresStore.hexBytes($0.first?.string ?? ""), claimed.head) }) {
            throw StoreError.concurrentIngest("began reading \(claimed.path)")
        }
    }

    private func saveEntry(_ entry: LedgerEntry) throws -> Int64 {
        var binds = PostgresBindings()
        binds.append(entry.fingerprint)
        binds.append(entry.head.isEmpty ? "" : entry.head.map { String(format: "%02x", $0) }.joined())
        binds.append(entry.path)
        binds.append(entry.compression)
        binds.append(entry.position.offset)
        binds.append(Int64(entry.position.line))
        binds.append(entry.position.records)
        binds.append(entry.position.header)
        binds.append(Int64(entry.finished ? 1 : 0))
        binds.append(entry.endState)
        binds.append(entry.firstIngested)
        binds.append(entry.lastIngested)
        binds.append(entry.newestRecord)
        binds.append(entry.diskBytes)
        binds.append(mtaId)
        if let id = entry.id {
            binds.append(id)
            try bridge.execute("""
                UPDATE files SET fingerprint = $1, head = decode($2, 'hex'), path = $3, compression = $4, bytes = $5, lines = $6,
                    records = $7, header = $8, finished = $9, end_state = $10, first_ingested = $11, last_ingested = $12,
                    newest_record = $13, disk_bytes = $14, mta_id = $15
                WHERE id = $16
                """, binds)
            return id
        }
        let inserted = try bridge.rows("""
            INSERT INTO files (fingerprint, head, path, compression, bytes, lines, records, header, finished, end_state,
                               first_ingested, last_ingested, newest_record, disk_bytes, mta_id)
            VALUES ($1, decode($2, 'hex'), $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id
            """, binds)
        guard let id = inserted.first?.first?.int else { throw StoreError("could not add \(entry.path) to the ledger") }
        return id
    }


    func commit(_ batch: IngestBatch, entry: inout LedgerEntry, names: NameTable, now: Int64) throws {
        let claimed = entry
        entry = entry.committing(batch, now: now)
        let snapshot = entry
        try ensurePartitions(for: batch)
        do {
            // Names go first, in statements of their own: a name is only a name, kept whether the
            // batch commits or not, and another commit adding the same name then waits for this
            // statement, not for this whole transaction.
            try resolveNames(names)
            let ids = ResolvedIds(names, mta: mtaId)
            entry.id = try bridge.transaction {
                // Waiting for the commit's WAL flush buys nothing here: a server crash that loses
                // this commit loses its checkpoint with it, and the next run reads the lines again.
                try bridge.execute("SET LOCAL synchronous_commit = off")
                try checkClaim(claimed)
                let fileId = try saveEntry(snapshot)
                let newHours = try claimNewHours(batch.counts.hours.union(batch.otherSignatures.hours))
                try addCounts(batch.counts, to: "counts", ids: ids, newHours: newHours)
                try addCounts(batch.otherSignatures, to: "other_signatures", ids: ids, newHours: newHours)
                try addFailures(batch.failures, ids: ids, fileId: fileId)
                try insertProblems(batch.problems, fileId: fileId)
                // Rows every commit of the host adds to come last, so other commits wait for them least.
                try addSeen(batch.seen, ids: ids)
                try addSourceIPs(batch.sourceIPs)
                return fileId
            }
        } catch {
            nameIds = [:]
            throw error
        }
    }

    /// Creates the monthly partitions the batch's rows fall in, each in a short transaction of its
    /// own, under an advisory lock: hosts that reach a new month together create it once.
    private func ensurePartitions(for batch: IngestBatch) throws {
        var months: Set<Int> = []
        for hour in batch.counts.hours.union(batch.otherSignatures.hours) { months.insert(PostgresSchema.month(of: hour * 3600)) }
        for failure in batch.failures { months.insert(PostgresSchema.month(of: failure.time)) }
        try ensurePartitions(months: months)
    }

    private func ensurePartitions(months: Set<Int>) throws {
        for month in months.sorted() {
            for table in PostgresSchema.partitionedTables.keys.sorted() where !partitions.contains("\(table) \(month)") {
                try bridge.transaction {
                    try bridge.execute("SELECT pg_advisory_xact_lock(hashtextextended('acctstat partitions', 0))")
                    try bridge.execute(PostgresSchema.partitionDDL(table: table, month: month))
                }
                partitions.insert("\(table) \(month)")
            }
        }
    }

    /// Gives every local name a database id: the new ones stored (`ON CONFLICT DO NOTHING`: another
    /// host may store the same name at the same time), then all of them looked up, per kind, in two statements.
    ///
    /// Every statement that writes rows other hosts' commits also write (names, `selector_seen`,
    /// `source_ips`) takes them in key order, so two commits wait for each other, never in a circle.
    private func resolveNames(_ names: NameTable) throws {
        for kind in NameTable.Kind.allCases {
            let pending = Array(names.unresolved(kind).values)
            guard !pending.isEmpty else { continue }
            var known = nameIds[kind] ?? [:]
            if known.count > Self.nameCacheLimit { known = [:] }
            let missing = Array(Set(pending.filter { known[$0] == nil }))
            if !missing.isEmpty {
                try bridge.execute("""
                    INSERT INTO names (kind, value) SELECT $1, v FROM unnest($2::text[]) AS v ORDER BY v
                    ON CONFLICT (kind, value) DO NOTHING
                    """, PostgresStore.binds(kind.rawValue, missing))
                for row in try bridge.rows("SELECT value, id FROM names WHERE kind = $1 AND value = ANY($2::text[])",
                                           PostgresStore.binds(kind.rawValue, missing)) {
                    if let value = row[0].string, let id = row[1].int { known[value] = id }
                }
            }
            var resolved: [Int64] = []
            resolved.reserveCapacity(pending.count)
            for value in pending {
                guard let id = known[value] else { throw StoreError("could not store the name '\(value)'") }
                resolved.append(id)
            }
            nameIds[kind] = known
            names.resolve(kind, resolved)
        }
    }

    /// The key columns after the time column, in ``write(_:to:)``'s order.
    private static let keyColumns = "rcpt_domain_id, codes, signing_domain_id, selector_id, vmta_id, mta_id"

    /// Writes a stored key's time and ``keyColumns``, the first columns of a `counts` or `failures` row.
    private static func write(_ key: StoredKey, to rows: inout CopyRows) {
        rows.field(key.time)
        rows.field(key.rcptDomain)
        rows.field(key.codes)
        rows.field(key.signingDomain)
        rows.field(key.selector)
        rows.field(key.vmta)
        rows.field(key.mta)
    }

    /// Adds `hours` (hour numbers) to this host's `mta_hours` and locks them till the commit ends;
    /// the ones it did not hold before.
    ///
    /// `counts` has no unique key (an index on hour serves every read): its keys are kept unique
    /// here. Only this host's ingest writes its rows (its ingest lock), and its two commits at once
    /// (other files) take their hours' rows in hour order, so a commit adding to an hour waits for
    /// the other commit writing that hour, then sees its rows. In an hour new to the host no stored
    /// row can share a key with the batch's rows.
    private func claimNewHours(_ hours: Set<Int64>) throws -> Set<Int64> {
        guard !hours.isEmpty else { return [] }
        // DO UPDATE, not DO NOTHING: the stored hours' rows are locked too. xmax is 0 in a row this statement added.
        let claimed = try bridge.rows("""
            INSERT INTO mta_hours (mta_id, hour) SELECT $1, h FROM unnest($2::bigint[]) AS h ORDER BY h
            ON CONFLICT (mta_id, hour) DO UPDATE SET hour = excluded.hour RETURNING hour, xmax = 0
            """, PostgresStore.binds(mtaId, hours.sorted().map { $0 * 3600 }))
        return Set(claimed.filter { $0[1] == .integer(1) }.compactMap { $0[0].int.map { $0 / 3600 } })
    }

    /// Adds `counts` to `table` (`counts` or `other_signatures`). Rows in `newHours` (hour numbers
    /// new to this host) are copied straight into the table; the others into the staging table,
    /// then merged by key into the stored rows, and the keys not stored added (their hours are
    /// locked: ``claimNewHours(_:)``).
    private func addCounts(_ counts: CountTable, to table: String, ids: ResolvedIds, newHours: Set<Int64>) throws {
        guard !counts.isEmpty else { return }
        let (stored, minutes) = ids.storedRows(counts)
        var fresh = CopyRows(), existing = CopyRows()
        /// One row of `hour, keyColumns, count, minutes`.
        func write(_ row: (key: StoredKey, count: Int64, minutes: Range<Int>), to rows: inout CopyRows) {
            Self.write(row.key, to: &rows)
            rows.field(row.count)
            rows.field(bytes: minutes[row.minutes])
            rows.endRow()
        }
        for row in stored {
            if newHours.contains(row.key.time / 3600) { write(row, to: &fresh) } else { write(row, to: &existing) }
        }
        let columns = "hour, \(Self.keyColumns), count, minutes"
        if !fresh.isEmpty { try copy(fresh, into: table, columns: columns) }
        guard !existing.isEmpty else { return }
        try copy(existing, into: "staging_counts", columns: columns)
        // The stored rows of those hours, by key: joined by hash (the hours' rows read once through
        // the index on hour), then the keys not stored added.
        let sameKey = (["hour"] + Self.keyColumns.components(separatedBy: ", ")).map { "c.\($0) = s.\($0)" }.joined(separator: " AND ")
        let hours = PostgresStore.binds(Array(Set(stored.map(\.key.time)).subtracting(newHours.map { $0 * 3600 })).sorted())
        try bridge.execute("SET LOCAL enable_nestloop = off")
        try bridge.execute("""
            UPDATE \(table) AS c SET count = c.count + s.count, minutes = acctstat_minutes_merge(c.minutes, s.minutes)
            FROM staging_counts s WHERE \(sameKey) AND c.hour = ANY($1::bigint[])
            """, hours)
        try bridge.execute("""
            INSERT INTO \(table) (\(columns)) SELECT \(columns) FROM staging_counts s
            WHERE NOT EXISTS (SELECT 1 FROM \(table) c WHERE \(sameKey) AND c.hour = ANY($1::bigint[]))
            """, hours)
        try bridge.execute("SET LOCAL enable_nestloop = on; TRUNCATE staging_counts")
    }

    /// Copies the batch's failure rows straight into `failures`: each is a record's (time, file,
    /// line), committed once with its file's checkpoint.
    private func addFailures(_ failures: [FailureRow], ids: ResolvedIds, fileId: Int64) throws {
        guard !failures.isEmpty else { return }
        var rows = CopyRows()
        for failure in failures {
            Self.write(ids.stored(failure.key, time: failure.time), to: &rows)
            rows.field(failure.jobId)
            rows.field(failure.dsnStatus)
            rows.field(ids.details[Int(failure.detail)])
            rows.field(fileId)
            rows.field(Int64(failure.line))
            rows.endRow()
        }
        try copy(rows, into: "failures", columns: "time, \(Self.keyColumns), job_id, dsn_status, detail_id, file_id, line")
    }

    private func copy(_ rows: CopyRows, into table: String, columns: String) throws {
        let logger = bridge.logger
        let buffer = rows.buffer
        let columnList = columns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        try bridge.run { connection in
            try await connection.copyFrom(table: table, columns: columnList, logger: logger) { writer in
                try await writer.write(buffer)
            }
        }
    }

    private func addSeen(_ seen: SigningKeySpans, ids: ResolvedIds) throws {
        guard !seen.map.isEmpty else { return }
        var domains: [Int64] = [], selectors: [Int64] = [], firsts: [Int64] = [], lasts: [Int64] = []
        for (key, span) in seen.map {
            domains.append(ids.domains[Int(key.domain)])
            selectors.append(ids.selectors[Int(key.selector)])
            firsts.append(span.first)
            lasts.append(span.last)
        }
        try bridge.execute("""
            INSERT INTO selector_seen (signing_domain_id, selector_id, first_seen, last_seen)
            SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[]) AS t (d, s, f, l) ORDER BY d, s
            ON CONFLICT (signing_domain_id, selector_id) DO UPDATE SET first_seen = LEAST(selector_seen.first_seen, excluded.first_seen),
                last_seen = GREATEST(selector_seen.last_seen, excluded.last_seen)
            """, PostgresStore.binds(domains, selectors, firsts, lasts))
    }

    private func addSourceIPs(_ sourceIPs: SourceIPSpans) throws {
        let seen = sourceIPs.seen
        guard !seen.isEmpty else { return }
        try bridge.execute("""
            INSERT INTO source_ips (ip, first_seen, last_seen)
            SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS t (ip, f, l) ORDER BY ip
            ON CONFLICT (ip) DO UPDATE SET first_seen = LEAST(source_ips.first_seen, excluded.first_seen),
                last_seen = GREATEST(source_ips.last_seen, excluded.last_seen)
            """, PostgresStore.binds(seen.map(\.ip), seen.map(\.span.first), seen.map(\.span.last)))
    }

    func insertProblems(_ problems: ProblemLog, fileId: Int64) throws {
        guard !problems.isEmpty else { return }
        for (kind, total) in problems.counts {
            try bridge.execute("""
                INSERT INTO file_problems (file_id, kind, count) VALUES ($1, $2, $3)
                ON CONFLICT (file_id, kind) DO UPDATE SET count = file_problems.count + excluded.count
                """, PostgresStore.binds(fileId, kind.rawValue, Int64(total)))
        }
        let stored = try bridge.rows("SELECT COUNT(*) FROM problem_samples WHERE file_id = $1", PostgresStore.binds(fileId)).first?.first?.int ?? 0
        for problem in problems.samples.prefix(max(0, ProblemLog.sampleLimit - Int(stored))) {
            var binds = PostgresStore.binds(fileId, problem.kind.rawValue)
            binds.append(problem.line.map { Int64($0) })
            binds.append(problem.message)
            try bridge.execute("INSERT INTO problem_samples (file_id, kind, line, message) VALUES ($1, $2, $3, $4)", binds)
        }
    }

    func withdraw(_ batch: IngestBatch, lines: ClosedRange<Int>, entry: inout LedgerEntry, names: NameTable,
                  problems: ProblemLog, now: Int64) throws {
        let claimed = entry
        guard let fileId = entry.id else { return }
        entry = entry.withdrawing(batch, now: now)
        let snapshot = entry
        do {
            try bridge.transaction {
                try checkClaim(claimed)
                _ = try saveEntry(snapshot)
                try resolveNames(names)
                let ids = ResolvedIds(names, mta: mtaId)
                try subtractCounts(batch.counts, from: "counts", ids: ids)
                try subtractCounts(batch.otherSignatures, from: "other_signatures", ids: ids)
                let range = PostgresStore.binds(fileId, Int64(lines.lowerBound), Int64(lines.upperBound))
                try bridge.execute("DELETE FROM failures WHERE file_id = $1 AND line BETWEEN $2 AND $3", range)
                try bridge.execute("DELETE FROM problem_samples WHERE file_id = $1 AND line BETWEEN $2 AND $3", range)
                for (kind, count) in batch.problems.counts {
                    try bridge.execute("UPDATE file_problems SET count = GREATEST(0, count - $1) WHERE file_id = $2 AND kind = $3",
                                       PostgresStore.binds(Int64(count), fileId, kind.rawValue))
                }
                try bridge.execute("DELETE FROM file_problems WHERE file_id = $1 AND count = 0", PostgresStore.binds(fileId))
                for (key, _) in batch.seen.map {
                    try bridge.execute("""
                        DELETE FROM selector_seen WHERE signing_domain_id = $1 AND selector_id = $2
                          AND NOT EXISTS (SELECT 1 FROM signature_counts WHERE signing_domain_id = $1 AND selector_id = $2)
                        """, PostgresStore.binds(ids.domains[Int(key.domain)], ids.selectors[Int(key.selector)]))
                }
                try insertProblems(problems, fileId: fileId)
            }
        } catch {
            nameIds = [:]
            throw error
        }
    }

    /// Subtracts `counts` from `table`, minutes too; rows left at 0 go. Row by row: a rare path (damaged gzip data).
    private func subtractCounts(_ counts: CountTable, from table: String, ids: ResolvedIds) throws {
        guard !counts.isEmpty else { return }
        /// The row's key from parameter `first` on.
        func key(from first: Int) -> String {
            ["hour", "rcpt_domain_id", "codes", "signing_domain_id", "selector_id", "vmta_id", "mta_id"].enumerated()
                .map { "\($1) = $\(first + $0)" }.joined(separator: " AND ")
        }
        let (rows, minutes) = ids.storedRows(counts)
        for row in rows {
            let keyValues = [row.key.time, row.key.rcptDomain, row.key.codes, row.key.signingDomain, row.key.selector, row.key.vmta, row.key.mta]
            var binds = PostgresStore.binds(row.count, ByteBuffer(bytes: minutes[row.minutes]))
            for value in keyValues { binds.append(value) }
            try bridge.execute("UPDATE \(table) SET count = count - $1, minutes = acctstat_minutes_subtract(minutes, $2) WHERE \(key(from: 3))", binds)
            binds = PostgresBindings()
            for value in keyValues { binds.append(value) }
            try bridge.execute("DELETE FROM \(table) WHERE \(key(from: 1)) AND count <= 0", binds)
        }
    }
}
