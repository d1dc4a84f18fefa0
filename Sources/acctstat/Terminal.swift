import Foundation

/// stderr output, and what the terminal allows.
enum Terminal {
    static func error(_ message: String) {
        write("acctstat: " + message + "\n")
    }

    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    static var stderrIsTTY: Bool { isatty(STDERR_FILENO) == 1 }
    static var stdoutIsTTY: Bool { isatty(STDOUT_FILENO) == 1 }
}
