/// Classifies one free-standing text the way ingest would: a DKIM verdict value, an
/// Authentication-Results value, or a receiver's reply (`dsnDiag`). Behind `acctstat classify`.
public enum TextClassifier {
    public static func classify(_ text: String) -> Evidence {
        switch VerdictParser.parse(text) {
        case .verdict(let verdict, _):
            return Evidence(verdict: verdict)
        case .noDKIMEntry:
            // Authentication-Results without a dkim entry (`spf=fail …; dmarc=fail …`): nothing about the signatures.
            return .unknown
        case .unreadable:
            if let cause = CauseRules.replyCause(text) {
                return Evidence(result: .fail, cause: cause, source: .reply, reason: text)
            }
            return .unknown
        }
    }
}

extension Evidence {
    /// The evidence of a verdict column's value.
    public init(verdict: VerdictParser.Verdict) {
        self.init(result: verdict.result, cause: CauseRules.cause(result: verdict.result, reason: verdict.reason),
                  signingDomain: verdict.signingDomain, selector: verdict.selector, source: .column, reason: verdict.reason)
    }
}
