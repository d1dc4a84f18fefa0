import Foundation

/// Which database `--db` (or `$ACCTSTAT_DB`) names: a SQLite file, the embedded default, or a
/// PostgreSQL server for a fleet (`postgres://` or `postgresql://`).
public enum StoreLocation: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(PostgresTarget)

    /// `value` as a location: a `postgres://` or `postgresql://` URL, else a path.
    public init(_ value: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let lower = value.lowercased()
        if lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://") {
            self = .postgres(try PostgresTarget(url: value, environment: environment))
        } else {
            self = .sqlite(path: value)
        }
    }

    /// How messages name it: the path, or the URL without its password.
    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let target): target.description
        }
    }
}

/// A PostgreSQL database: `postgres://user[:password]@host[:port]/dbname[?sslmode=…]`.
///
/// The password comes from the URL, else `$PGPASSWORD`, else `~/.pgpass` (`$PGPASSFILE`), as
/// libpq finds it; it is never part of ``description``.
public struct PostgresTarget: Sendable, Equatable, CustomStringConvertible {
    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    /// `disable` (the default here: a fleet's database is usually on a private network or
    /// loopback), `prefer`, `require`, `verify-ca` or `verify-full`.
    public var sslMode: String

    public static let sslModes = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]

    public init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              scheme == "postgres" || scheme == "postgresql" else {
            throw StoreError("--db \(Self.redacted(url)) is not a PostgreSQL URL; use postgres://user@host:port/dbname")
        }
        guard let host = components.host, !host.isEmpty else {
            throw StoreError("--db \(Self.redacted(url)) names no host; use postgres://user@host:port/dbname")
        }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw StoreError("--db \(Self.redacted(url)) names no database; use postgres://user@host:port/dbname")
        }
        self.host = host
        port = components.port ?? 5432
        self.database = database.removingPercentEncoding ?? database
        user = components.user?.removingPercentEncoding ?? environment["PGUSER"] ?? environment["USER"] ?? "postgres"
        sslMode = "disable"
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value, Self.sslModes.contains(value) else {
                    throw StoreError("--db: sslmode takes \(Self.sslModes.joined(separator: ", ")), not '\(item.value ?? "")'")
                }
                sslMode = value
            default:
                throw StoreError("--db: the URL option '\(item.name)' is not supported (only sslmode is)")
            }
        }
        password = components.password?.removingPercentEncoding
            ?? environment["PGPASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
            ?? Self.passwordFile(environment: environment).flatMap { Self.password(in: $0, host: host, port: port, database: self.database, user: user) }
    }

    /// `postgres://user@host:port/dbname`: never the password.
    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }

    /// A URL as messages may show it: its password replaced by `***`.
    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? "postgres://…"
    }

    /// The password file's text: `$PGPASSFILE`, else `~/.pgpass`; nil when there is none.
    private static func passwordFile(environment: [String: String]) -> String? {
        let path = environment["PGPASSFILE"] ?? environment["HOME"].map { $0 + "/.pgpass" }
        return path.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }
    }

    /// The password `.pgpass` gives: the first line `host:port:database:user:password` that
    /// matches (`*` matches anything; `\:` and `\\` escape).
    static func password(in file: String, host: String, port: Int, database: String, user: String) -> String? {
        for line in file.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            var fields: [String] = [""]
            var escaped = false
            for character in line {
                if escaped {
                    fields[fields.count - 1].append(character)
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == ":" && fields.count < 5 {
                    fields.append("")
                } else {
                    fields[fields.count - 1].append(character)
                }
            }
            guard fields.count == 5 else { continue }
            let wanted = [host, String(port), database, user]
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }
}

extension StoreLocation {
    /// Opens the database: the one place a command gets its ``AccountingStore`` from.
    /// - Parameters:
    ///   - readOnly: for commands that only read: the database must exist.
    ///   - mta: the host a writer writes for (`--mta`); a read-only store looks up its ledger.
    ///   - ingesting: a writer that ingests for `mta`: on PostgreSQL it takes the host's ingest lock,
    ///     waiting up to `wait` seconds for another ingest of the same host (SQLite's ``IngestLock``
    ///     is taken by the caller, on the file). `prune` writes without it.
    ///   - announce: hears of a schema upgrade before it starts.
    public func open(readOnly: Bool, ingesting: Bool = true, mta: String = MTAName.local, wait: Double = 0,
                     announce: (String) -> Void = { _ in }) throws -> any AccountingStore {
        switch self {
        case .sqlite(let path): try SQLiteStore(path: path, readOnly: readOnly, mta: mta, announce: announce)
        case .postgres(let target):
            try PostgresStore(target: target, readOnly: readOnly, ingestLock: ingesting, mta: mta, wait: wait, announce: announce)
        }
    }

    /// True when there is a database to read: a SQLite file that exists, or any PostgreSQL server
    /// (asked when opened).
    public var mayExist: Bool {
        switch self {
        case .sqlite(let path): FileManager.default.fileExists(atPath: path)
        case .postgres: true
        }
    }
}
