/// Reads the XML documents out of a zip archive in memory (how many reporters send DMARC
/// reports), through its central directory (PKWARE APPNOTE 4.3.12, 4.3.16), checking each
/// entry's CRC-32 and size.
enum ZipArchive {
    /// The XML entries (by name, `.xml`), or the only entry when none is named so; each inflated
    /// to at most `limit` bytes.
    static func xmlEntries(of bytes: [UInt8], limit: Int) throws(ReportInputError) -> [(name: String, bytes: [UInt8])] {
        guard let directoryEnd = endOfCentralDirectory(in: bytes) else {
            throw ReportInputError(.corruptData, "truncated or damaged zip: no end of central directory record")
        }
        let entryCount = Int(uint16(bytes, directoryEnd + 10))
        var offset = Int(uint32(bytes, directoryEnd + 16))
        var entries: [(name: String, method: UInt16, flags: UInt16, crc: UInt32, size: Int, compressedSize: Int, local: Int)] = []
        for _ in 0..<entryCount {
            guard offset + 46 <= bytes.count, uint32(bytes, offset) == 0x0201_4b50 else {
                throw ReportInputError(.corruptData, "damaged zip: its central directory is cut off or overwritten")
            }
            let nameLength = Int(uint16(bytes, offset + 28))
            let skip = 46 + nameLength + Int(uint16(bytes, offset + 30)) + Int(uint16(bytes, offset + 32))
            guard offset + skip <= bytes.count else { throw ReportInputError(.corruptData, "damaged zip: an entry is cut off") }
            let name = String(decoding: bytes[(offset + 46)..<(offset + 46 + nameLength)], as: UTF8.self)
            entries.append((name, uint16(bytes, offset + 10), uint16(bytes, offset + 8), uint32(bytes, offset + 16),
                            Int(uint32(bytes, offset + 24)), Int(uint32(bytes, offset + 20)), Int(uint32(bytes, offset + 42))))
            offset += skip
        }
        let files = entries.filter { !$0.name.hasSuffix("/") }
        let xml = files.filter { $0.name.lowercased().hasSuffix(".xml") }
        var documents: [(name: String, bytes: [UInt8])] = []
        for entry in xml.isEmpty && files.count == 1 ? files : xml {
            if entry.flags & 1 != 0 { throw ReportInputError(.corruptData, "zip entry \(entry.name) is encrypted") }
            if entry.size > limit {
                throw ReportInputError(.tooLarge, "zip entry \(entry.name) says it inflates to \(entry.size) bytes, beyond \(limit >> 20) MiB; not read")
            }
            let local = entry.local
            guard local + 30 <= bytes.count, uint32(bytes, local) == 0x0403_4b50 else {
                throw ReportInputError(.corruptData, "damaged zip: entry \(entry.name) has no local header")
            }
            let dataStart = local + 30 + Int(uint16(bytes, local + 26)) + Int(uint16(bytes, local + 28))
            guard dataStart + entry.compressedSize <= bytes.count else {
                throw ReportInputError(.corruptData, "truncated zip: entry \(entry.name) is cut off")
            }
            let data = bytes[dataStart..<(dataStart + entry.compressedSize)]
            let inflated: [UInt8]
            switch entry.method {
            case 0: inflated = Array(data)
            case 8: inflated = try Inflate.raw(data, limit: limit)
            default: throw ReportInputError(.corruptData, "zip entry \(entry.name) uses compression method \(entry.method), which acctstat cannot read")
            }
            guard inflated.count == entry.size, Inflate.crc32(inflated) == entry.crc else {
                throw ReportInputError(.corruptData, "damaged zip: entry \(entry.name) fails its CRC-32 or size check")
            }
            documents.append((entry.name, inflated))
        }
        return documents
    }

    /// The name of the first entry, from the local header at the start (readable even when the
    /// archive is cut off before its central directory).
    static func firstEntryName(head: [UInt8]) -> String? {
        guard head.count >= 30, uint32(head, 0) == 0x0403_4b50 else { return nil }
        let length = Int(uint16(head, 26))
        guard 30 + length <= head.count else { return nil }
        return String(decoding: head[30..<(30 + length)], as: UTF8.self)
    }

    private static func endOfCentralDirectory(in bytes: [UInt8]) -> Int? {
        guard bytes.count >= 22 else { return nil }
        var offset = bytes.count - 22
        let lowest = max(0, bytes.count - 22 - 0xFFFF)
        while offset >= lowest {
            if uint32(bytes, offset) == 0x0605_4b50 { return offset }
            offset -= 1
        }
        return nil
    }

    private static func uint16(_ bytes: [UInt8], _ offset: Int) -> UInt16 {
        UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    private static func uint32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }
}
