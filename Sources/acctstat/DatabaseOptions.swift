import AcctStatCore
import ArgumentParser
import Foundation

/// `--db`, shared by every subcommand that opens the database.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The database file.", valueName: "path"))
    var db: String?

    var path: String {
        DatabaseLocation.resolve(explicit: db, environment: ProcessInfo.processInfo.environment)
    }

    /// Opens the database read-only, for commands that only read; exits 2 when it cannot.
    func openForReading() throws -> SQLiteStore {
        do {
            return try SQLiteStore(path: path, readOnly: true, announce: { Terminal.error("note: " + $0) })
        } catch {
            Terminal.error("\(error)")
            throw ExitStatus.failure.exitCode
        }
    }
}
