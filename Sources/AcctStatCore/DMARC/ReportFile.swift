/// A DMARC report file as the ledger records it: its content's fingerprint, where it was found,
/// what it held, and its problems.
public struct ReportFile: Sendable {
    /// `dmarc:` and a hash of the whole file: a copy under another name is the same content.
    public var fingerprint: String
    public var path: String
    public var compression: InputFile.Compression
    public var diskBytes: Int64
    public var contents: ReportInput.Contents
    public var problems: ProblemLog

    /// What the ledger's end state says of it, given how many of its reports were new.
    func endState(newReports: Int) -> String {
        if contents.forensic { return "DMARC failure report: not stored" }
        let count = contents.reports.count
        if count == 0 { return "DMARC: no report read" + (problems.samples.first.map { " (\($0.kind.rawValue))" } ?? "") }
        let reports = count == 1 ? "1 report" : "\(count) reports"
        return "DMARC: \(reports), \(newReports == count ? "all" : String(newReports)) new"
    }
}
