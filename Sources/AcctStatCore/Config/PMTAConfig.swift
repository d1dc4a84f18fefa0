import Foundation

/// The DKIM signing setup read from a PowerMTA configuration (`/etc/pmta/config`).
///
/// Understood (UG50 §3, §10.6): `domain-key SELECTOR,DOMAIN,KEYFILE` at global level or in
/// `<virtual-mta NAME>`; the operators' quoted form `dkim-sign domain="…" key-file="…"
/// selector="…"` in `<virtual-mta>`; `<virtual-mta-pool NAME>` members; `<domain NAME>`
/// blocks with `dkim-sign yes|no` and `dkim-identity`; `smtp-source-host IP NAME` (the
/// addresses mail leaves from); `include FILE` (with wildcards);
/// backslash continuations and `#` comments. Unknown directives are ignored. Anything
/// ambiguous is reported with `file:line`, never guessed silently.
public struct PMTAConfig: Sendable {
    /// A signing key and where it applies.
    public struct Key: Equatable, Sendable {
        public var selector: String
        public var domain: String
        public var keyFile: String
        /// The virtual MTA whose block holds it; nil for a global key.
        public var vmta: String?
        /// `file:line` of the directive.
        public var location: String
    }

    /// Something in the configuration that acctstat could not read unambiguously.
    public struct Problem: Equatable, Sendable, CustomStringConvertible {
        public var location: String
        public var message: String
        public var description: String { "\(location): \(message)" }
    }

    public private(set) var keys: [Key] = []
    /// Pool name → member virtual MTAs, in order.
    public private(set) var pools: [String: [String]] = [:]
    /// Recipient domain (or `*`) → whether `dkim-sign` is on for it.
    public private(set) var signing: [String: Bool] = [:]
    /// Recipient domain (or `*`) → `dkim-identity`.
    public private(set) var identities: [String: String] = [:]
    public private(set) var problems: [Problem] = []
    /// The addresses mail leaves from (`smtp-source-host IP HOSTNAME`), lower-cased, in order.
    public private(set) var sourceIPs: [String] = []
    /// Every file read, in order.
    public private(set) var files: [String] = []
    /// A hash of every file's content, to tell configurations apart in the ledger.
    public private(set) var fingerprint = ""
    /// The newest modification time of the files read.
    public private(set) var modified: Int64 = 0

    /// Reads `path` and everything it includes.
    public init(path: String) {
        var hasher = ContentHasher()
        read(path, depth: 0, hasher: &hasher)
        fingerprint = hasher.hex
    }

    private enum Block: Equatable {
        case virtualMTA(String), pool(String), domain(String), other(String)
        var tag: String {
            switch self {
            case .virtualMTA: "virtual-mta"
            case .pool: "virtual-mta-pool"
            case .domain: "domain"
            case .other(let tag): tag
            }
        }
    }

    private mutating func read(_ path: String, depth: Int, hasher: inout ContentHasher) {
        guard depth < 16 else {
            problems.append(Problem(location: path, message: "includes nested too deeply (a loop?); not read"))
            return
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            problems.append(Problem(location: path, message: "cannot read this configuration file"))
            return
        }
        files.append(path)
        hasher.add(Array(data))
        if let attributes = try? FileManager.default.attributesOfItem(atPath: path), let date = attributes[.modificationDate] as? Date {
            modified = max(modified, Int64(date.timeIntervalSince1970))
        }
        var stack: [Block] = []
        for (number, line) in Self.logicalLines(String(decoding: data, as: UTF8.self)) {
            let location = "\(path):\(number)"
            if line.hasPrefix("</") {
                let tag = line.dropFirst(2).prefix(while: { $0 != ">" }).trimmingSpaces.lowercased()
                if stack.last?.tag == tag { stack.removeLast() } else {
                    problems.append(Problem(location: location, message: "</\(tag)> does not close the open block"
                                            + (stack.last.map { " <\($0.tag)>" } ?? "")))
                }
                continue
            }
            if line.hasPrefix("<") {
                guard line.hasSuffix(">") else {
                    problems.append(Problem(location: location, message: "block line without a closing '>'"))
                    continue
                }
                let inner = line.dropFirst().dropLast().trimmingSpaces
                let tag = inner.prefix(while: { !$0.isWhitespace }).lowercased()
                let name = inner.dropFirst(tag.count).trimmingSpaces
                switch tag {
                case "virtual-mta": stack.append(.virtualMTA(name))
                case "virtual-mta-pool": stack.append(.pool(name))
                case "domain": stack.append(.domain(name.lowercased()))
                default: stack.append(.other(tag))
                }
                continue
            }
            let directive = line.prefix(while: { !$0.isWhitespace }).lowercased()
            let value = line.dropFirst(directive.count).trimmingSpaces
            switch directive {
            case "include":
                include(value, relativeTo: path, location: location, depth: depth, hasher: &hasher)
            case "domain-key":
                domainKey(value, in: stack.last, location: location)
            case "dkim-sign":
                dkimSign(value, in: stack.last, location: location)
            case "dkim-identity":
                if case .domain(let domain) = stack.last { identities[domain] = value } else if stack.isEmpty { identities["*"] = value }
            case "virtual-mta":
                if case .pool(let pool) = stack.last { pools[pool, default: []].append(value) }
            case "smtp-source-host":
                if let address = value.split(whereSeparator: \.isWhitespace).first?.lowercased(), !sourceIPs.contains(address) {
                    sourceIPs.append(address)
                }
            default:
                continue
            }
        }
        for block in stack.reversed() {
            problems.append(Problem(location: path, message: "<\(block.tag)> is never closed"))
        }
    }

    private mutating func domainKey(_ value: String, in block: Block?, location: String) {
        let parts = value.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingSpaces }
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else {
            problems.append(Problem(location: location, message: "domain-key needs SELECTOR,DOMAIN,KEYFILE; got '\(value)'"))
            return
        }
        addKey(selector: parts[0], domain: parts[1], keyFile: parts[2], block: block, location: location)
    }

    /// `dkim-sign yes|no`, or the quoted form `dkim-sign domain="…" key-file="…" selector="…"`.
    private mutating func dkimSign(_ value: String, in block: Block?, location: String) {
        let lower = value.lowercased()
        if lower == "yes" || lower == "no" || lower == "true" || lower == "false" {
            let on = lower == "yes" || lower == "true"
            switch block {
            case .domain(let domain): signing[domain] = on
            case nil: signing["*"] = on
            default: break
            }
            return
        }
        let attributes = Self.attributes(value)
        guard let domain = attributes["domain"], let keyFile = attributes["key-file"], let selector = attributes["selector"] else {
            problems.append(Problem(location: location, message: "dkim-sign needs domain=, key-file= and selector=; got '\(value.prefix(120))'"))
            return
        }
        guard case .virtualMTA = block else {
            problems.append(Problem(location: location, message: "dkim-sign with a key belongs in a <virtual-mta> block; ignored here"))
            return
        }
        addKey(selector: selector, domain: domain, keyFile: keyFile, block: block, location: location)
    }

    private mutating func addKey(selector: String, domain: String, keyFile: String, block: Block?, location: String) {
        var vmta: String?
        switch block {
        case nil: vmta = nil
        case .virtualMTA(let name): vmta = name
        default:
            problems.append(Problem(location: location, message: "a key inside <\(block!.tag)> is not understood; ignored"))
            return
        }
        guard let normalized = DomainName.normalize(domain) else {
            problems.append(Problem(location: location, message: "'\(domain)' is not a domain"))
            return
        }
        keys.append(Key(selector: selector.lowercased(), domain: normalized, keyFile: keyFile, vmta: vmta, location: location))
    }

    private mutating func include(_ pattern: String, relativeTo path: String, location: String, depth: Int, hasher: inout ContentHasher) {
        let absolute = pattern.hasPrefix("/") ? pattern : (path as NSString).deletingLastPathComponent + "/" + pattern
        var matches = glob_t()
        defer { globfree(&matches) }
        guard Glibc.glob(absolute, 0, nil, &matches) == 0 else {
            problems.append(Problem(location: location, message: "include \(pattern): no such file"))
            return
        }
        for index in 0..<Int(matches.gl_pathc) {
            if let found = matches.gl_pathv[index] { read(String(cString: found), depth: depth + 1, hasher: &hasher) }
        }
    }

    /// `name="value"` pairs (values may also be unquoted).
    static func attributes(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        var rest = Substring(text)
        while true {
            rest = rest.drop(while: { $0.isWhitespace })
            guard let equals = rest.firstIndex(of: "=") else { break }
            let name = rest[..<equals].trimmingSpaces.lowercased()
            rest = rest[rest.index(after: equals)...]
            let value: Substring
            if rest.first == "\"" {
                value = rest.dropFirst().prefix(while: { $0 != "\"" })
                rest = rest.dropFirst(value.count + 2)
            } else {
                value = rest.prefix(while: { !$0.isWhitespace })
                rest = rest.dropFirst(value.count)
            }
            result[name] = String(value)
        }
        return result
    }

    /// Lines with continuations joined and comments removed, numbered by their first physical line.
    static func logicalLines(_ text: String) -> [(Int, String)] {
        var lines: [(Int, String)] = []
        var pending = ""
        var start = 0
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = String(raw.hasSuffix("\r") ? raw.dropLast() : raw)
            if pending.isEmpty { start = index + 1 }
            line = stripComment(line)
            if line.hasSuffix("\\") {
                pending += line.dropLast() + " "
                continue
            }
            let full = (pending + line).trimmingSpaces
            pending = ""
            if !full.isEmpty { lines.append((start, full)) }
        }
        if !pending.trimmingSpaces.isEmpty { lines.append((start, pending.trimmingSpaces)) }
        return lines
    }

    /// Drops a `#` comment that starts the line or follows white space, outside quotes.
    private static func stripComment(_ line: String) -> String {
        var inQuote = false
        var previous: Character = " "
        for (offset, character) in line.enumerated() {
            if character == "\"" { inQuote.toggle() }
            if character == "#" && !inQuote && previous.isWhitespace { return String(line.prefix(offset)) }
            previous = character
        }
        return line
    }
}

/// FNV-1a over every byte given, for configuration fingerprints.
struct ContentHasher {
    private var hash: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ bytes: [UInt8]) {
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
    }

    var hex: String { String(hash, radix: 16) }
}
