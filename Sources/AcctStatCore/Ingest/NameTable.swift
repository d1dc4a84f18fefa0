import Foundation

/// The dictionary that encodes the strings of one ingest worker: domains, selectors, vmtas, diagnostics.
///
/// Counts and failure rows refer to names by small local ids; the store maps them to
/// database ids when it commits (``AccountingStore``). Id 0 of every kind means unknown.
/// The worker adds names while the writer thread resolves earlier ones, so every access
/// takes the lock; the hot loop caches ids and rarely comes here.
public final class NameTable: @unchecked Sendable {
    public enum Kind: String, CaseIterable, Sendable {
        case domain, selector, vmta, detail
    }

    private var values: [Kind: [String]] = [:]
    /// Each kind's values by their UTF-8 bytes; interner id `n` is local id `n + 1`.
    private var ids: [Kind: ByteInterner] = [:]
    private var resolved: [Kind: [Int64]] = [:]
    private let lock = NSLock()

    public init() {
        for kind in Kind.allCases {
            values[kind] = [""]
            ids[kind] = ByteInterner()
            resolved[kind] = [0]
        }
    }

    /// The local id of `value`, adding it when new; nil and empty values are 0.
    public func id(_ kind: Kind, _ value: String?) -> Int32 {
        guard var value, !value.isEmpty else { return 0 }
        lock.lock()
        defer { lock.unlock() }
        let (index, isNew) = value.withUTF8 { ids[kind]!.intern(UnsafeRawBufferPointer($0)) }
        if isNew { values[kind]!.append(value) }
        return Int32(index + 1)
    }

    /// About the bytes the table holds: each name twice (its bytes to find it, a String to give
    /// it back), the interners' slots, and a database id per name.
    var memoryBytes: Int {
        lock.lock()
        defer { lock.unlock() }
        return Kind.allCases.reduce(0) { total, kind in
            let interner = ids[kind]!
            return total + interner.memoryBytes + interner.keyBytes + interner.count * (MemoryLayout<String>.stride + MemoryLayout<Int64>.stride)
        }
    }

    /// The value of a local id; nil for 0.
    public func value(_ kind: Kind, _ id: Int32) -> String? {
        guard id != 0 else { return nil }
        lock.lock()
        defer { lock.unlock() }
        return values[kind]![Int(id)]
    }

    /// The names added since the last resolution, by local id, for the store to resolve.
    func unresolved(_ kind: Kind) -> (first: Int, values: ArraySlice<String>) {
        lock.lock()
        defer { lock.unlock() }
        let first = resolved[kind]!.count
        return (first, values[kind]![first...])
    }

    /// Database ids for local ids, indexed by local id.
    func databaseIds(_ kind: Kind) -> [Int64] {
        lock.lock()
        defer { lock.unlock() }
        return resolved[kind]!
    }

    /// Records the database ids of the names ``unresolved(_:)`` returned.
    func resolve(_ kind: Kind, _ databaseIds: [Int64]) {
        lock.lock()
        defer { lock.unlock() }
        resolved[kind]!.append(contentsOf: databaseIds)
    }
}
