import GRDB

/// The minute counts' retention and SQLite's integrity checks.
extension SQLiteStore {
    /// How long minute counts are kept: windows are exact to the minute this far back from the
    /// newest record.
    public static let minuteRetention: Int64 = 15 * 86400

    /// The rows of `store_state`, one number each.
    private enum StateName: String {
        /// The first hour (a whole hour) whose counts rows all carry their minutes.
        case minuteCountsFrom = "minute_counts_from"
        /// When SQLite's quick check last ran.
        case quickCheckAt = "quick_check_at"
        /// Records `prune` removed from the counts.
        case prunedRecords = "pruned_records"
    }

    private static func state(_ name: StateName, in db: Database) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT value FROM store_state WHERE name = ?", arguments: [name.rawValue])
    }

    private static func setState(_ name: StateName, to value: Int64, in db: Database) throws {
        try db.execute(sql: """
            INSERT INTO store_state (name, value) VALUES (?, ?)
            ON CONFLICT (name) DO UPDATE SET value = excluded.value
            """, arguments: [name.rawValue, value])
    }

    public func pruneMinuteCounts() throws {
        try wrap {
            try pool.write { db in
                let stored = try Self.state(.minuteCountsFrom, in: db) ?? 0
                let newest = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(newest_record), 0) FROM files") ?? 0
                guard newest > 0 else { return }
                // On whole hours: every minute of an hour at or after it is kept.
                let from = max(stored, floorDivide(newest - Self.minuteRetention + 3599, 3600) * 3600)
                guard from != stored else { return }
                // Minutes of hours that are no longer recent are dropped: their rows keep their counts.
                for table in ["counts", "other_signatures"] {
                    try db.execute(sql: "UPDATE \(table) SET minutes = NULL WHERE hour >= ? AND hour < ? AND minutes IS NOT NULL",
                                   arguments: [stored, from])
                }
                try Self.setState(.minuteCountsFrom, to: from, in: db)
            }
        }
    }

    public func minuteCountsFrom() throws -> Int64 {
        try wrap {
            try pool.read { db in
                try Self.state(.minuteCountsFrom, in: db) ?? .max
            }
        }
    }

    public func signingKeySpans() throws -> [SigningKeySpan] {
        try wrap {
            try pool.read { db in
                try Row.fetchAll(db, sql: "SELECT signing_domain_id, selector_id, first_seen, last_seen FROM selector_seen").map { row in
                    SigningKeySpan(signingDomain: row[0], selector: row[1], firstSeen: row[2], lastSeen: row[3])
                }
            }
        }
    }

    public func quickCheckIfDue(now: Int64) throws {
        try wrap {
            let last = try pool.read { try Self.state(.quickCheckAt, in: $0) } ?? 0
            guard now - last >= 86400 || now < last else { return }
            let damage = try pool.read { try Self.damage(in: $0, pragma: "quick_check") }
            guard damage.isEmpty else { throw StoreError.damaged(path, detail: "SQLite's quick check: " + damage.joined(separator: "; ")) }
            try pool.write { try Self.setState(.quickCheckAt, to: now, in: $0) }
        }
    }

    /// What SQLite's `integrity_check` or `quick_check` finds, at most 10 lines; empty when intact.
    ///
    /// SQLite 3.40 (Debian 12's) reports "NULL value in failures.…" for every row of a `WITHOUT
    /// ROWID` table whose primary key is not its first columns, although the rows hold no NULL
    /// (a bug fixed in later versions): such lines are left out, the structural checks kept.
    static func damage(in db: Database, pragma: String) throws -> [String] {
        let lines = try String.fetchAll(db, sql: "PRAGMA \(pragma)(100)")
        guard lines != ["ok"] else { return [] }
        return Array(lines.filter { !$0.hasPrefix("NULL value in ") }.prefix(10))
    }

    public func prune(before: Int64) throws -> PruneSummary {
        try wrap {
            try pool.write { db in
                var summary = PruneSummary()
                summary.records = try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(count), 0) FROM counts WHERE hour < ?", arguments: [before]) ?? 0
                summary.signatures = try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(count), 0) FROM other_signatures WHERE hour < ?",
                                                        arguments: [before]) ?? 0
                try db.execute(sql: "DELETE FROM counts WHERE hour < ?", arguments: [before])
                try db.execute(sql: "DELETE FROM other_signatures WHERE hour < ?", arguments: [before])
                try db.execute(sql: "DELETE FROM failures WHERE time < ?", arguments: [before])
                summary.failures = Int64(db.changesCount)
                try db.execute(sql: """
                    DELETE FROM dmarc_signatures WHERE record IN (
                        SELECT d.id FROM dmarc_records d JOIN dmarc_reports r ON r.id = d.report WHERE r.begin_time < ?);
                    DELETE FROM dmarc_records WHERE report IN (SELECT id FROM dmarc_reports WHERE begin_time < ?);
                    """, arguments: [before, before])
                try db.execute(sql: "DELETE FROM dmarc_reports WHERE begin_time < ?", arguments: [before])
                summary.dmarcReports = Int64(db.changesCount)
                try Self.setState(.prunedRecords, to: (try Self.state(.prunedRecords, in: db) ?? 0) + summary.records, in: db)
                return summary
            }
        }
    }

    public func verify() throws -> VerifyResult {
        try wrap {
            try pool.read { db in
                let damage = try Self.damage(in: db, pragma: "integrity_check")
                guard damage.isEmpty else { return VerifyResult(intact: false, damage: damage) }
                let ledger = try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(records), 0) FROM files") ?? 0
                let stored = try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(count), 0) FROM counts") ?? 0
                var result = VerifyResult(intact: true, damage: [], ledgerRecords: ledger, storedRecords: stored)
                result.prunedRecords = try Self.state(.prunedRecords, in: db) ?? 0
                return result
            }
        }
    }
}
