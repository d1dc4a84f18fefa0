import CByteScan

/// The CSV scanner's delimiter search: the stop bytes of a 64-byte block are found at once
/// with SIMD (``byte_scan_block``), and each field then costs a shift and a count of
/// trailing zeros instead of a search of its own. Fields average a dozen bytes, so most
/// blocks serve several fields.
///
/// A value lives for one pass over the buffer: the bytes must not change under it.
struct DelimiterMasks {
    /// Bytes that may be read past any index below the limit: the block holding the last
    /// valid byte is read whole.
    static let readAhead = 64

    private var block = -1
    private var unquoted: UInt64 = 0
    private var quoted: UInt64 = 0

    /// The first index in `start..<limit` whose byte ends an unquoted field (`,` LF CR) or,
    /// with `inQuotes`, matters inside a quoted one (`"` LF CR); `limit` when there is none.
    @inline(__always)
    mutating func next(in bytes: UnsafePointer<UInt8>, from start: Int, limit: Int, inQuotes: Bool) -> Int {
        var base = start & ~63
        var skipped = start & 63
        while base < limit {
            if base != block {
                let masks = byte_scan_block(bytes + base)
                (block, unquoted, quoted) = (base, masks.unquoted, masks.quoted)
            }
            let found = (inQuotes ? quoted : unquoted) >> UInt64(skipped)
            if found != 0 { return min(base + skipped + found.trailingZeroBitCount, limit) }
            base += 64
            skipped = 0
        }
        return limit
    }
}
