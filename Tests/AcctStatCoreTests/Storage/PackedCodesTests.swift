import Foundation
import Testing
@testable import AcctStatCore

@Suite struct PackedCodesTests {
    /// Every code of every enum fits its field, and each field reads back what was packed.
    @Test func everyCodeFitsAndReadsBack() {
        let largest = [RecordType.allCases.count, DKIMResult.allCases.count, FailureCause.allCases.count,
                       EvidenceSource.allCases.count, KeySource.allCases.count].max()!
        #expect(Int64(largest) < PackedCodes.limit)
        let codes = PackedCodes(type: RecordType.allCases.last!.code, result: DKIMResult.permerror.code, cause: FailureCause.allCases.last!.code,
                                source: EvidenceSource.reply.code, keySource: KeySource.allCases.last!.code)
        #expect(codes[.type] == RecordType.allCases.count)
        #expect(codes[.result] == Int(DKIMResult.permerror.code))
        #expect(codes[.cause] == FailureCause.allCases.count)
        #expect(codes[.source] == Int(EvidenceSource.reply.code))
        #expect(codes[.keySource] == KeySource.allCases.count)
        #expect(PackedCodes(type: 0, result: 0, cause: 0, source: 0, keySource: 0).value == 0)
    }

    /// The queries read codes with the same arithmetic as the views, and SQLite agrees with Swift.
    @Test func queriesReadTheFieldsAsPacked() throws {
        #expect(QueryCatalog.sql("report").contains(PackedCodes.fieldSQL(.type, of: "c.codes")))
        #expect(QueryCatalog.sql("report_samples").contains(PackedCodes.fieldSQL(.type, of: "f.codes")))
        #expect(QueryCatalog.sql("report_samples").contains(PackedCodes.fieldSQL(.cause, of: "f.codes")))
        #expect(QueryCatalog.sql("selectors").contains(PackedCodes.fieldSQL(.result, of: "p.codes")))
        #expect(QueryCatalog.sql("selectors").contains(PackedCodes.fieldSQL(.source, of: "p.codes")))
        let dir = TemporaryDirectory()
        let store = try SQLiteStore(path: dir.file("db.sqlite"))
        let codes = PackedCodes(type: 7, result: 3, cause: 13, source: 2, keySource: 3)
        let fields = PackedCodes.Field.allCases.map { PackedCodes.fieldSQL($0, of: "\(codes.value)") }.joined(separator: ", ")
        let read = try store.query("SELECT \(fields)", arguments: []).rows
        #expect(read == [PackedCodes.Field.allCases.map { .integer(Int64(codes[$0])) }])
    }
}
