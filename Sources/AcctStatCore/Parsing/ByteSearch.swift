import CByteScan

/// Finds the first of a few byte values, 16 bytes at a time (``byte_scan_first_of4``: SSE2, inlined).
///
/// The verdict key, signature tags and reply redaction look for the next of a few bytes in
/// short texts (the CSV scanner, over whole buffers, uses ``DelimiterMasks``).
struct ByteSearch {
    private let values: (UInt8, UInt8, UInt8, UInt8)

    /// Searches for any of one to four bytes.
    init(_ bytes: UInt8...) {
        precondition((1...4).contains(bytes.count), "ByteSearch takes one to four bytes")
        let padded = bytes + Array(repeating: bytes[0], count: 4 - bytes.count)
        values = (padded[0], padded[1], padded[2], padded[3])
    }

    /// The index of the first matching byte in `bytes[start..<end]`, or `end`.
    @inline(__always)
    func firstIndex(in bytes: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int {
        guard start < end else { return end }
        return start + byte_scan_first_of4(bytes + start, end - start, values.0, values.1, values.2, values.3)
    }

    /// The index of the first matching byte in `buffer[start..<end]`, or `end`.
    @inline(__always)
    func firstIndex(in buffer: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Int {
        guard start < end, let base = buffer.baseAddress else { return end }
        return firstIndex(in: base.assumingMemoryBound(to: UInt8.self), from: start, to: end)
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
