import Foundation
import Testing
@testable import AcctStatCore

/// Copies Fixtures/pmta to a temporary directory, with key paths pointing there.
func pmtaFixtures(_ dir: TemporaryDirectory) throws -> String {
    let source = packageRoot.appendingPathComponent("Tests/AcctStatCoreTests/Fixtures/pmta")
    let target = dir.file("pmta")
    try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
    for name in try FileManager.default.contentsOfDirectory(atPath: source.path) {
        var text = try String(contentsOf: source.appendingPathComponent(name), encoding: .utf8)
        text = text.replacingOccurrences(of: "@FIXTURES@", with: target)
        try text.write(toFile: target + "/" + name, atomically: true, encoding: .utf8)
        if name.hasSuffix(".pem") { chmod(target + "/" + name, 0o640) }
    }
    return target
}

@Suite struct PMTAConfigTests {
    /// `smtp-source-host IP NAME`: the addresses mail leaves from, the sender's own for `dmarc`.
    @Test func sourceHostsAreTheOwnAddresses() throws {
        let dir = TemporaryDirectory()
        let path = dir.write("config", """
            smtp-source-host 198.51.100.9 mta9.example.org
            <virtual-mta vmta-a>
                smtp-source-host 198.51.100.7 mta1.example.org
                smtp-source-host 2001:DB8::25  mta1.example.org
            </virtual-mta>
            <virtual-mta vmta-b>
                smtp-source-host 198.51.100.7 mta1.example.org
            </virtual-mta>

            """)
        #expect(PMTAConfig(path: path).sourceIPs == ["198.51.100.9", "198.51.100.7", "2001:db8::25"])
    }

    @Test func readsBothKeySyntaxesPoolsDomainsAndIncludes() throws {
        let dir = TemporaryDirectory()
        let fixtures = try pmtaFixtures(dir)
        let config = PMTAConfig(path: fixtures + "/config")
        #expect(config.keys.map { "\($0.vmta ?? "*") \($0.domain)/\($0.selector) \(($0.keyFile as NSString).lastPathComponent)" } == [
            "* example.org/global global.pem",
            "vmta-a news.example.com/s2026a news-2026a.pem",
            "vmta-a mail.shop.example/k1 shop-k1.pem",
            "vmta-b news.example.com/s2026b news-2026b.pem",
            "vmta-c news.example.com/s2026a news-2026a.pem",
            "vmta-d news.example.com/s2026b global.pem",
        ])
        #expect(config.pools == ["pool-1": ["vmta-a", "vmta-b"]])
        #expect(config.signing == ["gmail.com": true, "unsigned.example": false])
        #expect(config.files.count == 2)
        #expect(config.problems.map(\.description) == [
            "\(fixtures)/extra.conf:2: domain-key needs SELECTOR,DOMAIN,KEYFILE; got 'broken-line-without-fields'",
        ])
        #expect(config.keys[1].location == "\(fixtures)/config:8")
    }

    @Test func attributionFollowsVMTAPoolAuthorDomainAndGlobalKeys() throws {
        let dir = TemporaryDirectory()
        let attribution = KeyAttribution(config: PMTAConfig(path: try pmtaFixtures(dir) + "/config"))
        func selector(_ vmta: String?, _ author: String?, _ recipient: String = "gmail.com") -> String? {
            attribution.key(vmta: vmta, author: author, recipient: recipient).map { "\($0.domain)/\($0.selector)" }
        }
        #expect(selector("vmta-a", "news.example.com") == "news.example.com/s2026a")
        #expect(selector("vmta-a", "bounces.news.example.com") == "news.example.com/s2026a")   // a parent domain matches
        #expect(selector("vmta-b", "news.example.com") == "news.example.com/s2026b")
        #expect(selector("vmta-a", "mail.shop.example") == "mail.shop.example/k1")
        #expect(selector("vmta-b", "mail.shop.example") == nil)                                // no key for it there, none global
        #expect(selector("vmta-b", "example.org") == "example.org/global")                     // global fallback
        #expect(selector("pool-1", "news.example.com") == "news.example.com/s2026a")           // first member first
        #expect(selector("vmta-a", "news.example.com", "unsigned.example") == nil)             // dkim-sign no
        #expect(selector(nil, "example.org") == "example.org/global")
        #expect(selector("vmta-a", nil) == nil)
    }

    @Test func keysAuditMatchesOpenSSL() throws {
        let dir = TemporaryDirectory()
        let fixtures = try pmtaFixtures(dir)
        chmod(fixtures + "/shop-k1.pem", 0o644)
        let audit = try KeyAudit.audit(config: PMTAConfig(path: fixtures + "/config"), store: nil)
        func entry(_ name: String, _ file: String) throws -> KeyAudit.Entry {
            try #require(audit.entries.first { "\($0.domain)/\($0.selector)" == name && $0.keyFile?.hasSuffix(file) == true })
        }
        for (name, file, bits, type) in [("news.example.com/s2026a", "news-2026a.pem", 1024, "PKCS#1"),
                                         ("news.example.com/s2026b", "news-2026b.pem", 2048, "PKCS#8"),
                                         ("mail.shop.example/k1", "shop-k1.pem", 2048, "PKCS#1"),
                                         ("example.org/global", "global.pem", 2048, "PKCS#8")] {
            let key = try entry(name, file)
            let expected = try String(contentsOfFile: fixtures + "/" + file.replacingOccurrences(of: ".pem", with: ".pub.b64"), encoding: .utf8)
            #expect(key.file?.bits == bits, "\(name) (\(type))")
            #expect(key.file?.publicKey == expected, "\(name) (\(type)): p= must equal openssl rsa -pubout")
            let txt = try #require(key.txtRecord)
            #expect(txt.hasPrefix("\(key.selector)._domainkey.\(key.domain). IN TXT \"v=DKIM1; k=rsa; p="))
            let joined = txt.split(separator: "\"").enumerated().filter { $0.offset % 2 == 1 }.map(\.element).joined()
            #expect(joined == "v=DKIM1; k=rsa; p=" + expected)
            #expect(txt.split(separator: "\"").enumerated().filter { $0.offset % 2 == 1 }.allSatisfy { $0.element.utf8.count <= 255 })
        }
        #expect(try entry("news.example.com/s2026a", "news-2026a.pem").vmtas == ["vmta-a", "vmta-c"])
        #expect(try entry("news.example.com/s2026a", "news-2026a.pem").warnings == ["1024-bit RSA key: below today's recommendation of 2048 bits"])
        #expect(try entry("mail.shop.example/k1", "shop-k1.pem").warnings
                == ["private key readable by others (mode 644; the usual setup is 640 root:pmta)"])
        #expect(try entry("news.example.com/s2026b", "global.pem").warnings
                == ["s2026b._domainkey.news.example.com has 2 keys with different contents in the configuration"])
        #expect(try entry("example.org/global", "global.pem").warnings.isEmpty)
    }

    @Test(arguments: ["-----BEGIN PRIVATE KEY-----\nMAMCAQA=\n-----END PRIVATE KEY-----\n",
                      "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n",
                      "not a key at all\n", ""])
    func malformedKeyFilesAreWarningsNotCrashes(pem: String) throws {
        let dir = TemporaryDirectory()
        dir.write("k.pem", pem)
        dir.write("config", "domain-key s1,example.com,\(dir.file("k.pem"))\n")
        let audit = try KeyAudit.audit(config: PMTAConfig(path: dir.file("config")), store: nil)
        #expect(audit.entries.first?.warnings.first?.hasPrefix("not a PEM private key acctstat can read") == true)
        #expect(audit.entries.first?.txtRecord == nil)
    }

    @Test func missingKeyFileIsAWarning() throws {
        let dir = TemporaryDirectory()
        dir.write("config", "domain-key s1,example.com,\(dir.file("missing.pem"))\n")
        let audit = try KeyAudit.audit(config: PMTAConfig(path: dir.file("config")), store: nil)
        #expect(audit.entries.first?.warnings.first?.hasPrefix("key file missing") == true)
    }
}
