import AcctStatCore
import ArgumentParser
import Foundation

/// `--pmta-config`, shared by ingest, selectors and keys.
struct PMTAConfigOptions: ParsableArguments {
    static let defaultPath = "/etc/pmta/config"

    @Option(help: ArgumentHelp("The PowerMTA configuration that signs the mail (default: \(defaultPath) when it exists). "
                               + "Gives records without DKIM evidence the selector of the key that signed them.",
                               valueName: "file"))
    var pmtaConfig: String?

    func validate() throws {
        if let pmtaConfig, !FileManager.default.fileExists(atPath: pmtaConfig) {
            throw ValidationError("no PowerMTA configuration at \(pmtaConfig)")
        }
    }

    /// The configuration, or nil when none was given and the default does not exist.
    func load() -> PMTAConfig? {
        if let pmtaConfig { return PMTAConfig(path: pmtaConfig) }
        return FileManager.default.fileExists(atPath: Self.defaultPath) ? PMTAConfig(path: Self.defaultPath) : nil
    }
}
