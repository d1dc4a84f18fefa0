/// How a window is read from the three resolutions the store keeps its counts in.
///
/// Every record is stored by UTC hour and by UTC day, and by minute while it is recent: from
/// `minutesFrom` on (a whole hour; every record at or after it has its minute row, see
/// ``AccountingStore/beginMinuteCounts(now:)``). A window `[from, to)` counts exactly the records
/// whose `timeLogged` falls inside it, to the minute (its ends are taken down to whole minutes):
/// its ragged ends come from the minute counts, the whole UTC days inside it from the day counts
/// where the caller can take a day at once (``init(window:minutesFrom:wholeDays:)``), the rest
/// from the hour counts.
///
/// An end older than the minute counts cannot be read to the minute. There the window snaps to
/// whole hours, to the hours that start inside it (what every window did before minute counts),
/// and ``snapped`` says so, so the output can.
public struct WindowPlan: Sendable, Equatable {
    public enum Resolution: Int64, Sendable {
        case minute = 60, hour = 3600, day = 86400

        /// Seconds in one unit.
        public var seconds: Int64 { rawValue }
    }

    /// A stretch of the window read at one resolution; its ends are multiples of it.
    public struct Segment: Sendable, Equatable {
        public var resolution: Resolution
        public var from: Int64
        public var to: Int64
    }

    /// The window asked for.
    public let asked: TimeWindow
    /// The window counted: `asked` to whole minutes, or snapped to whole hours where needed.
    public let counted: TimeWindow
    /// True when an end of the window was older than the minute counts and snapped to an hour.
    public let snapped: Bool
    /// The segments, in time order, that cover ``counted`` exactly once.
    public let segments: [Segment]

    /// - Parameter wholeDays: whether the UTC day starting at this instant may be read as one
    ///   count (a report's buckets must not cut it: true for totals, and for buckets that hold the
    ///   whole UTC day).
    public init(window: TimeWindow, minutesFrom: Int64, wholeDays: (Int64) -> Bool = { _ in true }) {
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
        var segments: [Segment] = []
        func add(_ resolution: Resolution, _ start: Int64, _ end: Int64) {
            guard start < end else { return }
            if let last = segments.last, last.resolution == resolution, last.to == start {
                segments[segments.count - 1].to = end
            } else {
                segments.append(Segment(resolution: resolution, from: start, to: end))
            }
        }
        let firstHour = roundUp(from, 3600), lastHour = roundDown(to, 3600)
        if firstHour >= lastHour {
            add(.minute, from, to)   // within one hour (then both ends are minute-readable)
        } else {
            add(.minute, from, firstHour)
            let firstDay = roundUp(firstHour, 86400), lastDay = roundDown(lastHour, 86400)
            if firstDay < lastDay {
                add(.hour, firstHour, firstDay)
                var day = firstDay
                while day < lastDay {
                    add(wholeDays(day) ? .day : .hour, day, day + 86400)
                    day += 86400
                }
                add(.hour, lastDay, lastHour)
            } else {
                add(.hour, firstHour, lastHour)
            }
            add(.minute, lastHour, to)
        }
        self.segments = segments
    }
}

private func roundDown(_ value: Int64, _ unit: Int64) -> Int64 { floorDivide(value, unit) * unit }
private func roundUp(_ value: Int64, _ unit: Int64) -> Int64 { floorDivide(value + unit - 1, unit) * unit }
