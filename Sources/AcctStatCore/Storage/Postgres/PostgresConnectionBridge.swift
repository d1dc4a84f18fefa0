import Foundation
import Logging
import NIOCore
import PostgresNIO

/// One PostgreSQL connection behind the synchronous storage contract: each call runs its
/// queries on Swift's concurrency pool and waits for them. Calls are serialised (a transaction
/// is a sequence of calls on the one connection), so the store takes ``lock`` around each of its
/// operations.
final class PostgresConnectionBridge: @unchecked Sendable {
    let target: PostgresTarget
    let connection: PostgresConnection
    let lock = NSRecursiveLock()
    private static let logger: Logger = {
        var logger = Logger(label: "acctstat.postgres")
        logger.logLevel = .critical
        return logger
    }()
    var logger: Logger { Self.logger }

    /// Fails the call waiting on this connection when the connection closes. postgres-nio (1.33)
    /// never answers a query sent on a connection the server has closed (its write to the closed
    /// channel drops the query's promise; vapor/postgres-nio#487, since reverted), so an ingest
    /// whose connection was terminated between two statements waited forever. Calls are
    /// serialised (``lock``): one waits at a time.
    private let closeWatch = Locked<(@Sendable (any Error) -> Void)?>(nil)

    init(_ target: PostgresTarget) throws {
        self.target = target
        let tls: PostgresConnection.Configuration.TLS
        do {
            switch target.sslMode {
            case "disable", "allow": tls = .disable
            case "prefer": tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            default:
                var configuration = TLSConfiguration.makeClientConfiguration()
                if target.sslMode == "require" { configuration.certificateVerification = .none }
                if target.sslMode == "verify-ca" { configuration.certificateVerification = .noHostnameVerification }
                tls = .require(try NIOSSLContext(configuration: configuration))
            }
        } catch {
            throw StoreError("cannot set up TLS for \(target): \(error)")
        }
        var configuration = PostgresConnection.Configuration(host: target.host, port: target.port, username: target.user,
                                                             password: target.password, database: target.database, tls: tls)
        configuration.options.connectTimeout = .seconds(10)
        let logger = Self.logger
        do {
            connection = try Self.wait { [configuration] in
                try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
            }
        } catch {
            throw Self.storeError(error, target: target, connecting: true)
        }
        connection.closeFuture.whenComplete { [closeWatch] _ in closeWatch.withLock { $0?(ConnectionClosed()) } }
        // acctstat's queries take milliseconds to a second: compiling them (JIT) would cost more than it saves.
        try execute("SET jit = off")
        backendPID = try rows("SELECT pg_backend_pid()").first?.first?.int ?? 0
    }

    /// The server process of this connection, for ``cancelRunningQuery()``.
    private(set) var backendPID: Int64 = 0

    /// Stops the query this connection runs, from a second, short-lived connection (postgres-nio
    /// has no cancel request); the query then fails, and its rows stop coming.
    private func cancelRunningQuery() {
        guard let helper = try? PostgresConnectionBridge(target) else { return }
        try? helper.execute("SELECT pg_cancel_backend(\(backendPID))")
    }

    deinit {
        let connection = connection
        try? Self.wait { try await connection.close() }
    }

    /// Runs `body` and waits for it, with errors as ``StoreError``s naming the server (never the password).
    func run<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        let connection = connection
        do {
            return try waitWatchingClose { try await body(connection) }
        } catch let error as StoreError {
            throw error
        } catch {
            throw Self.storeError(error, target: target, connecting: false)
        }
    }

    /// Runs `sql` with `binds` and returns its rows, decoded.
    func rows(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) throws -> [[SQLValue]] {
        let logger = logger
        return try run { connection in
            var rows: [[SQLValue]] = []
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger) {
                rows.append(try row.map(PostgresValues.value))
            }
            return rows
        }
    }

    /// Streams `sql`'s rows to `body` on this thread, without holding them all: the connection's
    /// task decodes them (`decode`) a chunk ahead while `body` works through the one before, so
    /// reading and working use two cores, and no more than a few chunks of `chunkRows` rows wait.
    /// `body` must not use this connection (it is busy with the query until the last row).
    func forEachRow<Row: Sendable>(_ sql: String, _ binds: PostgresBindings = PostgresBindings(), chunkRows: Int = 512,
                                   decode: @escaping @Sendable (PostgresRow) throws -> Row, _ body: (Row) throws -> Void) throws {
        lock.lock()
        defer { lock.unlock() }
        let handoff = Handoff<Row>()
        let (connection, logger) = (connection, logger)
        let stopWatching = watchClose { handoff.finish($0) }
        defer { stopWatching() }
        Task.detached {
            do {
                var chunk: [Row] = []
                for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger) {
                    chunk.append(try decode(row))
                    guard chunk.count >= chunkRows else { continue }
                    guard handoff.put(chunk) else { break }
                    chunk = []
                }
                _ = handoff.put(chunk)
                handoff.finish(nil)
            } catch {
                handoff.finish(error)
            }
        }
        while true {
            let chunk: [Row]?
            do {
                chunk = try handoff.take()
            } catch let error as StoreError {
                throw error
            } catch {
                throw Self.storeError(error, target: target, connecting: false)
            }
            guard let chunk else { return }
            do {
                for row in chunk { try body(row) }
            } catch {
                // The caller's own error, as it threw it, once the query has stopped.
                handoff.cancel(stopping: cancelRunningQuery)
                throw error
            }
        }
    }

    /// Runs statements that return no rows: several, separated by `;`, when there are no binds
    /// (the extended protocol takes one statement at a time).
    func execute(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) throws {
        let logger = logger
        let statements = binds.count == 0 ? Self.statements(sql) : [sql]
        try run { connection in
            for statement in statements {
                try await connection.query(PostgresQuery(unsafeSQL: statement, binds: binds), logger: logger)
            }
        }
    }

    /// The statements of `sql`, split at the semicolons outside quotes, `$$` bodies and comments.
    static func statements(_ sql: String) -> [String] {
        var statements: [String] = []
        var current = ""
        var quote: Character?
        var dollarQuoted = false
        var comment = false
        var previous: Character = " "
        for character in sql {
            current.append(character)
            if comment {
                if character == "\n" { comment = false }
            } else if dollarQuoted {
                if character == "$" && previous == "$" { dollarQuoted = false; previous = " "; continue }
            } else if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == "-" && previous == "-" {
                comment = true
            } else if character == "$" && previous == "$" {
                dollarQuoted = true
                previous = " "
                continue
            } else if character == ";" {
                current.removeLast()
                if !current.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { statements.append(current) }
                current = ""
            }
            previous = character
        }
        if !current.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { statements.append(current) }
        return statements
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(_ begin: String = "BEGIN", _ body: () throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        try execute(begin)
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Waits for an asynchronous operation from synchronous code (never from a concurrency-pool thread).
    static func wait<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let outcome = Outcome<T>()
        start(body, into: outcome)
        return try outcome.get()
    }

    /// ``wait(_:)`` on this connection, failing if the connection closes meanwhile (``closeWatch``).
    private func waitWatchingClose<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let outcome = Outcome<T>()
        let stopWatching = watchClose { outcome.set(.failure($0)) }
        defer { stopWatching() }
        Self.start(body, into: outcome)
        return try outcome.get()
    }

    /// Calls `fail` when the connection closes (at once if it has), until the returned function
    /// is called: ``closeWatch`` for the one call waiting.
    private func watchClose(_ fail: @escaping @Sendable (any Error) -> Void) -> () -> Void {
        closeWatch.withLock { $0 = fail }
        if connection.isClosed { fail(ConnectionClosed()) }
        return { [closeWatch] in closeWatch.withLock { $0 = nil } }
    }

    private static func start<T: Sendable>(_ body: @escaping @Sendable () async throws -> T, into outcome: Outcome<T>) {
        Task.detached {
            do { outcome.set(.success(try await body())) } catch { outcome.set(.failure(error)) }
        }
    }

    /// A one-line message for a PostgreSQL failure: the server's own message where it sent one,
    /// with the host and port, never the password.
    static func storeError(_ error: any Error, target: PostgresTarget, connecting: Bool) -> StoreError {
        let place = (connecting ? "cannot connect to " : "") + "PostgreSQL at \(target.host):\(target.port)/\(target.database) as \(target.user)"
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                let state = error.serverInfo?[.sqlState]
                let code = state.map { " [\($0)]" } ?? ""
                let hint = state == "42501" ? "; see the README's \"A fleet on PostgreSQL\" for what each role needs" : ""
                return StoreError("\(place): \(message)\(code)\(hint)")
            }
            let underlying = error.underlying.map { ": \($0)" } ?? ""
            let what: String = switch error.code {
            case .connectionError, .uncleanShutdown, .serverClosedConnection: "the connection failed or was lost"
            case .sslUnsupported: "the server does not offer TLS (sslmode=\(target.sslMode))"
            case .authMechanismRequiresPassword: "the server asks for a password: put it in the URL, PGPASSWORD or ~/.pgpass"
            default: "\(error.code)"
            }
            return StoreError("\(place): \(what)\(underlying)")
        }
        if error is ConnectionClosed { return StoreError("\(place): the connection was lost (the server closed it)") }
        return StoreError("\(place): \(error)")
    }
}

/// The connection closed while a call waited on it.
private struct ConnectionClosed: Error {}

/// The result of an asynchronous operation, waited for by a synchronous caller.
private final class Outcome<T: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var result: Result<T, any Error>?

    /// Keeps the first result: a later one (the connection closing after the answer) is dropped.
    func set(_ value: Result<T, any Error>) {
        condition.lock()
        if result == nil { result = value }
        condition.signal()
        condition.unlock()
    }

    func get() throws -> T {
        condition.lock()
        while result == nil { condition.wait() }
        let value = result!
        condition.unlock()
        return try value.get()
    }
}

/// Chunks of rows from the task that reads them to the thread that works through them, at most
/// ``capacity`` waiting: the reader waits while they do.
private final class Handoff<Row: Sendable>: @unchecked Sendable {
    private let capacity = 4
    private let condition = NSCondition()
    private var chunks: [[Row]] = []
    private var finished: Result<Void, any Error>?
    private var cancelled = false

    /// Queues a chunk for the worker, waiting while `capacity` do; false once the worker has stopped.
    func put(_ chunk: [Row]) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while chunks.count >= capacity && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        if !chunk.isEmpty { chunks.append(chunk) }
        condition.broadcast()
        return true
    }

    /// The reader is done: `error` nil when every row was read. The first call counts (the
    /// connection closing after the last row changes nothing).
    func finish(_ error: (any Error)?) {
        condition.lock()
        if finished == nil { finished = error.map { .failure($0) } ?? .success(()) }
        condition.broadcast()
        condition.unlock()
    }

    /// The next chunk; nil after the last, or the reader's error.
    func take() throws -> [Row]? {
        condition.lock()
        defer { condition.unlock() }
        while chunks.isEmpty && finished == nil { condition.wait() }
        if !chunks.isEmpty {
            condition.broadcast()
            return chunks.removeFirst()
        }
        try finished!.get()
        return nil
    }

    /// The worker stopped early: the reader stops (`stopping` ends its query, unless it ended
    /// already), and this waits until it has: the connection is free then.
    func cancel(stopping: () -> Void) {
        condition.lock()
        cancelled = true
        chunks = []
        condition.broadcast()
        let running = finished == nil
        condition.unlock()
        if running { stopping() }
        condition.lock()
        while finished == nil { condition.wait() }
        condition.unlock()
    }
}

/// SQL values to and from PostgreSQL's wire formats.
enum PostgresValues {
    /// A cell as the store's values: integers (any width, and numerics without a fraction, as
    /// `SUM` gives), reals, text; booleans as 0 and 1, byte strings as UTF-8 text (as SQLite's do).
    static func value(_ cell: PostgresCell) throws -> SQLValue {
        guard var bytes = cell.bytes else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8: return .integer(try cell.decode(Int64.self))
        case .float4, .float8: return .real(try cell.decode(Double.self))
        case .numeric:
            let text = PostgresData(type: .numeric, formatCode: cell.format, value: bytes).numeric?.string ?? ""
            return Int64(text).map { .integer($0) } ?? Double(text).map { .real($0) } ?? .text(text)
        case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
        case .bytea: return .text(bytes.readString(length: bytes.readableBytes) ?? "")
        default: return .text(try cell.decode(String.self))
        }
    }

    static func bind(_ value: SQLValue, to binds: inout PostgresBindings) {
        switch value {
        case .null: binds.appendNull()
        case .integer(let number): binds.append(number)
        case .real(let number): binds.append(number)
        case .text(let text): binds.append(text)
        }
    }

    /// `sql` with SQLite's parameters (`:name` and `?`) as PostgreSQL's (`$1` …), and their values
    /// bound: a name used twice is one parameter. Text in quotes and comments is left alone.
    static func translate(_ sql: String, named: [String: SQLValue] = [:], positional: [SQLValue] = []) throws -> (String, PostgresBindings) {
        var output = ""
        var binds = PostgresBindings()
        var numbers: [String: Int] = [:]
        var positionalUsed = 0
        let characters = Array(sql)
        var index = 0
        func isNameStart(_ character: Character) -> Bool { character == "_" || character.isLetter }
        func isNameCharacter(_ character: Character) -> Bool { character == "_" || character.isLetter || character.isNumber }
        while index < characters.count {
            let character = characters[index]
            if character == "'" {
                // A quoted literal, '' inside it, copied as is.
                var end = index + 1
                while end < characters.count {
                    if characters[end] == "'" {
                        if end + 1 < characters.count && characters[end + 1] == "'" { end += 2; continue }
                        break
                    }
                    end += 1
                }
                output += String(characters[index...min(end, characters.count - 1)])
                index = end + 1
            } else if character == "-" && index + 1 < characters.count && characters[index + 1] == "-" {
                while index < characters.count && characters[index] != "\n" { output.append(characters[index]); index += 1 }
            } else if character == ":" && index + 1 < characters.count && isNameStart(characters[index + 1])
                        && (index == 0 || characters[index - 1] != ":") {
                var end = index + 1
                while end < characters.count && isNameCharacter(characters[end]) { end += 1 }
                let name = String(characters[(index + 1)..<end])
                guard let value = named[name] else { throw StoreError("missing query argument: \(name)") }
                if value == .null {
                    // A NULL parameter has no type PostgreSQL can infer where its first use is
                    // `:x IS NULL`; as a literal, the planner also drops the filter it turns off.
                    output += "NULL"
                } else {
                    if numbers[name] == nil {
                        bind(value, to: &binds)
                        numbers[name] = binds.count
                    }
                    output += "$\(numbers[name]!)"
                }
                index = end
            } else if character == "?" {
                guard positionalUsed < positional.count else { throw StoreError("missing query argument \(positionalUsed + 1)") }
                bind(positional[positionalUsed], to: &binds)
                positionalUsed += 1
                output += "$\(binds.count)"
                index += 1
            } else {
                output.append(character)
                index += 1
            }
        }
        return (output, binds)
    }
}

/// Rows in `COPY … FROM STDIN` text format: tab-separated, `\N` for NULL, backslashes escaped.
struct CopyRows {
    /// The rows, built as plain bytes (ByteBuffer's checks per byte cost more than the formatting).
    private var bytes: [UInt8] = []
    private var atRowStart = true

    /// The rows, to send.
    var buffer: ByteBuffer { ByteBuffer(bytes: bytes) }

    private mutating func separator() {
        if !atRowStart { bytes.append(UInt8(ascii: "\t")) }
        atRowStart = false
    }

    /// A number in decimal, written straight into the bytes (no string per field).
    mutating func field(_ number: Int64) {
        separator()
        if number < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = number.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)   // 24 bytes: room for the 20 digits of UInt64.max
        withUnsafeMutableBytes(of: &digits) { scratch in
            var start = scratch.count
            repeat {
                start -= 1
                scratch[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            bytes.append(contentsOf: scratch[start...])
        }
    }

    mutating func field(_ text: String?) {
        separator()
        guard let text else {
            bytes.append(contentsOf: "\\N".utf8)
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): bytes.append(contentsOf: "\\\\".utf8)
            case UInt8(ascii: "\t"): bytes.append(contentsOf: "\\t".utf8)
            case UInt8(ascii: "\n"): bytes.append(contentsOf: "\\n".utf8)
            case UInt8(ascii: "\r"): bytes.append(contentsOf: "\\r".utf8)
            default: bytes.append(byte)
            }
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// A bytea value: `\\x` and hex digits (the backslash escaped for COPY); NULL when empty.
    mutating func field(bytes value: ArraySlice<UInt8>) {
        separator()
        guard !value.isEmpty else {
            bytes.append(contentsOf: "\\N".utf8)
            return
        }
        bytes.append(contentsOf: "\\\\x".utf8)
        for byte in value {
            bytes.append(Self.hexDigits[Int(byte >> 4)])
            bytes.append(Self.hexDigits[Int(byte & 0x0f)])
        }
    }

    mutating func endRow() {
        bytes.append(UInt8(ascii: "\n"))
        atRowStart = true
    }

    var isEmpty: Bool { bytes.isEmpty }
}
