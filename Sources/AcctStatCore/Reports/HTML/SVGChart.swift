/// Small inline SVG charts, drawn in Swift: no scripts, fonts or files from anywhere else.
///
/// Colours are the Okabe-Ito palette, readable with the common colour-vision deficiencies;
/// series are also told apart by their legend order and tooltips. Every point and bar has
/// a `<title>` tooltip with exact counts.
struct SVGChart {
    static let palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

    let width = 880
    let plotLeft = 56
    let plotRight = 16
    let buckets: [Int64]
    let zone: ReportTimeZone
    let bucket: ReportOptions.Bucket

    var plotWidth: Int { width - plotLeft - plotRight }

    func x(_ index: Int) -> Double {
        guard buckets.count > 1 else { return Double(plotLeft + plotWidth / 2) }
        return Double(plotLeft) + Double(plotWidth) * Double(index) / Double(buckets.count - 1)
    }

    /// A bucket's label on the time axis.
    func label(_ instant: Int64) -> String {
        let iso = zone.iso(instant)               // 2026-11-25T13:00:00+01:00
        let date = String(iso.dropFirst(5).prefix(5))
        return bucket == .hour ? date + " " + String(iso.dropFirst(11).prefix(5)) : date
    }

    /// One line per series (a rate 0…`full` per bucket, nil where there is none), with markers
    /// for events, above a bar chart of the volume per bucket. `axis` names the rate.
    func rateChart(title: String, axis: String = "DKIM pass rate", full: Double = 1,
                   series: [(name: String, rates: [Double?], detail: [String])], volume: [Int64],
                   events: [(index: Int, text: String)] = []) -> String {
        let height = 220, top = 16, bottom = 40
        let plotHeight = height - top - bottom
        func y(_ rate: Double) -> Double { Double(top) + Double(plotHeight) * (1 - min(rate / full, 1)) }
        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(width) \(height + 110)\" role=\"img\" aria-label=\"\(HTMLText.escape(title))\">"
        svg += "<title>\(HTMLText.escape(title))</title>"
        for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
            svg += "<line class=\"grid\" x1=\"\(plotLeft)\" x2=\"\(width - plotRight)\" y1=\"\(f(y(tick * full)))\" y2=\"\(f(y(tick * full)))\"/>"
            let percent = Decimal.format(tick * full * 100, decimals: full < 0.1 ? 1 : 0)
            svg += "<text class=\"tick\" x=\"\(plotLeft - 6)\" y=\"\(f(y(tick * full) + 4))\" text-anchor=\"end\">\(percent)%</text>"
        }
        svg += "<text class=\"axis-title\" x=\"14\" y=\"\(top + plotHeight / 2)\" transform=\"rotate(-90 14 \(top + plotHeight / 2))\" "
            + "text-anchor=\"middle\">\(HTMLText.escape(axis))</text>"
        // Event labels stack downwards, so two events in one bucket never print over each other.
        for (number, event) in events.enumerated() {
            let position = f(x(event.index) + 3)
            svg += "<line class=\"event\" x1=\"\(f(x(event.index)))\" x2=\"\(f(x(event.index)))\" y1=\"\(top)\" y2=\"\(top + plotHeight)\">"
                + "<title>\(HTMLText.escape(event.text))</title></line>"
            let anchor = x(event.index) > Double(plotLeft + plotWidth) * 0.7 ? "end" : "start"
            let labelX = anchor == "end" ? f(x(event.index) - 3) : position
            svg += "<text class=\"event-label\" x=\"\(labelX)\" y=\"\(top + 12 + 13 * (number % 8))\" text-anchor=\"\(anchor)\">"
                + "\(HTMLText.escape(event.text))</text>"
        }
        for (number, line) in series.enumerated() {
            let color = Self.palette[number % Self.palette.count]
            var path = ""
            var drawing = false
            for (index, rate) in line.rates.enumerated() {
                guard let rate else { drawing = false; continue }
                path += (drawing ? " L" : " M") + "\(f(x(index))),\(f(y(rate)))"
                drawing = true
            }
            svg += "<path class=\"series\" d=\"\(path)\" stroke=\"\(color)\"/>"
            for (index, rate) in line.rates.enumerated() {
                guard let rate else { continue }
                svg += "<circle cx=\"\(f(x(index)))\" cy=\"\(f(y(rate)))\" r=\"3\" fill=\"\(color)\"><title>"
                    + HTMLText.escape("\(line.name), \(label(buckets[index])) (\(zone.name)): \(line.detail[index])") + "</title></circle>"
            }
        }
        svg += timeAxis(y: top + plotHeight)
        svg += volumeBars(volume, top: height + 4, height: 70)
        svg += "</svg>"
        svg += legend(series.map(\.name))
        return svg
    }

    /// The top of a scale that shows `highest`: 1%, 2%, 5%, 10%, 25%, 50% or 100%.
    static func scaleTop(for highest: Double) -> Double {
        [0.01, 0.02, 0.05, 0.1, 0.25, 0.5].first { highest <= $0 } ?? 1
    }

    /// Stacked bars: one segment per category per bucket.
    func stackedBars(title: String, categories: [String], values: [[Int64]]) -> String {
        let height = 240, top = 16, bottom = 40
        let plotHeight = height - top - bottom
        let totals = buckets.indices.map { index in values.reduce(0) { $0 + $1[index] } }
        let maximum = max(1, totals.max() ?? 1)
        let slot = Double(plotWidth) / Double(max(1, buckets.count))
        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"\(HTMLText.escape(title))\">"
        svg += "<title>\(HTMLText.escape(title))</title>"
        for tick in [0.0, 0.5, 1.0] {
            let y = Double(top) + Double(plotHeight) * (1 - tick)
            svg += "<line class=\"grid\" x1=\"\(plotLeft)\" x2=\"\(width - plotRight)\" y1=\"\(f(y))\" y2=\"\(f(y))\"/>"
            svg += "<text class=\"tick\" x=\"\(plotLeft - 6)\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(grouped(Int64((Double(maximum) * tick).rounded())))</text>"
        }
        svg += "<text class=\"axis-title\" x=\"14\" y=\"\(top + plotHeight / 2)\" transform=\"rotate(-90 14 \(top + plotHeight / 2))\" "
            + "text-anchor=\"middle\">records</text>"
        for index in buckets.indices {
            var base = Double(top + plotHeight)
            for (number, category) in categories.enumerated() where values[number][index] > 0 {
                let barHeight = Double(plotHeight) * Double(values[number][index]) / Double(maximum)
                base -= barHeight
                svg += "<rect x=\"\(f(Double(plotLeft) + slot * Double(index) + slot * 0.1))\" y=\"\(f(base))\" "
                    + "width=\"\(f(slot * 0.8))\" height=\"\(f(barHeight))\" fill=\"\(Self.palette[number % Self.palette.count])\">"
                    + "<title>\(HTMLText.escape("\(category), \(label(buckets[index])) (\(zone.name)): \(grouped(values[number][index])) records"))</title></rect>"
            }
        }
        svg += timeAxis(y: top + plotHeight, centered: true)
        svg += "</svg>" + legend(categories)
        return svg
    }

    private func volumeBars(_ volume: [Int64], top: Int, height: Int) -> String {
        let maximum = max(1, volume.max() ?? 1)
        // Bars sit under the line chart's points, which span the plot edge to edge.
        let slot = buckets.count > 1 ? x(1) - x(0) : Double(plotWidth) / 2
        var svg = "<text class=\"axis-title\" x=\"14\" y=\"\(top + height / 2)\" transform=\"rotate(-90 14 \(top + height / 2))\" "
            + "text-anchor=\"middle\">records</text>"
        svg += "<text class=\"tick\" x=\"\(plotLeft - 6)\" y=\"\(top + 8)\" text-anchor=\"end\">\(grouped(maximum))</text>"
        svg += "<text class=\"tick\" x=\"\(plotLeft - 6)\" y=\"\(top + height)\" text-anchor=\"end\">0</text>"
        for (index, value) in volume.enumerated() where value > 0 {
            let barHeight = Double(height) * Double(value) / Double(maximum)
            let centre = x(index)
            let left = max(Double(plotLeft), centre - slot * 0.4), right = min(Double(plotLeft + plotWidth), centre + slot * 0.4)
            svg += "<rect class=\"volume\" x=\"\(f(left))\" y=\"\(f(Double(top + height) - barHeight))\" "
                + "width=\"\(f(right - left))\" height=\"\(f(barHeight))\"><title>"
                + HTMLText.escape("\(label(buckets[index])) (\(zone.name)): \(grouped(value)) records") + "</title></rect>"
        }
        return svg
    }

    private func timeAxis(y: Int, centered: Bool = false) -> String {
        var svg = "<line class=\"axis\" x1=\"\(plotLeft)\" x2=\"\(width - plotRight)\" y1=\"\(y)\" y2=\"\(y)\"/>"
        let every = max(1, Int((Double(buckets.count) / 8).rounded(.up)))
        let slot = Double(plotWidth) / Double(max(1, buckets.count))
        for index in stride(from: 0, to: buckets.count, by: every) {
            let position = centered ? Double(plotLeft) + slot * (Double(index) + 0.5) : x(index)
            svg += "<text class=\"tick\" x=\"\(f(position))\" y=\"\(y + 16)\" text-anchor=\"middle\">\(HTMLText.escape(label(buckets[index])))</text>"
        }
        svg += "<text class=\"axis-title\" x=\"\(plotLeft + plotWidth / 2)\" y=\"\(y + 34)\" text-anchor=\"middle\">"
            + "time (\(HTMLText.escape(zone.name)), per \(bucket.rawValue))</text>"
        return svg
    }

    private func legend(_ names: [String]) -> String {
        "<ul class=\"legend\">" + names.enumerated().map { number, name in
            "<li><span class=\"swatch\" style=\"background:\(Self.palette[number % Self.palette.count])\"></span>\(HTMLText.escape(name))</li>"
        }.joined() + "</ul>"
    }

    private func f(_ value: Double) -> String { Decimal.format(value, decimals: 1) }
}
