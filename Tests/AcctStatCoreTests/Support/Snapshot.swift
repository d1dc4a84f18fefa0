import Foundation
import Testing

/// Compares `actual` with the golden file `Snapshots/<name>`; records it when
/// `ACCTSTAT_RECORD_SNAPSHOTS=1` (then check the diff with git before committing).
func assertSnapshot(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Snapshots").appendingPathComponent(name).path
    if ProcessInfo.processInfo.environment["ACCTSTAT_RECORD_SNAPSHOTS"] == "1" {
        try? actual.write(toFile: path, atomically: true, encoding: .utf8)
        return
    }
    guard let expected = try? String(contentsOfFile: path, encoding: .utf8) else {
        Issue.record(Comment(rawValue: "missing snapshot \(name); run with ACCTSTAT_RECORD_SNAPSHOTS=1 to record it"),
                     sourceLocation: sourceLocation)
        return
    }
    guard actual != expected else { return }
    let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
    let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
    var diff: [String] = []
    for index in 0..<max(actualLines.count, expectedLines.count) where diff.count < 20 {
        let got = index < actualLines.count ? String(actualLines[index]) : "<none>"
        let want = index < expectedLines.count ? String(expectedLines[index]) : "<none>"
        if got != want { diff.append("line \(index + 1):\n  - \(want)\n  + \(got)") }
    }
    let message = "snapshot \(name) differs (re-record with ACCTSTAT_RECORD_SNAPSHOTS=1):\n" + diff.joined(separator: "\n")
    Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
}

/// The package's root directory.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
