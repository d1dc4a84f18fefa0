/// Something wrong with the input. Problems are counted per file and kind, never fatal.
public enum ProblemKind: String, CaseIterable, Sendable, Codable {
    // Errors: data could not be read, or was altered.
    case unreadableFile = "unreadable-file"
    case notAccounting = "not-accounting"
    case truncatedGzip = "truncated-gzip"
    case corruptData = "corrupt-data"
    case recordTooLong = "record-too-long"
    case unterminatedQuote = "unterminated-quote"
    case badTime = "bad-time"
    case missingColumn = "missing-column"
    case invalidUTF8 = "invalid-utf8"
    case badDKIMValue = "bad-dkim-value"
    /// A DMARC report that cannot be read: invalid XML, entities, no report id or date range.
    case invalidReport = "invalid-report"
    /// A mail that carries no DMARC report.
    case noReport = "no-report"
    /// Data that inflates beyond the cap (a zip or gzip bomb), or a mail larger than the cap.
    case tooLarge = "too-large"
    // Warnings: repaired or skipped as PowerMTA documents, nothing a report needs was lost.
    case noRecords = "no-records"
    case shortRow = "short-row"
    case longRow = "long-row"
    case unknownType = "unknown-type"
    case missingRecipient = "missing-rcpt"
    case duplicateColumn = "duplicate-column"
    case repeatedHeader = "repeated-header"
    case configProblem = "pmta-config"
    case futureTime = "future-time"
    case fileShrank = "file-shrank"

    public enum Severity: String, Sendable { case error, warning }

    /// Errors make `ingest` exit 1; warnings do so only with `--strict`.
    public var severity: Severity {
        switch self {
        case .noRecords, .shortRow, .longRow, .unknownType, .missingRecipient, .duplicateColumn, .repeatedHeader, .configProblem,
             .futureTime, .fileShrank, .noReport: .warning
        default: .error
        }
    }
}

/// One example of a problem, with where it is.
public struct ProblemSample: Equatable, Sendable, Codable {
    public let kind: ProblemKind
    public let path: String
    /// The line in the decompressed content, when the problem is in a record.
    public let line: Int?
    public let message: String

    public init(kind: ProblemKind, path: String, line: Int?, message: String) {
        self.kind = kind
        self.path = path
        self.line = line
        self.message = message
    }

    /// `path:line: kind: message`, the form compilers use, so editors can jump to it.
    public var formatted: String {
        "\(path)\(line.map { ":\($0)" } ?? ""): \(kind.rawValue): \(message)"
    }
}

/// Problem counts with the first few samples, as GoAccess keeps them.
public struct ProblemLog: Equatable, Sendable {
    public static let sampleLimit = 20

    public private(set) var counts: [ProblemKind: Int] = [:]
    public private(set) var samples: [ProblemSample] = []

    public init() {}

    public mutating func record(_ sample: ProblemSample) {
        counts[sample.kind, default: 0] += 1
        if samples.count < Self.sampleLimit { samples.append(sample) }
    }

    public mutating func merge(_ other: ProblemLog) {
        for (kind, count) in other.counts { counts[kind, default: 0] += count }
        samples.append(contentsOf: other.samples.prefix(max(0, Self.sampleLimit - samples.count)))
    }

    /// Takes back `other`'s problems, found in `path`'s lines `lines` (damaged data read again):
    /// their counts, and the samples of those lines.
    mutating func withdraw(_ other: ProblemLog, path: String, lines: ClosedRange<Int>) {
        for (kind, count) in other.counts {
            let left = (counts[kind] ?? 0) - count
            counts[kind] = left > 0 ? left : nil
        }
        samples.removeAll { sample in sample.path == path && sample.line.map(lines.contains) == true }
    }

    public var total: Int { counts.values.reduce(0, +) }
    public var isEmpty: Bool { counts.isEmpty }
    public func count(of severity: ProblemKind.Severity) -> Int {
        counts.filter { $0.key.severity == severity }.values.reduce(0, +)
    }

    /// The counts by kind, in kind order: "1,204 bad-time, 3 short-row".
    public var countsByKind: String {
        counts.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\(grouped(Int64($0.value))) \($0.key.rawValue)" }
            .joined(separator: ", ")
    }
}
