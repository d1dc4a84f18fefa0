import ArgumentParser

/// Every exit status acctstat uses, in one place (the README's "Exit status" tables list them).
/// `check` exits with the monitoring plugin statuses of ``HealthCheck/Status`` instead.
enum ExitStatus: Int32 {
    case ok = 0
    /// Input problems (ingest), warnings (keys), or a failed query (sql).
    case problems = 1
    /// The database could not be created, opened, read or written (for `keys`: no PowerMTA configuration).
    case failure = 2
    /// Bad command-line usage (swift-argument-parser's `ValidationError` exits with it too).
    case usage = 64
    /// Another ingest holds the database's lock: try again later (EX_TEMPFAIL).
    case busy = 75
    /// Interrupted by Ctrl-C (SIGINT): 128 + 2, as shells report it.
    case interrupted = 130

    var exitCode: ExitCode { ExitCode(rawValue) }
}
