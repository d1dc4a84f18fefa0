import Testing
@testable import AcctStatCore

/// Both gzip decoders (ISA-L when this machine has it, and zlib) read every kind of gzip input alike.
@Suite struct GzipSourceTests {
    static let decoders = GzipDecoderKind.allCases.filter { $0 == .zlib || GzipDecoderKind.isalAvailable }
    static let text = TestLogs.header + TestLogs.records(0..<4000)

    /// Reads everything, with output buffers of `outputSize` bytes.
    func readAll(_ compressed: [UInt8], decoder: GzipDecoderKind, inputChunk: Int = 1 << 16, outputSize: Int = 1 << 16)
        -> (bytes: [UInt8], ending: SourceEnding) {
        let source = GzipSource(compressed: ChunkedSource(compressed, chunk: inputChunk), decoder: decoder, inputBufferSize: inputChunk)
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: outputSize)
        while true {
            let got = buffer.withUnsafeMutableBytes { source.read(into: $0) }
            if got == 0 { break }
            out += buffer[0..<got]
        }
        return (out, source.ending)
    }

    @Test(arguments: decoders, [(1, 1 << 16), (13, 7), (1 << 17, 1), (4096, 4096)])
    func wholeFileAtAnyBufferSizes(decoder: GzipDecoderKind, sizes: (input: Int, output: Int)) {
        let (bytes, ending) = readAll(TestLogs.gzip(Self.text), decoder: decoder, inputChunk: sizes.input, outputSize: sizes.output)
        #expect(bytes == Array(Self.text.utf8))
        #expect(ending == .clean)
    }

    @Test(arguments: decoders)
    func concatenatedMembersAreOneStream(decoder: GzipDecoderKind) {
        let second = TestLogs.records(4000..<4100)
        let (bytes, ending) = readAll(TestLogs.gzip(Self.text) + TestLogs.gzip(second), decoder: decoder, inputChunk: 997)
        #expect(bytes == Array((Self.text + second).utf8))
        #expect(ending == .clean)
    }

    @Test(arguments: decoders)
    func bytesAfterTheLastMemberAreDamage(decoder: GzipDecoderKind) {
        let (bytes, ending) = readAll(TestLogs.gzip(Self.text) + Array("garbage".utf8), decoder: decoder)
        #expect(bytes == Array(Self.text.utf8))
        #expect(ending == .damaged("unexpected bytes after the end of the gzip data"))
    }

    @Test(arguments: decoders)
    func cutOffDataDeliversWhatCameBefore(decoder: GzipDecoderKind) {
        let gzip = TestLogs.gzip(Self.text)
        let (bytes, ending) = readAll(Array(gzip.prefix(gzip.count / 2)), decoder: decoder)
        #expect(ending == .truncated)
        #expect(bytes.count > 1000 && Array(Self.text.utf8).starts(with: bytes))
    }

    @Test(arguments: decoders)
    func aWrongChecksumIsDamage(decoder: GzipDecoderKind) {
        var gzip = TestLogs.gzip(Self.text)
        gzip[gzip.count - 8] ^= 0xff   // the trailer's CRC-32
        let (_, ending) = readAll(gzip, decoder: decoder)
        #expect(ending == .damaged("corrupt gzip data (incorrect data check)"))
    }

    @Test(arguments: decoders)
    func corruptDeflateDataIsDamage(decoder: GzipDecoderKind) {
        var gzip = TestLogs.gzip(Self.text)
        for index in 20..<60 { gzip[index] = 0xff }
        let (_, ending) = readAll(gzip, decoder: decoder)
        guard case .damaged(let why) = ending else {
            Issue.record("expected damage, got \(ending)")
            return
        }
        #expect(why.hasPrefix("corrupt gzip data ("))
    }
}

/// Hands out bytes in chunks of a fixed size, like a slow pipe.
final class ChunkedSource: ByteSource {
    private let bytes: [UInt8]
    private let chunk: Int
    private var offset = 0
    let ending = SourceEnding.clean
    var inputBytesRead: Int64 { Int64(offset) }

    init(_ bytes: [UInt8], chunk: Int) {
        self.bytes = bytes
        self.chunk = chunk
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let count = min(buffer.count, chunk, bytes.count - offset)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: count) }
        offset += count
        return count
    }
}
