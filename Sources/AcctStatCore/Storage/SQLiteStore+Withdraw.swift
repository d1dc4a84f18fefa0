import GRDB

/// Taking back what a damaged gzip member counted.
///
/// A member's records are committed batch by batch as they are read, but its CRC-32 is checked
/// only at its end: a flipped bit decodes to plausible records (other domains, other days) first.
/// When the check fails, ingest reads the same bytes again (they decode the same way every time),
/// and this takes back exactly what they added, in one transaction with the checkpoint's move back
/// to the end of the last verified member.
extension SQLiteStore {
    public func withdraw(_ batch: IngestBatch, lines: ClosedRange<Int>, entry: inout LedgerEntry, names: NameTable,
                         problems: ProblemLog, now: Int64) throws {
        let claimed = entry
        guard let fileId = entry.id else { return }
        entry = entry.withdrawing(batch, now: now)
        let snapshot = entry
        do {
            try wrap {
                try pool.write { db in
                    try checkClaim(claimed, db: db)
                    _ = try saveEntry(snapshot, db: db)
                    try resolveNames(names, db: db)
                    let ids = ResolvedIds(names, mta: mtaId)
                    try subtractCounts(batch.counts, from: "counts", ids: ids, db: db)
                    try subtractCounts(batch.otherSignatures, from: "other_signatures", ids: ids, db: db)
                    // Failures and problem samples are keyed by their line: those of the lines read again go.
                    try db.execute(sql: "DELETE FROM failures WHERE file_id = ? AND line BETWEEN ? AND ?",
                                   arguments: [fileId, lines.lowerBound, lines.upperBound])
                    try db.execute(sql: "DELETE FROM problem_samples WHERE file_id = ? AND line BETWEEN ? AND ?",
                                   arguments: [fileId, lines.lowerBound, lines.upperBound])
                    for (kind, count) in batch.problems.counts {
                        try db.execute(sql: "UPDATE file_problems SET count = MAX(0, count - ?) WHERE file_id = ? AND kind = ?",
                                       arguments: [count, fileId, kind.rawValue])
                    }
                    try db.execute(sql: "DELETE FROM file_problems WHERE file_id = ? AND count = 0", arguments: [fileId])
                    // A signing key only the damaged bytes named (a flipped bit in a selector) is forgotten.
                    for (key, _) in batch.seen.map {
                        try db.execute(sql: """
                            DELETE FROM selector_seen WHERE signing_domain_id = ?1 AND selector_id = ?2
                              AND NOT EXISTS (SELECT 1 FROM signature_counts WHERE signing_domain_id = ?1 AND selector_id = ?2)
                            """, arguments: [ids.domains[Int(key.domain)], ids.selectors[Int(key.selector)]])
                    }
                    try insertProblems(problems, fileId: fileId, db: db)
                }
            }
        } catch {
            nameIds = [:]
            throw error
        }
    }

    /// Subtracts `counts` from `table` (`counts` or `other_signatures`), minutes too; rows left at 0 go.
    private func subtractCounts(_ counts: CountTable, from table: String, ids: ResolvedIds, db: Database) throws {
        guard !counts.isEmpty else { return }
        let key = "hour = ? AND rcpt_domain_id = ? AND codes = ? AND signing_domain_id = ? AND selector_id = ? AND vmta_id = ? AND mta_id = ?"
        let update = BoundStatement(try db.cachedStatement(sql: """
            UPDATE \(table) SET count = count - ?, minutes = acctstat_minutes_subtract(minutes, ?) WHERE \(key)
            """))
        let emptied = BoundStatement(try db.cachedStatement(sql: "DELETE FROM \(table) WHERE \(key) AND count <= 0"))
        let (rows, minutes) = ids.storedRows(counts)
        for row in rows {
            update.bind(1, row.count)
            update.bind(2, bytes: minutes, row.minutes)
            _ = bindKey(row.key, to: update, from: 3)
            try update.step()
            _ = bindKey(row.key, to: emptied, from: 1)
            try emptied.step()
        }
    }
}
