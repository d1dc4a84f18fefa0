import AcctStatCore
import ArgumentParser

@main
struct AcctStat: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "acctstat",
        abstract: "DKIM evidence from PowerMTA accounting logs.",
        discussion: """
            Ingest accounting files (plain or gzipped) into SQLite, exactly once, then ask what DKIM is doing where your mail goes.

              acctstat ingest /var/log/pmta
              acctstat report --since 7d
              acctstat report --since 7d --format html --output dkim.html
              acctstat check --since 1h --min-pass-rate 0.98 --max-age 30m
              acctstat selectors

            The database is --db, else $ACCTSTAT_DB, else $XDG_DATA_HOME/acctstat/acctstat.sqlite (~/.local/share/acctstat/acctstat.sqlite when XDG_DATA_HOME is unset).

            Data goes to stdout; progress and diagnostics go to stderr. Run 'acctstat help <subcommand>' for each command's options and examples.
            """,
        version: AcctStatVersion.current,
        subcommands: [Ingest.self, ReportCommand.self, Selectors.self, DMARC.self, Check.self, ExportCommand.self, SQL.self, Keys.self, Files.self,
                      Verify.self, Prune.self, MetricsCommand.self, Classify.self])

    /// Runs the command. A database failure ends any command with exit 2 and one line on stderr;
    /// `check` turns every failure, usage errors included, into its one UNKNOWN line (exit 3),
    /// which is what a monitoring system shows.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let isCheck = arguments.first == "check"
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch let error as StoreError where !isCheck {
            Terminal.error(error.description)
            exit(withError: ExitStatus.failure.exitCode)
        } catch where isCheck && !(error is ExitCode) && exitCode(for: error) != .success {
            let message = error is StoreError ? "\(error)" : fullMessage(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            print("DKIM UNKNOWN - " + (message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message))
            exit(withError: ExitCode(HealthCheck.Status.unknown.rawValue))
        } catch {
            exit(withError: error)
        }
    }
}

/// `--format table|csv|json` of the commands that print one table (files, keys, selectors, sql).
extension TableFormat: ExpressibleByArgument {}
