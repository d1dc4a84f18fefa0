import Foundation
import GRDB
import GRDBSQLite
#if canImport(Glibc)
import Glibc
#endif

/// How `SQLiteStore` opens a database: each connection's settings, the kept WAL files, waiting
/// for a schema an ingest is making, and upgrading an older database before a read-only open.
extension SQLiteStore {
    /// Every connection's base: read-only or not, and waiting up to 30 s for SQLite's locks (a
    /// reader opening a WAL database that another connection is opening or writing can meet them).
    static func configuration(readOnly: Bool) -> Configuration {
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.readonly = readOnly
        return configuration
    }

    /// Keeps the `-wal` and `-shm` files when the last connection closes (SQLite's persistent WAL).
    ///
    /// A reader that may not write the database's folder (Nagios running `check` as its own user
    /// on a database root's cron writes) can open a WAL database only when both files exist: it
    /// cannot create them. SQLite gives them the database file's mode and owner, so a database
    /// readable by a user has readable `-wal` and `-shm` files too (README, "Permissions").
    static func keepWALFiles(_ db: Database) {
        var persist: Int32 = 1
        _ = sqlite3_file_control(db.sqliteConnection, "main", SQLITE_FCNTL_PERSIST_WAL, &persist)
    }

    /// Waits, up to 30 s, while an ingest holds the database's lock (``IngestLock``) and its schema
    /// is not complete yet: a reader started during the very first ingest, or during an upgrade,
    /// then reads the finished schema instead of an empty file or a half-upgraded one (which it
    /// would otherwise try, and fail, to upgrade itself).
    ///
    /// The descriptor is closed before any SQLite connection of this process stays open (see the
    /// note in ``IngestLock`` on POSIX locks).
    static func waitForSchema(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if flock(descriptor, LOCK_SH | LOCK_NB) == 0 {
                flock(descriptor, LOCK_UN)
                return   // no ingest is running
            }
            let complete = (try? DatabaseQueue(path: path, configuration: configuration(readOnly: true)).read { db in
                try db.tableExists("counts") && Schema.migrator().hasCompletedMigrations(db)
            }) ?? false
            if complete { return }
            usleep(50_000)
        }
    }

    /// Runs pending migrations on an existing acctstat database before it is opened read-only.
    /// Rows written before schema v10 go under this host's name (``MTAName/local``).
    static func upgradeIfNeeded(_ path: String, announce: (String) -> Void) throws {
        let reader = try DatabaseQueue(path: path, configuration: configuration(readOnly: true))
        let notice = try reader.read { try upgradeNotice($0, path: path, mta: MTAName.local) }
        try reader.close()
        guard let notice else { return }
        announce(notice)
        do {
            try Schema.migrator().migrate(try DatabasePool(path: path, configuration: configuration(readOnly: false)))
        } catch {
            throw StoreError("\(path) was written by an older acctstat and could not be upgraded (\(error)); "
                             + "run 'acctstat ingest' with write access to upgrade it")
        }
    }

    /// What to say before upgrading an acctstat database (it has counts) with migrations still to
    /// run, or nil when there is nothing to upgrade. A database from before schema v10 holds one
    /// host's rows, which the upgrade stores under `mta`: said here, the one time it happens.
    static func upgradeNotice(_ db: Database, path: String, mta: String) throws -> String? {
        let migrator = Schema.migrator(upgradeMTA: mta)
        guard try db.tableExists("counts"), try !migrator.hasCompletedMigrations(db) else { return nil }
        var notice = "upgrading \(path) to this version's schema, once; on a large database this takes a while "
            + "(a schema that rewrites the counts takes about a second per million stored rows)"
        let beforeHosts = try !migrator.appliedIdentifiers(db).contains { $0.hasPrefix("v10:") }
        if beforeHosts, try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM files)") ?? false {
            notice += "; the rows it holds are stored as written by host '\(mta)' (--mta names the host that wrote the logs)"
        }
        return notice
    }
}
