/// Where the database lives: `--db`, else `$ACCTSTAT_DB`, else
/// `$XDG_DATA_HOME/acctstat/acctstat.sqlite`, else `~/.local/share/acctstat/acctstat.sqlite`.
public enum DatabaseLocation {
    public static func resolve(explicit: String?, environment: [String: String]) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let fromEnvironment = environment["ACCTSTAT_DB"], !fromEnvironment.isEmpty { return fromEnvironment }
        if let dataHome = environment["XDG_DATA_HOME"], !dataHome.isEmpty { return dataHome + "/acctstat/acctstat.sqlite" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "."
        return home + "/.local/share/acctstat/acctstat.sqlite"
    }
}
