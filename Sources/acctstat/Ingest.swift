import AcctStatCore
import ArgumentParser
import Foundation

extension AcctStat {
    struct Ingest: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read accounting files into the database, exactly once.",
            discussion: """
            Takes files and directories (walked recursively); '-' reads stdin. Accounting files are recognised by content: gzip data, or a first line that is a PowerMTA header (first field 'type'). Files already read are skipped after their first 4 KiB, whatever they are called now and whether or not they were gzipped since; a growing file resumes where the last run stopped.

            DMARC aggregate reports among the inputs are recognised by content too: XML whose root is 'feedback', gzip or zip data holding one, or a mail (.eml, Maildir) with one attached. Each report is stored once per reporter and report id, however many files or mails bring it ('acctstat dmarc' shows them); failure reports (ARF) are counted and skipped, never stored.

            Examples:
              acctstat ingest /var/log/pmta
              acctstat ingest /var/log/pmta /var/mail/dmarc
              acctstat ingest --dry-run /var/log/pmta
              acctstat ingest --mta mta3 /mnt/mta3/pmta    (logs copied from another host)
              zcat old/acct-*.csv.gz | acctstat ingest -
              */5 * * * * acctstat ingest --quiet /var/log/pmta    (crontab)

            Exit status:
              0  every input read without problems
              1  input problems (bad rows, truncated gzip, unreadable files, broken
                 DMARC reports), or
                 with --strict warnings too; the rest of the input still counted
              2  the database could not be opened or written
              75 another ingest is running on the same database
              64 bad command-line usage

            Gzip input is inflated with Intel ISA-L when acctstat was built with
            libisal-dev and libisal.so.2 loads, with zlib otherwise;
            ACCTSTAT_INFLATE=zlib forces zlib.
            """)

        @OptionGroup var database: DatabaseOptions

        @Argument(help: ArgumentHelp("Files or directories to read; '-' is stdin.", valueName: "path"))
        var paths: [String] = ["/var/log/pmta"]

        @Option(help: ArgumentHelp("The PowerMTA host that wrote these logs, stored with every count (default: this machine's host name). "
                                   + "Each host's ledger is its own, so many hosts can share one database.", valueName: "name"))
        var mta: String?

        @Option(help: ArgumentHelp("An extra column holding a DKIM verdict, tried before the standard ones.", valueName: "name"))
        var dkimField: String?

        @OptionGroup var configOptions: PMTAConfigOptions

        @Flag(help: "Exit 1 on warnings too (padded or trimmed rows, unknown record types).")
        var strict = false

        @Flag(help: "Print nothing, not even the summary; the exit status still tells.")
        var quiet = false

        @Flag(help: "Say what would be read, and why other files would be skipped; change nothing.")
        var dryRun = false

        @Option(help: ArgumentHelp("Records per transaction (a tuning knob; the default suits most hosts).", valueName: "n",
                                   visibility: .hidden))
        var batchRecords: Int = 50_000

        @Option(help: ArgumentHelp("Seconds to wait for another ingest on the same database to finish.", valueName: "seconds"))
        var wait: Double = 0

        // For benchmarks and tests only: the clock decides which records are recent enough for
        // minute counts and which are in the future, and the minute counts never move back.
        @Option(help: ArgumentHelp("Ingest as if the time were this (epoch seconds).", valueName: "time", visibility: .hidden))
        var now: Int64?

        mutating func run() throws {
            let location = try database.location()
            var lock: IngestLock?
            let store: any AccountingStore
            var scratch: TemporaryStore?
            let host: String
            do {
                host = try mta.map(MTAName.normalized) ?? MTAName.local
            } catch {
                throw ValidationError("\(error)")
            }
            do {
                if dryRun {
                    // A dry run changes nothing: it reads the ledger without the lock, and on a host
                    // with no database yet it asks an empty one, made and removed here.
                    if location.mayExist {
                        store = try location.open(readOnly: true, mta: host)
                    } else {
                        scratch = try TemporaryStore()
                        store = scratch!.store
                    }
                } else {
                    // SQLite: one writer per file, locked on the file; PostgreSQL: one per host, in the server.
                    if case .sqlite(let path) = location { lock = try IngestLock(databasePath: path, wait: wait) }
                    store = try location.open(readOnly: false, mta: host, wait: wait,
                                              announce: { if !quiet { Terminal.error("note: " + $0) } })
                }
            } catch IngestLock.Failure.held(let message) {
                Terminal.error(message)
                throw ExitStatus.busy.exitCode
            } catch let error as StoreError where error.kind == .busy {
                Terminal.error("\(error)")
                throw ExitStatus.busy.exitCode
            } catch {
                Terminal.error("\(error)")
                throw ExitStatus.failure.exitCode
            }
            defer { withExtendedLifetime((lock, scratch)) {} }
            var options = IngestOptions(paths: paths, dkimField: dkimField)
            options.dryRun = dryRun
            options.batchRecords = max(1, batchRecords)
            options.pmtaConfig = configOptions.load()
            if let now { options.now = { now } }
            let started = Date()
            let progress = ProgressLine(enabled: !quiet && Terminal.stderrIsTTY)
            let interrupt = Self.onInterrupt { [commits = options.commits] in
                progress.clear()
                Terminal.error("interrupted: \(grouped(commits.records)) records committed; run the same command again to resume where it stopped")
            }
            defer { interrupt.cancel() }
            let summary: IngestRun.Summary
            do {
                summary = try IngestRun(options: options, store: store).run { state in
                    progress.update(state, started: started)
                }
            } catch {
                progress.clear()
                Terminal.error("\(error)")
                throw ((error as? StoreError)?.kind == .busy ? ExitStatus.busy : ExitStatus.failure).exitCode
            }
            progress.clear()
            if dryRun {
                for file in summary.files {
                    print([file.action.rawValue, file.path, file.note].filter { !$0.isEmpty }.joined(separator: "\t"))
                }
                // A file that would fail makes the dry run fail too, as the real run would.
                if summary.files.contains(where: { $0.action == .failed || $0.action == .notAccounting }) {
                    throw ExitStatus.problems.exitCode
                }
                return
            }
            if !quiet {
                Terminal.write(summary.text(database: location.description, seconds: Date().timeIntervalSince(started)))
            }
            let status = summary.exitStatus(strict: strict)
            if status != .clean { throw ExitStatus.problems.exitCode }
        }
    }
}

extension AcctStat.Ingest {
    /// On Ctrl-C (SIGINT): `report`, then exit 130 at once. Every commit holds its data and its
    /// checkpoint together, so what was committed stays and the transaction in flight is rolled
    /// back, exactly as after `kill -9`; `_exit` skips the exit handlers other threads may still use.
    static func onInterrupt(_ report: @escaping @Sendable () -> Void) -> DispatchSourceSignal {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            report()
            _exit(ExitStatus.interrupted.rawValue)
        }
        source.resume()
        return source
    }
}

/// A one-line progress display on stderr, only on a terminal: files, MB/s, records/s, ETA.
struct ProgressLine: Sendable {
    let enabled: Bool
    private let lastDrawn = LastDrawn()

    func update(_ progress: IngestRun.Progress, started: Date) {
        guard enabled else { return }
        let seconds = max(Date().timeIntervalSince(started), 0.001)
        // Redraw at most five times a second, and always for the last file.
        guard progress.filesDone == progress.filesTotal || lastDrawn.due(seconds) else { return }
        let rate = Double(progress.bytesDone) / seconds
        let eta = rate > 0 ? Double(progress.bytesTotal - progress.bytesDone) / rate : 0
        let line = "[\(progress.filesDone)/\(progress.filesTotal) files] \(Decimal.format(rate / 1e6, decimals: 1)) MB/s on disk, "
            + "\(grouped(Int64(Double(progress.records) / seconds))) records/s, ETA \(Int(eta.rounded())) s"
        Terminal.write("\r\u{1B}[K" + line)
    }

    func clear() {
        if enabled { Terminal.write("\r\u{1B}[K") }
    }

    /// When the line was last drawn; touched only from the ingest's serialised progress calls.
    private final class LastDrawn: @unchecked Sendable {
        private var at = -1.0
        func due(_ now: Double) -> Bool {
            guard now - at >= 0.2 else { return false }
            at = now
            return true
        }
    }
}
