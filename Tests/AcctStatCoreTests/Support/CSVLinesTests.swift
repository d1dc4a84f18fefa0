import Testing
@testable import AcctStatCore

@Suite struct CSVLinesTests {
    /// RFC 4180 quoting, empty fields for NULL, integers as `String(_:)` writes them.
    @Test func fieldsAreQuotedOnlyWhenTheyMustBe() {
        var lines = CSVLines()
        lines.line(["plain", "a,b", "say \"hi\"", "two\nlines", "cr\r", ""] as [String])
        lines.field(nil as String?)
        lines.field(0)
        lines.field(-7)
        lines.field(Int64.max)
        lines.field(Int64.min)
        lines.field(.double(0.85346, decimals: 4))
        lines.field(.null)
        lines.endLine()
        var text = ""
        lines.write(to: { text += $0 }, ifOver: 0)
        #expect(text == "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\r\",\n"
                     + ",0,-7,9223372036854775807,-9223372036854775808,0.8535,\n")
    }

    /// Lines handed on in pieces add up to the same text as one piece, split only between lines.
    @Test func piecesAreWholeLinesAndAddUp() {
        var pieces: [String] = []
        var whole = CSVLines()
        var streamed = CSVLines()
        for number in 0..<5_000 {
            whole.line([.int(Int64(number)), .string("row \(number), quoted")])
            streamed.line([.int(Int64(number)), .string("row \(number), quoted")])
            streamed.write(to: { pieces.append($0) }, ifOver: 1000)
        }
        streamed.write(to: { pieces.append($0) }, ifOver: 0)
        var text = ""
        whole.write(to: { text += $0 }, ifOver: 0)
        #expect(pieces.count > 10)
        #expect(pieces.allSatisfy { $0.hasSuffix("\n") })
        #expect(pieces.joined() == text)
    }
}
