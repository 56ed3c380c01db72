import HTTPTypes

extension HTTPFields {
    /// What `self[name]` answers (the values of a repeated field joined with ", ", or "; " for `cookie`), in one
    /// pass and, for a field that occurs once, without building a new string. The subscript scans the fields twice
    /// and joins even a single value; the request path reads about ten fields per request (perf, c = 16:
    /// `HTTPFields.subscript.getter` ~1 % of the router's CPU).
    func combined(_ name: HTTPField.Name) -> String? {
        var first: String?
        for field in self where field.name == name {
            guard first == nil else { return self[name] }  // repeated: joined by the subscript, separator and all
            first = field.value
        }
        return first
    }
}
