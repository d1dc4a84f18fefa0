import Testing
@testable import AcctStatCore

/// One classified text: result, cause, signing domain, selector, as `acctstat classify` prints them.
struct Classified: CustomTestStringConvertible, Sendable {
    let text: String
    let expected: String
    init(_ text: String, _ expected: String) { self.text = text; self.expected = expected }
    var testDescription: String { text }
}

func classified(_ text: String) -> String {
    let evidence = TextClassifier.classify(text)
    return [evidence.result.rawValue, evidence.cause?.rawValue ?? "", evidence.signingDomain ?? "", evidence.selector ?? ""]
        .joined(separator: ",")
}

@Suite struct EvidenceTests {
    /// Verdict values: bare results and Authentication-Results, from real receivers.
    @Test(arguments: [
        Classified("pass", "pass,,,"),
        // Yahoo's spellings, in upper case too, and its header.i-only identities.
        Classified("mta1.mail.yahoo.com; dkim=perm_fail header.i=@news.example.com header.s=s1; spf=pass; dmarc=pass(p=REJECT) header.from=news.example.com",
                   "fail,other,news.example.com,s1"),
        Classified("dkim=TEMP_FAIL header.i=@news.example.com", "temperror,dns,news.example.com,"),
        Classified("PASS header.d=Example.COM header.s=S1", "pass,,example.com,s1"),
        Classified("fail (body hash did not verify) header.d=example.com header.s=s1", "fail,body-hash,example.com,s1"),
        Classified("mx.example; spf=pass smtp.mailfrom=a.example; dkim=fail (signature expired) header.d=example.com header.s=s1 header.b=AbCd; dmarc=fail",
                   "fail,expired,example.com,s1"),
        Classified("dkim=fail reason=\"signature verification failed\" (2048-bit key; unprotected) header.d=ukazweb.cz header.i=@ukazweb.cz header.b=\"KPogShJr\"",
                   "fail,bad-signature,ukazweb.cz,"),
        Classified("mx.google.com; dkim=neutral (body hash did not verify) header.i=@amazonses.com", "neutral,body-hash,amazonses.com,"),
        Classified("dkim=pass (signature was verified) header.d=x.com;dmarc=pass action=none header.from=x.com;compauth=pass reason=100",
                   "pass,,x.com,"),
        Classified("dkim=fail (no key for signature) header.d=modoboa.example;dmarc=temperror action=none", "fail,no-key,modoboa.example,"),
        Classified("dkim=none (message not signed) header.d=none", "none,unsigned,,"),
        Classified("mta1.yahoo.com; domainkeys=neutral (no sig); from=example.com; dkim=permerror (bad sig)", "permerror,bad-signature,,"),
        Classified("dkim=fail (\"body hash did not verify\") header.d=sabtrafo.cz header.s=default header.b=\"ZP/uaaKY\"",
                   "fail,body-hash,sabtrafo.cz,default"),
        Classified("dkim=neutral reason=\"invalid signature\" header.d=vorwerk.example header.s=vorwerk", "neutral,bad-signature,vorwerk.example,vorwerk"),
        Classified("dkim=fail (signature error: RSA verify failed) header.d=126.com", "fail,bad-signature,126.com,"),
        Classified("dkim=permerror (signature verify error: message body does not hash to bh value)", "permerror,body-hash,,"),
        Classified("dkim=permerror (bad message/signature format)", "permerror,syntax,,"),
        Classified("dkim=temperror (key DNS query failed)", "temperror,dns,,"),
        Classified("temperror", "temperror,dns,,"),
        Classified("dkim=policy reason=\"signing key too small\"", "policy,weak-key,,"),
        Classified("dkim=fail (key revoked) header.d=a.example header.s=old", "fail,revoked,a.example,old"),
        Classified("dkim=permerror (key syntax error)", "permerror,syntax,,"),
        Classified("dkim=fail", "fail,other,,"),
        Classified("dkim=permerror", "permerror,other,,"),
        Classified("dkim=fail (From field not signed)", "fail,other,,"),
        // Several signatures: a pass wins, as DMARC treats it; otherwise the first counts.
        Classified("mx; dkim=fail (body hash did not verify) header.d=a.example header.s=a; dkim=pass header.d=esp.example header.s=e1",
                   "pass,,esp.example,e1"),
        Classified("mx; dkim=fail (signature expired) header.d=a.example; dkim=temperror header.d=b.example", "fail,expired,a.example,"),
        Classified("dmarc=fail (p=none; dis=none) header.from=example.org; dkim=fail (bodyhash) header.d=sender.example",
                   "fail,body-hash,sender.example,"),
    ])
    func verdictValues(_ item: Classified) {
        #expect(classified(item.text) == item.expected)
        // Ingest caches verdicts by a reduced key; the key must classify exactly as the whole value.
        var key: [UInt8] = []
        Array(item.text.utf8).withUnsafeBytes { VerdictKey.extract($0, into: &key) }
        #expect(classified(String(decoding: key, as: UTF8.self)) == item.expected)
    }

    /// Receivers' rejection texts: receiver causes, and no evidence from SPF-only or ordinary bounces.
    @Test(arguments: [
        Classified("smtp;550-5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM. Authentication results: DKIM = did not pass SPF [x.com] with ip: [1.2.3.4] = did not pass",
                   "fail,receiver-auth,,"),
        Classified("smtp;550 5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy", "fail,receiver-dmarc,,"),
        Classified("smtp;421-4.7.30 Your email has been rate limited because DKIM authentication didn't pass for this message.", "fail,receiver-dkim,,"),
        Classified("smtp;550 5.7.30 This mail has been blocked because DKIM does not pass.", "fail,receiver-dkim,,"),
        // Gmail's code alone is Gmail's only when Google says it; elsewhere .30 means something else.
        Classified("smtp;550-5.7.30 https://support.google.com/mail/?p=DkimRejection a1si123 - gsmtp", "fail,receiver-dkim,,"),
        Classified("smtp;550 5.7.30 message rejected by local policy", "unknown,,,"),
        Classified("smtp;550 5.7.515 Access denied, sending domain example.com does not meet the required authentication level.", "fail,receiver-auth,,"),
        // Gmail's 2024+ bulk-sender text names DKIM and SPF failing: an authentication rejection.
        Classified("smtp;550-5.7.26 This mail is unauthenticated, which poses a security risk to the sender and Gmail users, and has been "
                   + "blocked. For this message, DKIM checks did not pass and SPF check for [example.com] did not pass with ip: [192.0.2.1]. - gsmtp",
                   "fail,receiver-auth,,"),
        Classified("smtp;550 5.7.509 Access denied, sending domain EXAMPLE.COM does not pass DMARC verification and has a DMARC policy of reject.",
                   "fail,receiver-dmarc,,"),
        Classified("smtp;550 5.7.9 This mail has been blocked because the sender is unauthenticated. Yahoo requires all senders to authenticate with either SPF or DKIM.",
                   "fail,receiver-auth,,"),
        Classified("smtp;554 5.7.9 Message not accepted for policy reasons.  See https://postmaster.yahooinc.com/error-codes", "fail,receiver-auth,,"),
        Classified("smtp;554 5.7.1 [HME1] This message was blocked for failing both SPF and DKIM authentication checks.", "fail,receiver-auth,,"),
        Classified("smtp;554 5.7.1 Your message was rejected due to example.com's DMARC policy.", "fail,receiver-dmarc,,"),
        Classified("smtp;550 dkim sender invalid - envelope rejected", "fail,receiver-dkim,,"),
        Classified("smtp;554 5.7.1 No valid DKIM signature found", "fail,receiver-dkim,,"),
        Classified("smtp;421-4.7.27 Your email has been rate limited because SPF authentication didn't pass for this message.", "unknown,,,"),
        Classified("smtp;550-5.7.26 The MAIL FROM domain [x.com] has an SPF record with a hard fail policy (-all) but it fails to pass SPF checks with the ip: [1.2.3.4].",
                   "unknown,,,"),
        // Microsoft's live 5.7.515 lists the verdicts: DKIM passed, so the rejection is SPF's.
        Classified("smtp;550 5.7.515 Access denied, sending domain example.com does not meet the required authentication level. "
                   + "Spf= Fail , Dkim= Pass , DMARC= Pass", "unknown,,,"),
        Classified("smtp;550-5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to "
                   + "authenticate with either SPF or DKIM. Authentication results: DKIM = did not pass SPF [x.com] with ip: [1.2.3.4] = did not pass",
                   "fail,receiver-auth,,"),
        // Authentication-Results without a dkim entry says nothing of the signatures, whatever DMARC says.
        Classified("mx.example; spf=fail smtp.mailfrom=x.com; dmarc=fail (p=REJECT) header.from=x.com", "unknown,,,"),
        Classified("dkim=hardfail header.d=x.com header.s=k1", "fail,other,x.com,k1"),
        Classified("smtp;550 5.7.1 Message rejected as spam by Content Filtering.", "unknown,,,"),
        // SMTP AUTH, not the message's authentication (RFC 4954 5.7.9, 5.7.8, 5.7.0).
        Classified("smtp;534 5.7.9 Authentication mechanism is too weak", "unknown,,,"),
        Classified("smtp;535 5.7.8 Authentication credentials invalid", "unknown,,,"),
        Classified("smtp;530 5.7.0 Authentication required", "unknown,,,"),
        Classified("smtp;550 5.7.1 Message rejected: DKIM signature verification failed", "fail,receiver-dkim,,"),
        Classified("smtp;550-5.7.1 Unauthenticated email is not accepted from this domain. a1si2 - gsmtp", "fail,receiver-auth,,"),
        Classified("smtp;550 5.7.26 Multiple authentication checks failed", "fail,receiver-auth,,"),
        Classified("smtp;550 5.7.515 Access denied, sending domain x.example doesn't meet the required authentication level.",
                   "fail,receiver-auth,,"),
        Classified("smtp;550 5.1.1 <jane@example.com>: Recipient address rejected: User unknown", "unknown,,,"),
        Classified("smtp;550 5.7.90 something else", "unknown,,,"),
        Classified("", "unknown,,,"),
    ])
    func receiverReplies(_ item: Classified) {
        #expect(classified(item.text) == item.expected)
    }

    /// Every signature's verdict is kept: the record's is DMARC's reading (a pass if any, else the
    /// first), the others follow in order, from dkim= entries or from a bare list.
    @Test func severalSignatures() {
        func parsed(_ text: String) -> [String] {
            guard case .verdict(let record, let others) = VerdictParser.parse(text) else { return [] }
            return ([record] + others).map { "\($0.result.rawValue) \($0.signingDomain ?? "-")/\($0.selector ?? "-")" }
        }
        #expect(parsed("dkim=fail (bad signature) header.d=example.com header.s=new2026; dkim=pass header.d=example.com header.s=old2025")
                == ["pass example.com/old2025", "fail example.com/new2026"])
        #expect(parsed("mx; dkim=fail header.d=a.example header.s=x; dkim=temperror header.i=@b.example header.s=y")
                == ["fail a.example/x", "temperror b.example/y"])
        #expect(parsed("fail (body hash did not verify) header.d=x.com header.s=new; pass header.d=x.com header.s=old")
                == ["pass x.com/old", "fail x.com/new"])
        #expect(parsed("pass header.d=x.com header.s=a, fail (bad, very bad) header.d=x.com header.s=b")
                == ["pass x.com/a", "fail x.com/b"])
        #expect(parsed("fail (expired, long ago) header.d=x.com header.s=a") == ["fail x.com/a"])
        #expect(parsed("pass header.d=x.com header.s=a;") == ["pass x.com/a"])
    }

    @Test func unreadableVerdictsAreNeverAPass() {
        #expect(VerdictParser.parse("dkim=softfail") == .unreadable)
        #expect(VerdictParser.parse("garbage") == .unreadable)
        #expect(VerdictParser.parse("mx.example; spf=pass smtp.mailfrom=a.example; dmarc=pass") == .noDKIMEntry)
    }

    @Test func verdictKeysDropWhatDiffersPerRecord() {
        var key: [UInt8] = []
        let value = "mx.example; spf=pass smtp.mailfrom=b+123@x.example; dkim=pass header.d=x.example header.s=s1 header.b=Ab/Cd; dmarc=pass"
        Array(value.utf8).withUnsafeBytes { VerdictKey.extract($0, into: &key) }
        #expect(String(decoding: key, as: UTF8.self) == " dkim=pass header.d=x.example header.s=s1 ")
        func keyOf(_ value: String) -> String {
            var key: [UInt8] = []
            Array(value.utf8).withUnsafeBytes { VerdictKey.extract($0, into: &key) }
            return String(decoding: key, as: UTF8.self)
        }
        // Any case, quoted, first in the entry, twice, or the last thing in the value.
        #expect(keyOf("dkim=fail HEADER.B=\"a;b\" header.d=x.example; dkim=pass Header.b=Zz header.s=s") == "dkim=fail  header.d=x.example; dkim=pass  header.s=s")
        #expect(keyOf("header.b=abc") == "")
        #expect(keyOf("pass header.b=") == "pass ")
        #expect(keyOf("fail xheader.b=1 header.bb=2 header.i=@x") == "fail x header.bb=2 header.i=@x")
        #expect(keyOf("a=b") == "a=b")
    }

    @Test func signatureTagKeys() {
        var key: [UInt8] = []
        Array("v=1; a=rsa-sha256; d = Example.com ; s=Sel1; bh=abc=; b=xyz".utf8).withUnsafeBytes { SignatureTags.extractKey($0, into: &key) }
        let parsed = SignatureTags.parse(key: key)
        #expect(parsed.signingDomain == "example.com" && parsed.selector == "sel1")
        // A repeated tag (an invalid signature, RFC 6376 §3.2): both readings keep the first.
        let repeated = "v=1; d=first.example; s=a; d=second.example; s=b; b=xyz"
        Array(repeated.utf8).withUnsafeBytes { SignatureTags.extractKey($0, into: &key) }
        #expect(SignatureTags.parse(key: key) == (signingDomain: "first.example", selector: "a"))
        #expect(SignatureTags.parse(repeated) == (signingDomain: "first.example", selector: "a"))
    }

    @Test func signatureTags() {
        let tags = SignatureTags.parse("v=1; a=rsa-sha256; c=relaxed/relaxed; d=News.Example.com; s=S2026a;\r\n h=from:to; bh=abc=; b=xyz")
        #expect(tags.signingDomain == "news.example.com")
        #expect(tags.selector == "s2026a")
    }

    @Test func everyCauseHasACanonicalName() {
        #expect(FailureCause.allCases.map(\.rawValue) == ["body-hash", "bad-signature", "expired", "no-key", "revoked", "weak-key", "dns",
                                                          "syntax", "unsigned", "receiver-dkim", "receiver-dmarc", "receiver-auth", "other"])
    }

    @Test func addressesInRepliesAreRedacted() {
        #expect(Redaction.redactAddresses("550 5.1.1 <jane.doe+x@example.com>: no such user, see a@b.c")
                == "550 5.1.1 <*@example.com>: no such user, see *@b.c")
        #expect(Redaction.redactAddresses("a@b@c") == "*@*@c")
        #expect(Redaction.redactAddresses("@example.com and user@") == "@example.com and *@")
        #expect(Redaction.redactAddresses("no address here") == "no address here")
        #expect(Redaction.redactAddresses("") == "")
    }
}
