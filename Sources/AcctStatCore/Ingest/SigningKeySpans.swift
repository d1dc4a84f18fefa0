/// A signing domain and selector, as local ids: the key of ``IngestBatch/seen``.
public struct SigningKey: Equatable, Sendable, FastHashable {
    public var domain: Int32
    public var selector: Int32

    var fastHash: Int { Int(truncatingIfNeeded: FastHash.mix(UInt64(UInt32(bitPattern: domain)) | UInt64(UInt32(bitPattern: selector)) << 32)) }
}

/// When a signing key was first and last seen, to the second (UTC epoch seconds).
public struct SeenSpan: Sendable, Equatable {
    public var first: Int64
    public var last: Int64

    mutating func include(_ time: Int64) {
        if time < first { first = time }
        if time > last { last = time }
    }
}

/// The first and last seen of each signing key in one batch.
///
/// Consecutive records mostly share their signing key, so the last key's entry is remembered
/// and most records update it without a lookup.
struct SigningKeySpans: Sendable {
    private(set) var map = FastMap<SigningKey, SeenSpan>()
    private var last: (key: SigningKey, index: Int)?

    var isEmpty: Bool { map.isEmpty }

    @inline(__always)
    mutating func include(_ key: SigningKey, time: Int64) {
        let index: Int
        if let last, last.key == key {
            index = last.index
        } else {
            index = map.index(of: key, inserting: SeenSpan(first: time, last: time))
            last = (key, index)
        }
        map.modify(at: index) { $0.include(time) }
    }
}

/// The first and last delivery from each source IP in one batch, by the worker's index of the
/// address (``names``): a handful per host, updated once per delivery without hashing.
struct SourceIPSpans: Sendable {
    var names: [String] = []
    private(set) var spans: [SeenSpan?] = []

    @inline(__always)
    mutating func include(_ id: Int, time: Int64) {
        while spans.count <= id { spans.append(nil) }
        if spans[id] == nil { spans[id] = SeenSpan(first: time, last: time) } else { spans[id]!.include(time) }
    }

    /// Each address seen, with its span.
    var seen: [(ip: String, span: SeenSpan)] {
        spans.enumerated().compactMap { id, span in span.map { (names[id], $0) } }
    }
}
