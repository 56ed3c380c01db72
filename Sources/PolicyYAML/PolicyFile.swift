/// One file of a policy: its name relative to the policy directory and its bytes.
public struct PolicyFile: Sendable, Hashable {
    /// The name relative to the policy directory, with `/` separators (`models.yaml`, `examples/coding.jsonl`).
    public var name: String
    /// The file's content as UTF-8 text.
    public var text: String
}
