/// `acctstat selectors`: the key-rotation view.
///
/// For each signing domain and selector: when it was first and last seen, its volume and
/// pass rate over the last 24 hours and 7 days, its share of the domain's signed mail in the
/// last 24 hours, and a state:
/// - `new`: first seen in the last 24 hours;
/// - `idle`: not seen for 7 days or more. Standard rotation keeps the old DNS record 7 days
///   after last use; its record can go once another selector of the same domain has signed for
///   those 7 days, in data that is fresh. A domain's only selector is never advised away, and
///   stale data (the newest record older than `maxAge`) gives no removal advice at all;
/// - `draining`: its share of the domain fell against the 24 hours before, while another
///   selector of the same domain rose; or it has stopped signing but was seen within 7 days,
///   so its DNS record must stay a while longer;
/// - `active`: anything else.
public struct SelectorsView: Sendable {
    public enum State: String, Sendable { case new, active, draining, idle }

    /// What to do with a selector's DNS record.
    public enum Advice: Sendable, Equatable {
        /// Not seen for 7 days, and another selector of its domain has signed for the 7 days since
        /// it stopped, in fresh data: the record can go.
        case remove
        /// Not seen for 7 days, but its domain has no other selector: the record must stay.
        case keepOnlySelector
        /// Not seen for 7 days, but no other selector of its domain has signed for 7 days since.
        case keepNoReplacement
        /// Stopped signing: keep the record until this time (7 days after its last record).
        case keepUntil(Int64)
    }

    /// The advice as a sentence, times in `zone`.
    /// How long a DNS record stays after its selector's last use (standard rotation practice).
    public static let safetyPeriod: Int64 = 7 * 86400
    /// Data older than this is stale for `selectors` (`--max-age`).
    public static let defaultMaxAge: Int64 = 86400

    public static func text(_ advice: Advice, for selector: Selector, zone: ReportTimeZone) -> String {
        let record = "\(selector.selector)._domainkey.\(selector.signingDomain)"
        switch advice {
        case .remove: return "DNS record \(record) can be removed"
        case .keepOnlySelector:
            return "not seen for 7 days, but it is \(selector.signingDomain)'s only selector: keep DNS record \(record)"
        case .keepNoReplacement:
            return "not seen for 7 days, but no other selector of \(selector.signingDomain) has signed for the 7 days since: "
                + "keep DNS record \(record)"
        case .keepUntil(let time): return "stopped signing; keep DNS record \(record) until \(zone.iso(time))"
        }
    }

    public struct Selector: Sendable {
        public var signingDomain: String
        public var selector: String
        public var firstSeen: Int64
        public var lastSeen: Int64
        public var volume24h: Int64
        public var passRate24h: Double?
        /// Signatures of the last 24 h whose only evidence is a receiver's authentication rejection.
        public var rejected24h: Int64
        public var volume7d: Int64
        public var passRate7d: Double?
        /// Share of the domain's mail in the last 24 h, 0...1.
        public var share24h: Double
        public var sharePrevious24h: Double
        /// What receivers' DMARC aggregate reports beginning in the last 7 days say: messages that
        /// carried this signature, and the share of them whose signature verified.
        public var dmarcMessages7d: Int64 = 0
        public var dmarcPassRate7d: Double?
        public var state: State
        /// What to do about the selector's DNS record, for idle and stopped selectors.
        public var advice: Advice?
        public var warnings: [String]
    }

    public let now: Int64
    /// The newest record in the database (UTC epoch seconds), 0 when it is empty.
    public let newestRecord: Int64
    /// True when the newest record is older than the freshness limit: no removal advice is given.
    public let stale: Bool
    public let selectors: [Selector]
    /// The one PowerMTA host the volumes, rates and states are of (`--mta`); nil for the fleet.
    public var host: String? = nil

    /// A sentence on stale data, when it is.
    func staleNote(zone: ReportTimeZone) -> String? {
        guard stale else { return nil }
        guard newestRecord > 0 else { return "no records yet: no DNS record advice" }
        return "the data is stale: the newest record is \(zone.iso(newestRecord)), \(Readable.age(seconds: now - newestRecord)) old; "
            + "no DNS record is advised removable until ingest catches up"
    }

    public static let columns = ["signing_domain", "selector", "state", "first_seen", "last_seen", "volume_24h", "pass_rate_24h",
                                 "volume_7d", "pass_rate_7d", "share_24h", "advice", "warnings", "dmarc_messages_7d",
                                 "dmarc_pass_rate_7d"]

    /// The machine-readable rows, times in `zone`.
    public func rows(zone: ReportTimeZone) -> [[JSONValue]] {
        selectors.map { selector in
            [.string(selector.signingDomain), .string(selector.selector), .string(selector.state.rawValue),
             .string(zone.iso(selector.firstSeen)), .string(zone.iso(selector.lastSeen)), .int(selector.volume24h),
             selector.passRate24h.map { .double($0, decimals: 4) } ?? .null, .int(selector.volume7d),
             selector.passRate7d.map { .double($0, decimals: 4) } ?? .null, .double(selector.share24h, decimals: 4),
             selector.advice.map { .string(Self.text($0, for: selector, zone: zone)) } ?? .null, .string(selector.warnings.joined(separator: "; ")),
             .int(selector.dmarcMessages7d), selector.dmarcPassRate7d.map { .double($0, decimals: 4) } ?? .null]
        }
    }

    public func csv(zone: ReportTimeZone) -> String {
        CSVWriter.table(Self.columns, rows(zone: zone))
    }

    public func json(zone: ReportTimeZone) -> String {
        JSONValue.object([("now", .string(zone.iso(now))), ("tz", .string(zone.name)),
                          ("newest_record", newestRecord > 0 ? .string(zone.iso(newestRecord)) : .null), ("stale", .bool(stale)),
                          ("selectors", .array(rows(zone: zone).map { .object(Array(zip(Self.columns, $0))) }))]).pretty()
    }

    public func table(zone: ReportTimeZone, style: TerminalStyle) -> String {
        guard !selectors.isEmpty else { return "No selectors seen: no record named a signing domain and selector.\n" }
        var table = TextTable(headers: ["SIGNING DOMAIN", "SELECTOR", "STATE", "FIRST SEEN", "LAST SEEN", "24H", "RATE 24H", "7D",
                                        "RATE 7D", "SHARE 24H", "DMARC 7D", "DMARC RATE"],
                              alignments: [.left, .left, .left, .left, .left, .right, .right, .right, .right, .right, .right, .right],
                              priorities: [100, 99, 98, 50, 60, 80, 90, 70, 75, 85, 40, 45])
        for selector in selectors {
            table.rows.append([selector.signingDomain, selector.selector, selector.state.rawValue, zone.iso(selector.firstSeen),
                               zone.iso(selector.lastSeen), grouped(selector.volume24h),
                               style.rate(Readable.rate(selector.passRate24h), selector.passRate24h),
                               grouped(selector.volume7d), style.rate(Readable.rate(selector.passRate7d), selector.passRate7d),
                               Decimal.format(selector.share24h * 100, decimals: 1) + "%", grouped(selector.dmarcMessages7d),
                               style.rate(Readable.rate(selector.dmarcPassRate7d), selector.dmarcPassRate7d)])
        }
        var text = style.bold("Selectors") + " at \(zone.iso(now)) (\(zone.name)); in signature verdicts (a record signed twice "
            + "counts for each selector); rates are pass ÷ verdicts, receiver rejections apart; DMARC: what receivers' aggregate "
            + "reports beginning in the last 7 days say of the signature (messages, share verified)\n"
        if let host {
            text += "Host \(host): its volumes, rates and states; FIRST SEEN and LAST SEEN are the fleet's (one DNS record serves every host)\n"
        }
        if let note = staleNote(zone: zone) { text += (style.ascii ? "WARNING: " : "⚠ ") + note + "\n" }
        text += table.rendered(width: style.width)
        let notes = selectors.flatMap { selector in
            (selector.advice.map { ["  \(selector.signingDomain)/\(selector.selector): \(Self.text($0, for: selector, zone: zone))"] } ?? [])
                + selector.warnings.map { "  " + (style.ascii ? "WARNING" : "⚠") + " \(selector.signingDomain)/\(selector.selector): \($0)" }
        }
        if !notes.isEmpty { text += "\n" + notes.joined(separator: "\n") + "\n" }
        return text
    }

    /// - Parameters:
    ///   - failingRate: a selector still signing below this pass rate gets a warning.
    ///   - config: the PowerMTA configuration; a selector still signing with no key in it gets a warning.
    ///   - maxAge: data whose newest record is older than this (seconds) is stale: no removal advice.
    ///   - mta: one PowerMTA host's counts and newest record only (`--mta`).
    public static func load(from store: AccountingStore, now: Int64, failingRate: Double = 0.9,
                            config: PMTAConfig? = nil, maxAge: Int64 = defaultMaxAge, mta: String? = nil) throws -> SelectorsView {
        // Its reads see one state of the database where the store can share one (PostgreSQL).
        try store.readingOneSnapshot {
            try read(from: store, now: now, failingRate: failingRate, config: config, maxAge: maxAge, mta: mta)
        }
    }

    private static func read(from store: AccountingStore, now: Int64, failingRate: Double, config: PMTAConfig?, maxAge: Int64,
                             mta: String?) throws -> SelectorsView {
        let now = floorDivide(now, 60) * 60   // windows are exact to the minute
        let host = mta.map(MTAName.lookup)
        let newest = try store.newestRecord(mta: host)
        let stale = newest == 0 || now - newest > maxAge
        let minutesFrom = try store.minuteCountsFrom()
        var arguments: [String: SQLValue] = [
            "now": .integer(now), "pass": .integer(DKIMResult.pass.code), "unknown": .integer(DKIMResult.unknown.code),
            "reply": .integer(EvidenceSource.reply.code), "mta": host.map { .text($0) } ?? .null,
        ]
        for (name, window) in [("day", TimeWindow(from: now - 86400, to: now)), ("previous", TimeWindow(from: now - 2 * 86400, to: now - 86400)),
                               ("week", TimeWindow(from: now - 7 * 86400, to: now))] {
            arguments.merge(WindowPlan(window: window, minutesFrom: minutesFrom).sqlArguments(name)) { $1 }
        }
        let rows = try store.query(QueryCatalog.sql("selectors"), named: arguments).rows
        struct Raw { var domain: String; var selector: String; var values: [Int64] }
        let raws = rows.map { row in
            Raw(domain: row[0].string ?? "", selector: row[1].string ?? "", values: row[2...].map { $0.int ?? 0 })
        }
        var domainVolume: [String: (now: Int64, before: Int64)] = [:]
        for raw in raws {
            domainVolume[raw.domain, default: (0, 0)].now += raw.values[2]
            domainVolume[raw.domain, default: (0, 0)].before += raw.values[5]
        }
        func rate(_ pass: Int64, _ verdicts: Int64) -> Double? { verdicts > 0 ? Double(pass) / Double(verdicts) : nil }
        func share(_ part: Int64, _ whole: Int64) -> Double { whole > 0 ? Double(part) / Double(whole) : 0 }
        var selectors = raws.map { raw -> Selector in
            let totals = domainVolume[raw.domain]!
            return Selector(signingDomain: raw.domain, selector: raw.selector, firstSeen: raw.values[0], lastSeen: raw.values[1],
                            volume24h: raw.values[2], passRate24h: rate(raw.values[3], raw.values[4]), rejected24h: raw.values[9],
                            volume7d: raw.values[6], passRate7d: rate(raw.values[7], raw.values[8]),
                            share24h: share(raw.values[2], totals.now), sharePrevious24h: share(raw.values[5], totals.before),
                            state: .active, advice: nil, warnings: [])
        }
        var dmarc: [String: (messages: Int64, pass: Int64)] = [:]
        try store.forEachRow(QueryCatalog.sql("receivers_reported"), named: ["from": .integer(now - 7 * 86400), "to": .integer(now)]) { row in
            let key = ReportOptions.keyName(domain: row.string(1) ?? "", selector: row.string(2) ?? "")
            dmarc[key, default: (0, 0)].messages += row.int(3)
            dmarc[key, default: (0, 0)].pass += row.int(4)
        }
        for index in selectors.indices {
            var selector = selectors[index]
            if let reported = dmarc[ReportOptions.keyName(domain: selector.signingDomain, selector: selector.selector)] {
                selector.dmarcMessages7d = reported.messages
                selector.dmarcPassRate7d = rate(reported.pass, reported.messages)
                // The logs' own failing rate has its warning; this one is for what only the receivers saw.
                if let receivers = selector.dmarcPassRate7d, receivers < failingRate, (selector.passRate7d ?? 1) - receivers > 0.05 {
                    selector.warnings.append("receivers' DMARC reports say \(Readable.rate(receivers)) of its signatures verified in the "
                                             + "last 7 days" + (selector.passRate7d.map { ", against \(Readable.rate($0)) in the logs" } ?? ""))
                }
            }
            let siblings = selectors.filter { $0.signingDomain == selector.signingDomain && $0.selector != selector.selector }
            if now - selector.lastSeen >= safetyPeriod {
                selector.state = .idle
                if !stale {
                    // A replacement that still signs (in the last day of data) and has signed for
                    // the whole safety period since this selector stopped.
                    let replaced = siblings.contains { sibling in
                        sibling.lastSeen >= newest - 86400 && now - max(sibling.firstSeen, selector.lastSeen) >= safetyPeriod
                    }
                    selector.advice = replaced ? .remove : siblings.isEmpty ? .keepOnlySelector : .keepNoReplacement
                }
            } else if now - selector.firstSeen < 86400 {
                selector.state = .new
            } else if selector.share24h < selector.sharePrevious24h,
                      siblings.contains(where: { $0.share24h > $0.sharePrevious24h }) {
                selector.state = .draining
            } else if selector.volume24h == 0 {
                selector.state = .draining
                selector.advice = .keepUntil(selector.lastSeen + safetyPeriod)
            }
            if selector.volume24h > 0, let rate = selector.passRate24h, rate < failingRate {
                selector.warnings.append("still signing with a failing pass rate: \(Decimal.format(rate * 100, decimals: 1))% in the last 24 h")
            }
            // Rejections are their own measure: a share of the selector's volume, never a pass rate.
            if selector.rejected24h > 0, share(selector.rejected24h, selector.volume24h) > 1 - failingRate {
                selector.warnings.append("receivers rejected \(grouped(selector.rejected24h)) of its \(grouped(selector.volume24h)) records "
                                         + "for authentication in the last 24 h (\(Readable.rate(share(selector.rejected24h, selector.volume24h))))"
                                         + (selector.passRate24h == nil ? "; no verdict column says how its signatures fare" : ""))
            }
            if let config, selector.volume24h > 0,
               !config.keys.contains(where: { $0.domain == selector.signingDomain && $0.selector == selector.selector }) {
                selector.warnings.append("signing, but no key in the PowerMTA configuration (\(config.files.first ?? "?")) has this selector")
            }
            if selector.state == .draining, selector.share24h > 0.05,
               let newest = siblings.map(\.firstSeen).filter({ $0 > selector.firstSeen }).max(), now - newest >= 48 * 3600 {
                selector.warnings.append("still carries \(Decimal.format(selector.share24h * 100, decimals: 1))% of "
                                         + "\(selector.signingDomain)'s mail 48 h after the new selector appeared")
            }
            selectors[index] = selector
        }
        return SelectorsView(now: now, newestRecord: newest, stale: stale, selectors: selectors, host: host)
    }
}
