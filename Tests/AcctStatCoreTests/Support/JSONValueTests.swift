import Testing
@testable import AcctStatCore

@Suite struct JSONValueTests {
    /// A streamed document (`acctstat export --format json`) is byte for byte what the whole
    /// value prints, with no rows, one, or several.
    @Test(arguments: [0, 1, 3])
    func streamedObjectMatchesThePrettyWhole(rows: Int) throws {
        let members: [(String, JSONValue)] = [("window", .object([("from", .string("a")), ("to", .null)])), ("tz", .string("UTC"))]
        let elements: [JSONValue] = (0..<rows).map { .object([("n", .int(Int64($0))), ("list", .array([.bool(true), .double(0.5, decimals: 2)]))]) }
        var streamed = ""
        try JSONValue.writePretty(members, then: "rows", to: { streamed += $0 }) { append in
            for element in elements { try append(element) }
        }
        #expect(streamed == JSONValue.object(members + [("rows", .array(elements))]).pretty())
        var array = ""
        try JSONValue.writePretty(to: { array += $0 }) { append in
            for element in elements { try append(element) }
        }
        #expect(array == JSONValue.array(elements).pretty())
    }

    /// Texts are escaped where JSON needs it (and `<`, so a page can embed them), whichever way
    /// they are copied: whole when nothing needs escaping, scalar by scalar otherwise.
    @Test func stringsAreEscapedExactly() {
        #expect(JSONValue.string("gmail.com").rendered() == #""gmail.com""#)
        #expect(JSONValue.string("bücher.de ✓").rendered() == #""bücher.de ✓""#)
        #expect(JSONValue.string("say \"hi\"\\").rendered() == #""say \"hi\"\\""#)
        #expect(JSONValue.string("a<b").rendered() == #""a\u003cb""#)
        #expect(JSONValue.string("line\nnext\r\t\u{01}\u{1f}ü").rendered() == #""line\nnext\r\t\u0001\u001fü""#)
        #expect(JSONValue.string("").rendered() == "\"\"")
    }
}
