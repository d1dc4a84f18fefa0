#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock beside the database, so two ingests never read the same ledger at once.
///
/// `flock` locks are released by the kernel when the process dies, even by `kill -9`,
/// so a crashed ingest never leaves a stale lock behind.
public final class IngestLock {
    private let descriptor: Int32

    /// Takes the lock at `databasePath + ".lock"`, waiting up to `wait` seconds.
    public init(databasePath: String, wait: Double) throws(StoreError) {
        let path = databasePath + ".lock"
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw StoreError("cannot create lock file \(path): \(String(cString: strerror(errno)))") }
        let deadline = monotonicSeconds() + wait
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, monotonicSeconds() < deadline else {
                close(descriptor)
                throw StoreError("another acctstat ingest is running on \(databasePath) (lock \(path)); try again later or pass --wait SECONDS")
            }
            usleep(100_000)
        }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}

private func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
