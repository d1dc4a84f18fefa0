#if canImport(Glibc)
import Glibc
#endif

/// What one ingest worker has decoded, kept across the files it reads: the ``NameTable`` its
/// local ids refer to, and each distinct field value's decoded form by its bytes (``ByteCache``).
/// A day's file holds most of the domains, vmtas and verdicts of the day before, so each is
/// decoded and named once per worker, not once per file.
final class DecodedFields {
    /// A verdict as the hot loop needs it: names already turned into local ids.
    struct CachedVerdict {
        var result: DKIMResult
        var cause: FailureCause?
        var signingDomain: Int32
        var selector: Int32
        var detail: Int32
        /// The verdicts of the record's other signatures (most records have one: empty, no allocation).
        var otherSignatures: [OtherSignature]
    }

    /// One of a record's other signatures' verdicts, counted for its own selector.
    struct OtherSignature {
        var result: DKIMResult
        var cause: FailureCause?
        var signingDomain: Int32
        var selector: Int32
    }

    let names: NameTable
    fileprivate var domains = ByteCache<Int32?>()                 // rcpt domain bytes -> local id; nil: not a valid domain
    fileprivate var vmtas = ByteCache<Int32>()
    /// Source IPs by their bytes → index in ``sourceIPs``.
    fileprivate var sourceIPIds = ByteCache<Int32>()
    fileprivate(set) var sourceIPs: [String] = []
    fileprivate var mxHosts = ByteCache<MailboxHost?>(byteLimit: RecordInterpreter.cacheBytesLimit)
    fileprivate var lastMX = LastMXHosts()
    fileprivate var verdicts = ByteCache<(verdict: CachedVerdict?, problem: Bool, invalidUTF8: Bool)>(byteLimit: RecordInterpreter.cacheBytesLimit)
    fileprivate var replies = ByteCache<(cause: FailureCause?, detail: Int32, invalidUTF8: Bool)>(byteLimit: RecordInterpreter.cacheBytesLimit)
    fileprivate var texts = ByteCache<String>(byteLimit: RecordInterpreter.cacheBytesLimit)
    fileprivate var tags = ByteCache<(domain: Int32, selector: Int32)>(byteLimit: RecordInterpreter.cacheBytesLimit)
    /// Selectors attributed by the configuration, which is the same for every file of a run.
    fileprivate var attributed = ByteCache<(domain: Int32, selector: Int32)?>(byteLimit: RecordInterpreter.cacheBytesLimit)

    init(names: NameTable = NameTable()) {
        self.names = names
    }

    /// What the worker's next file starts with: these fields, or new ones once their names take
    /// more than `limit` bytes (a long tail of distinct texts would otherwise grow for the whole run).
    func forNextFile(limit: Int) -> DecodedFields {
        names.memoryBytes > limit ? DecodedFields() : self
    }
}

/// Turns scanned records into counts, failure rows and problems, for one file.
///
/// This is the hot loop. Fields stay bytes; each distinct value of a field acctstat keeps
/// (time stamp, domain, vmta, verdict, reply, signature) is decoded and classified once
/// per worker, through the ``DecodedFields`` it shares with the worker's other files, and
/// then reused by id.
final class RecordInterpreter {
    /// Longest diagnostic text kept in a failure row.
    static let detailLimit = 300
    /// Distinct source IPs a worker keeps.
    static let sourceIPLimit = 4096
    /// Caches of texts with a long tail (replies, verdicts) are emptied past this many bytes.
    static let cacheBytesLimit = 8 << 20

    let path: String
    private let decoded: DecodedFields
    private var names: NameTable { decoded.names }
    private let dkimField: String?
    private(set) var header: HeaderMap?
    var batch: IngestBatch

    private var times = TimestampCache()
    private let attribution: KeyAttribution?
    /// Records attributed by configuration although they are older than the configuration file.
    private(set) var olderThanConfig: Int64 = 0
    private var keyBuffer: [UInt8] = []

    /// Which records are counted by minute too, and which are stamped in the future.
    private let clock: RecordClock

    init(path: String, decoded: DecodedFields, dkimField: String?, attribution: KeyAttribution?, position: FilePosition,
         clock: RecordClock) {
        self.clock = clock
        self.path = path
        self.decoded = decoded
        self.dkimField = dkimField
        self.attribution = attribution
        self.batch = IngestBatch(position: position)
        if let stored = position.header { header = HeaderMap(storedForm: stored, dkimField: dkimField) }
    }

    func problem(_ kind: ProblemKind, line: Int?, _ message: String) {
        batch.problems.record(ProblemSample(kind: kind, path: path, line: line, message: message))
    }

    /// Handles one record; `true` when it was a data record (counted or not).
    @discardableResult
    func interpret(_ record: CSVRecord) -> Bool {
        let typeField = record.raw(0)
        if isHeader(typeField) {
            adoptHeader(record)
            return false
        }
        guard let header else {
            problem(.missingColumn, line: record.line, "record before any header line; skipped")
            return true
        }
        guard let type = RecordType(bytes: typeField) else {
            problem(.unknownType, line: record.line, "unknown record type '\(record.string(0).prefix(20))'; skipped")
            return true
        }
        guard let timeColumn = header.timeLogged else {
            problem(.missingColumn, line: record.line, "the header has no timeLogged column; record skipped")
            return true
        }
        checkWidth(record, header: header)
        guard let time = times.epoch(record.raw(timeColumn)) else {
            problem(.badTime, line: record.line, "unreadable timeLogged '\(record.string(timeColumn).prefix(40))'; record skipped")
            return true
        }
        let hour = floorDivide(time, 3600)
        var key = CountKey(hour: Int32(truncatingIfNeeded: hour), type: type, rcptDomain: 0,
                           signingDomain: 0, selector: 0, result: .unknown, cause: nil, vmta: 0, source: .none, keySource: .none)
        if type.hasRecipient { key.rcptDomain = recipientDomain(record, header: header) }
        if let column = header.vmta { key.vmta = vmta(record.raw(column)) }
        if type == .delivered || type.carriesReceiverReply { key.mailboxHost = mailboxHost(record, header: header, domain: key.rcptDomain) }

        var detail: Int32 = 0
        let verdict = verdict(record, header: header)
        if let verdict {
            key.result = verdict.result
            key.cause = verdict.cause
            key.signingDomain = verdict.signingDomain
            key.selector = verdict.selector
            key.source = .column
            detail = verdict.detail
        } else if type.carriesReceiverReply, let column = header.dsnDiag, let (cause, textId) = reply(record, column: column) {
            key.result = .fail
            key.cause = cause
            key.source = .reply
            detail = textId
        }
        if key.signingDomain == 0 || key.selector == 0 { signatureTags(record, header: header, into: &key) }
        if key.signingDomain != 0 || key.selector != 0 { key.keySource = .evidence }
        if key.selector == 0, let attribution { attribute(record, header: header, time: time, attribution: attribution, into: &key) }

        let minute = time >= clock.minutesFrom ? UInt8(truncatingIfNeeded: (time - hour * 3600) / 60) : CountTable.noMinutes
        batch.counts.add(key, minute: minute)
        if let others = verdict?.otherSignatures, !others.isEmpty {
            countOtherSignatures(others, of: key, minute: minute, time: time)
        }
        if type == .delivered, let column = header.dlvSourceIp, time <= clock.futureAfter { includeSourceIP(record.raw(column), time: time) }
        if time > batch.newestRecord {
            // A record stamped in the future is counted, but moves no clock: "newest record", the
            // default report window, `check --max-age` and last-seen times stay with the present.
            if time > clock.futureAfter {
                problem(.futureTime, line: record.line, "timeLogged \(ReportTimeZone.utc.iso(time)) is more than an hour after "
                        + "this ingest's clock; counted, but it moves neither the newest record nor last-seen times")
            } else {
                batch.newestRecord = time
            }
        }
        if key.signingDomain != 0, key.selector != 0, time <= clock.futureAfter {
            batch.seen.include(SigningKey(domain: key.signingDomain, selector: key.selector), time: time)
        }
        batch.position.records += 1
        if key.source != .none && key.result != .pass {
            batch.failures.append(FailureRow(
                time: time, key: key,
                jobId: header.jobId.flatMap { nonEmptyString(record, $0) },
                dsnStatus: header.dsnStatus.flatMap { nonEmptyString(record, $0) },
                detail: detail, line: record.line))
        }
        return true
    }

    /// Counts each other signature's verdict for its own signing domain and selector, with the
    /// record's hour, type, recipient and vmta (``IngestBatch/otherSignatures``).
    private func countOtherSignatures(_ others: [DecodedFields.OtherSignature], of record: CountKey, minute: UInt8, time: Int64) {
        for other in others {
            var key = record
            key.result = other.result
            key.cause = other.cause
            key.signingDomain = other.signingDomain
            key.selector = other.selector
            key.source = .column
            key.keySource = other.signingDomain != 0 || other.selector != 0 ? .evidence : .none
            batch.otherSignatures.add(key, minute: minute)
            if key.signingDomain != 0, key.selector != 0, time <= clock.futureAfter {
                batch.seen.include(SigningKey(domain: key.signingDomain, selector: key.selector), time: time)
            }
        }
    }

    // MARK: - Header

    private func isHeader(_ field: UnsafeRawBufferPointer) -> Bool {
        var bytes = field
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = UnsafeRawBufferPointer(rebasing: bytes[3...]) }
        return bytes.count == 4 && (bytes[0] | 0x20) == UInt8(ascii: "t") && (bytes[1] | 0x20) == UInt8(ascii: "y")
            && (bytes[2] | 0x20) == UInt8(ascii: "p") && (bytes[3] | 0x20) == UInt8(ascii: "e")
    }

    private func adoptHeader(_ record: CSVRecord) {
        var columnNames = (0..<record.fieldCount).map { record.string($0) }
        columnNames[0] = "type"
        let map = HeaderMap(names: columnNames, dkimField: dkimField)
        if header != nil {
            problem(.repeatedHeader, line: record.line, "header line repeated mid-file (a PowerMTA reload?); columns re-mapped")
        }
        for name in map.duplicates {
            problem(.duplicateColumn, line: record.line, "column '\(name)' appears more than once; the first is used")
        }
        if !map.isUsable {
            problem(.missingColumn, line: record.line, "header has no timeLogged column; records under it cannot be counted")
        }
        header = map
        batch.position.header = map.storedForm
    }

    private func checkWidth(_ record: CSVRecord, header: HeaderMap) {
        let expected = header.names.count
        if record.fieldCount < expected {
            problem(.shortRow, line: record.line, "\(record.fieldCount) fields where the header has \(expected); padded with empty fields")
        } else if record.fieldsTrimmed || (expected..<record.fieldCount).contains(where: { record.raw($0).count > 0 }) {
            // Extra empty fields (a trailing comma, as in PowerMTA's own samples) are harmless.
            problem(.longRow, line: record.line, "\(record.fieldCount) fields where the header has \(expected); extra fields ignored")
        }
    }

    // MARK: - Fields

    private func recipientDomain(_ record: CSVRecord, header: HeaderMap) -> Int32 {
        guard let column = header.rcpt else {
            problem(.missingRecipient, line: record.line, "no rcpt column; recipient domain unknown")
            return 0
        }
        let rcpt = record.raw(column)
        guard let at = rcpt.lastIndex(ofByte: UInt8(ascii: "@")) else {
            problem(.missingRecipient, line: record.line, rcpt.isEmpty ? "empty rcpt; recipient domain unknown"
                                                                      : "rcpt has no '@'; recipient domain unknown")
            return 0
        }
        let domainBytes = UnsafeRawBufferPointer(rebasing: rcpt[(at + 1)...])
        let domain = decoded.domains.value(for: domainBytes) {
            let name = record.needsUnescaping(column) ? record.withField(column) { DomainName.ofAddress($0) }
                                                      : DomainName.ofAddress(rcpt)
            return name.map { names.id(.domain, $0) }
        }
        guard let id = domain else {
            let valid = String(validating: domainBytes, as: UTF8.self) != nil
            problem(valid ? .missingRecipient : .invalidUTF8, line: record.line,
                    valid ? "rcpt has no usable domain; recipient domain unknown" : "rcpt domain is not valid UTF-8; recipient domain unknown")
            return 0
        }
        return id
    }

    /// Widens the first and last seen of the address a delivery left from.
    private func includeSourceIP(_ bytes: UnsafeRawBufferPointer, time: Int64) {
        guard !bytes.isEmpty else { return }
        let id = Int(decoded.sourceIPIds.value(for: bytes) {
            // A host has tens of addresses: past a few thousand distinct values the column is not what it says.
            guard decoded.sourceIPs.count < Self.sourceIPLimit else { return -1 }
            decoded.sourceIPs.append(String(decoding: bytes, as: UTF8.self).lowercased())
            return Int32(decoded.sourceIPs.count - 1)
        })
        guard id >= 0 else { return }
        if id >= batch.sourceIPs.names.count { batch.sourceIPs.names = decoded.sourceIPs }
        batch.sourceIPs.include(id, time: time)
    }

    private func vmta(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        decoded.vmtas.value(for: bytes) { names.id(.vmta, String(decoding: bytes, as: UTF8.self)) }
    }

    /// The provider of the receiving MX: `dsnMta`'s host name, or without a `dsnMta` column, the
    /// provider's mark in the reply (``MailboxHost``).
    private func mailboxHost(_ record: CSVRecord, header: HeaderMap, domain: Int32) -> MailboxHost? {
        if let column = header.dsnMta {
            let host = MailboxHost.hostName(ofDSNMta: record.raw(column))
            guard host.count > 0 else { return nil }
            if let known = decoded.lastMX.provider(domain: domain, host: host) { return known }
            let provider = decoded.mxHosts.value(for: host) { MailboxHost(mxHost: String(decoding: host, as: UTF8.self)) }
            decoded.lastMX.remember(domain: domain, host: host, provider: provider)
            return provider
        }
        guard let column = header.dsnDiag, record.raw(column).count > 0 else { return nil }
        return MailboxHost(reply: record.string(column))
    }

    /// The verdict of the first non-empty verdict column, with its names and reason as ids.
    private func verdict(_ record: CSVRecord, header: HeaderMap) -> DecodedFields.CachedVerdict? {
        for column in header.verdicts where record.raw(column).count > 0 {
            record.withField(column) { VerdictKey.extract($0, into: &keyBuffer) }
            let cached = keyBuffer.withUnsafeBytes { key in
                decoded.verdicts.value(for: key) {
                    let (text, valid) = decode(key)
                    switch VerdictParser.parse(text) {
                    case .verdict(let parsed, let others):
                        let evidence = Evidence(verdict: parsed)
                        let otherSignatures = others.map { other in
                            let evidence = Evidence(verdict: other)
                            return DecodedFields.OtherSignature(result: evidence.result, cause: evidence.cause,
                                                                signingDomain: names.id(.domain, evidence.signingDomain),
                                                                selector: names.id(.selector, evidence.selector))
                        }
                        return (DecodedFields.CachedVerdict(
                            result: evidence.result, cause: evidence.cause, signingDomain: names.id(.domain, evidence.signingDomain),
                            selector: names.id(.selector, evidence.selector),
                            detail: evidence.result == .pass ? 0 : names.id(.detail, evidence.reason.map { cut($0) }),
                            otherSignatures: otherSignatures), false, !valid)
                    case .noDKIMEntry:
                        return (nil, false, !valid)
                    case .unreadable:
                        return (nil, true, !valid)
                    }
                }
            }
            if cached.invalidUTF8 {
                problem(.invalidUTF8, line: record.line, "column '\(header.names[column])' is not valid UTF-8; read with replacement characters")
            }
            if cached.problem {
                problem(.badDKIMValue, line: record.line, "unreadable DKIM value in '\(header.names[column])': \(record.string(column).prefix(80))")
            }
            return cached.verdict
        }
        return nil
    }

    /// The receiver cause in `dsnDiag`, with the detail id of its stored form (``ReplyDetail``).
    private func reply(_ record: CSVRecord, column: Int) -> (FailureCause, Int32)? {
        let raw = record.raw(column)
        guard raw.count > 0 else { return nil }
        // Replies differ by the recipient they quote and by per-message ids; without them, they
        // repeat, and that is what is cached and stored.
        record.withField(column) { ReplyDetail.storedForm(of: $0, into: &keyBuffer) }
        let cached = keyBuffer.withUnsafeBytes { key in
            decoded.replies.value(for: key) {
                let (text, valid) = decode(key)
                let cause = CauseRules.replyCause(text)
                return (cause, cause == nil ? 0 : names.id(.detail, cut(text)), !valid)
            }
        }
        guard let cause = cached.cause else { return nil }
        if cached.invalidUTF8 {
            problem(.invalidUTF8, line: record.line, "dsnDiag is not valid UTF-8; read with replacement characters")
        }
        return (cause, cached.detail)
    }

    /// Fills a missing signing domain or selector from DKIM-Signature, X-DKIM-Options or ARF columns.
    private func signatureTags(_ record: CSVRecord, header: HeaderMap, into key: inout CountKey) {
        for column in header.signatureColumns where record.raw(column).count > 0 {
            record.withField(column) { SignatureTags.extractKey($0, into: &keyBuffer) }
            let found = keyBuffer.withUnsafeBytes { tagKey in
                decoded.tags.value(for: tagKey) {
                    let parsed = SignatureTags.parse(key: Array(tagKey))
                    return (names.id(.domain, parsed.signingDomain), names.id(.selector, parsed.selector))
                }
            }
            if key.signingDomain == 0 { key.signingDomain = found.domain }
            if key.selector == 0 { key.selector = found.selector }
        }
        if key.signingDomain == 0, let column = header.arfDKIMDomain, record.raw(column).count > 0 {
            key.signingDomain = names.id(.domain, record.withField(column) { DomainName.normalize($0) })
        }
        if key.selector == 0, let column = header.arfDKIMSelector, record.raw(column).count > 0 {
            key.selector = names.id(.selector, record.string(column).trimmingSpaces.lowercased())
        }
    }

    /// Fills the signing domain and selector from the PowerMTA configuration (``KeyAttribution``),
    /// cached by virtual MTA, author and recipient domain.
    private func attribute(_ record: CSVRecord, header: HeaderMap, time: Int64, attribution: KeyAttribution, into key: inout CountKey) {
        let authorColumn = header.headerFrom.flatMap { record.raw($0).isEmpty ? nil : $0 } ?? header.orig
        keyBuffer.removeAll(keepingCapacity: true)
        withUnsafeBytes(of: key.vmta) { keyBuffer.append(contentsOf: $0) }
        withUnsafeBytes(of: key.rcptDomain) { keyBuffer.append(contentsOf: $0) }
        if let authorColumn { record.withField(authorColumn) { keyBuffer.append(contentsOf: $0) } }
        let (vmta, recipient) = (key.vmta, key.rcptDomain)
        let configured = keyBuffer.withUnsafeBytes { cacheKey in
            decoded.attributed.value(for: cacheKey) {
                let author = authorColumn.flatMap { column in record.withField(column) { DomainName.ofAddress($0) } }
                let found = attribution.key(vmta: names.value(.vmta, vmta), author: author, recipient: names.value(.domain, recipient))
                return found.map { (names.id(.domain, $0.domain), names.id(.selector, $0.selector)) }
            }
        }
        guard let found = configured else { return }
        // Evidence that named a signing domain wins; the configuration only adds the selector of that domain's key.
        guard key.signingDomain == 0 || key.signingDomain == found.domain else { return }
        key.signingDomain = found.domain
        key.selector = found.selector
        key.keySource = .config
        if time < attribution.config.modified { olderThanConfig += 1 }
    }

    /// A short text column (jobId, dsnStatus) as a String, made once per distinct value.
    private func nonEmptyString(_ record: CSVRecord, _ column: Int) -> String? {
        guard record.raw(column).count > 0 else { return nil }
        return record.withField(column) { bytes in decoded.texts.value(for: bytes) { cut(String(decoding: bytes, as: UTF8.self)) } }
    }

    private func decode(_ bytes: UnsafeRawBufferPointer) -> (String, Bool) {
        if let valid = String(validating: bytes, as: UTF8.self) { return (valid, true) }
        return (String(decoding: bytes, as: UTF8.self), false)
    }

    private func cut(_ text: String) -> String {
        // A String has at most as many characters as UTF-8 bytes: most texts skip the character count.
        text.utf8.count <= Self.detailLimit || text.count <= Self.detailLimit ? text : String(text.prefix(Self.detailLimit - 1)) + "…"
    }
}

/// `value / divisor` rounded towards minus infinity (times before 1970 fall in their own hour or day).
@inline(__always)
public func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
    value >= 0 ? value / divisor : (value - divisor + 1) / divisor
}
