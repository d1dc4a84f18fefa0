/// Counts per DKIM result, receiver rejections apart, with the rates the reports show.
///
/// Two measures that never mix: the **pass rate** counts verdict evidence only (a verdict
/// column), and **rejected** counts records whose only DKIM evidence is a receiver's
/// authentication rejection (source `reply`). Rejections can only ever say fail, so in one rate
/// with the verdicts they would move it with the mix of evidence, not with the signatures.
///
/// Nine stored integers, not an array: a report keeps one of these per group and bucket,
/// and an array would be a heap allocation each.
public struct ResultCounts: Equatable, Sendable {
    private var pass: Int64 = 0, fail: Int64 = 0, neutral: Int64 = 0, policy: Int64 = 0
    private var temperror: Int64 = 0, permerror: Int64 = 0, none: Int64 = 0, unknown: Int64 = 0
    /// Records whose only DKIM evidence is a receiver's authentication rejection; in no result column.
    public internal(set) var rejected: Int64 = 0

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
        rejected += other.rejected
    }

    /// Adds `count` records of the result with stored code `result`, whose evidence came from
    /// the source with stored code `source`: a receiver's reply counts as rejected.
    @inline(__always)
    mutating func add(_ count: Int64, result: Int, source: Int) {
        if source == Self.replySource { rejected += count } else { self[code: result] += count }
    }

    private static let replySource = Int(EvidenceSource.reply.code)

    /// Each result that occurred, then `rejected` when some were, with their counts, in that order:
    /// the words a cause's results are shown with.
    public var occurredWords: [(word: String, count: Int64)] {
        DKIMResult.allCases.compactMap { self[$0] > 0 ? ($0.rawValue, self[$0]) : nil } + (rejected > 0 ? [("rejected", rejected)] : [])
    }

    /// Every record: each result, unknown and rejected.
    public var total: Int64 { pass + fail + neutral + policy + temperror + permerror + none + unknown + rejected }
    /// Records with verdict evidence: pass + fail + neutral + policy + temperror + permerror + none.
    public var withVerdict: Int64 { total - unknown - rejected }

    /// pass ÷ records with verdict evidence; nil when there is none.
    public var passRate: Double? {
        withVerdict > 0 ? Double(pass) / Double(withVerdict) : nil
    }

    /// rejected ÷ total; nil when there are no records.
    public var rejectedRate: Double? {
        total > 0 ? Double(rejected) / Double(total) : nil
    }

    /// The change of the pass rate since `previous`, in percentage points; nil when either has none.
    public func passRateChange(since previous: ResultCounts) -> Double? {
        guard let now = passRate, let before = previous.passRate else { return nil }
        return (now - before) * 100
    }

    /// The change of the rejected rate since `previous`, in percentage points; nil when either has no records.
    public func rejectedRateChange(since previous: ResultCounts) -> Double? {
        guard let now = rejectedRate, let before = previous.rejectedRate else { return nil }
        return (now - before) * 100
    }
}
