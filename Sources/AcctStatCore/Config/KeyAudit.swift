/// `acctstat keys`: every key in the PowerMTA configuration, what to publish in DNS, what is
/// wrong with it, and how much mail it signed according to the logs.
public struct KeyAudit: Sendable {
    public struct Entry: Sendable {
        public var domain: String
        public var selector: String
        /// The key file, or nil for a selector seen in the logs with no key in the configuration.
        public var keyFile: String?
        /// Virtual MTAs using it; `*` for a global key.
        public var vmtas: [String]
        public var file: DKIMKeyFile?
        public var firstSeen: Int64?
        public var lastSeen: Int64?
        public var volume: Int64
        public var warnings: [String]

        public var dnsName: String { "\(selector)._domainkey.\(domain)" }
        public var txtRecord: String? { file?.txtRecord(selector: selector, domain: domain) }
    }

    public var entries: [Entry]
    public var configProblems: [PMTAConfig.Problem]

    public static let columns = ["domain", "selector", "key_file", "vmtas", "key_type", "bits", "mode", "owner", "group", "dns_name",
                                 "txt_record", "first_seen", "last_seen", "volume", "warnings"]

    /// Audits `config`, joined with the logs in `store` when there is one.
    public static func audit(config: PMTAConfig, store: AccountingStore?) throws -> KeyAudit {
        var seen: [String: (first: Int64, last: Int64, volume: Int64)] = [:]
        if let store {
            for row in try store.query(QueryCatalog.sql("keys"), arguments: []).rows {
                seen[(row[0].string ?? "") + "/" + (row[1].string ?? "")] = (row[2].int ?? 0, row[3].int ?? 0, row[4].int ?? 0)
            }
        }
        var entries: [Entry] = []
        var index: [String: Int] = [:]
        var files: [String: DKIMKeyFile] = [:]
        for key in config.keys {
            let id = key.domain + "/" + key.selector + "|" + key.keyFile
            let vmta = key.vmta ?? "*"
            if let existing = index[id] {
                if !entries[existing].vmtas.contains(vmta) { entries[existing].vmtas.append(vmta) }
                continue
            }
            let file = files[key.keyFile] ?? DKIMKeyFile.read(key.keyFile)
            files[key.keyFile] = file
            let usage = seen[key.domain + "/" + key.selector]
            index[id] = entries.count
            entries.append(Entry(domain: key.domain, selector: key.selector, keyFile: key.keyFile, vmtas: [vmta], file: file,
                                 firstSeen: usage?.first, lastSeen: usage?.last, volume: usage?.volume ?? 0,
                                 warnings: warnings(file)))
        }
        // Two keys published under one name: receivers can only see one of them.
        let byName = Dictionary(grouping: entries.indices, by: { entries[$0].dnsName })
        for (name, positions) in byName where Set(positions.compactMap { entries[$0].file?.publicKey ?? entries[$0].keyFile }).count > 1 {
            for position in positions {
                entries[position].warnings.append("\(name) has \(positions.count) keys with different contents in the configuration")
            }
        }
        let configured = Set(entries.map { $0.domain + "/" + $0.selector })
        for (name, usage) in seen.sorted(by: { $0.key < $1.key }) where !configured.contains(name) {
            let parts = name.split(separator: "/", maxSplits: 1).map(String.init)
            entries.append(Entry(domain: parts[0], selector: parts.count > 1 ? parts[1] : "", keyFile: nil, vmtas: [], file: nil,
                                 firstSeen: usage.first, lastSeen: usage.last, volume: usage.volume,
                                 warnings: ["seen in the logs, but no key in the configuration signs with this selector"]))
        }
        return KeyAudit(entries: entries, configProblems: config.problems)
    }

    static func warnings(_ file: DKIMKeyFile) -> [String] {
        var warnings: [String] = []
        if let error = file.error { warnings.append(error) }
        if file.type == .rsa, let bits = file.bits {
            if bits < 1024 {
                warnings.append("\(bits)-bit RSA key: receivers ignore keys under 1024 bits (RFC 8301)")
            } else if bits < 2048 {
                warnings.append("\(bits)-bit RSA key: below today's recommendation of 2048 bits")
            }
        }
        if let mode = file.mode, mode & 0o007 != 0 {
            warnings.append("private key readable by others (mode \(String(mode, radix: 8)); the usual setup is 640 root:pmta)")
        }
        return warnings
    }

    /// The machine-readable rows, times in `zone`.
    public func rows(zone: ReportTimeZone) -> [[JSONValue]] {
        entries.map { entry in
            let file = entry.file
            func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
            return [.string(entry.domain), .string(entry.selector), text(entry.keyFile), .string(entry.vmtas.joined(separator: " ")),
                    text(file?.type?.rawValue), file?.bits.map { .int(Int64($0)) } ?? .null,
                    text(file?.mode.map { String($0, radix: 8) }), text(file?.owner), text(file?.group), .string(entry.dnsName),
                    text(entry.txtRecord), text(entry.firstSeen.map(zone.iso)), text(entry.lastSeen.map(zone.iso)), .int(entry.volume),
                    .string(entry.warnings.joined(separator: "; "))]
        }
    }

    public func csv(zone: ReportTimeZone) -> String {
        CSVWriter.table(Self.columns, rows(zone: zone))
    }

    public func json(zone: ReportTimeZone) -> String {
        JSONValue.object([
            ("tz", .string(zone.name)),
            ("keys", .array(rows(zone: zone).map { .object(Array(zip(Self.columns, $0))) })),
            ("config_problems", .array(configProblems.map { .string($0.description) })),
        ]).pretty()
    }

    public func text(zone: ReportTimeZone, style: TerminalStyle) -> String {
        guard !entries.isEmpty else { return "No DKIM keys in the configuration, and no selectors in the logs.\n" }
        var table = TextTable(headers: ["DOMAIN", "SELECTOR", "TYPE", "BITS", "MODE", "OWNER", "VMTAS", "FIRST SEEN", "LAST SEEN", "VOLUME"],
                              alignments: [.left, .left, .left, .right, .left, .left, .left, .left, .left, .right],
                              priorities: [100, 99, 80, 90, 70, 60, 50, 40, 45, 85])
        for entry in entries {
            let file = entry.file
            table.rows.append([entry.domain, entry.selector, file?.type?.rawValue ?? "-", file?.bits.map(String.init) ?? "-",
                               file?.mode.map { String($0, radix: 8) } ?? "-",
                               file.map { "\($0.owner ?? "?"):\($0.group ?? "?")" } ?? "-",
                               entry.keyFile == nil ? "(no key)" : entry.vmtas.joined(separator: " "),
                               entry.firstSeen.map(zone.iso) ?? "-", entry.lastSeen.map(zone.iso) ?? "-", grouped(entry.volume)])
        }
        var text = style.bold("DKIM keys") + " (times in \(zone.name))\n" + table.rendered(width: style.width)
        for entry in entries {
            text += "\n\(entry.domain)/\(entry.selector)" + (entry.keyFile.map { "  \($0)" } ?? "") + "\n"
            if let txt = entry.txtRecord { text += "  \(txt)\n" }
            for warning in entry.warnings { text += "  " + (style.ascii ? "WARNING " : "⚠ ") + warning + "\n" }
        }
        if !configProblems.isEmpty {
            text += "\nConfiguration problems:\n" + configProblems.map { "  \($0)" }.joined(separator: "\n") + "\n"
        }
        return text
    }
}
