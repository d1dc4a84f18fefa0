import AcctStatCore
import ArgumentParser
import Foundation

/// `--db`, shared by every subcommand that opens the database.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The database: a SQLite file, or postgres://user@host:port/dbname for a fleet's PostgreSQL.",
                                             valueName: "path|url"))
    var db: String?

    /// `--db`, else `$ACCTSTAT_DB`, else the default file (``DatabaseLocation``).
    var value: String {
        DatabaseLocation.resolve(explicit: db, environment: ProcessInfo.processInfo.environment)
    }

    /// The database `value` names; exits 2 for a PostgreSQL URL that cannot be used.
    func location() throws -> StoreLocation {
        do {
            return try StoreLocation(value)
        } catch {
            Terminal.error("\(error)")
            throw ExitStatus.failure.exitCode
        }
    }

    /// Opens the database read-only, for commands that only read; exits 2 when it cannot.
    func openForReading() throws -> any AccountingStore {
        let location = try location()
        do {
            return try location.open(readOnly: true, announce: { Terminal.error("note: " + $0) })
        } catch {
            Terminal.error("\(error)")
            throw ExitStatus.failure.exitCode
        }
    }
}
