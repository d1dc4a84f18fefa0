/// How a window is read from the stored counts: whole hours, and minutes at its ragged ends.
///
/// Every record is counted by UTC hour; the hours from `minutesFrom` on (a whole hour, see
/// ``AccountingStore/minuteCountsFrom()``) also keep which minutes their records fell in
/// (``MinuteDetail``). A window `[from, to)` counts exactly the records whose `timeLogged` falls
/// inside it, to the minute (its ends are taken down to whole minutes): the whole hours inside it
/// from the hourly counts, its ragged end hours from their minutes.
///
/// An end in an hour older than the minute counts cannot be read to the minute. There the window
/// snaps to whole hours, to the hours that start inside it (what every window did before minute
/// counts), and ``snapped`` says so, so the output can.
public struct WindowPlan: Sendable, Equatable {
    /// A stretch of the window: whole hours, or some minutes of one hour.
    public struct Segment: Sendable, Equatable {
        public var from: Int64
        public var to: Int64

        /// The hour a part of an hour lies in, and which of its minutes; nil for whole hours.
        public var minutes: (hour: Int64, minutes: Range<Int>)? {
            guard from % 3600 != 0 || to % 3600 != 0 || to - from < 3600 else { return nil }
            let hour = floorDivide(from, 3600) * 3600
            return (hour, Int((from - hour) / 60)..<Int((to - hour) / 60))
        }
    }

    /// The window asked for.
    public let asked: TimeWindow
    /// The window counted: `asked` to whole minutes, or snapped to whole hours where needed.
    public let counted: TimeWindow
    /// True when an end of the window was older than the minute counts and snapped to an hour.
    public let snapped: Bool
    /// The segments, in time order, that cover ``counted`` exactly once.
    public let segments: [Segment]

    public init(window: TimeWindow, minutesFrom: Int64) {
        asked = window
        var from = roundDown(window.from, 60)
        var to = max(from, roundDown(window.to, 60))
        var snapped = false
        if from % 3600 != 0 && roundDown(from, 3600) < minutesFrom {
            from = roundUp(from, 3600)
            snapped = true
        }
        if to % 3600 != 0 && roundDown(to, 3600) < minutesFrom {
            to = roundUp(to, 3600)
            snapped = true
        }
        to = max(from, to)
        counted = TimeWindow(from: from, to: to)
        self.snapped = snapped
        let firstHour = roundUp(from, 3600), lastHour = roundDown(to, 3600)
        if firstHour > lastHour {
            // Within one hour (then both ends are in the minute counts).
            segments = from < to ? [Segment(from: from, to: to)] : []
        } else {
            segments = [Segment(from: from, to: firstHour), Segment(from: firstHour, to: lastHour), Segment(from: lastHour, to: to)]
                .filter { $0.from < $0.to }
        }
    }

    /// Named arguments for SQL that counts each `counts` row's part of the window in one pass
    /// (queries/selectors.sql, queries/export.sql), prefixed `name_`: `hours_from` and `hours_to`,
    /// the whole hours; `head_hour` and `head_first`, the hour and first minute of a ragged start;
    /// `tail_hour` and `tail_end`, the hour and end minute of a ragged end (NULL when there is none).
    /// Such SQL reads the rows of hours `first_hour ..< end_hour`.
    public func sqlArguments(_ name: String) -> [String: SQLValue] {
        var arguments: [String: SQLValue] = [:]
        func set(_ key: String, _ value: Int64?) { arguments[name + "_" + key] = value.map { .integer($0) } ?? .null }
        let whole = segments.first { $0.minutes == nil }
        set("hours_from", whole?.from ?? 0)
        set("hours_to", whole?.to ?? 0)
        let parts = segments.compactMap { segment in segment.minutes.map { (segment, $0) } }
        let head = parts.first { $0.0.to % 3600 == 0 }?.1   // a ragged start runs to the end of its hour
        let tail = parts.first { $0.0.to % 3600 != 0 }?.1   // a ragged end, or a window inside one hour
        set("head_hour", head?.hour)
        set("head_first", head.map { Int64($0.minutes.lowerBound) })
        set("tail_hour", tail?.hour)
        set("tail_first", tail.map { Int64($0.minutes.lowerBound) })
        set("tail_end", tail.map { Int64($0.minutes.upperBound) })
        set("first_hour", floorDivide(counted.from, 3600) * 3600)
        set("end_hour", floorDivide(counted.to + 3599, 3600) * 3600)
        return arguments
    }
}

private func roundDown(_ value: Int64, _ unit: Int64) -> Int64 { floorDivide(value, unit) * unit }
private func roundUp(_ value: Int64, _ unit: Int64) -> Int64 { floorDivide(value + unit - 1, unit) * unit }
