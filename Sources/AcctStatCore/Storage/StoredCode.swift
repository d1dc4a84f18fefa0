/// Small integer codes for the enums in the `counts` key.
///
/// `counts` is the table every ingest writes and every report reads; integer codes keep its
/// B-tree comparisons cheap and its rows short. The code is the case's position plus one
/// (0 stays free for "none" in `cause`). The `counts_named` view turns codes back into the
/// words used everywhere else, with CASE expressions made from the same enums.
protocol StoredCode: CaseIterable, Equatable, RawRepresentable, Sendable where RawValue == String {
    /// The cases in code order: `byCode[code - 1]`.
    static var byCode: [Self] { get }
}

extension StoredCode {
    var code: Int64 { Int64(Self.byCode.firstIndex(of: self)! + 1) }

    init?(code: Int64) {
        guard code >= 1, code <= Int64(Self.byCode.count) else { return nil }
        self = Self.byCode[Int(code - 1)]
    }

    /// `CASE column WHEN 1 THEN 'd' … END`: codes to words, for views.
    static func wordsSQL(_ column: String, none: String = "NULL") -> String {
        "CASE \(column) " + byCode.map { "WHEN \($0.code) THEN '\($0.rawValue)'" }.joined(separator: " ") + " ELSE \(none) END"
    }

    /// `CASE column WHEN 'd' THEN 1 … END`: words to codes, for migrating text columns.
    static func codesSQL(_ column: String) -> String {
        "CASE \(column) " + byCode.map { "WHEN '\($0.rawValue)' THEN \($0.code)" }.joined(separator: " ") + " ELSE 0 END"
    }
}

extension RecordType: StoredCode { static let byCode = Array(allCases) }
extension DKIMResult: StoredCode { static let byCode = Array(allCases) }
extension FailureCause: StoredCode { static let byCode = Array(allCases) }
extension EvidenceSource: StoredCode { static let byCode = Array(allCases) }
extension KeySource: StoredCode { static let byCode = Array(allCases) }

/// The five codes of a `counts` or `failures` row, packed in its one `codes` column, 5 bits each,
/// type lowest: `type + 32 × (result + 32 × (cause + 32 × (source + 32 × key_source)))`.
///
/// A report reads hundreds of thousands of rows, and SQLite's cost per row grows with its
/// columns: one column instead of five took 19% off the 7-day report's instructions and 7% off
/// the database. The `*_named` views give the words; ``fieldSQL(_:of:)`` reads one code in SQL.
struct PackedCodes: Equatable {
    enum Field: Int, CaseIterable { case type, result, cause, source, keySource }

    static let bits = 5
    /// Every code of every field is below this (a test checks the enums).
    static let limit: Int64 = 1 << bits

    var value: Int64

    init(type: Int64, result: Int64, cause: Int64, source: Int64, keySource: Int64) {
        let limit = Self.limit
        value = type + limit * (result + limit * (cause + limit * (source + limit * keySource)))
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

    /// SQL that packs five code columns (`type`, `result`, … of the v5 schema) into one.
    static func packSQL(prefix: String = "") -> String {
        let columns = ["type", "result", "cause", "source", "key_source"].map { prefix + $0 }
        return columns.dropLast().reversed().reduce(columns.last!) { "\($1) + \(limit) * (\($0))" }
    }
}
