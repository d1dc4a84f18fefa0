/// Maps the columns acctstat reads to their positions, from a header record.
///
/// PowerMTA's column order is configurable (`record-fields`), one header covers every
/// record type in the file, and a reload can write a new header mid-file. So columns
/// are found by name, case-insensitively, never by position.
/// A class: the hot loop reads it once per record, and a struct of arrays would be copied
/// (and its arrays retained) each time.
public final class HeaderMap: Sendable {
    /// Columns that may hold a DKIM verdict, in the order they are tried.
    public static let verdictColumns = ["dkim", "dkimresult", "dkim-result", "dkim_result", "header_x-dkim-result",
                                        "header_authentication-results", "arf_authentication-results"]

    public let names: [String]
    public let type = 0
    public let timeLogged: Int?
    public let rcpt: Int?
    public let vmta: Int?
    public let jobId: Int?
    public let dsnStatus: Int?
    public let dsnDiag: Int?
    public let dsnMta: Int?
    public let bounceCat: Int?
    public let headerFrom: Int?
    public let orig: Int?
    /// The address the mail left from (a delivery's), what tells the sender's own IPs from others in DMARC reports.
    public let dlvSourceIp: Int?
    /// Verdict columns present, in priority order (a user-named `--dkim-field` first).
    public let verdicts: [Int]
    /// Header columns that carry a DKIM signature's tags (DKIM-Signature, then X-DKIM-Options), present ones only.
    public let signatureColumns: [Int]
    public let arfDKIMDomain: Int?
    public let arfDKIMSelector: Int?
    /// Column names that appear more than once; the first one is used.
    public let duplicates: [String]

    /// - Parameter dkimField: an extra verdict column named by the user, tried first.
    public init(names: [String], dkimField: String? = nil) {
        self.names = names
        var index: [String: Int] = [:]
        var duplicates: [String] = []
        for (position, name) in names.enumerated() {
            let key = name.trimmingSpaces.lowercased()
            if index[key] != nil {
                duplicates.append(name)
            } else {
                index[key] = position
            }
        }
        self.duplicates = duplicates
        timeLogged = index["timelogged"]
        rcpt = index["rcpt"]
        vmta = index["vmta"]
        jobId = index["jobid"]
        dsnStatus = index["dsnstatus"]
        dsnDiag = index["dsndiag"]
        dsnMta = index["dsnmta"]
        bounceCat = index["bouncecat"]
        headerFrom = index["header_from"]
        orig = index["orig"]
        dlvSourceIp = index["dlvsourceip"]
        signatureColumns = ["header_dkim-signature", "header_x-dkim-options"].compactMap { index[$0] }
        arfDKIMDomain = index["arf_dkim-domain"]
        arfDKIMSelector = index["arf_dkim-selector"]
        var verdicts: [Int] = []
        let verdictNames = (dkimField.map { [$0.lowercased()] } ?? []) + Self.verdictColumns
        for name in verdictNames {
            if let position = index[name], !verdicts.contains(position) { verdicts.append(position) }
        }
        self.verdicts = verdicts
    }

    /// True when records can be read at all: without `timeLogged` none can be bucketed.
    public var isUsable: Bool { timeLogged != nil }

    /// The header as stored in the ledger, so a resumed file maps its columns the same way.
    public var storedForm: String { names.joined(separator: ",") }

    public convenience init(storedForm: String, dkimField: String?) {
        self.init(names: storedForm.split(separator: ",", omittingEmptySubsequences: false).map(String.init),
                  dkimField: dkimField)
    }
}
