extension IngestRun.Summary {
    /// Exit codes of `acctstat ingest`, documented in the README.
    public enum ExitStatus: Int32, Sendable {
        case clean = 0
        /// Input problems: errors always, warnings with `--strict`.
        case problems = 1
    }

    public func exitStatus(strict: Bool) -> ExitStatus {
        let errors = problems.count(of: .error)
        let warnings = problems.count(of: .warning)
        return errors > 0 || (strict && warnings > 0) ? .problems : .clean
    }

    /// The one-paragraph summary cron mails, followed by problem samples (`path:line: kind: message`).
    public func text(database: String, seconds: Double) -> String {
        let read = count(.read) + count(.resumed)
        var parts = ["ingested \(Readable.count(records, "record")) from \(Readable.count(Int64(read), "file"))"]
        var details: [String] = []
        if count(.resumed) > 0 { details.append("\(count(.resumed)) resumed") }
        if count(.upToDate) > 0 { details.append("\(count(.upToDate)) already up to date") }
        if count(.waiting) > 0 { details.append("\(count(.waiting)) waiting for a first record") }
        if count(.skipped) > 0 { details.append("\(count(.skipped)) skipped as not accounting data or not a regular file") }
        if count(.notAccounting) > 0 { details.append("\(count(.notAccounting)) not accounting data") }
        if count(.failed) > 0 { details.append("\(count(.failed)) unreadable") }
        if !details.isEmpty { parts.append("(" + details.joined(separator: ", ") + ")") }
        var text = "acctstat: " + parts.joined(separator: " ")
            + " in \(Decimal.format(seconds, decimals: 1)) s (\(megabytes(bytes)) MB of CSV) into \(database)."
        text += reportsSentence()
        if let config {
            text += " Selectors not in the records come from \(config.files.first ?? "the PowerMTA configuration") "
                + "(\(config.keys.count) keys, fingerprint \(config.fingerprint))."
            if olderThanConfig > 0 {
                text += " Backfill: \(grouped(olderThanConfig)) records are older than that configuration; they were given "
                    + "today's selectors, which may not be the ones that signed them."
            }
        }
        if problems.isEmpty {
            text += " No problems."
        } else {
            text += " Problems: \(Readable.count(Int64(problems.count(of: .error)), "error")), "
                + "\(Readable.count(Int64(problems.count(of: .warning)), "warning")) (\(problems.countsByKind))."
            text += "\n" + problemLines().joined(separator: "\n")
        }
        return text + "\n"
    }

    /// What the DMARC report files held, when there were any.
    func reportsSentence() -> String {
        let tallies = reportFiles
        guard !tallies.isEmpty else { return "" }
        let aggregate = tallies.reduce(0) { $0 + $1.aggregate }, new = tallies.reduce(0) { $0 + $1.new }
        let failures = tallies.filter(\.failure).count, alreadyRead = tallies.filter(\.alreadyRead).count
        var parts: [String] = []
        if aggregate > 0 || (failures == 0 && alreadyRead == 0) {
            parts.append("\(Readable.count(Int64(aggregate), "aggregate report")) read, \(new) new"
                         + (aggregate > new ? " (\(aggregate - new) already stored)" : ""))
        }
        if alreadyRead > 0 { parts.append("\(Readable.count(Int64(alreadyRead), "report file")) already read") }
        if failures > 0 { parts.append("\(Readable.count(Int64(failures), "failure report")) (ARF) skipped, never stored") }
        return " DMARC: " + parts.joined(separator: "; ") + "."
    }

    /// How many files with problems the summary names, and how many samples it shows.
    static let filesNamed = 20, samplesShown = ProblemLog.sampleLimit

    /// Each file with problems (errors first), one line with its counts by kind, at most
    /// ``filesNamed``; then samples taken in turn from those files, so one broken file cannot
    /// hide the others; then what was left out. Problems without a file (the PowerMTA
    /// configuration's) come as samples.
    func problemLines() -> [String] {
        let errorsFirst = { (file: IngestRun.FileReport) in (file.problems.count(of: .error) > 0 ? 0 : 1, file.path) }
        let troubled = files.filter { !$0.problems.isEmpty }.sorted { errorsFirst($0) < errorsFirst($1) }
        var lines = troubled.prefix(Self.filesNamed).map { "  " + $0.path + ": " + $0.problems.countsByKind }
        if troubled.count > Self.filesNamed { lines.append("  … and \(troubled.count - Self.filesNamed) more files with problems") }
        let fileless = problems.samples.filter { sample in !troubled.contains { $0.path == sample.path } }
        var samples = Array(fileless.prefix(Self.samplesShown))
        var round = 0
        while samples.count < Self.samplesShown {
            let next = troubled.compactMap { round < $0.problems.samples.count ? $0.problems.samples[round] : nil }
            if next.isEmpty { break }
            samples += next.prefix(Self.samplesShown - samples.count)
            round += 1
        }
        lines += samples.map { "  " + $0.formatted }
        if problems.total > samples.count {
            lines.append("  … \(problems.total - samples.count) more; see 'acctstat files --problems'")
        }
        return lines
    }
}
