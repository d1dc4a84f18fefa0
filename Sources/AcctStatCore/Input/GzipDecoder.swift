import CFastInflate
import CZlib

/// Which library inflates gzip input.
public enum GzipDecoderKind: String, CaseIterable, Sendable {
    /// Intel ISA-L, loaded at run time from libisal.so.2; zlib when it is missing.
    case isal
    /// zlib, always present.
    case zlib

    /// ISA-L when it can be loaded (unless `ACCTSTAT_INFLATE=zlib` is set), else zlib.
    public static var preferred: GzipDecoderKind { isalAvailable ? .isal : .zlib }

    /// True when ISA-L was found at build time and loads now.
    public static let isalAvailable: Bool = {
        guard let decoder = fast_inflate_create() else { return false }
        fast_inflate_destroy(decoder)
        return true
    }()
}

/// One step of a ``GzipDecoder``.
struct DecodeStep {
    enum Status: Equatable {
        /// Input was consumed or output produced; call again.
        case progress
        /// The gzip member ended, with its CRC-32 and length verified.
        case memberEnd
        /// The data cannot be decoded.
        case failed(String)
    }

    var consumed: Int
    var produced: Int
    var status: Status
}

/// Decodes one gzip member at a time (header, deflate data, checked trailer).
protocol GzipDecoder: AnyObject {
    /// Why the decoder could not start, if it could not.
    var startupFailure: String? { get }
    /// Decodes what it can of `input` into `output`.
    func step(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> DecodeStep
    /// Starts a new member.
    func reset()
}

/// zlib's inflate. The `z_stream` lives at a stable heap address: zlib keeps pointers into it.
final class ZlibDecoder: GzipDecoder {
    private let stream: UnsafeMutablePointer<z_stream>
    let startupFailure: String?

    init() {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // Window bits 15 + 32: zlib detects the gzip header itself.
        startupFailure = czlib_inflateInit2(stream, 15 + 32) == Z_OK ? nil : "zlib could not start"
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    func step(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> DecodeStep {
        let inputCount = min(input.count, Int(UInt32.max))
        let outputCount = min(output.count, Int(UInt32.max))
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(inputCount)
        stream.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = uInt(outputCount)
        let result = inflate(stream, Z_NO_FLUSH)
        let consumed = inputCount - Int(stream.pointee.avail_in)
        let produced = outputCount - Int(stream.pointee.avail_out)
        switch result {
        case Z_OK, Z_BUF_ERROR:
            return DecodeStep(consumed: consumed, produced: produced, status: .progress)
        case Z_STREAM_END:
            return DecodeStep(consumed: consumed, produced: produced, status: .memberEnd)
        default:
            let message = stream.pointee.msg.map { String(cString: $0) } ?? "status \(result)"
            return DecodeStep(consumed: consumed, produced: produced, status: .failed(message))
        }
    }

    func reset() {
        inflateReset(stream)
    }
}

/// Intel ISA-L's inflate, through the `CFastInflate` shim.
final class ISALDecoder: GzipDecoder {
    private let decoder: OpaquePointer
    let startupFailure: String? = nil

    /// Nil when ISA-L is not available.
    init?() {
        guard GzipDecoderKind.isalAvailable, let decoder = fast_inflate_create() else { return nil }
        self.decoder = decoder
    }

    deinit {
        fast_inflate_destroy(decoder)
    }

    func step(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> DecodeStep {
        var consumed = 0
        var produced = 0
        let status = fast_inflate_step(decoder, input.baseAddress?.assumingMemoryBound(to: UInt8.self), input.count, &consumed,
                                       output.baseAddress?.assumingMemoryBound(to: UInt8.self), output.count, &produced)
        switch status {
        case FAST_INFLATE_OK:
            return DecodeStep(consumed: consumed, produced: produced, status: .progress)
        case FAST_INFLATE_MEMBER_END:
            return DecodeStep(consumed: consumed, produced: produced, status: .memberEnd)
        default:
            return DecodeStep(consumed: consumed, produced: produced, status: .failed(String(cString: fast_inflate_error(status))))
        }
    }

    func reset() {
        fast_inflate_reset(decoder)
    }
}
