import Foundation
import Testing
import AcctStatCore

/// The PostgreSQL server the conformance tests run against: `$ACCTSTAT_TEST_POSTGRES` (a URL,
/// which `.ci/run` sets), else a throwaway one started here with `scripts/throwaway-postgres`
/// and stopped when the tests end. Nil, with a notice, only when this machine has no server binaries.
enum PostgresServer {
    /// The server's URL: its `acctstat` database, as a superuser.
    static let url: String? = {
        if let given = ProcessInfo.processInfo.environment["ACCTSTAT_TEST_POSTGRES"], !given.isEmpty { return given }
        let start = Process()
        start.executableURL = packageRoot.appendingPathComponent("scripts/throwaway-postgres")
        start.arguments = ["start"]
        let output = Pipe()
        start.standardOutput = output
        start.standardError = FileHandle.nullDevice
        guard (try? start.run()) != nil else { return skipped() }
        // The script's output ends when it does (the server it leaves writes to its own log).
        // Not waitUntilExit: Foundation's wait here never returned once the server was started.
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let lines = text.split(separator: "\n").map(String.init)
        guard lines.count == 2, lines[0].hasPrefix("postgres://") else { return skipped() }
        stopDirectory = lines[1]
        atexit {
            guard let directory = PostgresServer.stopDirectory else { return }
            let stop = Process()
            stop.executableURL = packageRoot.appendingPathComponent("scripts/throwaway-postgres")
            stop.arguments = ["stop", directory]
            try? stop.run()   // it goes on after this process ends
        }
        return lines[0]
    }()

    nonisolated(unsafe) private static var stopDirectory: String?

    private static func skipped() -> String? {
        print("notice: PostgreSQL tests skipped: no PostgreSQL server binaries (initdb, pg_ctl) on this machine; "
              + "install Debian's postgresql, or set ACCTSTAT_TEST_POSTGRES to a server's URL")
        return nil
    }

    /// A new, empty database on the server, for one test; its URL.
    static func freshDatabase() throws -> String? {
        guard let url else { return nil }
        let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try psql(url, "CREATE DATABASE \(name)")
        return url.replacingOccurrences(of: "/acctstat", with: "/" + name)
    }

    /// Runs one SQL statement with `psql` on the database at `url`; its rows, unaligned.
    @discardableResult
    static func psql(_ url: String, _ statement: String) throws -> String {
        let psql = Process()
        psql.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        psql.arguments = ["psql", url, "-Atqc", statement]
        let output = Pipe()
        psql.standardOutput = output
        psql.standardError = FileHandle.nullDevice
        try psql.run()
        let rows = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        psql.waitUntilExit()
        guard psql.terminationStatus == 0 else { throw PsqlFailed(statement: statement) }
        return rows
    }

    struct PsqlFailed: Error { var statement: String }
}
