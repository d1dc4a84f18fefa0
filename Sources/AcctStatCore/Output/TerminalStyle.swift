/// How table output may decorate itself: width, colour, Unicode.
public struct TerminalStyle: Sendable {
    /// Maximum line width; nil for no limit (output to a pipe or file).
    public var width: Int?
    /// ANSI colour, only on a TTY without NO_COLOR.
    public var color: Bool
    /// Plain ASCII instead of Unicode sparklines and symbols.
    public var ascii: Bool

    public init(width: Int? = nil, color: Bool = false, ascii: Bool = false) {
        self.width = width
        self.color = color
        self.ascii = ascii
    }

    /// A pass rate coloured red, yellow or green (below 90%, below 98%, from 98%).
    public func rate(_ text: String, _ rate: Double?) -> String {
        guard color, let rate else { return text }
        let code = rate < 0.90 ? "31" : rate < 0.98 ? "33" : "32"
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }

    public func bold(_ text: String) -> String {
        color ? "\u{1B}[1m\(text)\u{1B}[0m" : text
    }

    /// The mark of a sparkline value the reader should not take at face value.
    /// One character per value in 0...`full` (a value above is drawn full); a gap where there is no value.
    public func sparkline(_ values: [Double?], full: Double = 1) -> String {
        let levels: [Character] = ascii ? Array("_.-=+*#@") : Array("▁▂▃▄▅▆▇█")
        return String(values.map { value -> Character in
            guard let value else { return " " }
            let index = Int((min(max(value / full, 0), 1) * Double(levels.count - 1)).rounded())
            return levels[index]
        })
    }
}
