/// Record counts per DKIM result, with the pass rate the reports show.
///
/// Eight stored integers, not an array: a report keeps one of these per group and bucket,
/// and an array would be a heap allocation each.
public struct ResultCounts: Equatable, Sendable {
    private var pass: Int64 = 0, fail: Int64 = 0, neutral: Int64 = 0, policy: Int64 = 0
    private var temperror: Int64 = 0, permerror: Int64 = 0, none: Int64 = 0, unknown: Int64 = 0

    public init() {}

    public subscript(result: DKIMResult) -> Int64 {
        get {
            switch result {
            case .pass: pass
            case .fail: fail
            case .neutral: neutral
            case .policy: policy
            case .temperror: temperror
            case .permerror: permerror
            case .none: none
            case .unknown: unknown
            }
        }
        set {
            switch result {
            case .pass: pass = newValue
            case .fail: fail = newValue
            case .neutral: neutral = newValue
            case .policy: policy = newValue
            case .temperror: temperror = newValue
            case .permerror: permerror = newValue
            case .none: none = newValue
            case .unknown: unknown = newValue
            }
        }
    }

    public mutating func add(_ other: ResultCounts) {
        for result in DKIMResult.allCases { self[result] += other[result] }
    }

    public var total: Int64 { pass + fail + neutral + policy + temperror + permerror + none + unknown }
    /// Records with any verdict: total − unknown.
    public var withVerdict: Int64 { total - unknown }

    /// pass ÷ (total − unknown); nil when no record has a verdict.
    public var passRate: Double? {
        withVerdict > 0 ? Double(pass) / Double(withVerdict) : nil
    }
}
