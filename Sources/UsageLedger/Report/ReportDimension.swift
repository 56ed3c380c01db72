import Foundation

/// A column a report can group by (`--by`).
public enum ReportDimension: String, Sendable, Hashable, CaseIterable, Codable {
    /// The model that served the call.
    case model
    /// The classified task type.
    case taskType = "task-type"
    /// The client's name from the policy.
    case client
    /// The UTC day.
    case day
    /// The UTC hour (raw rows only: the rollup is daily).
    case hour
    /// `sync`, `stream` or `batch`.
    case mode
    /// The router model's difficulty: `simple`, `standard`, `hard` (raw rows only: the rollup has no difficulty).
    case difficulty

    /// The column heading in reports.
    public var title: String {
        switch self {
        case .model: "model"
        case .taskType: "task type"
        case .client: "client"
        case .day: "day"
        case .hour: "hour (UTC)"
        case .mode: "mode"
        case .difficulty: "difficulty"
        }
    }

    /// The SQL expression over `usage`.
    package var rawExpression: String {
        switch self {
        case .model: "model_used"
        case .taskType: "task_type"
        case .client: "client"
        case .day: "(ts / 86400000)"
        case .hour: "(ts / 3600000)"
        case .mode: "mode"
        case .difficulty: "difficulty"
        }
    }

    /// The SQL expression over `daily_rollup`; nil when the rollup cannot answer.
    package var rollupExpression: String? {
        switch self {
        case .model: "model"
        case .taskType: "task_type"
        case .client: "client"
        case .day: "day"
        case .hour: nil
        case .mode: "mode"
        case .difficulty: nil
        }
    }

    /// Whether the value is a number to label (day or hour bucket) rather than text.
    var isTimeBucket: Bool { self == .day || self == .hour }

    /// Parses `--by` values: comma-separated, repeatable; `task_type` and `tasktype` are accepted too.
    public static func parseList(_ values: [String]) -> Result<[ReportDimension], ReportQueryError> {
        var result: [ReportDimension] = []
        for value in values {
            for part in value.split(separator: ",") {
                let name = part.trimmingCharacters(in: .whitespaces).lowercased()
                    .replacingOccurrences(of: "_", with: "-")
                let dimension = ReportDimension(rawValue: name == "tasktype" ? "task-type" : name)
                guard let dimension else {
                    return .failure(
                        ReportQueryError(
                            "unknown --by value '\(part)': use \(allCases.map(\.rawValue).joined(separator: ", "))"))
                }
                if !result.contains(dimension) { result.append(dimension) }
            }
        }
        return .success(result)
    }
}
