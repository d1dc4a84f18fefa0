/// Finding byte strings in whole documents (reports, mails), where ``ByteSearch``'s few-byte scan does not fit.
enum ByteText {
    /// The index of the first `needle` in `bytes` at or after `start`.
    static func firstIndex(of needle: [UInt8], in bytes: [UInt8], from start: Int = 0) -> Int? {
        guard let first = needle.first, start >= 0 else { return nil }
        var index = start
        let last = bytes.count - needle.count
        while index <= last {
            guard let candidate = bytes[index...last].firstIndex(of: first) else { return nil }
            if bytes[candidate..<(candidate + needle.count)].elementsEqual(needle) { return candidate }
            index = candidate + 1
        }
        return nil
    }

    /// The index of the last `needle` in `bytes` that starts at or after `start`.
    static func lastIndex(of needle: [UInt8], in bytes: [UInt8], from start: Int = 0) -> Int? {
        var found: Int?
        var cursor = start
        while let next = firstIndex(of: needle, in: bytes, from: cursor) {
            found = next
            cursor = next + 1
        }
        return found
    }
}
