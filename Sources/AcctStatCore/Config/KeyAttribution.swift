/// Puts a signing domain and selector on a record from the configuration that signed it,
/// when the record's own evidence names none.
///
/// PowerMTA signs with "the first key whose domain matches the identity": the identity is
/// the author domain (`header_From` when logged, else the envelope `orig`) or the
/// `dkim-identity`, and a key matches when its domain is the identity's domain or a parent
/// of it. Keys of the record's virtual MTA (or, for a pool, its members in order) come
/// first, then the global keys (UG50 §10.6.2). A recipient domain whose `<domain>` block
/// says `dkim-sign no` is not signed.
public struct KeyAttribution: Sendable {
    public let config: PMTAConfig

    public init(config: PMTAConfig) {
        self.config = config
    }

    /// The key that signed mail from `vmta` with author domain `author` to `recipient`, if any.
    public func key(vmta: String?, author: String?, recipient: String?) -> PMTAConfig.Key? {
        if let recipient, let on = config.signing[recipient] ?? config.signing["*"], !on { return nil }
        var identity = author
        if let configured = recipient.flatMap({ config.identities[$0] }) ?? config.identities["*"], configured.contains("@") {
            identity = String(configured[configured.index(after: configured.lastIndex(of: "@")!)...]).lowercased()
        }
        guard let identity else { return nil }
        var scopes: [String] = []
        if let vmta {
            scopes = config.pools[vmta] ?? [vmta]
        }
        let candidates = scopes.flatMap { scope in config.keys.filter { $0.vmta == scope } } + config.keys.filter { $0.vmta == nil }
        return candidates.first { identity == $0.domain || identity.hasSuffix("." + $0.domain) }
    }
}
