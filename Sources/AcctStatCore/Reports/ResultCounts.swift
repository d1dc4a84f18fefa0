/// Record counts per DKIM result, with the pass rate the reports show.
///
/// Eight stored integers, not an array: a report keeps one of these per group and bucket,
/// and an array would be a heap allocation each.
public struct ResultCounts: Equatable, Sendable {
    private var pass: Int64 = 0, fail: Int64 = 0, neutral: Int64 = 0, policy: Int64 = 0
    private var temperror: Int64 = 0, permerror: Int64 = 0, none: Int64 = 0, unknown: Int64 = 0
    /// Of these records, those whose verdict came from a verdict column; the others with a verdict
    /// came from receiver replies, which only ever report failures.
    public internal(set) var fromColumns: Int64 = 0

    public init() {}

    public subscript(result: DKIMResult) -> Int64 {
        get { self[code: Int(result.code)] }
        set { self[code: Int(result.code)] = newValue }
    }

    /// By the result's stored code (``StoredCode``: `DKIMResult.allCases` order, from 1).
    subscript(code code: Int) -> Int64 {
        get {
            switch code {
            case 1: pass
            case 2: fail
            case 3: neutral
            case 4: policy
            case 5: temperror
            case 6: permerror
            case 7: none
            default: unknown
            }
        }
        set {
            switch code {
            case 1: pass = newValue
            case 2: fail = newValue
            case 3: neutral = newValue
            case 4: policy = newValue
            case 5: temperror = newValue
            case 6: permerror = newValue
            case 7: none = newValue
            default: unknown = newValue
            }
        }
    }

    public mutating func add(_ other: ResultCounts) {
        for code in 1...DKIMResult.allCases.count { self[code: code] += other[code: code] }
        fromColumns += other.fromColumns
    }

    /// Adds `count` records of the result with stored code `result`; `fromColumn` when their
    /// verdict came from a verdict column.
    mutating func add(_ count: Int64, result: Int, fromColumn: Bool) {
        self[code: result] += count
        if fromColumn { fromColumns += count }
    }

    /// True when records have verdicts and none came from a verdict column: the rate then counts
    /// receiver rejections alone, which are always failures, and says nothing of the signatures.
    public var verdictsOnlyFromReplies: Bool { withVerdict > 0 && fromColumns == 0 }

    /// pass ÷ records whose verdict came from a verdict column: the rate without receiver replies.
    /// Replies only ever report failures, so every pass is a column's. Nil when no column spoke.
    public var passRateFromColumns: Double? {
        fromColumns > 0 ? Double(pass) / Double(fromColumns) : nil
    }

    /// The results that occurred, with their counts.
    public var occurred: [DKIMResult: Int64] {
        Dictionary(uniqueKeysWithValues: DKIMResult.allCases.compactMap { self[$0] > 0 ? ($0, self[$0]) : nil })
    }

    public var total: Int64 { pass + fail + neutral + policy + temperror + permerror + none + unknown }
    /// Records with any verdict: total − unknown.
    public var withVerdict: Int64 { total - unknown }

    /// The change of the pass rate since `previous`, in percentage points; nil when either has no
    /// rate, or a rate of receiver rejections alone (``verdictsOnlyFromReplies``): a change from or
    /// to one would measure the evidence, not the signatures.
    public func passRateChange(since previous: ResultCounts) -> Double? {
        guard !verdictsOnlyFromReplies, !previous.verdictsOnlyFromReplies,
              let now = passRate, let before = previous.passRate else { return nil }
        return (now - before) * 100
    }

    /// pass ÷ (total − unknown); nil when no record has a verdict.
    public var passRate: Double? {
        withVerdict > 0 ? Double(pass) / Double(withVerdict) : nil
    }
}
