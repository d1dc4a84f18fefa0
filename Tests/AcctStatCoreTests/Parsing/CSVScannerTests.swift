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

    /// Many 64-byte blocks (the scanner's delimiter search works a block at a time), every kind
    /// of field, and every chunk size: the records and lines match a plain reference reading.
    @Test(arguments: chunkSizes + [63, 65, 1000])
    func longMixedDataMatchesAReferenceReading(chunkSize: Int) {
        let (text, expected, lines) = Self.mixedCSV(records: 400, seed: 7)
        let result = scan(text, chunkSize: chunkSize)
        #expect(result.records == expected)
        #expect(result.lines == lines)
        #expect(result.problems.isEmpty)
        #expect(result.checkpoint.offset == Int64(text.utf8.count))
    }

    /// Deterministic CSV with plain, empty, long and quoted fields (commas, doubled quotes and
    /// LF, CR or CRLF inside quotes), lines ended by LF, CRLF or CR; with the fields and the
    /// first line of each record as written.
    static func mixedCSV(records: Int, seed: UInt64) -> (String, [[String]], [Int]) {
        var state = seed
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        var text = "", expected: [[String]] = [], lines: [Int] = []
        var line = 1
        for _ in 0..<records {
            lines.append(line)
            var fields: [String] = []
            for index in 0..<(1 + next(12)) {
                if index > 0 { text += "," }
                var field: String
                switch next(6) {
                case 0: field = ""
                case 1: field = String(repeating: "x", count: 1 + next(150))
                case 2, 3: field = "v\(next(100000))"
                default:
                    let breaks = ["\n", "\r\n", "\r"]
                    let lineBreak = breaks[next(3)]
                    field = "q, \"\"\(next(1000))\"\" \(lineBreak)tail" + String(repeating: "y", count: next(80))
                    text += "\"" + field + "\""
                    line += 1
                    field = field.replacingOccurrences(of: "\"\"", with: "\"")
                    fields.append(field)
                    continue
                }
                text += field
                fields.append(field)
            }
            text += ["\n", "\r\n", "\r"][next(3)]
            line += 1
            // A record of one empty field is a blank line, which the scanner skips.
            if fields == [""] { lines.removeLast() } else { expected.append(fields) }
        }
        return (text, expected, lines)
    }
}
