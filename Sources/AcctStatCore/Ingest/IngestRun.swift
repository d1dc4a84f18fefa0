import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One `acctstat ingest`: finds the inputs, decides for each whether and where to read
/// it, reads it, and summarises.
///
/// Files are read by `workers` threads in parallel, inflating and parsing one file each,
/// while a ``BatchWriter`` thread commits their batches in order. Each file is looked up in the ledger just before
/// it is read, under a claim on its content, so two copies of one content in the same run
/// (`acct.csv.1` beside `acct.csv.1.gz`) are read once between them. Reports and problems
/// are gathered in path order, so the summary does not depend on timing.
public struct IngestRun: Sendable {
    /// What happened to one input.
    public struct FileReport: Sendable {
        public enum Action: String, Sendable {
            case read, resumed, upToDate = "up-to-date", waiting, skipped, failed
            /// Named, or named like accounting, but not accounting data.
            case notAccounting = "not-accounting"
        }
        public var path: String
        public var action: Action
        /// Why, for skipped, waiting, failed and up-to-date inputs.
        public var note: String
        public var records: Int64 = 0
        public var bytes: Int64 = 0
        /// Records given a selector by a configuration file newer than they are.
        public var olderThanConfig: Int64 = 0
        /// Its problems: counts by kind and the first samples.
        public var problems = ProblemLog()
        /// For a file of DMARC reports: what it held.
        public var reports: ReportTally?
    }

    /// What one file of DMARC reports held.
    public struct ReportTally: Sendable {
        /// Aggregate reports read, and those of them stored for the first time.
        public var aggregate = 0
        public var new = 0
        public var messages: Int64 = 0
        /// A failure (forensic) report: recognised, not stored.
        public var failure = false
        /// The ledger knew the file's content: nothing read again.
        public var alreadyRead = false
    }

    /// How far a run has come, for a progress display.
    public struct Progress: Sendable {
        public var filesDone = 0
        public var filesTotal = 0
        /// On-disk (compressed) bytes read, and in all.
        public var bytesDone: Int64 = 0
        public var bytesTotal: Int64 = 0
        public var records: Int64 = 0
    }

    /// The result of a run.
    public struct Summary: Sendable {
        public var files: [FileReport] = []
        public var problems = ProblemLog()
        public var records: Int64 { files.reduce(0) { $0 + $1.records } }
        public var bytes: Int64 { files.reduce(0) { $0 + $1.bytes } }
        public var olderThanConfig: Int64 { files.reduce(0) { $0 + $1.olderThanConfig } }
        /// The PowerMTA configuration used to attribute selectors, if any.
        public var config: PMTAConfig?
        /// Accounting files that ended so (DMARC report files are counted apart: ``reportFiles``).
        public func count(_ action: FileReport.Action) -> Int { files.filter { $0.action == action && $0.reports == nil }.count }
        /// The DMARC report files' tallies.
        public var reportFiles: [ReportTally] { files.compactMap(\.reports) }
    }

    public let options: IngestOptions
    public let store: AccountingStore

    public init(options: IngestOptions, store: AccountingStore) {
        self.options = options
        self.store = store
    }

    /// Runs the ingest; throws only when the database fails. `progress` is called as files
    /// are read (every few tens of thousands of records) and finished, one call at a time.
    public func run(progress: @escaping @Sendable (Progress) -> Void = { _ in }) throws -> Summary {
        let started = options.now()
        var summary = Summary()
        summary.config = options.pmtaConfig
        for problem in options.pmtaConfig?.problems ?? [] {
            summary.problems.record(ProblemSample(kind: .configProblem, path: problem.location, line: nil, message: problem.message))
        }
        if !options.dryRun { try store.quickCheckIfDue(now: started) }
        let clock = RecordClock(minutesFrom: options.dryRun ? .max : try store.minuteCountsFrom(),
                                futureAfter: started + RecordClock.futureTolerance)
        let (candidates, walkErrors, walkSkipped) = InputFinder.find(in: options.paths)
        for entry in walkSkipped {
            summary.files.append(FileReport(path: entry.path, action: .skipped, note: entry.reason))
        }
        for error in walkErrors {
            let sample = ProblemSample(kind: .unreadableFile, path: error.path, line: nil, message: error.reason)
            summary.problems.record(sample)
            var report = FileReport(path: error.path, action: .failed, note: error.reason)
            report.problems.record(sample)
            summary.files.append(report)
        }
        let results = Locked([FileReport?](repeating: nil, count: candidates.count))
        let state = Locked((next: 0, failure: nil as Error?))
        let claims = ContentClaims()
        let writer = BatchWriter(store: store, commits: options.commits)
        let sizes = candidates.map { candidate -> Int64 in
            var info = stat()
            return stat(candidate.path, &info) == 0 ? Int64(info.st_size) : 0
        }
        let order = Self.largestFirst(candidates, sizes: sizes)
        // Progress: bytes of finished files, plus the bytes read so far of each file in flight.
        let tracker = Locked((progress: Progress(filesTotal: candidates.count, bytesTotal: sizes.reduce(0, +)),
                              finishedBytes: Int64(0), finishedRecords: Int64(0), inFlight: [Int: (bytes: Int64, records: Int64)]()))
        @Sendable func track(_ index: Int, bytes: Int64, records: Int64, finished: Bool) {
            tracker.withLock { state in
                if finished {
                    state.inFlight[index] = nil
                    state.finishedBytes += sizes[index]
                    state.finishedRecords += records
                    state.progress.filesDone += 1
                } else {
                    state.inFlight[index] = (bytes, records)
                }
                state.progress.bytesDone = state.finishedBytes + state.inFlight.values.reduce(0) { $0 + $1.bytes }
                state.progress.records = state.finishedRecords + state.inFlight.values.reduce(0) { $0 + $1.records }
                progress(state.progress)
            }
        }
        DispatchQueue.concurrentPerform(iterations: max(1, min(options.workers, candidates.count))) { _ in
            // The writer sets the pace: when all three threads want a core, it should get one.
            let restore = Self.lowerThisThreadsPriority(by: 5)
            defer { restore() }
            var decoded = DecodedFields()
            // A worker reads its next file while the writer finishes the last one, never further
            // ahead: at most two of its files are in flight, so queued batches stay bounded.
            let filesInFlight = DispatchSemaphore(value: 2)
            while let index = state.withLock({ state -> Int? in
                guard state.failure == nil, state.next < order.count else { return nil }
                state.next += 1
                return order[state.next - 1]
            }) {
                filesInFlight.wait()
                decoded = decoded.forNextFile(limit: options.workerMemoryLimit)
                var problems = ProblemLog()
                do {
                    var report = try ingest(candidates[index], decoded: decoded, problems: &problems, claims: claims, writer: writer, clock: clock,
                                            reading: { track(index, bytes: $0, records: $1, finished: false) },
                                            committed: { failure in
                                                if let failure { state.withLock { $0.failure = $0.failure ?? failure } }
                                                filesInFlight.signal()
                                            })
                    report.problems = problems
                    results.withLock { $0[index] = report }
                    track(index, bytes: sizes[index], records: report.records, finished: true)
                } catch {
                    state.withLock { $0.failure = $0.failure ?? error }
                }
            }
        }
        writer.drain()
        if let failure = state.withLock({ $0.failure }) { throw failure }
        for case let report? in results.withLock({ $0 }) {
            summary.files.append(report)
            summary.problems.merge(report.problems)
        }
        if !options.dryRun {
            try store.pruneMinuteCounts()
            try store.recordRun(started: started, finished: options.now(), filesRead: summary.count(.read) + summary.count(.resumed),
                                records: summary.records, problems: summary.problems, config: options.pmtaConfig)
        }
        return summary
    }

    /// Raises this thread's nice value (Linux applies `setpriority` to the calling thread only);
    /// returns what puts it back, which needs privileges an unprivileged run may lack. Elsewhere, nothing.
    private static func lowerThisThreadsPriority(by amount: Int32) -> () -> Void {
        #if os(Linux)
        let which = __priority_which_t(PRIO_PROCESS.rawValue)
        let priority = getpriority(which, 0)
        setpriority(which, 0, priority + amount)
        return { setpriority(which, 0, priority) }
        #else
        return {}
        #endif
    }

    /// Indexes of `candidates`, the most work first, so the last file read is a small one
    /// and neither worker idles at the end. Gzip files count their size several times over.
    static func largestFirst(_ candidates: [InputFinder.Candidate], sizes: [Int64]) -> [Int] {
        let work = candidates.indices.map { sizes[$0] * (candidates[$0].path.hasSuffix(".gz") ? 8 : 1) }
        return candidates.indices.sorted { work[$0] != work[$1] ? work[$0] > work[$1] : $0 < $1 }
    }

    /// Reads one candidate. `committed` is called exactly once: when its commits are done (on the
    /// writer thread), or before this returns or throws when it has none.
    private func ingest(_ candidate: InputFinder.Candidate, decoded: DecodedFields, problems: inout ProblemLog,
                        claims: ContentClaims, writer: BatchWriter, clock: RecordClock,
                        reading: (_ bytes: Int64, _ records: Int64) -> Void,
                        committed: @escaping @Sendable (Error?) -> Void) throws -> FileReport {
        // Once the file is read, its commits call `committed` and release the claim, on the writer thread.
        var settledByCommits = false
        defer { if !settledByCommits { committed(nil) } }
        let path = candidate.path
        let file: InputFile
        do {
            file = try InputFile.open(path)
        } catch {
            // Listed, then rotated away before it was opened: its content lives on under its new name.
            if error.vanished && !candidate.named {
                return FileReport(path: path, action: .skipped, note: "gone since it was listed (rotated away?)")
            }
            problems.record(ProblemSample(kind: .unreadableFile, path: path, line: nil, message: error.reason))
            return FileReport(path: path, action: .failed, note: error.reason)
        }
        if file.content == .empty {
            return FileReport(path: path, action: .waiting, note: "empty so far (a file logrotate just created?)")
        }
        if case .other(let why) = file.content {
            let name = path.split(separator: "/").last.map(String.init) ?? path
            if let form = ReportInput.recognize(head: file.head, name: name) {
                return try ingestReports(file, form: form, claims: claims, problems: &problems)
            }
            if candidate.named || InputFinder.looksLikeAccounting(name: name) {
                let problem = ProblemSample(kind: .notAccounting, path: path, line: nil, message: "not an accounting file: \(why)")
                problems.record(problem)
                if !options.dryRun { try store.recordNotAccounting(problem, now: options.now()) }
                return FileReport(path: path, action: .notAccounting, note: problem.message)
            }
            return FileReport(path: path, action: .skipped, note: "not accounting data: \(why)")
        }
        guard let fingerprint = file.fingerprint else {
            if hasDataAfterHeader(file) {
                return FileReport(path: path, action: .waiting, note: "waiting for its first complete record")
            }
            // PowerMTA writes the header as soon as it rotates: a quiet server's new file is only
            // a header for a while, and a cron run must not call that a problem.
            if options.isFresh(file) {
                return FileReport(path: path, action: .waiting, note: "only a header so far (just rotated?)")
            }
            problems.record(ProblemSample(kind: .noRecords, path: path, line: nil, message: "header only, no records"))
            return FileReport(path: path, action: .skipped, note: "header only, no records")
        }
        // The claim lasts until the content's commits are done, so a copy read next finds them.
        claims.claim(fingerprint.value)
        defer { if !settledByCommits { claims.release(fingerprint.value) } }
        var entry = try store.ledgerEntry(matching: fingerprint)
            ?? LedgerEntry(fingerprint: fingerprint.value, head: fingerprint.head, path: path, compression: file.compression.rawValue)
        // A finished gzip that has grown on disk since (`cat more.gz >> acct.csv.gz`) has new members:
        // it is read on from the end of the last complete one.
        let grewSinceFinished = entry.finished && file.compression == .gzip && entry.diskBytes > 0
            && (file.sizeOnDisk ?? 0) > entry.diskBytes
        if entry.finished && !grewSinceFinished {
            if let id = entry.id, !options.dryRun { try store.updatePath(path, of: id) }
            let note = entry.path == path ? "already read" : "already read as \(entry.path)"
            return FileReport(path: path, action: .upToDate, note: note)
        }
        entry.finished = false
        if file.compression == .plain, let size = file.sizeOnDisk, size < entry.position.offset, entry.id != nil, entry.path == path {
            // The same file, cut below its checkpoint (truncated in place): what remains was counted.
            // Its checkpoint moves back to the last record boundary that remains, and what is
            // appended from there is read. (A shorter copy at another path is left alone: it holds
            // nothing new, and moving the checkpoint for it would count the longer copy's tail twice.)
            guard let boundary = Self.lastLineBoundary(path, before: size) else {
                problems.record(ProblemSample(kind: .unreadableFile, path: path, line: nil, message: "cannot read the file to resume it"))
                return FileReport(path: path, action: .failed, note: "cannot read it to resume it")
            }
            problems.record(ProblemSample(kind: .fileShrank, path: path, line: nil, message:
                "shrank to \(size) bytes, below its checkpoint at byte \(entry.position.offset): the records up to byte "
                + "\(boundary.offset) were counted; what follows them is read from there"))
            if options.dryRun {
                return FileReport(path: path, action: .resumed, note: "shrank: would resume at byte \(boundary.offset) (line \(boundary.line))")
            }
            var position = entry.position
            (position.offset, position.line) = (boundary.offset, boundary.line)
            try store.moveCheckpoint(of: entry, to: position)
            entry.position = position
        }
        if file.compression == .plain, let size = file.sizeOnDisk, size == entry.position.offset, entry.id != nil {
            if !options.dryRun, let id = entry.id { try store.updatePath(path, of: id) }
            return FileReport(path: path, action: .upToDate, note: "nothing new since byte \(size)")
        }
        if entry.endedOnDamage, file.compression == .gzip, !file.isStream, let why = Self.damage(in: path) {
            // Read again, damaged data would count for a moment before its check failed again: it
            // is checked first, and only an intact copy is read on.
            problems.record(ProblemSample(kind: .corruptData, path: path, line: nil, message:
                "still damaged (\(why)): nothing after decompressed byte \(entry.position.offset) counts; "
                + "an intact copy at this path is read on from there"))
            return FileReport(path: path, action: .failed, note: "still damaged; replace it with an intact copy")
        }
        let resuming = entry.id != nil
        let startLine = entry.position.line
        if options.dryRun {
            let note = resuming ? "would resume at byte \(entry.position.offset) (line \(entry.position.line))" : "would read from the start"
            return FileReport(path: path, action: resuming ? .resumed : .read, note: note)
        }
        if fingerprint.head.count > entry.head.count { entry.head = fingerprint.head }
        entry.path = path
        // A gzip that continues content read as plain text (rotated, then compressed): what was read
        // before was intact, whatever the gzip's own check says.
        let checkpointReadAsPlainText = resuming && entry.compression == InputFile.Compression.plain.rawValue
        entry.compression = file.compression.rawValue
        entry.diskBytes = file.sizeOnDisk ?? 0
        settledByCommits = true
        let content = fingerprint.value
        let outcome = FileIngester(file: file, options: options, decoded: decoded, writer: writer, clock: clock,
                                   checkpointReadAsPlainText: checkpointReadAsPlainText).run(entry: entry, reading: reading) {
            claims.release(content)
            committed($0)
        }
        problems.merge(outcome.problems)
        if outcome.alreadyReadFurther {
            return FileReport(path: path, action: .upToDate, note: "a shorter copy of content already read as \(entry.path)")
        }
        if resuming && outcome.bytes == 0 && outcome.records == 0 && outcome.problems.isEmpty {
            return FileReport(path: path, action: .upToDate, note: "nothing new since byte \(entry.position.offset)")
        }
        let note = resuming ? "resumed at line \(startLine)" : ""
        return FileReport(path: path, action: resuming ? .resumed : .read, note: note, records: outcome.records, bytes: outcome.bytes,
                          olderThanConfig: outcome.olderThanConfig)
    }

    /// The damage in the gzip file at `path`, read to its end; nil when it reads clean (or ends early: still being written).
    static func damage(in path: String) -> String? {
        guard let file = try? InputFile.open(path) else { return nil }
        _ = file.source.skipByReading(.max)
        if case .damaged(let why) = file.source.ending { return why }
        return nil
    }

    /// The end of the last complete line in the first `size` bytes of the file at `path`, and the
    /// line that starts there; nil when it cannot be read.
    static func lastLineBoundary(_ path: String, before size: Int64) -> (offset: Int64, line: Int)? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var offset: Int64 = 0, boundary: Int64 = 0, lines = 0, linesAtBoundary = 0
        while offset < size {
            guard let chunk = try? handle.read(upToCount: Int(min(1 << 20, size - offset))), !chunk.isEmpty else { break }
            for (index, byte) in chunk.enumerated() where byte == UInt8(ascii: "\n") {
                lines += 1
                boundary = offset + Int64(index) + 1
                linesAtBoundary = lines
            }
            offset += Int64(chunk.count)
        }
        return (boundary, linesAtBoundary + 1)
    }

    /// True when a file without a fingerprint holds something after its header line.
    private func hasDataAfterHeader(_ file: InputFile) -> Bool {
        guard let lineEnd = file.head.firstIndex(where: { $0 == 10 || $0 == 13 }) else { return false }
        return file.head[lineEnd...].contains { $0 != 10 && $0 != 13 && $0 != 32 }
    }
}
