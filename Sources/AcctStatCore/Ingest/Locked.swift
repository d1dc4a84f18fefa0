import Foundation

/// A value shared between ingest workers, reached only under its lock.
final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()

    init(_ value: Value) { self.value = value }

    @discardableResult
    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}

/// Serialises work on one content: two copies of a file (`acct.csv.1` and `acct.csv.1.gz`)
/// read by two workers at once would both start from the same checkpoint.
final class ContentClaims: @unchecked Sendable {
    private var held: Set<String> = []
    private let condition = NSCondition()

    func claim(_ fingerprint: String) {
        condition.lock()
        while held.contains(fingerprint) { condition.wait() }
        held.insert(fingerprint)
        condition.unlock()
    }

    func release(_ fingerprint: String) {
        condition.lock()
        held.remove(fingerprint)
        condition.broadcast()
        condition.unlock()
    }
}
