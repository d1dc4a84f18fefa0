/// DMARC report files found among the inputs: read whole (within ``IngestOptions/reportSizeLimit``),
/// recorded in the ledger by their content, and each report stored once per (reporter, report id).
extension IngestRun {
    func ingestReports(_ file: InputFile, form: ReportInput.Form, claims: ContentClaims,
                       problems: inout ProblemLog) throws -> FileReport {
        let path = file.path
        let limit = options.reportSizeLimit
        guard let bytes = file.source.readAll(limit: limit) else {
            let error = ReportInputError.tooLarge(limit: limit)
            problems.record(error.sample(at: path))
            return FileReport(path: path, action: .failed, note: error.message, reports: ReportTally())
        }
        var hasher = ContentHasher()
        hasher.add(bytes)
        let fingerprint = "dmarc:\(hasher.hex):\(bytes.count)"
        // Two copies of one file in the same run are read one after the other: the second finds the first in the ledger.
        claims.claim(fingerprint)
        defer { claims.release(fingerprint) }
        // A content read before, broken ones included: its problems were said once and stay in `files --problems`.
        if let state = try store.reportFileState(fingerprint: fingerprint) {
            return FileReport(path: path, action: .upToDate, note: "already read (\(state))", reports: ReportTally(alreadyRead: true))
        }
        var contents = ReportInput.Contents()
        do throws(ReportInputError) {
            if let ended = ReportInputError(ending: file.source.ending) { throw ended }
            contents = try ReportInput.read(bytes, form: form, limit: limit)
        } catch {
            contents.problems = [error]
        }
        var fileProblems = ProblemLog()
        for problem in contents.problems { fileProblems.record(problem.sample(at: path)) }
        problems.merge(fileProblems)
        var tally = ReportTally(aggregate: contents.reports.count, messages: contents.reports.reduce(0) { $0 + $1.messages },
                                failure: contents.forensic)
        if options.dryRun {
            return FileReport(path: path, action: contents.forensic ? .skipped : .read, note: "would store \(tally.aggregate) DMARC reports",
                              reports: tally)
        }
        tally.new = try store.storeReportFile(ReportFile(fingerprint: fingerprint, path: path, compression: file.compression,
                                                         diskBytes: file.sizeOnDisk ?? 0, contents: contents, problems: fileProblems),
                                              now: options.now())
        if contents.forensic {
            return FileReport(path: path, action: .skipped, note: "a DMARC failure report (ARF): counted, its content not stored",
                              reports: tally)
        }
        if contents.reports.isEmpty {
            let first = contents.problems.first
            return FileReport(path: path, action: first?.kind.severity == .warning ? .skipped : .failed,
                              note: first?.message ?? "no report read", reports: tally)
        }
        let named = contents.reports.map { "\($0.reporter) \($0.reportId)" }.joined(separator: ", ")
        let note = "DMARC \(named): \(grouped(tally.messages)) messages"
            + (tally.new == tally.aggregate ? "" : tally.new == 0 ? " (already stored)" : " (\(tally.new) of \(tally.aggregate) new)")
        return FileReport(path: path, action: tally.new == 0 ? .upToDate : .read, note: note, reports: tally)
    }
}
