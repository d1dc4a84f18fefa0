/// Removes personal data from texts acctstat stores.
///
/// Receivers often quote the recipient in their reply (`550 5.1.1 <jane@example.com>: no
/// such user`). acctstat never stores local parts, so they become `*`.
public enum Redaction {
    /// Replaces the local part of every address-like `local@domain` with `*`.
    public static func redactAddresses(_ text: String) -> String {
        guard text.contains("@") else { return text }
        var scalars = Array(text.unicodeScalars)
        var index = scalars.count - 1
        while index >= 0 {
            if scalars[index] == "@" {
                var start = index
                while start > 0, isLocalPartScalar(scalars[start - 1]) { start -= 1 }
                if start < index {
                    scalars.replaceSubrange(start..<index, with: ["*"])
                    index = start
                }
            }
            index -= 1
        }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars)
        return String(result)
    }

    private static func isLocalPartScalar(_ scalar: Unicode.Scalar) -> Bool {
        !(scalar == " " || scalar == "<" || scalar == ">" || scalar == "\"" || scalar == "'" || scalar == "(" ||
          scalar == ")" || scalar == "," || scalar == ";" || scalar == ":" || scalar == "[" || scalar == "]" ||
          scalar == "\t" || scalar == "=" || scalar == "@")
    }
}
