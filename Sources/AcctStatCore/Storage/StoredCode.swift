/// Small integer codes for the enums stored in `counts` and `failures`.
///
/// **A stored code is permanent.** It is written to disk and read back by every later version,
/// so each case names its own code in a `switch` below, never its position in the enum: adding,
/// reordering or renaming cases must not change what an existing database means. A new case
/// takes the next unused number; a retired case's number is never reused. `StoredCodeTests`
/// pins every (enum, case, code) triple, and the migrations spell the codes out as literal SQL.
/// 0 is never a case's code: it stays free for "none" in `cause`.
protocol StoredCode: CaseIterable, Hashable, RawRepresentable, Sendable where RawValue == String {
    /// This case's permanent code, 1 to 31 (``PackedCodes`` has 5 bits per field).
    var code: Int64 { get }
    /// The cases by code (`byCode[code]`, nil where no case has it); built once from ``code``.
    static var byCode: [Self?] { get }
}

extension StoredCode {
    init?(code: Int64) {
        guard code >= 0, code < Int64(Self.byCode.count), let value = Self.byCode[Int(code)] else { return nil }
        self = value
    }

    /// The lookup table behind ``byCode``.
    static func makeByCode() -> [Self?] {
        let largest = allCases.map(\.code).max() ?? 0
        var table = [Self?](repeating: nil, count: Int(largest) + 1)
        for value in allCases { table[Int(value.code)] = value }
        return table
    }
}

extension RecordType: StoredCode {
    var code: Int64 {
        switch self {
        case .delivered: 1
        case .bounce: 2
        case .transient: 3
        case .transientQueue: 4
        case .receipt: 5
        case .feedbackLoop: 6
        case .remoteBounce: 7
        case .remoteStatus: 8
        }
    }
    static let byCode = makeByCode()
}

extension DKIMResult: StoredCode {
    var code: Int64 {
        switch self {
        case .pass: 1
        case .fail: 2
        case .neutral: 3
        case .policy: 4
        case .temperror: 5
        case .permerror: 6
        case .none: 7
        case .unknown: 8
        }
    }
    static let byCode = makeByCode()
}

extension FailureCause: StoredCode {
    var code: Int64 {
        switch self {
        case .bodyHash: 1
        case .badSignature: 2
        case .expired: 3
        case .noKey: 4
        case .revoked: 5
        case .weakKey: 6
        case .dns: 7
        case .syntax: 8
        case .unsigned: 9
        case .receiverDKIM: 10
        case .receiverDMARC: 11
        case .receiverAuth: 12
        case .other: 13
        }
    }
    static let byCode = makeByCode()
}

extension EvidenceSource: StoredCode {
    var code: Int64 {
        switch self {
        case .column: 1
        case .reply: 2
        case .none: 3
        }
    }
    static let byCode = makeByCode()
}

extension KeySource: StoredCode {
    var code: Int64 {
        switch self {
        case .evidence: 1
        case .config: 2
        case .none: 3
        }
    }
    static let byCode = makeByCode()
}

extension MailboxHost: StoredCode {
    var code: Int64 {
        switch self {
        case .google: 1
        case .microsoft: 2
        case .yahoo: 3
        case .apple: 4
        case .zoho: 5
        case .proton: 6
        case .fastmail: 7
        case .yandex: 8
        case .gmx: 9
        case .mailru: 10
        }
    }
    static let byCode = makeByCode()
}

/// The six codes of a `counts` or `failures` row, packed in its one `codes` column, 5 bits each,
/// type lowest: `type + 32 × (result + 32 × (cause + 32 × (source + 32 × (key_source + 32 × mx_provider))))`.
/// mx_provider (schema v9) is 0 in rows written before, and where the record names no MX ``MailboxHost`` knows.
///
/// A report reads hundreds of thousands of rows, and SQLite's cost per row grows with its
/// columns: one column instead of five took 19% off the 7-day report's instructions and 7% off
/// the database. The `*_named` views give the words; ``fieldSQL(_:of:)`` reads one code in SQL.
struct PackedCodes: Equatable {
    enum Field: Int, CaseIterable { case type, result, cause, source, keySource, mxProvider }

    static let bits = 5
    /// Every code of every field is below this (a test checks the enums).
    static let limit: Int64 = 1 << bits

    var value: Int64

    init(type: Int64, result: Int64, cause: Int64, source: Int64, keySource: Int64, mxProvider: Int64 = 0) {
        let limit = Self.limit
        value = type + limit * (result + limit * (cause + limit * (source + limit * (keySource + limit * mxProvider))))
    }

    init(value: Int64) {
        self.value = value
    }

    @inline(__always)   // five times per row a report reads
    subscript(field: Field) -> Int {
        Int(truncatingIfNeeded: value >> Int64(Self.bits * field.rawValue) & (Self.limit - 1))
    }

    /// SQL for one code of the codes in `column`: `codes / 1024 % 32` for the cause (the
    /// queries in `queries/` spell it so; a test checks them).
    static func fieldSQL(_ field: Field, of column: String) -> String {
        let divisor = 1 << (bits * field.rawValue)
        return divisor == 1 ? "\(column) % \(limit)" : "\(column) / \(divisor) % \(limit)"
    }
}
