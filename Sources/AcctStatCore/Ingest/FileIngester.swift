/// Reads one input from its checkpoint to its end, committing a batch every `batchRecords`
/// records and once at the end. It does not wait for the last commits: `committed` hears
/// how they went, on the writer thread.
///
/// Each batch holds the counts, failures and problems of the records since the last
/// commit, plus the checkpoint after them, and the store commits it in one transaction.
/// A crash between commits loses only uncommitted work, which the next run reads again
/// from the committed checkpoint: that is what makes ingest exactly-once.
struct FileIngester {
    let file: InputFile
    let options: IngestOptions
    /// The worker's names and decoded values, shared with its other files.
    let decoded: DecodedFields
    let writer: BatchWriter
    /// What the run's clock says about record times.
    let clock: RecordClock
    /// The checkpoint was reached reading the content as plain text (before it was rotated and
    /// compressed): the records before it were intact, and damaged gzip data never takes them back.
    var checkpointReadAsPlainText = false

    /// What reading one file did.
    struct Outcome {
        var records: Int64 = 0
        var bytes: Int64 = 0
        var problems = ProblemLog()
        var dataRecordsSeen = 0
        /// Records attributed by a configuration file newer than they are.
        var olderThanConfig: Int64 = 0
        /// The file is a shorter copy of content already read further: nothing new.
        var alreadyReadFurther = false
    }

    /// Reads the file from `entry`'s checkpoint; `reading` hears the on-disk bytes and records read
    /// so far, now and then. `committed` is called exactly once: after the file's last commit,
    /// with the first failure if any, or at once when there was nothing to commit.
    func run(entry: LedgerEntry, reading: (_ bytes: Int64, _ records: Int64) -> Void = { _, _ in },
             committed: @escaping @Sendable (Error?) -> Void) -> Outcome {
        var outcome = Outcome()
        let start = entry.position
        let skipped = file.source.skip(start.offset)
        guard skipped == start.offset else {
            // The content ends before the checkpoint: an older or partial copy of content already
            // read further. Nothing new, unless the copy itself is damaged.
            switch file.source.ending {
            case .truncated:
                outcome.problems.record(ProblemSample(kind: .truncatedGzip, path: file.path, line: nil,
                                                      message: "gzip data ends at byte \(skipped), before the part already read"))
            case .damaged(let why):
                outcome.problems.record(ProblemSample(kind: .corruptData, path: file.path, line: nil,
                                                      message: "\(why), before the part already read"))
            default:
                outcome.alreadyReadFurther = true
            }
            committed(nil)
            return outcome
        }
        let interpreter = RecordInterpreter(path: file.path, decoded: decoded, dkimField: options.dkimField,
                                            attribution: options.pmtaConfig.map(KeyAttribution.init), position: start,
                                            clock: clock)
        let scanner = CSVScanner(start: .init(offset: start.offset, line: start.line), chunkSize: options.chunkSize)
        var recordsInBatch = 0
        let stream = BatchWriter.Stream(entry: entry, names: decoded.names)
        /// Where the last batch submitted ends.
        var submitted = start

        func commit(finished: Bool, endState: String) {
            interpreter.batch.position.offset = scanner.checkpoint.offset
            interpreter.batch.position.line = scanner.checkpoint.line
            submitted = interpreter.batch.position
            interpreter.batch.finished = finished
            interpreter.batch.endState = endState
            writer.submit(interpreter.batch, to: stream, now: options.now())
            outcome.records += Int64(interpreter.batch.counts.total)
            outcome.problems.merge(interpreter.batch.problems)
            interpreter.batch = IngestBatch(position: interpreter.batch.position, expectedKeys: interpreter.batch.counts.count)
            recordsInBatch = 0
        }

        scanner.scan(file.source, endIsComplete: { endIsComplete() }, onRecord: { record in
            if interpreter.interpret(record) {
                outcome.dataRecordsSeen += 1
                recordsInBatch += 1
                if outcome.dataRecordsSeen % 50_000 == 0 { reading(file.source.inputBytesRead, Int64(outcome.dataRecordsSeen)) }
                if recordsInBatch >= options.batchRecords { commit(finished: false, endState: "") }
            }
        }, onProblem: { problem in
            Self.record(problem, of: scanner, in: interpreter)
            outcome.dataRecordsSeen += 1
        })

        let (finished, endState) = ending()
        if case .damaged(let why) = file.source.ending, let verified = file.source.verifiedOffset, !file.isStream {
            // The damaged member's records may be garbage: none of them counts.
            let settled = settleDamage(why, verified: verified, checkpoint: start, submitted: submitted,
                                       stream: stream, outcome: &outcome)
            writer.close(stream, then: committed)
            outcome.bytes = max(0, (settled ?? start.offset) - start.offset)
            outcome.olderThanConfig = interpreter.olderThanConfig
            return outcome
        }
        switch file.source.ending {
        case .truncated:
            interpreter.problem(.truncatedGzip, line: scanner.checkpoint.line,
                                "gzip data ends early (cut off, or still being written); every complete record before it was counted")
        case .damaged(let why):
            interpreter.problem(.corruptData, line: scanner.checkpoint.line, "\(why); every complete record before it was counted")
        default:
            break
        }
        if outcome.dataRecordsSeen > 0 || entry.id != nil {
            commit(finished: finished, endState: endState)
            writer.close(stream, then: committed)
        } else {
            outcome.problems.merge(interpreter.batch.problems)
            committed(nil)
        }
        outcome.bytes = scanner.checkpoint.offset - start.offset
        outcome.olderThanConfig = interpreter.olderThanConfig
        return outcome
    }

    /// Settles a gzip whose data failed its check (a CRC-32 or length mismatch, or undecodable data)
    /// after the end of the last verified member, `verified` (decompressed bytes), or after this run's
    /// `checkpoint` if it was reached in plain text: what was committed
    /// from beyond it is taken back and what was read before it but not yet committed is added, by
    /// reading the same bytes again (they decode the same way every time). The
    /// checkpoint ends at the last record boundary before `verified`, so an intact copy of the file
    /// is read on from there. The batch in flight is dropped. Returns where the checkpoint ends; nil
    /// when the file changed before it could be read again.
    private func settleDamage(_ why: String, verified: Int64, checkpoint: FilePosition, submitted: FilePosition,
                              stream: BatchWriter.Stream, outcome: inout Outcome) -> Int64? {
        // From the file's start, not this run's: an earlier run (killed, or reading the file while it
        // was still being written) may have committed records beyond `verified` too. Unless the
        // checkpoint was reached in plain text: nothing before it came from the damaged data.
        let from = checkpointReadAsPlainText ? checkpoint : .start
        let verified = max(verified, from.offset)
        guard let again = reread(from: from, through: max(submitted.offset, verified), verified: verified,
                                 countingAfter: min(submitted.offset, verified)) else {
            // The file changed under us: leave the checkpoint where the commits left it; the next run sees the new content.
            outcome.problems.record(ProblemSample(kind: .corruptData, path: file.path, line: submitted.line,
                                                  message: "\(why); the file changed while it was read again, so it is read again next run"))
            return nil
        }
        var delta = again.counted
        delta.position = again.verifiedPosition
        delta.endState = why + " after decompressed byte \(verified)"
        let takingBack = submitted.offset > again.verifiedPosition.offset
        var problems = ProblemLog()
        problems.record(ProblemSample(kind: .corruptData, path: file.path, line: again.verifiedPosition.line, message:
            "\(why): the gzip member after decompressed byte \(verified) counts nothing"
            + (takingBack ? " (\(grouped(Int64(delta.counts.total))) records read from it were taken back)" : "")
            + "; an intact copy of the file is read on from there"))
        if takingBack {
            let lines = again.verifiedPosition.line...max(again.verifiedPosition.line, submitted.line - 1)
            outcome.records -= Int64(delta.counts.total)
            outcome.problems.withdraw(delta.problems, path: file.path, lines: lines)
            outcome.problems.merge(problems)
            writer.withdraw(delta, lines: lines, problems: problems, from: stream, now: options.now())
        } else {
            outcome.records += Int64(delta.counts.total)
            delta.problems.merge(problems)
            outcome.problems.merge(delta.problems)
            writer.submit(delta, to: stream, now: options.now())
        }
        return again.verifiedPosition.offset
    }

    /// The records of the file read again from `start` up to byte `limit`: those that end after
    /// `countingAfter` counted in a batch, and the position after the last record that ends at or
    /// before `verified`. nil when the file cannot be read again as the same content.
    private func reread(from start: FilePosition, through limit: Int64, verified: Int64, countingAfter: Int64)
        -> (counted: IngestBatch, verifiedPosition: FilePosition)? {
        guard let again = try? InputFile.open(file.path), again.fingerprint?.value == file.fingerprint?.value,
              again.source.skip(start.offset) == start.offset else { return nil }
        let interpreter = RecordInterpreter(path: file.path, decoded: decoded, dkimField: options.dkimField,
                                            attribution: options.pmtaConfig.map(KeyAttribution.init), position: start, clock: clock)
        let scanner = CSVScanner(start: .init(offset: start.offset, line: start.line), chunkSize: options.chunkSize)
        var counting = false
        var verifiedPosition = start
        scanner.scan(LimitedSource(again.source, bytes: limit - start.offset), endIsComplete: { false }, onRecord: { record in
            // The checkpoint has moved past the record: it is where the record ends.
            let end = scanner.checkpoint
            if !counting && end.offset > countingAfter {
                counting = true
                interpreter.batch = IngestBatch(position: interpreter.batch.position)
            }
            interpreter.interpret(record)
            if end.offset <= verified {
                verifiedPosition = interpreter.batch.position
                (verifiedPosition.offset, verifiedPosition.line) = (end.offset, end.line)
            }
        }, onProblem: { problem in
            Self.record(problem, of: scanner, in: interpreter)
        })
        return (counting ? interpreter.batch : IngestBatch(position: verifiedPosition), verifiedPosition)
    }

    /// Records a record the scanner skipped, worded the same however often the file is read.
    private static func record(_ problem: CSVScanner.Problem, of scanner: CSVScanner, in interpreter: RecordInterpreter) {
        switch problem.kind {
        case .recordTooLong:
            interpreter.problem(.recordTooLong, line: problem.line, "record longer than \(scanner.maxRecordBytes) bytes; skipped")
        case .unterminatedQuote:
            interpreter.problem(.unterminatedQuote, line: problem.line,
                                "quoted field never closed; the record is skipped and reading resumes on the next line")
        }
    }

    /// Whether a last record without a line end is whole: the data will not grow any more.
    private func endIsComplete() -> Bool {
        // Plain text on stdin may stop mid-record (`head -c`): its last line waits for the rest.
        file.source.ending.isComplete && !options.isFresh(file) && !(file.isStream && file.compression == .plain)
    }

    private func ending() -> (finished: Bool, endState: String) {
        switch file.source.ending {
        case .clean, .open:
            // Plain text can still grow, so only gzip is ever finished. Stdin too: it may be the
            // first part of a file read whole later (`head -n 10000 acct.csv | acctstat ingest -`),
            // which then resumes where the stream stopped.
            return (file.compression == .gzip, "")
        case .truncated:
            return (false, "truncated")
        case .damaged(let why):
            return (false, why)
        }
    }
}
