import AcctStatCore
import ArgumentParser
import Foundation

extension AcctStat {
    struct Keys: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Audit the DKIM keys in the PowerMTA configuration, and print the DNS records to publish.",
            discussion: """
            Lists every key found (domain-key directives and dkim-sign key-file= blocks, following includes): domain, selector, key file, the virtual MTAs that use it, key type and size, file permissions and owner, and the exact TXT record to publish. Joined with the database when there is one: first and last seen and volume per key. Warnings: RSA keys under 1024 bits (receivers ignore them) or under 2048, a private key readable by others, a missing or unreadable key file, two keys with one selector and domain but different contents, and a selector seen in the logs with no key.

            Examples:
              acctstat keys
              acctstat keys --pmta-config /etc/pmta/config --format csv
              acctstat keys --format json | jq -r '.keys[].txt_record'
            """)

        @OptionGroup var configOptions: PMTAConfigOptions
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var zoneOptions: ZoneOptions

        @Option(help: "table, csv or json.")
        var format: TableFormat = .table

        @Flag(help: "Plain ASCII symbols.")
        var ascii = false

        mutating func run() throws {
            guard let config = configOptions.load() else {
                Terminal.error("no PowerMTA configuration: pass --pmta-config FILE (\(PMTAConfigOptions.defaultPath) does not exist)")
                throw ExitStatus.failure.exitCode
            }
            let location = try database.location()
            let store = location.mayExist ? try? location.open(readOnly: true) : nil
            let audit = try KeyAudit.audit(config: config, store: store)
            let zone = zoneOptions.zone
            switch format {
            case .table: print(audit.text(zone: zone, style: terminalStyle(ascii: ascii)), terminator: "")
            case .csv: print(audit.csv(zone: zone), terminator: "")
            case .json: print(audit.json(zone: zone), terminator: "")
            }
            if audit.entries.contains(where: { !$0.warnings.isEmpty }) || !audit.configProblems.isEmpty { throw ExitStatus.problems.exitCode }
        }
    }
}
