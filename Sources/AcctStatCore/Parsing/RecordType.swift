/// The PowerMTA record types acctstat knows.
public enum RecordType: String, CaseIterable, Sendable, Codable {
    case delivered = "d"
    case bounce = "b"
    case transient = "t"
    case transientQueue = "tq"
    case receipt = "r"
    case feedbackLoop = "f"
    case remoteBounce = "rb"
    case remoteStatus = "rs"

    /// Reads the `type` field; nil for an unknown code.
    @inline(__always)
    public init?(bytes: UnsafeRawBufferPointer) {
        switch bytes.count {
        case 1:
            switch bytes[0] | 0x20 {
            case UInt8(ascii: "d"): self = .delivered
            case UInt8(ascii: "b"): self = .bounce
            case UInt8(ascii: "t"): self = .transient
            case UInt8(ascii: "r"): self = .receipt
            case UInt8(ascii: "f"): self = .feedbackLoop
            default: return nil
            }
        case 2:
            switch (bytes[0] | 0x20, bytes[1] | 0x20) {
            case (UInt8(ascii: "t"), UInt8(ascii: "q")): self = .transientQueue
            case (UInt8(ascii: "r"), UInt8(ascii: "b")): self = .remoteBounce
            case (UInt8(ascii: "r"), UInt8(ascii: "s")): self = .remoteStatus
            default: return nil
            }
        default:
            return nil
        }
    }

    /// Types whose `dsnDiag` holds the receiver's own reply, which can carry an authentication rejection.
    public var carriesReceiverReply: Bool {
        self == .bounce || self == .transient || self == .remoteBounce
    }

    /// Types that name a recipient; `tq` is per queue and has none.
    public var hasRecipient: Bool { self != .transientQueue }
}
