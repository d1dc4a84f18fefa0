/// The mailbox provider that runs a receiving MX, read from the record itself: `dsnMta`
/// (`gmail-smtp-in.l.google.com (142.250.1.27)`), or else the provider's mark in the reply
/// (Google's `gsmtp`, Microsoft's `….prod.outlook.com`).
///
/// Most B2B mail goes to custom domains hosted by Google Workspace or Microsoft 365, whose
/// recipient domains name no provider: the MX does. `report --by provider` counts a record under
/// its MX's provider, and under the recipient domain's (`data/providers.txt`) only when the record
/// names no MX this list knows. Each case's name is the provider's name in `data/providers.txt`.
public enum MailboxHost: String, CaseIterable, Sendable {
    case google, microsoft, yahoo, apple, zoho, proton, fastmail, yandex, gmx, mailru

    /// The provider's name, as `data/providers.txt` spells it.
    public var providerName: String {
        switch self {
        case .google: "Google"
        case .microsoft: "Microsoft"
        case .yahoo: "Yahoo"
        case .apple: "Apple"
        case .zoho: "Zoho"
        case .proton: "Proton"
        case .fastmail: "Fastmail"
        case .yandex: "Yandex"
        case .gmx: "GMX/Web.de"
        case .mailru: "Mail.ru"
        }
    }

    /// MX host names end with one of these (after a dot, or whole).
    static let mxSuffixes: [(suffix: String, host: MailboxHost)] = [
        ("google.com", .google), ("googlemail.com", .google),
        ("protection.outlook.com", .microsoft), ("outlook.com", .microsoft), ("hotmail.com", .microsoft),
        ("yahoodns.net", .yahoo),
        ("icloud.com", .apple), ("me.com", .apple),
        ("zoho.com", .zoho), ("zoho.eu", .zoho), ("zohomail.com", .zoho),
        ("protonmail.ch", .proton), ("proton.ch", .proton),
        ("messagingengine.com", .fastmail),
        ("yandex.net", .yandex), ("yandex.ru", .yandex),
        ("gmx.net", .gmx), ("web.de", .gmx), ("gmx.com", .gmx),
        ("mail.ru", .mailru),
    ]

    /// The provider of an MX host name (any case, a trailing dot allowed); nil for one this list does not know.
    public init?(mxHost: some StringProtocol) {
        var host = mxHost.lowercased()
        if host.hasSuffix(".") { host.removeLast() }
        guard let found = Self.mxSuffixes.first(where: { host == $0.suffix || host.hasSuffix("." + $0.suffix) }) else { return nil }
        self = found.host
    }

    /// The host name at the start of a `dsnMta` value: `mx.example.com (192.0.2.1)` gives `mx.example.com`.
    static func hostName(ofDSNMta bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var end = 0
        while end < bytes.count, bytes[end] != UInt8(ascii: " "), bytes[end] != UInt8(ascii: "(") { end += 1 }
        return UnsafeRawBufferPointer(rebasing: bytes[0..<end])
    }

    /// The provider whose mark a reply carries: Google's `gsmtp`, Microsoft's `prod.outlook.com`
    /// host names; nil for none.
    public init?(reply: String) {
        let lower = reply.lowercased()
        if lower.hasSuffix("gsmtp") || lower.contains(" gsmtp") { self = .google; return }
        if lower.contains(".prod.outlook.com") || lower.contains(".protection.outlook.com") { self = .microsoft; return }
        return nil
    }
}
