import Foundation
import GRDB
import Testing
@testable import AcctStatCore

/// Stored codes are permanent: every database ever written reads its rows with them.
@Suite struct StoredCodeTests {
    /// Every (enum, case, code) triple, as shipped. A change here breaks every existing
    /// database: add new cases with new codes, and never edit or reuse a line.
    static let golden = """
        RecordType d 1
        RecordType b 2
        RecordType t 3
        RecordType tq 4
        RecordType r 5
        RecordType f 6
        RecordType rb 7
        RecordType rs 8
        DKIMResult pass 1
        DKIMResult fail 2
        DKIMResult neutral 3
        DKIMResult policy 4
        DKIMResult temperror 5
        DKIMResult permerror 6
        DKIMResult none 7
        DKIMResult unknown 8
        FailureCause body-hash 1
        FailureCause bad-signature 2
        FailureCause expired 3
        FailureCause no-key 4
        FailureCause revoked 5
        FailureCause weak-key 6
        FailureCause dns 7
        FailureCause syntax 8
        FailureCause unsigned 9
        FailureCause receiver-dkim 10
        FailureCause receiver-dmarc 11
        FailureCause receiver-auth 12
        FailureCause other 13
        EvidenceSource column 1
        EvidenceSource reply 2
        EvidenceSource none 3
        KeySource evidence 1
        KeySource config 2
        KeySource none 3
        MailboxHost google 1
        MailboxHost microsoft 2
        MailboxHost yahoo 3
        MailboxHost apple 4
        MailboxHost zoho 5
        MailboxHost proton 6
        MailboxHost fastmail 7
        MailboxHost yandex 8
        MailboxHost gmx 9
        MailboxHost mailru 10
        """

    static func triples<Code: StoredCode>(_ type: Code.Type) -> [String] {
        type.allCases.map { "\(type) \($0.rawValue) \($0.code)" }
    }

    static var current: [String] {
        triples(RecordType.self) + triples(DKIMResult.self) + triples(FailureCause.self)
            + triples(EvidenceSource.self) + triples(KeySource.self) + triples(MailboxHost.self)
    }

    @Test func everyCodeIsPinned() {
        let pinned = Self.golden.split(separator: "\n").map(String.init)
        // Every case has its pinned code, in any order (sorted: a reordered enum is no change).
        #expect(Self.current.sorted() == pinned.sorted())
    }

    @Test func codesAreDistinctAndFitTheirField() {
        func check<Code: StoredCode>(_ type: Code.Type) {
            let codes = type.allCases.map(\.code)
            #expect(Set(codes).count == codes.count, "\(type) codes are distinct")
            #expect(codes.allSatisfy { $0 >= 1 && $0 < PackedCodes.limit }, "\(type) codes fit 5 bits and leave 0 free")
            for value in type.allCases { #expect(Code(code: value.code) == value) }
            #expect(Code(code: 0) == nil)
            #expect(Code(code: PackedCodes.limit) == nil)
        }
        check(RecordType.self)
        check(DKIMResult.self)
        check(FailureCause.self)
        check(EvidenceSource.self)
        check(KeySource.self)
        check(MailboxHost.self)
    }

    /// The views' literal SQL turns every code into the word Swift has for it.
    @Test func viewsNameEveryCodeAsSwiftDoes() throws {
        let dir = TemporaryDirectory()
        let store = try SQLiteStore(path: dir.file("db.sqlite"))
        var expected: [[SQLValue]] = []
        var inserts: [String] = []
        // One count per (type, result, cause, source, key source) position, all codes in turn.
        let width = max(RecordType.allCases.count, DKIMResult.allCases.count, FailureCause.allCases.count)
        for index in 0..<width {
            func pick<Code: StoredCode>(_ type: Code.Type) -> Code { Array(type.allCases)[index % type.allCases.count] }
            let type = pick(RecordType.self), result = pick(DKIMResult.self), cause = pick(FailureCause.self)
            let source = pick(EvidenceSource.self), keySource = pick(KeySource.self), host = pick(MailboxHost.self)
            let codes = PackedCodes(type: type.code, result: result.code, cause: cause.code, source: source.code, keySource: keySource.code,
                                    mxProvider: host.code)
            inserts.append("(\(index), 0, \(codes.value), 0, 0, 0, 0, 1)")
            expected.append([.integer(Int64(index)), .text(type.rawValue), .text(result.rawValue), .text(cause.rawValue),
                             .text(source.rawValue), .text(keySource.rawValue), .text(host.providerName)])
        }
        let writer = try DatabaseQueue(path: dir.file("db.sqlite"))
        try writer.write { db in
            try db.execute(sql: "INSERT INTO counts (hour, rcpt_domain_id, codes, signing_domain_id, selector_id, vmta_id, mta_id, count) VALUES "
                           + inserts.joined(separator: ", "))
        }
        try writer.close()
        for view in ["counts_named", "signature_counts_named"] {
            let rows = try store.query("SELECT hour, type, result, cause, source, key_source, mx_provider FROM \(view) ORDER BY hour",
                                       arguments: []).rows
            #expect(rows == expected)
        }
    }

    /// A code this version does not know (a newer acctstat wrote it) is left out of reports, not misread.
    @Test func unknownCodesAreLeftOut() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("db.sqlite")
        _ = try SQLiteStore(path: path)
        let known = PackedCodes(type: RecordType.delivered.code, result: DKIMResult.pass.code, cause: 0,
                                source: EvidenceSource.column.code, keySource: KeySource.none.code)
        let newer = PackedCodes(type: 30, result: DKIMResult.pass.code, cause: 0, source: EvidenceSource.column.code, keySource: KeySource.none.code)
        let writer = try DatabaseQueue(path: path)
        try writer.write { db in
            try db.execute(sql: "INSERT INTO counts (hour, rcpt_domain_id, codes, signing_domain_id, selector_id, vmta_id, mta_id, count) "
                           + "VALUES (3600, 0, \(known.value), 0, 0, 0, 0, 5), (3600, 0, \(newer.value), 0, 0, 0, 0, 7)")
        }
        try writer.close()
        var options = ReportOptions(window: TimeWindow(from: 0, to: 7200), zone: .utc, now: 7200)
        options.read(for: .totals)
        let data = try ReportData.load(from: try SQLiteStore(path: path, readOnly: true), options: options, providers: try ProviderTable())
        #expect(data.tally.counts.total == 5)
    }
}
