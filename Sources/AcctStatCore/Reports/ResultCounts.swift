/// Record counts per DKIM result, with the pass rate the reports show.
public struct ResultCounts: Equatable, Sendable {
    private var values = [Int64](repeating: 0, count: DKIMResult.allCases.count)

    public init() {}

    public subscript(result: DKIMResult) -> Int64 {
        get { values[Self.index(result)] }
        set { values[Self.index(result)] = newValue }
    }

    public mutating func add(_ other: ResultCounts) {
        for index in values.indices { values[index] += other.values[index] }
    }

    public var total: Int64 { values.reduce(0, +) }
    /// Records with any verdict: total − unknown.
    public var withVerdict: Int64 { total - self[.unknown] }

    /// pass ÷ (total − unknown); nil when no record has a verdict.
    public var passRate: Double? {
        withVerdict > 0 ? Double(self[.pass]) / Double(withVerdict) : nil
    }

    private static func index(_ result: DKIMResult) -> Int {
        switch result {
        case .pass: 0
        case .fail: 1
        case .neutral: 2
        case .policy: 3
        case .temperror: 4
        case .permerror: 5
        case .none: 6
        case .unknown: 7
        }
    }
}
