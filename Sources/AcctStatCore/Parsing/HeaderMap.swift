/// Maps the columns acctstat reads to their positions, from a header record.
///
/// PowerMTA's column order is configurable (`record-fields`), one header covers every
/// record type in the file, and a reload can write a new header mid-file. So columns
/// are found by name, case-insensitively, never by position (reference §1, §12).
public struct HeaderMap: Equatable, Sendable {
    /// Columns that may hold a DKIM verdict, in the order they are tried.
    public static let verdictColumns = ["dkim", "dkimresult", "dkim-result", "dkim_result", "header_x-dkim-result",
                                        "header_authentication-results", "arf_authentication-results"]

    public private(set) var names: [String]
    public private(set) var type = 0
    public private(set) var timeLogged: Int?
    public private(set) var rcpt: Int?
    public private(set) var vmta: Int?
    public private(set) var jobId: Int?
    public private(set) var dsnStatus: Int?
    public private(set) var dsnDiag: Int?
    public private(set) var bounceCat: Int?
    public private(set) var headerFrom: Int?
    public private(set) var orig: Int?
    /// Verdict columns present, in priority order (a user-named `--dkim-field` first).
    public private(set) var verdicts: [Int] = []
    public private(set) var dkimSignature: Int?
    public private(set) var xDKIMOptions: Int?
    public private(set) var arfDKIMDomain: Int?
    public private(set) var arfDKIMSelector: Int?
    /// Column names that appear more than once; the first one is used.
    public private(set) var duplicates: [String] = []

    /// - Parameter dkimField: an extra verdict column named by the user, tried first.
    public init(names: [String], dkimField: String? = nil) {
        self.names = names
        var index: [String: Int] = [:]
        for (position, name) in names.enumerated() {
            let key = name.trimmingSpaces.lowercased()
            if index[key] != nil {
                duplicates.append(name)
            } else {
                index[key] = position
            }
        }
        timeLogged = index["timelogged"]
        rcpt = index["rcpt"]
        vmta = index["vmta"]
        jobId = index["jobid"]
        dsnStatus = index["dsnstatus"]
        dsnDiag = index["dsndiag"]
        bounceCat = index["bouncecat"]
        headerFrom = index["header_from"]
        orig = index["orig"]
        dkimSignature = index["header_dkim-signature"]
        xDKIMOptions = index["header_x-dkim-options"]
        arfDKIMDomain = index["arf_dkim-domain"]
        arfDKIMSelector = index["arf_dkim-selector"]
        let verdictNames = (dkimField.map { [$0.lowercased()] } ?? []) + Self.verdictColumns
        for name in verdictNames {
            if let position = index[name], !verdicts.contains(position) { verdicts.append(position) }
        }
    }

    /// True when records can be read at all: without `timeLogged` none can be bucketed.
    public var isUsable: Bool { timeLogged != nil }

    /// The header as stored in the ledger, so a resumed file maps its columns the same way.
    public var storedForm: String { names.joined(separator: ",") }

    public init(storedForm: String, dkimField: String?) {
        self.init(names: storedForm.split(separator: ",", omittingEmptySubsequences: false).map(String.init),
                  dkimField: dkimField)
    }
}
