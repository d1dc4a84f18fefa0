import CZlib

/// zlib's inflate over a zip entry's raw deflate data in memory (gzip goes through ``GzipSource``,
/// which has no raw mode). Output beyond `limit` bytes stops it (a zip bomb).
enum Inflate {

    /// zlib's CRC-32 of `bytes`.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { buffer in
            UInt32(CZlib.crc32(0, buffer.baseAddress, uInt(buffer.count)))
        }
    }

    /// Raw deflate data (a zip entry's, method 8).
    static func raw(_ input: ArraySlice<UInt8>, limit: Int) throws(ReportInputError) -> [UInt8] {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer {
            inflateEnd(stream)
            stream.deinitialize(count: 1)
            stream.deallocate()
        }
        guard czlib_inflateInit2(stream, -15) == Z_OK else { throw ReportInputError(.corruptData, "zlib could not start") }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        let bytes = Array(input)
        var consumed = 0
        while true {
            let (status, used, produced, message) = bytes.withUnsafeBufferPointer { inBuffer in
                chunk.withUnsafeMutableBufferPointer { outBuffer in
                    stream.pointee.next_in = UnsafeMutablePointer(mutating: inBuffer.baseAddress.map { $0 + consumed })
                    stream.pointee.avail_in = uInt(bytes.count - consumed)
                    stream.pointee.next_out = outBuffer.baseAddress
                    stream.pointee.avail_out = uInt(outBuffer.count)
                    let status = inflate(stream, Z_NO_FLUSH)
                    return (status, bytes.count - consumed - Int(stream.pointee.avail_in), outBuffer.count - Int(stream.pointee.avail_out),
                            stream.pointee.msg.map { String(cString: $0) })
                }
            }
            consumed += used
            output += chunk[0..<produced]
            if output.count > limit {
                throw ReportInputError(.tooLarge, "zip data inflates beyond \(limit >> 20) MiB (a zip bomb?); not read")
            }
            switch status {
            case Z_STREAM_END:
                return output
            case Z_OK:
                continue
            case Z_BUF_ERROR where consumed >= bytes.count:
                throw ReportInputError(.corruptData, "zip data ends early (cut off?)")
            case Z_BUF_ERROR:
                continue
            default:
                throw ReportInputError(.corruptData, "corrupt zip data (\(message ?? "status \(status)"))")
            }
        }
    }
}
