import GRDB

/// DMARC report files: their ledger rows and their reports, stored once per (reporter, report id).
extension SQLiteStore {
    public func reportFileState(fingerprint: String) throws -> String? {
        try wrap {
            try pool.read { db in
                try String.fetchOne(db, sql: "SELECT end_state FROM files WHERE fingerprint = ? AND mta_id = ? ORDER BY id LIMIT 1",
                                    arguments: [fingerprint, mtaId])
            }
        }
    }

    public func storeReportFile(_ file: ReportFile, now: Int64) throws -> Int {
        try wrap {
            try pool.write { db in
                try db.execute(sql: """
                    INSERT INTO files (fingerprint, head, path, compression, bytes, lines, records, header, finished, end_state,
                                       first_ingested, last_ingested, newest_record, disk_bytes, kind, mta_id)
                    VALUES (?, x'', ?, ?, 0, 0, 0, NULL, 1, '', ?, ?, 0, ?, ?, ?)
                    """, arguments: [file.fingerprint, file.path, file.compression.rawValue, now, now, file.diskBytes,
                                     file.contents.forensic ? "dmarc-failure" : "dmarc", mtaId])
                let fileId = db.lastInsertedRowID
                var stored = 0
                for report in file.contents.reports where try insert(report, fileId: fileId, db: db) {
                    stored += 1
                }
                try db.execute(sql: "UPDATE files SET end_state = ? WHERE id = ?", arguments: [file.endState(newReports: stored), fileId])
                try insertProblems(file.problems, fileId: fileId, db: db)
                return stored
            }
        }
    }

    /// Stores one report unless its (reporter, report id) is stored already; true when it was new.
    private func insert(_ report: AggregateReport, fileId: Int64, db: Database) throws -> Bool {
        let policy = report.policy
        try db.execute(sql: """
            INSERT INTO dmarc_reports (reporter, report_id, reporter_email, begin_time, end_time, policy_domain, policy_p,
                                       policy_sp, policy_pct, policy_adkim, policy_aspf, file_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (reporter, report_id) DO NOTHING
            """, arguments: [report.reporter, report.reportId, report.reporterEmail, report.begin, report.end, policy.domain,
                             policy.p, policy.sp, policy.pct, policy.adkim, policy.aspf, fileId])
        guard db.changesCount == 1 else { return false }
        let reportRow = db.lastInsertedRowID
        let insertRecord = try db.cachedStatement(sql: """
            INSERT INTO dmarc_records (report, source_ip, count, disposition, dmarc_dkim, dmarc_spf, header_from, envelope_from)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let insertSignature = try db.cachedStatement(sql: """
            INSERT INTO dmarc_signatures (record, position, domain, selector, result, human_result) VALUES (?, ?, ?, ?, ?, ?)
            """)
        for record in report.records {
            try insertRecord.execute(arguments: [reportRow, record.sourceIP, record.count, record.disposition, record.dmarcDKIM,
                                                 record.dmarcSPF, record.headerFrom, record.envelopeFrom])
            let recordRow = db.lastInsertedRowID
            for (position, signature) in record.signatures.enumerated() {
                try insertSignature.execute(arguments: [recordRow, position, signature.domain, signature.selector, signature.result,
                                                        signature.humanResult])
            }
        }
        return true
    }
}
