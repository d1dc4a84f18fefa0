#if canImport(Glibc)
import Glibc
#endif

/// Expands the paths given to `ingest` into the files to probe.
///
/// Directories are walked recursively in name order; symbolic links to directories
/// are not followed (they loop too easily under /var/log). Whether a file holds
/// accounting data is decided later, from its content; the name only decides how
/// loudly a non-accounting file is reported (see ``looksLikeAccounting(name:)``).
public enum InputFinder {
    /// A file to probe, and whether the user named it directly.
    public struct Candidate: Equatable, Sendable {
        public let path: String
        public let named: Bool
    }

    /// An entry of a walked folder that is not read, and why: a link that leads nowhere or to a
    /// folder (not followed: links loop too easily under /var/log), a FIFO, a socket or a device.
    public struct Skipped: Equatable, Sendable {
        public let path: String
        public let reason: String
    }

    /// The files under `paths`, in a stable order, the paths that could not be read, and the
    /// entries of walked folders that are not regular files.
    public static func find(in paths: [String]) -> (files: [Candidate], errors: [InputError], skipped: [Skipped]) {
        var files: [Candidate] = []
        var errors: [InputError] = []
        var skipped: [Skipped] = []
        for path in paths {
            if path == InputFile.stdinPath {
                files.append(Candidate(path: path, named: true))
                continue
            }
            var info = stat()
            guard stat(path, &info) == 0 else {
                errors.append(InputError(path: path, reason: String(cString: strerror(errno))))
                continue
            }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                walk(directory: path, into: &files, errors: &errors, skipped: &skipped)
            } else {
                files.append(Candidate(path: path, named: true))
            }
        }
        return (files, errors, skipped)
    }

    /// True for names PowerMTA, logrotate or operators give accounting files:
    /// `acct-2026-11-28-0000.csv`, `accounting-20261128.csv`, `acct.csv.1`, `acct.csv.2.gz`,
    /// `acct.csv-20261128.gz`, `diag.csv`. A file with such a name that is not accounting
    /// data is reported as a problem; other files are skipped quietly.
    public static func looksLikeAccounting(name: String) -> Bool {
        let lower = name.lowercased()
        return lower.contains(".csv") || lower.hasPrefix("acct") || lower.hasPrefix("accounting")
    }

    private static func walk(directory: String, into files: inout [Candidate], errors: inout [InputError], skipped: inout [Skipped]) {
        guard let handle = opendir(directory) else {
            errors.append(InputError(path: directory, reason: String(cString: strerror(errno))))
            return
        }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        closedir(handle)
        for name in names.sorted() {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                walk(directory: path, into: &files, errors: &errors, skipped: &skipped)
            case S_IFREG:
                files.append(Candidate(path: path, named: false))
            case S_IFLNK:
                var target = stat()
                if stat(path, &target) != 0 {
                    skipped.append(Skipped(path: path, reason: errno == ELOOP ? "a symbolic link loop" : "a symbolic link to nothing"))
                } else if (target.st_mode & S_IFMT) == S_IFREG {
                    files.append(Candidate(path: path, named: false))
                } else if (target.st_mode & S_IFMT) == S_IFDIR {
                    skipped.append(Skipped(path: path, reason: "a symbolic link to a folder (not followed)"))
                } else {
                    skipped.append(Skipped(path: path, reason: "a symbolic link to something other than a file"))
                }
            case S_IFIFO:
                skipped.append(Skipped(path: path, reason: "a FIFO (name it on the command line to read it as a stream)"))
            default:
                skipped.append(Skipped(path: path, reason: "not a regular file (a socket or a device)"))
            }
        }
    }
}
