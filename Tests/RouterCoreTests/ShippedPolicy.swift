import Foundation
import PolicyYAML
import RouterCore

/// The shipped policy, loaded once from `policies/` for the routing tables.
enum Shipped {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let policy: Policy = {
        do { return try PolicyLoader.load(directory: root + "/policies") } catch { fatalError("\(error)") }
    }()
    static let day = Day(iso: "2026-11-28")!
    static var dev: ClientSpec { policy.client(named: "dev")! }
    static var batchJobs: ClientSpec { policy.client(named: "batch-jobs")! }
}
