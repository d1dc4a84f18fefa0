/// `acctstat metrics`: the database in Prometheus's text exposition format, for node_exporter's
/// textfile collector.
///
/// Label values are bounded whatever the data: providers come from the provider table, and only
/// signing domains and selectors seen in the last 30 days (before the newest record) are named;
/// the rest fold into `other`, unknown ones are `unknown`. So 30,000 recipient domains give a few
/// hundred series at most. See https://prometheus.io/docs/instrumenting/exposition_formats/.
public enum Metrics {
    /// Selectors seen within this long before the newest record keep their own labels.
    public static let recentSelectors: Int64 = 30 * 86400

    public static func render(store: AccountingStore, providers: ProviderTable) throws -> String {
        let names = try store.namesById()
        let state = try store.query(QueryCatalog.sql("metrics_state"), arguments: []).rows.first
        let newest = state?[0].int ?? 0, lastIngest = state?[1].int ?? 0
        let spans = try store.signingKeySpans()
        let recent = Set(spans.filter { $0.lastSeen >= newest - recentSelectors }.map { ReportTally.GroupID($0.signingDomain, $0.selector) })

        struct Labels: Hashable { var provider, signingDomain, selector, result, source: String }
        var records: [Labels: Int64] = [:]
        var providerOf: [Int64: String] = [:]
        try store.forEachRow(QueryCatalog.sql("metrics"), named: [:]) { row in
            let domain = row.int(0), signingDomain = row.int(1), selector = row.int(2)
            let provider = providerOf[domain] ?? {
                let name = providers.provider(of: domain == 0 ? nil : names[domain])
                providerOf[domain] = name
                return name
            }()
            let named = recent.contains(ReportTally.GroupID(signingDomain, selector))
            func label(_ id: Int64) -> String { id == 0 ? "unknown" : named ? names[id] ?? "unknown" : "other" }
            let labels = Labels(provider: provider, signingDomain: label(signingDomain), selector: label(selector),
                                result: DKIMResult(code: row.int(3))?.rawValue ?? "unknown",
                                source: EvidenceSource(code: row.int(4))?.rawValue ?? "unknown")
            records[labels, default: 0] += row.int(5)
        }
        var problems: [(String, Int64)] = []
        try store.forEachRow(QueryCatalog.sql("metrics_problems"), named: [:]) { row in
            problems.append((row.string(0) ?? "unknown", row.int(1)))
        }

        var text = ""
        func family(_ name: String, _ type: String, _ help: String, _ samples: [(labels: [(String, String)], value: Int64)]) {
            text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for sample in samples {
                let labels = sample.labels.isEmpty ? "" : "{" + sample.labels.map { "\($0.0)=\"\(escaped($0.1))\"" }.joined(separator: ",") + "}"
                text += "\(name)\(labels) \(sample.value)\n"
            }
        }
        family("acctstat_build_info", "gauge", "The acctstat version that wrote these metrics.",
               [([("version", AcctStatVersion.current)], 1)])
        family("acctstat_records_total", "counter",
               "Accounting records stored, by mailbox provider, signing domain, selector, DKIM result and evidence source "
               + "(selectors not seen in the last 30 days fold into other).",
               records.sorted { ($0.key.provider, $0.key.signingDomain, $0.key.selector, $0.key.result, $0.key.source)
                   < ($1.key.provider, $1.key.signingDomain, $1.key.selector, $1.key.result, $1.key.source) }
                   .map { ([("provider", $0.key.provider), ("signing_domain", $0.key.signingDomain), ("selector", $0.key.selector),
                            ("result", $0.key.result), ("source", $0.key.source)], $0.value) })
        family("acctstat_newest_record_timestamp_seconds", "gauge",
               "When the newest record was logged (UTC epoch seconds; records stamped in the future are left out), 0 when none.",
               [([], newest)])
        family("acctstat_last_ingest_timestamp_seconds", "gauge", "When the last ingest finished (UTC epoch seconds), 0 when none.",
               [([], lastIngest)])
        family("acctstat_ingest_problems_total", "counter", "Input problems found by every ingest so far, by kind.",
               problems.map { ([("kind", $0.0)], $0.1) })
        family("acctstat_selector_last_seen_timestamp_seconds", "gauge",
               "When each signing domain and selector seen in the last 30 days last signed a record (UTC epoch seconds).",
               spans.filter { recent.contains(ReportTally.GroupID($0.signingDomain, $0.selector)) }
                   .map { (names[$0.signingDomain] ?? "unknown", names[$0.selector] ?? "unknown", $0.lastSeen) }
                   .sorted { ($0.0, $0.1) < ($1.0, $1.1) }
                   .map { ([("signing_domain", $0.0), ("selector", $0.1)], $0.2) })
        return text
    }

    /// A label value as the exposition format writes it: backslash, double quote and line feed escaped.
    static func escaped(_ value: String) -> String {
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }
}
