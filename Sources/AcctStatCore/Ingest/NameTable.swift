/// The dictionary that encodes the strings of one ingest: domains, selectors, vmtas, diagnostics.
///
/// Counts and failure rows refer to names by small local ids; the store maps them to
/// database ids when it commits (``AccountingStore``). Id 0 of every kind means unknown.
public final class NameTable {
    public enum Kind: String, CaseIterable, Sendable {
        case domain, selector, vmta, detail
    }

    private var values: [Kind: [String]] = [:]
    private var ids: [Kind: [String: Int32]] = [:]
    /// Database ids of local ids, filled by the store as it resolves them.
    var databaseIds: [Kind: [Int64]] = [:]

    public init() {
        for kind in Kind.allCases {
            values[kind] = [""]
            ids[kind] = [:]
            databaseIds[kind] = [0]
        }
    }

    /// The local id of `value`, adding it when new; nil and empty values are 0.
    public func id(_ kind: Kind, _ value: String?) -> Int32 {
        guard let value, !value.isEmpty else { return 0 }
        if let id = ids[kind]![value] { return id }
        let id = Int32(values[kind]!.count)
        values[kind]!.append(value)
        ids[kind]![value] = id
        return id
    }

    /// The value of a local id; nil for 0.
    public func value(_ kind: Kind, _ id: Int32) -> String? {
        id == 0 ? nil : values[kind]![Int(id)]
    }

    func count(_ kind: Kind) -> Int { values[kind]!.count }
}
