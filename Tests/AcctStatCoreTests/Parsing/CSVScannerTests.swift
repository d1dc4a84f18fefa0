import Testing
@testable import AcctStatCore

/// What a scan produced, in a form tests can compare.
struct ScanResult: Equatable {
    var records: [[String]] = []
    var lines: [Int] = []
    var problems: [CSVScanner.Problem] = []
    var checkpoint = CSVScanner.Checkpoint.start
}

func scan(_ text: String, chunkSize: Int, complete: Bool = true, maxRecordBytes: Int = 1 << 20,
          start: CSVScanner.Checkpoint = .start) -> ScanResult {
    scan(Array(text.utf8), chunkSize: chunkSize, complete: complete, maxRecordBytes: maxRecordBytes, start: start)
}

func scan(_ bytes: [UInt8], chunkSize: Int, complete: Bool = true, maxRecordBytes: Int = 1 << 20,
          start: CSVScanner.Checkpoint = .start) -> ScanResult {
    let scanner = CSVScanner(start: start, chunkSize: min(chunkSize, 1 << 16), maxRecordBytes: maxRecordBytes)
    var result = ScanResult()
    scanner.scan(MemorySource(Array(bytes[Int(start.offset)...]), chunkSize: chunkSize), endIsComplete: { complete },
                 onRecord: { record in
                     result.records.append((0..<record.fieldCount).map { record.string($0) })
                     result.lines.append(record.line)
                 },
                 onProblem: { result.problems.append($0) })
    result.checkpoint = scanner.checkpoint
    return result
}

@Suite struct CSVScannerTests {
    @Test(arguments: chunkSizes)
    func quotedFieldsWithCommasQuotesAndNewlines(chunkSize: Int) {
        let text = "type,dsnDiag,vmta\r\nb,\"smtp;550 \"\"no\"\", really\r\nsecond line\",v1\r\nd,,v2\r\n"
        let result = scan(text, chunkSize: chunkSize)
        #expect(result.records == [["type", "dsnDiag", "vmta"],
                                   ["b", "smtp;550 \"no\", really\r\nsecond line", "v1"],
                                   ["d", "", "v2"]])
        #expect(result.lines == [1, 2, 4])
        #expect(result.checkpoint == .init(offset: Int64(text.utf8.count), line: 5))
        #expect(result.problems.isEmpty)
    }

    @Test(arguments: chunkSizes)
    func everyLineEndingAndABOM(chunkSize: Int) {
        let text = "\u{FEFF}type,a\rd,1\nd,2\r\n\r\nd,3"
        let result = scan(text, chunkSize: chunkSize)
        #expect(result.records == [["type", "a"], ["d", "1"], ["d", "2"], ["d", "3"]])
        #expect(result.lines == [1, 2, 3, 5])
    }

    @Test(arguments: chunkSizes)
    func unterminatedLastRecordWaitsUntilTheDataIsComplete(chunkSize: Int) {
        let text = "type,a\nd,1\nd,2"
        let growing = scan(text, chunkSize: chunkSize, complete: false)
        #expect(growing.records == [["type", "a"], ["d", "1"]])
        #expect(growing.checkpoint == .init(offset: 11, line: 3))
        let resumed = scan(text + "5\n", chunkSize: chunkSize, start: growing.checkpoint)
        #expect(resumed.records == [["d", "25"]])
        #expect(resumed.lines == [3])
    }

    @Test(arguments: chunkSizes)
    func trailingDelimiterMakesAnEmptyField(chunkSize: Int) {
        #expect(scan("a,b,\nc,\"\"\n", chunkSize: chunkSize).records == [["a", "b", ""], ["c", ""]])
        #expect(scan("a,b,", chunkSize: chunkSize).records == [["a", "b", ""]])
    }

    @Test(arguments: chunkSizes)
    func strayQuoteCostsOneRecordNotTheFile(chunkSize: Int) {
        let text = "type,a\nd,\"oops\nd,2\nd,3\n"
        let result = scan(text, chunkSize: chunkSize)
        #expect(result.records == [["type", "a"], ["d", "2"], ["d", "3"]])
        #expect(result.problems == [.init(kind: .unterminatedQuote, line: 2)])
        #expect(result.lines == [1, 3, 4])
    }

    @Test(arguments: [1, 7, 4096, Int.max])
    func oversizedRecordIsDroppedAndSkipped(chunkSize: Int) {
        let huge = String(repeating: "x", count: 5000)
        let text = "type,a\nd,\(huge)\nd,\"\(huge)\"\nd,ok\n"
        let result = scan(text, chunkSize: chunkSize, maxRecordBytes: 1000)
        #expect(result.records == [["type", "a"], ["d", "ok"]])
        #expect(result.problems == [.init(kind: .recordTooLong, line: 2), .init(kind: .recordTooLong, line: 3)])
        #expect(result.lines == [1, 4])
    }

    @Test(arguments: [1, 7, 4096, Int.max])
    func runawayQuoteWithNewlinesResyncsAfterTheLimit(chunkSize: Int) {
        var text = "type,a\nd,\"never closed\n"
        for index in 0..<200 { text += "d,\(index)\n" }
        let result = scan(text, chunkSize: chunkSize, maxRecordBytes: 300)
        #expect(result.problems == [.init(kind: .unterminatedQuote, line: 2)])
        #expect(result.records.count == 201)
        #expect(result.records.last == ["d", "199"])
    }

    @Test func invalidUTF8IsReplacedNotFatal() {
        let bytes: [UInt8] = Array("type,a\nd,".utf8) + [0xff, 0xfe] + Array("x\n".utf8)
        #expect(scan(bytes, chunkSize: 3).records == [["type", "a"], ["d", "\u{FFFD}\u{FFFD}x"]])
    }

    @Test(arguments: chunkSizes)
    func textAfterAClosingQuoteIsKept(chunkSize: Int) {
        #expect(scan("\"ab\"cd,e\n", chunkSize: chunkSize).records == [["abcd", "e"]])
    }
}
