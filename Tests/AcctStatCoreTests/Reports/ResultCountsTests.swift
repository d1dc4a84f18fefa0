import Testing
@testable import AcctStatCore

@Suite struct ResultCountsTests {
    /// The fast code subscript and the stored codes agree, so the report's counts land on the right result.
    @Test func codeSubscriptMatchesStoredCodes() {
        for (index, result) in DKIMResult.allCases.enumerated() {
            var counts = ResultCounts()
            counts[code: Int(result.code)] = Int64(index + 1)
            #expect(counts[result] == Int64(index + 1))
            #expect(counts.total == Int64(index + 1))
        }
    }
}
