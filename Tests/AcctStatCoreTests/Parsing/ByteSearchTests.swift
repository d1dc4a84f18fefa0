import Testing
@testable import AcctStatCore

@Suite struct ByteSearchTests {
    /// The 16-bytes-at-a-time search finds exactly what a byte-by-byte loop finds, at every
    /// alignment and length (blocks and a tail), among bytes next to the ones sought and with the
    /// high bit set.
    @Test func agreesWithAPlainLoop() {
        let search = ByteSearch(UInt8(ascii: ","), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\""))
        let alphabet: [UInt8] = [0x00, 0x01, 0x2b, 0x2c, 0x2d, 0x0a, 0x0d, 0x0c, 0x22, 0x80, 0x81, 0xac, 0xff, 0x61]
        var random = SeededRandom(seed: 7)
        for _ in 0..<3000 {
            let bytes = (0..<random.next(80)).map { _ in
                random.next(12) == 0 ? alphabet[random.next(alphabet.count)] : UInt8(ascii: "a") + UInt8(random.next(26))
            }
            let start = bytes.isEmpty ? 0 : random.next(bytes.count)
            let expected = bytes[start...].firstIndex { $0 == 0x2c || $0 == 0x0a || $0 == 0x0d || $0 == 0x22 } ?? bytes.count
            let found = bytes.withUnsafeBytes { search.firstIndex(in: $0, from: start, to: bytes.count) }
            #expect(found == expected, "\(bytes) from \(start)")
        }
    }

    /// The backward search finds the last `@` a byte loop finds, with bytes around it that trip
    /// borrow-based tricks (0x3f, 0x40 ± 0x80, 0x00), at every length and alignment.
    @Test func lastIndexAgreesWithAPlainLoop() {
        let alphabet: [UInt8] = [0x00, 0x01, 0x3f, 0x40, 0x41, 0xc0, 0xbf, 0x80, 0xff, 0x7f]
        var random = SeededRandom(seed: 11)
        for _ in 0..<3000 {
            let bytes = (0..<random.next(40)).map { _ in
                random.next(3) == 0 ? alphabet[random.next(alphabet.count)] : UInt8(ascii: "a") + UInt8(random.next(26))
            }
            let found = bytes.withUnsafeBytes { $0.lastIndex(ofByte: UInt8(ascii: "@")) }
            #expect(found == bytes.lastIndex(of: UInt8(ascii: "@")), "\(bytes)")
        }
    }
}

