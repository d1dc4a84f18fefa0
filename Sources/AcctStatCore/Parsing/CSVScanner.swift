/// A streaming RFC 4180 record scanner that works on raw bytes.
///
/// Notes for the next maintainer (the design follows rust-csv's csv-core):
/// - The scanner owns one buffer of `chunkSize + maxRecordBytes` bytes. It reads a chunk
///   behind the unfinished record, scans it, and hands each complete record to the
///   caller as byte ranges into the buffer. Nothing is allocated per record or field.
/// - State survives chunk boundaries: a chunk can end inside a quoted field, between a
///   doubled quote, or between CR and LF. A CR at the very end of a chunk is left
///   unread until the next byte is known, so CRLF is always one line end.
/// - It always produces *a* parse. Bad input becomes a ``CSVScanner/Problem`` and the
///   scan goes on:
///   * a record longer than `maxRecordBytes` is dropped and skipped to its real end;
///   * a quote that never closes (it reaches the end of the data, or grows past the
///     limit) drops its record, and scanning resumes on the line after the one where
///     the record began, so one stray quote costs one record, not the rest of the file.
/// - An unterminated last record is emitted only when the caller says the data is
///   complete (a finished gzip, stdin, a settled file); otherwise it is left unread,
///   and ``checkpoint`` stops before it, so a growing file resumes there next time.
/// - Line numbers count LF, CRLF and lone CR, including those inside quoted fields.
/// See https://www.rfc-editor.org/rfc/rfc4180
public final class CSVScanner {
    /// A record the scanner had to drop or repair.
    public struct Problem: Sendable, Equatable {
        public enum Kind: String, Sendable { case recordTooLong = "record-too-long", unterminatedQuote = "unterminated-quote" }
        public let kind: Kind
        public let line: Int
    }

    /// Where scanning may resume: everything before `offset` has been handed out or dropped.
    public struct Checkpoint: Sendable, Equatable {
        public var offset: Int64
        public var line: Int

        public init(offset: Int64, line: Int) {
            self.offset = offset
            self.line = line
        }

        /// The start of a stream.
        public static let start = Checkpoint(offset: 0, line: 1)
    }

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }

    public let maxRecordBytes: Int
    public let maxFields: Int
    private let chunkSize: Int
    private let buffer: UnsafeMutableRawBufferPointer
    private let starts: UnsafeMutablePointer<Int32>
    private let ends: UnsafeMutablePointer<Int32>
    private let flags: UnsafeMutablePointer<UInt8>

    private var bufferOffset: Int64          // stream offset of buffer[0]
    private var recordStart = 0              // buffer index where the pending record starts
    private var pos = 0                      // next buffer index to examine
    private var end = 0                      // end of valid bytes
    private var state = State.fieldStart
    private var fieldStart = 0               // relative to recordStart
    private var fieldFlags: UInt8 = 0
    private var fieldCount = 0
    private var fieldsTrimmed = false
    private var line: Int
    private var recordLine: Int
    private var quoteNewline: (index: Int, line: Int)?   // first line end inside the open quoted field
    private var skipping = false
    private var quotedCRAtChunkEnd = false
    private var bomPending: Bool
    private var eof = false

    /// The position after the last record handed out or dropped.
    public private(set) var checkpoint: Checkpoint

    /// - Parameters:
    ///   - start: where the stream begins (0, or a checkpoint when resuming a file).
    public init(start: Checkpoint = .start, chunkSize: Int = 1 << 18,
                maxRecordBytes: Int = 1 << 20, maxFields: Int = 4096) {
        self.chunkSize = max(1, chunkSize)
        self.maxRecordBytes = maxRecordBytes
        self.maxFields = maxFields
        // The delimiter search reads whole 64-byte blocks, so the last one may reach past the
        // buffer; the room after it is zeroed once, so no read sees uninitialized memory.
        let capacity = self.chunkSize + maxRecordBytes + 8
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity + DelimiterMasks.readAhead, alignment: 64)
        storage.initializeMemory(as: UInt8.self, repeating: 0)
        self.buffer = UnsafeMutableRawBufferPointer(rebasing: storage[..<capacity])
        self.starts = .allocate(capacity: maxFields)
        self.ends = .allocate(capacity: maxFields)
        self.flags = .allocate(capacity: maxFields)
        self.bufferOffset = start.offset
        self.line = start.line
        self.recordLine = start.line
        self.checkpoint = start
        self.bomPending = start.offset == 0
    }

    deinit {
        buffer.deallocate()
        starts.deallocate()
        ends.deallocate()
        flags.deallocate()
    }

    /// Scans `source` to its end.
    ///
    /// - Parameters:
    ///   - endIsComplete: asked once at the end of the data; true when a last record without
    ///     a line end is whole (the file will not grow any more).
    ///   - onRecord: receives every non-empty record. The view is valid only during the call.
    ///   - onProblem: receives every dropped record.
    public func scan(_ source: ByteSource, endIsComplete: () -> Bool,
                     onRecord: (CSVRecord) -> Void, onProblem: (Problem) -> Void) {
        while true {
            if pos == end || needsLookahead() {
                if eof { break }
                refill(from: source)
                continue
            }
            scanAvailable(onRecord: onRecord, onProblem: onProblem)
            if !skipping && end - recordStart > maxRecordBytes {
                overflow(onProblem: onProblem)
            }
        }
        finish(complete: endIsComplete(), onRecord: onRecord, onProblem: onProblem)
    }

    /// True when the next byte cannot be judged without more data (a BOM, or a CR that may precede LF).
    private func needsLookahead() -> Bool {
        if eof { return false }
        if bomPending { return end - pos < 3 }
        return pos == end - 1 && buffer[pos] == UInt8(ascii: "\r")
    }

    private func refill(from source: ByteSource) {
        if skipping { recordStart = pos }
        if recordStart > 0 {
            let keep = end - recordStart
            if keep > 0 {
                buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + recordStart, byteCount: keep)
            }
            bufferOffset += Int64(recordStart)
            pos -= recordStart
            end = keep
            if let newline = quoteNewline { quoteNewline = (newline.index - recordStart, newline.line) }
            recordStart = 0
        }
        let room = buffer.count - end
        let got = room > 0 ? source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[end..<end + min(room, chunkSize)])) : 0
        if got == 0 { eof = true } else { end += got }
    }

    private func scanAvailable(onRecord: (CSVRecord) -> Void, onProblem: (Problem) -> Void) {
        let bytes = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: UInt8.self)
        if bomPending {
            bomPending = false
            if end - pos >= 3, bytes[pos] == 0xEF, bytes[pos + 1] == 0xBB, bytes[pos + 2] == 0xBF {
                pos += 3
                recordStart = pos
                checkpoint.offset = bufferOffset + Int64(pos)
            }
        }
        var i = pos
        let limit = end
        // Fresh for each pass: a refill moves the bytes.
        var stops = DelimiterMasks()
        while i < limit {
            switch state {
            case .fieldStart:
                let byte = bytes[i]
                if byte == UInt8(ascii: "\"") {
                    state = .quoted
                    fieldStart = i + 1 - recordStart
                    fieldFlags = CSVRecord.quotedFlag
                    i += 1
                    continue
                }
                state = .unquoted
                fieldStart = i - recordStart
                fieldFlags = 0
                fallthrough
            case .unquoted:
                var j = stops.next(in: bytes, from: i, limit: limit, inQuotes: false)
                // Most fields are unquoted and end at a comma before another unquoted field:
                // those stay in this loop, without the state machine.
                while j + 1 < limit, bytes[j] == UInt8(ascii: ","), bytes[j + 1] != UInt8(ascii: "\""), fieldCount < maxFields {
                    starts[fieldCount] = Int32(fieldStart)
                    ends[fieldCount] = Int32(j - recordStart)
                    flags[fieldCount] = fieldFlags
                    fieldCount += 1
                    fieldStart = j + 1 - recordStart
                    fieldFlags = 0
                    j = stops.next(in: bytes, from: j + 1, limit: limit, inQuotes: false)
                }
                i = j
                if j == limit { break }
                if !endField(at: j, delimiter: bytes[j], nextIndex: &i, onRecord: onRecord, onProblem: onProblem) { pos = i; return }
            case .quoted:
                var j = i
                while true {
                    j = stops.next(in: bytes, from: j, limit: limit, inQuotes: true)
                    if j == limit || bytes[j] == UInt8(ascii: "\"") { break }
                    // Inside quotes, LF ends a line, and so does a CR not followed by LF.
                    let byte = bytes[j]
                    if byte == UInt8(ascii: "\n") || (j + 1 == limit || bytes[j + 1] != UInt8(ascii: "\n")) {
                        if quoteNewline == nil { quoteNewline = (j, line) }
                        // An LF that opens the chunk pairs with the CR that ended the last one.
                        if !(byte == UInt8(ascii: "\n") && j == i && quotedCRAtChunkEnd) { line += 1 }
                    }
                    j += 1
                }
                // A CR that ends the chunk was counted; an LF that starts the next one is its pair.
                quotedCRAtChunkEnd = j == limit && j > i && bytes[j - 1] == UInt8(ascii: "\r")
                i = j
                if j == limit { break }
                state = .quoteInQuoted
                i += 1
            case .quoteInQuoted:
                let byte = bytes[i]
                if byte == UInt8(ascii: "\"") {
                    fieldFlags |= CSVRecord.escapedFlag
                    state = .quoted
                    i += 1
                } else if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                    // The field's content ends before the closing quote.
                    if !endField(at: i, delimiter: byte, nextIndex: &i, onRecord: onRecord, onProblem: onProblem, closingQuote: true) { pos = i; return }
                } else {
                    // Text after a closing quote: keep it, lenient like most readers.
                    fieldFlags |= CSVRecord.escapedFlag
                    state = .unquoted
                }
            }
        }
        pos = i
    }

    /// Closes the current field at `index`; on a line end, also the record.
    /// Returns false when a CR needs the next byte, which is not in the buffer yet.
    @inline(__always)
    private func endField(at index: Int, delimiter: UInt8, nextIndex: inout Int,
                          onRecord: (CSVRecord) -> Void, onProblem: (Problem) -> Void, closingQuote: Bool = false) -> Bool {
        var after = index + 1
        if delimiter == UInt8(ascii: "\r") {
            if index + 1 == end && !eof { nextIndex = index; return false }
            if index + 1 < end && buffer[index + 1] == UInt8(ascii: "\n") { after += 1 }
        }
        closeField(contentEnd: closingQuote ? index - 1 : index)
        nextIndex = after
        if delimiter != UInt8(ascii: ",") {
            line += 1
            endRecord(at: after, onRecord: onRecord, onProblem: onProblem)
        }
        return true
    }

    /// Appends the field that ends at buffer index `contentEnd` (exclusive).
    @inline(__always)
    private func closeField(contentEnd: Int) {
        if state == .fieldStart {
            // Nothing after the last delimiter: an empty field.
            fieldStart = contentEnd - recordStart
            fieldFlags = 0
        }
        if fieldCount < maxFields {
            starts[fieldCount] = Int32(fieldStart)
            ends[fieldCount] = Int32(max(contentEnd - recordStart, fieldStart))
            flags[fieldCount] = fieldFlags
            fieldCount += 1
        } else {
            fieldsTrimmed = true
        }
        state = .fieldStart
    }

    private func endRecord(at next: Int, onRecord: (CSVRecord) -> Void, onProblem: (Problem) -> Void) {
        if !skipping && next - recordStart > maxRecordBytes {
            // Too long, but it fit in one chunk: drop it all the same, so the limit never depends on chunking.
            onProblem(Problem(kind: .recordTooLong, line: recordLine))
            skipping = true
        }
        // The checkpoint moves past the record before the caller sees it, so a caller that
        // commits inside `onRecord` stores the position after this record.
        let (count, trimmed, line, start) = (fieldCount, fieldsTrimmed, recordLine, recordStart)
        let wasSkipping = skipping
        resetRecord(at: next)
        if !wasSkipping, !(count == 1 && starts[0] == ends[0] && flags[0] == 0) {
            let record = CSVRecord(
                bytes: UnsafeRawBufferPointer(start: buffer.baseAddress! + start, count: next - start),
                fieldCount: count, starts: starts, ends: ends, flags: flags,
                fieldsTrimmed: trimmed, line: line, endOffset: bufferOffset + Int64(next))
            onRecord(record)
        }
    }

    private func resetRecord(at next: Int) {
        skipping = false
        recordStart = next
        fieldCount = 0
        fieldsTrimmed = false
        fieldStart = 0
        state = .fieldStart
        quoteNewline = nil
        recordLine = line
        checkpoint = Checkpoint(offset: bufferOffset + Int64(next), line: line)
    }

    private func overflow(onProblem: (Problem) -> Void) {
        if state == .quoted, let newline = quoteNewline {
            onProblem(Problem(kind: .unterminatedQuote, line: recordLine))
            resumeAfter(newline)
        } else {
            onProblem(Problem(kind: .recordTooLong, line: recordLine))
            skipping = true
        }
    }

    /// Drops the pending record and rescans from the line after the quote's first line end.
    private func resumeAfter(_ newline: (index: Int, line: Int)) {
        var next = newline.index + 1
        if buffer[newline.index] == UInt8(ascii: "\r"), next < end, buffer[next] == UInt8(ascii: "\n") { next += 1 }
        line = newline.line + 1
        pos = next
        resetRecord(at: next)
    }

    private func finish(complete: Bool, onRecord: (CSVRecord) -> Void, onProblem: (Problem) -> Void) {
        while true {
            if skipping {
                if complete { skipping = false; resetRecord(at: end) }
                return
            }
            let pending = recordStart < end || fieldCount > 0 || state != .fieldStart
            guard pending, complete else { return }
            if state == .quoted {
                onProblem(Problem(kind: .unterminatedQuote, line: recordLine))
                guard let newline = quoteNewline else { resetRecord(at: end); return }
                resumeAfter(newline)
                scanAvailable(onRecord: onRecord, onProblem: onProblem)
                continue
            }
            // The last record has no line end: close it as if it had one.
            closeField(contentEnd: state == .quoteInQuoted ? end - 1 : end)
            line += 1
            endRecord(at: end, onRecord: onRecord, onProblem: onProblem)
            return
        }
    }
}
