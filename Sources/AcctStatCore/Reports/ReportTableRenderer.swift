/// `report --format table`: the screen a deliverability engineer reads.
public enum ReportTableRenderer {
    /// The sections the table shows: the one asked for (`--by`), or domains, selectors and causes.
    public static func sections(by: ReportOptions.GroupBy?) -> [ReportOptions.GroupBy] {
        by.map { [$0] } ?? [.domain, .selector, .cause]
    }

    public static func render(_ report: Report, style: TerminalStyle) -> String {
        let data = report.data
        var text = summary(report, style: style)
        if report.summary.counts.total == 0 { return text }
        let top = data.options.top ?? 10
        for section in sections(by: data.options.by) {
            text += "\n"
            switch section {
            case .cause: text += causes(report, style: style)
            default: text += groups(report, by: section, top: top, style: style)
            }
            if section == .selector && !data.receivers.selectors.isEmpty { text += "\n" + receivers(data.receivers, zone: data.options.zone, style: style) }
        }
        return text
    }

    /// The logs beside receivers' DMARC reports, per selector and day.
    static func receivers(_ comparison: ReceiverComparison, zone: ReportTimeZone, style: TerminalStyle) -> String {
        var table = TextTable(headers: ["SIGNING DOMAIN", "SELECTOR", "DAY", "DELIVERED", "LOGS RATE", "REPORTED", "RECEIVERS' RATE", "GAP"],
                              alignments: [.left, .left, .left, .right, .right, .right, .right, .right])
        for selector in comparison.selectors {
            for day in selector.days {
                table.rows.append([selector.signingDomain, selector.selector, String(zone.iso(day.start).prefix(10)), grouped(day.delivered),
                                   style.rate(Readable.rate(day.logsPassRate), day.logsPassRate), grouped(day.reported),
                                   style.rate(Readable.rate(day.reportedPassRate), day.reportedPassRate),
                                   (day.gap > 0 ? "+" : "") + grouped(day.gap)])
            }
        }
        return style.bold("Logs and receivers") + " (days in \(zone.name)): " + ReceiverComparison.explanation + "\n"
            + table.rendered(width: style.width)
    }

    static func summary(_ report: Report, style: TerminalStyle) -> String {
        let data = report.data
        let zone = data.options.zone
        let counts = report.summary.counts
        var lines = [style.bold("DKIM report") + ": \(zone.iso(data.window.from)) to \(zone.iso(data.window.to)), time zone \(zone.name), "
                     + "\(["hour": "hourly", "day": "daily", "week": "weekly"][data.bucket.rawValue]!) buckets"]
        if data.windowIsDefault && data.newestRecord > 0 {
            lines.append("  (no window given: the 7 days ending at the newest record, \(zone.iso(data.newestRecord)))")
        }
        if data.windowSnapped {
            lines.append("  (snapped to whole hours: windows are exact to the minute from \(zone.iso(data.minutesFrom)) on, "
                         + "15 days before the newest record; before that a window counts the hours that start inside it)")
        }
        guard counts.total > 0 else {
            if !data.filterMisses.isEmpty {
                for miss in data.filterMisses {
                    let known = miss.known.isEmpty ? "none is stored" : "stored ones include " + miss.known.joined(separator: ", ")
                    lines.append("No records: \(miss.option) \(miss.value) matches nothing in the database; \(known).")
                }
            } else if data.newestRecord == 0, let mta = data.options.filters.mta {
                lines.append("No records yet from host \(mta): run 'acctstat ingest --mta \(mta)' on it first.")
            } else if data.newestRecord == 0 {
                lines.append("No records yet: the database is empty. Run 'acctstat ingest' first.")
            } else {
                lines.append("No records in this window. The newest record is from \(zone.iso(data.newestRecord)).")
            }
            return lines.joined(separator: "\n") + "\n"
        }
        let types = RecordType.allCases.compactMap { type in report.summary.byType[type].map { "\(type.rawValue) \(grouped($0))" } }
        lines.append("Records:   \(grouped(counts.total))  (\(types.joined(separator: ", ")))")
        let column = report.summary.bySource[.column] ?? 0, reply = report.summary.bySource[.reply] ?? 0
        let none = report.summary.bySource[.none] ?? 0
        lines.append("Evidence:  \(Readable.percent(counts.total - none, of: counts.total)) of records have a DKIM verdict: "
                     + "verdict column \(Readable.percent(column, of: counts.total)), receiver reply \(Readable.percent(reply, of: counts.total)), "
                     + "none \(Readable.percent(none, of: counts.total))")
        let keys = report.summary.byKeySource
        lines.append("Selectors: from the records \(Readable.percent(keys[.evidence] ?? 0, of: counts.total)), "
                     + "from the PowerMTA configuration \(Readable.percent(keys[.config] ?? 0, of: counts.total)), "
                     + "unknown \(Readable.percent(keys[.none] ?? 0, of: counts.total))")
        let previous = report.summary.previous
        let against = " against the previous \(duration(data.window.seconds))"
        if let note = report.noVerdictNote {
            lines.append("Pass rate: none. " + note + ".")
        } else {
            var rate = "Pass rate: " + style.rate(Readable.rate(counts.passRate), counts.passRate)
                + " of \(grouped(counts.withVerdict)) records with a verdict (verdict columns only)"
            if let change = Readable.change(counts.passRateChange(since: previous)) { rate += " (\(change)\(against))" }
            lines.append(rate)
        }
        var rejected = "Rejected:  \(Readable.rate(counts.rejectedRate)) of records (\(grouped(counts.rejected)) receiver authentication rejections)"
        if let change = Readable.change(counts.rejectedRateChange(since: previous)) { rejected += " (\(change)\(against))" }
        lines.append(rejected)
        if let note = report.signatureUnitNote { lines.append("           " + note + ".") }
        lines.append("           A delivered record is not a DKIM pass: records without evidence count as unknown, outside both rates.")
        return lines.joined(separator: "\n") + "\n"
    }

    static func groups(_ report: Report, by: ReportOptions.GroupBy, top: Int, style: TerminalStyle) -> String {
        let (shown, totalGroups) = report.groups(by, limit: top)
        let title: String
        var headers: [String]
        switch by {
        case .domain: title = "By recipient domain"; headers = ["DOMAIN"]
        case .selector: title = "By signing domain and selector"; headers = ["SIGNING DOMAIN", "SELECTOR"]
        case .provider: title = "By mailbox provider"; headers = ["PROVIDER"]
        case .vmta: title = "By vmta"; headers = ["VMTA"]
        case .mta: title = "By mta (PowerMTA host)"; headers = ["MTA"]
        case .cause: return causes(report, style: style)
        }
        let keyCount = headers.count
        headers += ["TOTAL", "PASS", "FAIL", "NEUTRAL", "POLICY", "TEMPERR", "PERMERR", "NONE", "UNKNOWN", "REJECTED",
                    "RATE", "TREND", "Δ RATE", "REJ TREND"]
        // Trends are the point of the report: at 80 columns TREND and Δ RATE outlive the count columns.
        var priorities = [100] + (keyCount == 2 ? [99] : []) + [90, 80, 85, 20, 21, 22, 23, 30, 70, 84, 95, 94, 93, 88]
        let configured = by == .selector ? report.data.options.configuredKeys : nil
        if by == .selector {
            headers += ["FIRST SEEN", "LAST SEEN"]
            priorities += [40, 45]
            if configured != nil {
                headers.append("KEY IN CONFIG")
                priorities.append(75)
            }
        }
        // Names, the sparkline and dates read left to right; numbers line up on the right.
        let leftColumns = Set(0..<keyCount).union([keyCount + 11, keyCount + 13, keyCount + 14, keyCount + 15, keyCount + 16])
        var table = TextTable(headers: headers, alignments: headers.indices.map { leftColumns.contains($0) ? .left : .right },
                              priorities: priorities)
        let zone = report.data.options.zone
        for group in shown {
            let counts = group.counts
            var row = group.key.map { $0 ?? "(unknown)" }
            row += [counts.total, counts[.pass], counts[.fail], counts[.neutral], counts[.policy], counts[.temperror],
                    counts[.permerror], counts[.none], counts[.unknown], counts.rejected].map(grouped)
            row.append(style.rate(Readable.rate(group.counts.passRate), group.counts.passRate))
            let buckets = report.bucketStarts.map { group.counts(at: $0) }
            row.append(style.sparkline(buckets.map { $0?.passRate }))
            row.append(Readable.change(group.passRateChange) ?? "")
            row.append(style.sparkline(buckets.map { $0?.rejectedRate }, full: Self.rejectedTrendFull))
            if by == .selector {
                row += [zone.iso(group.firstSeen), zone.iso(group.lastSeen)]
                if let configured {
                    let known = group.key[0].flatMap { domain in group.key[1].map { ReportOptions.keyName(domain: domain, selector: $0) } }
                    row.append(known.map { configured.contains($0) ? "yes" : "NO" } ?? "-")
                }
            }
            table.rows.append(row)
        }
        let unit = by == .selector ? "signature verdicts (a record signed twice counts for each selector)" : "records"
        var text = style.bold(title) + " (top \(shown.count) of \(totalGroups) by volume, in \(unit); RATE = pass ÷ verdicts, "
            + "receiver rejections apart; TREND = rate per \(report.data.bucket.rawValue); Δ against the previous window; "
            + "REJ TREND = rejected ÷ total per \(report.data.bucket.rawValue), full at \(Readable.rate(Self.rejectedTrendFull)))\n"
        if report.noVerdictNote != nil { text += "  No verdict column: RATE and TREND stay empty; REJECTED and REJ TREND show the receivers' rejections.\n" }
        text += table.rendered(width: style.width)
        return text
    }

    /// The rejected rate a REJ TREND draws as a full block: rejections are a few percent when they matter.
    static let rejectedTrendFull = 0.1

    static func causes(_ report: Report, style: TerminalStyle) -> String {
        let causes = report.causes()
        var text = style.bold("Failure causes") + "\n"
        guard !causes.isEmpty else { return text + "  none: no record failed with evidence in this window.\n" }
        let total = causes.reduce(0) { $0 + $1.count }
        var table = TextTable(headers: ["CAUSE", "RECORDS", "SHARE", "RESULTS", "TOP DOMAINS", "TOP SELECTORS"],
                              alignments: [.left, .right, .right, .left, .left, .left], priorities: [100, 90, 60, 50, 80, 70])
        for cause in causes {
            table.rows.append([cause.cause.rawValue, grouped(cause.count), Readable.percent(cause.count, of: total), cause.resultsText,
                               cause.topDomainsText, cause.topSelectorsText])
        }
        text += table.rendered(width: style.width)
        for cause in causes where !cause.samples.isEmpty {
            text += "\n  \(cause.cause.rawValue):\n"
            for sample in cause.samples {
                let line = "    \(grouped(sample.occurrences))× \(sample.detail)"
                text += (style.width.map { line.count > $0 ? String(line.prefix($0 - 1)) + "…" : line } ?? line) + "\n"
            }
        }
        return text
    }

    /// `90m`, `24h`, `7d`: days from 3 days up, hours from 2 hours up.
    static func duration(_ seconds: Int64) -> String {
        if seconds >= 3 * 86400 && seconds % 86400 == 0 { return "\(seconds / 86400)d" }
        if seconds >= 7200 && seconds % 3600 == 0 { return "\(seconds / 3600)h" }
        return "\(seconds / 60)m"
    }
}
