/// One DMARC aggregate report (RFC 7489 §7.2 and appendix C; RFC 9990): what one receiver saw of
/// one domain's mail over its date range, summed per source IP and authentication outcome.
public struct AggregateReport: Equatable, Sendable {
    /// Who sent it: `org_name`, or the domain of its contact e-mail when `org_name` is empty.
    public var reporter = ""
    public var reporterEmail = ""
    public var reportId = ""
    /// The date range, UTC epoch seconds.
    public var begin: Int64 = 0
    public var end: Int64 = 0
    public var policy = PublishedPolicy()
    public var records: [Record] = []

    /// The DMARC record the receiver found for the domain.
    public struct PublishedPolicy: Equatable, Sendable {
        public var domain = ""
        public var p = ""
        public var sp = ""
        public var pct: Int64?
        public var adkim = ""
        public var aspf = ""
    }

    /// Messages from one source IP with one outcome.
    public struct Record: Equatable, Sendable {
        public var sourceIP = ""
        public var count: Int64 = 0
        /// none, quarantine or reject: what the receiver did.
        public var disposition = ""
        /// DMARC's own evaluation: pass when an aligned DKIM signature (or SPF) passed.
        public var dmarcDKIM = ""
        public var dmarcSPF = ""
        public var headerFrom = ""
        public var envelopeFrom = ""
        /// Every DKIM signature the receiver verified, aligned or not.
        public var signatures: [Signature] = []
    }

    /// One DKIM signature's verdict at the receiver.
    public struct Signature: Equatable, Sendable {
        public var domain = ""
        public var selector = ""
        public var result = ""
        public var humanResult = ""
    }

    /// All messages the report covers.
    public var messages: Int64 { records.reduce(0) { $0 + $1.count } }
}
