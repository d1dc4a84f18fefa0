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
