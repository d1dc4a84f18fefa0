/// acctstat's version: the one place it is written (`acctstat --version` prints it).
public enum AcctStatVersion {
    /// The minor number follows the database schema (v7: minutes of recent hours).
    public static let current = "0.7.0"
}
