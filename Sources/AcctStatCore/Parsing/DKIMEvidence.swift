/// A DKIM result, as RFC 8601 §2.7.1 names them, plus `unknown` for "no evidence".
///
/// `unknown` is not a result any receiver reports: it means acctstat found nothing
/// about DKIM in the record. A delivered (`d`) record with no verdict is `unknown`,
/// never `pass`.
public enum DKIMResult: String, CaseIterable, Sendable, Codable {
    case pass, fail, neutral, policy, temperror, permerror, none, unknown

    /// Parses a result word in any case; nil for anything else. Yahoo writes its own spellings
    /// in Authentication-Results: `perm_fail` (the signature did not verify) and `temp_fail`.
    public init?(word: Substring) {
        switch word.lowercased() {
        case "perm_fail", "permfail", "hardfail": self = .fail
        case "temp_fail", "tempfail": self = .temperror
        case let lowered:
            self.init(rawValue: lowered)
            if self == .unknown { return nil }
        }
    }
}

/// Why a record did not pass, with the canonical names used in every output.
public enum FailureCause: String, CaseIterable, Sendable, Codable {
    case bodyHash = "body-hash"
    case badSignature = "bad-signature"
    case expired
    case noKey = "no-key"
    case revoked
    case weakKey = "weak-key"
    case dns
    case syntax
    case unsigned
    case receiverDKIM = "receiver-dkim"
    case receiverDMARC = "receiver-dmarc"
    case receiverAuth = "receiver-auth"
    case other
}

/// Where a record's DKIM verdict came from.
public enum EvidenceSource: String, CaseIterable, Sendable, Codable {
    /// A verdict column (`dkim`, `header_Authentication-Results`, …).
    case column
    /// The receiver's SMTP reply in `dsnDiag`, for `b`, `t` and `rb` records.
    case reply
    /// Nothing: the result is `unknown`.
    case none
}

/// Everything acctstat concluded about one record's DKIM.
public struct Evidence: Equatable, Sendable {
    public var result: DKIMResult
    public var cause: FailureCause?
    public var signingDomain: String?
    public var selector: String?
    public var source: EvidenceSource
    /// The receiver's reason text (a comment or `reason=`), when there was one.
    public var reason: String?

    public init(result: DKIMResult, cause: FailureCause? = nil, signingDomain: String? = nil, selector: String? = nil,
                source: EvidenceSource, reason: String? = nil) {
        self.result = result
        self.cause = cause
        self.signingDomain = signingDomain
        self.selector = selector
        self.source = source
        self.reason = reason
    }

    /// No evidence at all.
    public static let unknown = Evidence(result: .unknown, source: .none)
}

/// Where a record's signing domain and selector came from.
public enum KeySource: String, CaseIterable, Sendable, Codable {
    /// The record itself: a verdict column, DKIM-Signature, X-DKIM-Options or ARF fields.
    case evidence
    /// The PowerMTA configuration that signed it (`--pmta-config`).
    case config
    /// Nowhere: unknown.
    case none
}
