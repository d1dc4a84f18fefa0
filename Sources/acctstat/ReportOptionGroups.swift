import AcctStatCore
import ArgumentParser
import Foundation

/// `--tz`, shared by the commands that print times.
struct ZoneOptions: ParsableArguments {
    @Option(parsing: .unconditional,
            help: ArgumentHelp("Time zone for buckets and times: an IANA name (Europe/Berlin), UTC, or an offset (-05:00, +05:30). Default: the system's.",
                               valueName: "zone"))
    var tz: String?

    func validate() throws {
        if let tz, ReportTimeZone(tz) == nil {
            throw ValidationError("--tz takes an IANA time zone name (Europe/Berlin, UTC) or an offset (+05:30), not '\(tz)'")
        }
    }

    var zone: ReportTimeZone { tz.flatMap(ReportTimeZone.init) ?? .system }
}

/// `--mta`, one PowerMTA host's data: shared by `report`, `check`, `selectors` and `export`.
struct MTAFilterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only this PowerMTA host, as 'ingest --mta' named it (its host name by default).", valueName: "name"))
    var mta: String?

    func validate() throws {
        if let mta {
            do { _ = try MTAName.normalized(mta) } catch { throw ValidationError("\(error)") }
        }
    }
}

/// The filters shared by `report` and `check`.
struct FilterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only this recipient domain.", valueName: "domain"))
    var domain: String?

    @Option(help: ArgumentHelp("Only this signing domain (header.d / d=).", valueName: "domain"))
    var signingDomain: String?

    @Option(help: ArgumentHelp("Only this selector (header.s / s=).", valueName: "selector"))
    var selector: String?

    @Option(help: ArgumentHelp("Only this virtual MTA.", valueName: "vmta"))
    var vmta: String?

    @OptionGroup var host: MTAFilterOptions

    @Option(help: ArgumentHelp("Only these record types, comma-separated: d,b,t,rb (all by default).", valueName: "types"))
    var type: String?

    func validate() throws {
        _ = try types()
    }

    func types() throws -> [RecordType]? {
        guard let type else { return nil }
        return try type.split(separator: ",").map { code in
            guard let recordType = RecordType(rawValue: code.trimmingCharacters(in: .whitespaces).lowercased()) else {
                throw ValidationError("--type takes record types from d, b, t, tq, r, f, rb, rs; not '\(code)'")
            }
            return recordType
        }
    }

    func filters(provider: String? = nil) throws -> ReportOptions.Filters {
        ReportOptions.Filters(domain: domain, signingDomain: signingDomain, selector: selector, vmta: vmta,
                              mta: host.mta, types: try types(), provider: provider)
    }
}

/// The filters DMARC reports have and the logs have not: `--reporter` and `--header-from`, shared by
/// `dmarc` and `check --source dmarc`.
struct DMARCFilterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only DMARC reports from this reporter (its org_name, such as google.com).", valueName: "name"))
    var reporter: String?

    @Option(help: ArgumentHelp("Only DMARC report records of mail with this From: domain.", valueName: "domain"))
    var headerFrom: String?

    func filters(signingDomain: String?, selector: String?) -> DMARCView.Filters {
        DMARCView.Filters(signingDomain: signingDomain, selector: selector, reporter: reporter, headerFrom: headerFrom)
    }
}

/// A fixed "now": for post-mortems ("what did this look like on Tuesday?") and reproducible output.
struct ClockOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Evaluate as if the time were this (ISO 8601 such as 2026-11-24T14:00Z, or epoch seconds); "
                               + "--since windows and selector states are measured from it.", valueName: "time"))
    var now: String?

    func validate() throws {
        if let now, instant(now) == nil { throw ValidationError("--now takes an ISO 8601 time, not '\(now)'") }
    }

    var seconds: Int64 { now.flatMap(instant) ?? Int64(Date().timeIntervalSince1970) }

    private func instant(_ text: String) -> Int64? {
        Int64(text) ?? TimeWindow.instant(text, zone: .utc)
    }
}

/// The user's provider file: --providers, else $XDG_CONFIG_HOME/acctstat/providers.txt when it exists.
func loadProviders(_ explicit: String?) throws -> ProviderTable {
    let environment = ProcessInfo.processInfo.environment
    let configHome = environment["XDG_CONFIG_HOME"] ?? ((environment["HOME"] ?? ".") + "/.config")
    let path = explicit ?? configHome + "/acctstat/providers.txt"
    var text: String?
    if FileManager.default.fileExists(atPath: path) {
        text = try String(contentsOfFile: path, encoding: .utf8)
    } else if explicit != nil {
        throw ValidationError("no provider file at \(path)")
    }
    do {
        return try ProviderTable(userText: text)
    } catch {
        throw ValidationError(error.description)
    }
}

/// Table output style for stdout: terminal width and colour only on a TTY, never with NO_COLOR.
func terminalStyle(ascii: Bool) -> TerminalStyle {
    let environment = ProcessInfo.processInfo.environment
    let tty = Terminal.stdoutIsTTY
    var width: Int?
    if let columns = environment["COLUMNS"].flatMap(Int.init) {
        width = columns
    } else if tty {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { width = Int(size.ws_col) }
    }
    let color = tty && environment["NO_COLOR"].map { $0.isEmpty } ?? true && environment["TERM"] != "dumb"
    return TerminalStyle(width: width, color: color, ascii: ascii)
}
