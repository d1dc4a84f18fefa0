import AcctStatCore
import ArgumentParser

@main
struct AcctStat: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "acctstat",
        abstract: "DKIM evidence from PowerMTA accounting logs.",
        discussion: """
            Ingest accounting files (plain or gzipped) into SQLite, exactly once, then ask
            what DKIM is doing where your mail goes.

              acctstat ingest /var/log/pmta
              acctstat export --since 7d --format csv > week.csv
              acctstat files

            The database is --db, else $ACCTSTAT_DB, else $XDG_DATA_HOME/acctstat/acctstat.sqlite
            (~/.local/share/acctstat/acctstat.sqlite when XDG_DATA_HOME is unset).
            Data goes to stdout; progress and diagnostics go to stderr.
            """,
        subcommands: [Ingest.self, ReportCommand.self, Selectors.self, Check.self, ExportCommand.self, SQL.self, Keys.self, Files.self, Classify.self])
}
