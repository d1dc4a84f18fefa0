/// Finds the first of a few byte values, eight bytes at a time (SWAR: SIMD within a register).
///
/// The verdict key, signature tags and reply redaction look for the next of a few bytes in
/// short texts (the CSV scanner, over whole buffers, uses ``DelimiterMasks``).
/// For each 8-byte word, `x ^ pattern` has a zero byte where the word holds the value, and
/// `(v - 0x01…01) & ~v & 0x80…80` flags zero bytes. Its lowest flag is always exact (a
/// borrow only flags bytes above a real zero), which is all a forward search needs.
struct ByteSearch {
    private let first: UInt64
    private let second: UInt64
    private let third: UInt64
    private let fourth: UInt64
    private let values: (UInt8, UInt8, UInt8, UInt8)

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Searches for any of one to four bytes.
    init(_ bytes: UInt8...) {
        precondition((1...4).contains(bytes.count), "ByteSearch takes one to four bytes")
        let padded = bytes + Array(repeating: bytes[0], count: 4 - bytes.count)
        first = UInt64(padded[0]) &* Self.ones
        second = UInt64(padded[1]) &* Self.ones
        third = UInt64(padded[2]) &* Self.ones
        fourth = UInt64(padded[3]) &* Self.ones
        values = (padded[0], padded[1], padded[2], padded[3])
    }

    /// The index of the first matching byte in `bytes[start..<end]`, or `end`.
    @inline(__always)
    func firstIndex(in bytes: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int {
        var index = start
        while index + 8 <= end {
            let word = UnsafeRawPointer(bytes + index).loadUnaligned(as: UInt64.self)
            let found = Self.zeroBytes(word ^ first) | Self.zeroBytes(word ^ second) | Self.zeroBytes(word ^ third)
                | Self.zeroBytes(word ^ fourth)
            if found != 0 { return index + found.trailingZeroBitCount >> 3 }
            index += 8
        }
        while index < end {
            let byte = bytes[index]
            if byte == values.0 || byte == values.1 || byte == values.2 || byte == values.3 { return index }
            index += 1
        }
        return end
    }

    /// The index of the first matching byte in `buffer[start..<end]`, or `end`.
    @inline(__always)
    func firstIndex(in buffer: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Int {
        guard start < end, let base = buffer.baseAddress else { return end }
        return firstIndex(in: base.assumingMemoryBound(to: UInt8.self), from: start, to: end)
    }

    @inline(__always)
    private static func zeroBytes(_ value: UInt64) -> UInt64 {
        (value &- ones) & ~value & highs
    }
}

extension UnsafeRawBufferPointer {
    /// The index of the last `byte`, eight bytes at a time from the end (the recipient's last `@`).
    /// The zero-byte flags here are exact (no borrow crosses a byte), so the highest one is the match.
    func lastIndex(ofByte byte: UInt8) -> Int? {
        let pattern = UInt64(byte) &* 0x0101_0101_0101_0101
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        var end = count
        while end >= 8 {
            let word = loadUnaligned(fromByteOffset: end - 8, as: UInt64.self) ^ pattern
            let zeros = ~(((word & low7) &+ low7) | word | low7)
            if zeros != 0 { return end - 8 + (63 - zeros.leadingZeroBitCount) >> 3 }
            end -= 8
        }
        while end > 0 {
            end -= 1
            if self[end] == byte { return end }
        }
        return nil
    }
}
