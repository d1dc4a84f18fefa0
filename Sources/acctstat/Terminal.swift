import Foundation

/// stderr output, and what the terminal allows.
enum Terminal {
    static func error(_ message: String) {
        write("acctstat: " + message + "\n")
    }

    /// Says on stderr that an ingest committed while a report was read, when it did.
    static func warnIfReadDuringIngest(_ happened: Bool) {
        guard happened else { return }
        error("warning: an ingest committed while this report was read, so its parts may count different "
              + "states of the database; run it again for numbers that agree")
    }

    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    static var stderrIsTTY: Bool { isatty(STDERR_FILENO) == 1 }
    static var stdoutIsTTY: Bool { isatty(STDOUT_FILENO) == 1 }
}
