#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock on the database file itself, so two ingests never read the same ledger at once.
///
/// The lock is on what the database *is* (its inode), not on its name: `--db f.db`, a symlink to
/// it and a hard link to it all meet the same lock. Taking it creates the database's folder and an
/// empty database file when they do not exist yet (an empty file is a valid empty SQLite database),
/// so a fresh host needs nothing made by hand. `flock` locks are released by the kernel when the
/// process dies, even by `kill -9`, so a crashed ingest never leaves a stale lock behind.
///
/// Note to the next maintainer: the descriptor is never closed while the process runs. POSIX drops
/// *all* of a process's `fcntl` locks on a file when *any* of its descriptors for that file is closed,
/// and SQLite holds such locks on the database for as long as its connections are open (a WAL
/// reader's shared lock among them). Closing ours early would silently take SQLite's locks away.
public final class IngestLock {
    /// Why the lock could not be taken: only ``held`` means another ingest is running.
    public enum Failure: Error, CustomStringConvertible {
        /// Another ingest holds the lock (exit 75: try again later).
        case held(String)
        /// The database file or its folder cannot be created or opened (exit 2).
        case cannotOpen(String)

        public var description: String {
            switch self {
            case .held(let message), .cannotOpen(let message): message
            }
        }
    }

    private let descriptor: Int32
    /// How long taking the lock retries, whatever `--wait` says.
    static let minimumWait = 2.0

    /// Takes the lock on the database at `databasePath`, creating its folder and file when
    /// missing, and waiting up to `wait` seconds (at least ``minimumWait``) for another ingest to finish.
    public init(databasePath: String, wait: Double) throws(Failure) {
        let directory = Self.directory(of: databasePath)
        if !directory.isEmpty, let problem = Self.makeDirectory(directory) {
            throw .cannotOpen("cannot create the database folder \(directory): \(problem)")
        }
        var info = stat()
        if stat(databasePath, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
            throw .cannotOpen("--db \(databasePath) is a directory; name a database file, e.g. \(databasePath)/acctstat.sqlite")
        }
        descriptor = open(databasePath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .cannotOpen("cannot open the database \(databasePath) for writing: \(String(cString: strerror(errno)))")
        }
        // At least two seconds: a reader opening the database takes a shared lock for an instant to
        // see whether an ingest is making its schema (SQLiteStore.waitForSchema); meeting that is
        // not "another ingest is running".
        let deadline = monotonicSeconds() + max(wait, Self.minimumWait)
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, monotonicSeconds() < deadline else {
                throw .held("another acctstat ingest is running on \(databasePath); try again later or pass --wait SECONDS")
            }
            usleep(100_000)
        }
    }

    deinit {
        // Unlocked, not closed: see the note above.
        flock(descriptor, LOCK_UN)
    }

    private static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Creates `directory` and its parents (mode 0755); nil on success, else why not.
    private static func makeDirectory(_ directory: String) -> String? {
        var info = stat()
        if stat(directory, &info) == 0 {
            return info.st_mode & S_IFMT == S_IFDIR ? nil : "it exists and is not a folder"
        }
        let parent = Self.directory(of: directory)
        if !parent.isEmpty, parent != directory, let problem = makeDirectory(parent) { return problem }
        guard mkdir(directory, 0o755) == 0 || errno == EEXIST else { return String(cString: strerror(errno)) }
        return nil
    }
}

private func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
