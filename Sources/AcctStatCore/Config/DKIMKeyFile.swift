import Foundation
import SwiftASN1

/// What a DKIM private key file says about itself: type, size, public key, permissions.
///
/// PEM and DER are read with swift-asn1: PKCS#1 (`RSA PRIVATE KEY`) and PKCS#8
/// (`PRIVATE KEY`, RSA or Ed25519). The DNS record's `p=` is the base64 of the public key's
/// SubjectPublicKeyInfo, exactly what `openssl rsa -pubout` prints (RFC 6376 §3.6.1).
public struct DKIMKeyFile: Sendable, Equatable {
    public enum KeyType: String, Sendable { case rsa, ed25519 }

    public var path: String
    public var type: KeyType?
    public var bits: Int?
    /// Base64 of the public key, for `p=`; nil when it cannot be derived (Ed25519 needs the curve arithmetic).
    public var publicKey: String?
    /// Permission bits, owner and group; nil when the file cannot be examined.
    public var mode: UInt32?
    public var owner: String?
    public var group: String?
    /// Why the key could not be read, if it could not.
    public var error: String?

    public static func read(_ path: String) -> DKIMKeyFile {
        var file = DKIMKeyFile(path: path)
        var info = stat()
        guard stat(path, &info) == 0 else {
            file.error = "key file missing: \(String(cString: strerror(errno)))"
            return file
        }
        file.mode = UInt32(info.st_mode) & 0o7777
        file.owner = getpwuid(info.st_uid).map { String(cString: $0.pointee.pw_name) } ?? String(info.st_uid)
        file.group = getgrgid(info.st_gid).map { String(cString: $0.pointee.gr_name) } ?? String(info.st_gid)
        guard let data = FileManager.default.contents(atPath: path) else {
            file.error = "key file unreadable (permissions?)"
            return file
        }
        do {
            try file.parse(String(decoding: data, as: UTF8.self))
        } catch {
            file.error = "not a PEM private key acctstat can read: \(error)"
        }
        return file
    }

    private mutating func parse(_ pem: String) throws {
        let document = try PEMDocument(pemString: pem)
        switch document.discriminator {
        case "RSA PRIVATE KEY":
            try rsa(privateKey: document.derBytes[...])
        case "PRIVATE KEY":
            let root = try DER.parse(document.derBytes)
            try DER.sequence(root, identifier: .sequence) { nodes in
                _ = try Int(derEncoded: &nodes)
                guard let algorithmNode = nodes.next() else { throw StoreError("PKCS#8 key without an algorithm") }
                let algorithm = try DER.sequence(algorithmNode, identifier: .sequence) { inner in
                    let oid = try ASN1ObjectIdentifier(derEncoded: &inner)
                    while inner.next() != nil {}
                    return oid
                }
                let key = try ASN1OctetString(derEncoded: &nodes)
                while nodes.next() != nil {}
                switch algorithm {
                case Self.rsaEncryption: try rsa(privateKey: key.bytes)
                case Self.ed25519:
                    type = .ed25519
                    bits = 256
                default:
                    throw StoreError("unsupported key algorithm \(algorithm)")
                }
            }
        default:
            throw StoreError("PEM block '\(document.discriminator)' is not a private key")
        }
    }

    /// PKCS#1 RSAPrivateKey: version, modulus, publicExponent, … (RFC 8017 A.1.2).
    private mutating func rsa(privateKey der: ArraySlice<UInt8>) throws {
        let (modulus, exponent) = try DER.sequence(try DER.parse(der), identifier: .sequence) { nodes -> (ArraySlice<UInt8>, ArraySlice<UInt8>) in
            _ = try Int(derEncoded: &nodes)
            let modulus = try ArraySlice<UInt8>(derEncoded: &nodes)
            let exponent = try ArraySlice<UInt8>(derEncoded: &nodes)
            while nodes.next() != nil {}
            return (modulus, exponent)
        }
        type = .rsa
        let significant = modulus.drop { $0 == 0 }
        bits = significant.isEmpty ? 0 : (significant.count - 1) * 8 + (8 - significant.first!.leadingZeroBitCount)
        var publicKey = DER.Serializer()
        try publicKey.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(modulus)
            try coder.serialize(exponent)
        }
        var info = DER.Serializer()
        try info.appendConstructedNode(identifier: .sequence) { coder in
            try coder.appendConstructedNode(identifier: .sequence) { algorithm in
                try algorithm.serialize(Self.rsaEncryption)
                try algorithm.serialize(ASN1Null())
            }
            try coder.serialize(ASN1BitString(bytes: publicKey.serializedBytes[...]))
        }
        self.publicKey = Data(info.serializedBytes).base64EncodedString()
    }

    static let rsaEncryption: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 1, 1]
    static let ed25519: ASN1ObjectIdentifier = [1, 3, 101, 112]

    /// The TXT record to publish, split into strings of at most 255 bytes (RFC 1035 §3.3.14).
    public func txtRecord(selector: String, domain: String) -> String? {
        guard let publicKey, let type else { return nil }
        let value = "v=DKIM1; k=\(type.rawValue); p=\(publicKey)"
        var strings: [String] = []
        var rest = Substring(value)
        while !rest.isEmpty {
            strings.append(String(rest.prefix(255)))
            rest = rest.dropFirst(255)
        }
        return "\(selector)._domainkey.\(domain). IN TXT " + strings.map { "\"\($0)\"" }.joined(separator: " ")
    }
}
