import Testing
@testable import AcctStatCore

func domainOf(_ address: String) -> String? {
    Array(address.utf8).withUnsafeBytes { DomainName.ofAddress($0) }
}

@Suite struct DomainNameTests {
    @Test func recipientDomainIsTheLowerCasedTextAfterTheLastAt() {
        #expect(domainOf("Someone@YMAIL.COM") == "ymail.com")
        #expect(domainOf("<a@b@Example.org>") == "example.org")
        #expect(domainOf("AA-D=1181.com@bounce.bar.com") == "bounce.bar.com")
        #expect(domainOf("no-at-sign") == nil)
        #expect(domainOf("user@") == nil)
        #expect(domainOf("user@example.com.") == "example.com")
    }

    @Test func idnBecomesItsALabel() {
        #expect(domainOf("x@bücher.de") == "xn--bcher-kva.de")
        #expect(domainOf("x@BÜCHER.de") == "xn--bcher-kva.de")
        #expect(domainOf("x@xn--bcher-kva.de") == "xn--bcher-kva.de")
        // Decomposed ü (u + combining diaeresis) is the same domain.
        #expect(domainOf("x@bu\u{0308}cher.de") == "xn--bcher-kva.de")
        #expect(domainOf("x@münchen.example") == "xn--mnchen-3ya.example")
        #expect(domainOf("x@例え.テスト") == "xn--r8jz45g.xn--zckzah")
    }

    @Test func invalidUTF8IsNotADomain() {
        let bytes: [UInt8] = Array("x@b".utf8) + [0xff] + Array(".de".utf8)
        #expect(bytes.withUnsafeBytes { DomainName.ofAddress($0) } == nil)
    }
}
