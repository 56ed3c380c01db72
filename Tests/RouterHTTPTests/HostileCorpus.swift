/// The fuzz corpus of `HostileInputTests`: every bad input of issue 10, and a generated variety around them.
///
/// Each case is one HTTP request that must be refused with `status` in the API's error shape (`errorType`), and
/// must leave the service answering and its ledger untouched.
struct HostileCase: Sendable, CustomStringConvertible {
    var name: String
    var method: String
    var path: String
    var key: String?
    var headers: [(String, String)] = []
    var body: [UInt8]?
    /// The expected status (any of them).
    var status: Set<Int>
    var errorType: String?
    /// A text the error message must contain (e.g. the field or key path it names).
    var mentions: String?
    /// Raw bytes sent as they are instead of a request built from the fields above.
    var raw: [UInt8]?

    var description: String { name }
}

enum HostileCorpus {
    static let key = ServiceHarness.devKey
    static let valid = #"{"model":"auto","max_tokens":64,"messages":[{"role":"user","content":"Say hi"}]}"#

    static func json(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Every case, hand-written ones first.
    static var all: [HostileCase] {
        issueCases + keyless + badKeys + truncations + wrongTypes + numbers + nesting + duplicates + badUTF8
            + notObjects + taskFields + countTokens + oddRequests + codings + protocolErrors
    }

    /// Bodies in a coding the router does not decode: refused by name (415 for a content coding, 400 for a transfer
    /// coding other than chunked), not as "invalid JSON".
    static var codings: [HostileCase] {
        let gzipped = [0x1F, 0x8B, 0x08, 0x00] + json(valid)
        let content: [(String, String, String, String)] = [
            ("gzip body", "/v1/messages", "gzip", "'gzip'"),
            ("deflate body", "/v1/messages", "deflate", "'deflate'"),
            ("br count_tokens body", "/v1/messages/count_tokens", "br", "'br'"),
            ("gzip task body", "/v1/tasks", "gzip", "'gzip'"),
            ("gzip route body", "/v1/route", "GZIP", "'gzip'"),
            ("identity then gzip", "/v1/messages", "identity, gzip", "'gzip'"),
        ]
        var cases = content.map { name, path, coding, mention in
            HostileCase(
                name: "coding: \(name)", method: "POST", path: path, key: key, headers: [("content-encoding", coding)],
                body: gzipped, status: [415], errorType: "invalid_request_error",
                mentions: "Content-Encoding \(mention)")
        }
        let chunk = String(valid.utf8.count, radix: 16)
        cases.append(
            HostileCase(
                name: "coding: gzip, chunked transfer", method: "", path: "", status: [400],
                errorType: "invalid_request_error", mentions: "Transfer-Encoding 'gzip'",
                raw: json(
                    "POST /v1/messages HTTP/1.1\r\nhost: x\r\nx-api-key: \(key)\r\nanthropic-version: 2023-06-01\r\n"
                        + "content-type: application/json\r\ntransfer-encoding: gzip, chunked\r\n\r\n"
                        + "\(chunk)\r\n\(valid)\r\n0\r\n\r\n")))
        return cases
    }

    /// The inputs the issue names.
    static var issueCases: [HostileCase] {
        let huge = #"{"deadline":10000000000000000,"messages":[{"role":"user","content":"hi"}]}"#
        return [
            HostileCase(
                name: "keyless task with a 1e16 deadline", method: "POST", path: "/v1/tasks", body: json(huge),
                status: [401], errorType: "authentication_error"),
            HostileCase(
                name: "keyless route with a 1e16 deadline", method: "POST", path: "/v1/route", body: json(huge),
                status: [401], errorType: "authentication_error"),
            HostileCase(
                name: "keyed task with a 1e16 deadline", method: "POST", path: "/v1/tasks", key: key, body: json(huge),
                status: [400], errorType: "invalid_request_error", mentions: "deadline"),
            HostileCase(
                name: "keyed route with a 1e16 deadline", method: "POST", path: "/v1/route", key: key, body: json(huge),
                status: [400], errorType: "invalid_request_error", mentions: "deadline"),
            HostileCase(
                name: "keyless malformed route", method: "POST", path: "/v1/route", body: json("{not json"),
                status: [401], errorType: "authentication_error"),
            HostileCase(
                name: "duplicate model and max_tokens", method: "POST", path: "/v1/messages", key: key,
                body: json(
                    #"{"model":"claude-sonnet-4-6","max_tokens":16,"model":"claude-opus-4-6","max_tokens":64000,"#
                        + #""messages":[{"role":"user","content":"hi"}]}"#),
                status: [400], errorType: "invalid_request_error", mentions: "model"),
            HostileCase(
                name: "max_tokens of Int64.max", method: "POST", path: "/v1/messages", key: key,
                body: json(
                    #"{"model":"claude-haiku-4-5","max_tokens":9223372036854775807,"#
                        + #""messages":[{"role":"user","content":"hi"}]}"#),
                status: [400], errorType: "invalid_request_error", mentions: "max_tokens"),
            HostileCase(
                name: "max_tokens above the model's maximum", method: "POST", path: "/v1/messages", key: key,
                body: json(
                    #"{"model":"claude-haiku-4-5","max_tokens":64001,"messages":[{"role":"user","content":"hi"}]}"#),
                status: [400], errorType: "invalid_request_error", mentions: "max_tokens"),
            HostileCase(
                name: "past deadline", method: "POST", path: "/v1/tasks", key: key,
                body: json(#"{"deadline":"2001-01-01T00:00:00Z","messages":[{"role":"user","content":"hi"}]}"#),
                status: [400], errorType: "invalid_request_error", mentions: "deadline"),
            HostileCase(
                name: "invalid UTF-8 in content", method: "POST", path: "/v1/messages", key: key,
                body: json(#"{"model":"auto","max_tokens":64,"messages":[{"role":"user","content":"a"#) + [0xFF, 0xFE]
                    + json(#""}]}"#),
                status: [400], errorType: "invalid_request_error", mentions: "UTF-8"),
            HostileCase(
                name: "malformed count_tokens", method: "POST", path: "/v1/messages/count_tokens", key: key,
                body: json(#"{"model":"auto","messages":"not a list"}"#),
                status: [400], errorType: "invalid_request_error", mentions: "messages"),
            HostileCase(
                name: "HEAD on an unknown route", method: "HEAD", path: "/nowhere", key: key, status: [404]),
        ]
    }

    static let authenticatedRoutes: [(String, String)] = [
        ("POST", "/v1/messages"), ("POST", "/v1/messages/count_tokens"), ("GET", "/v1/models"),
        ("GET", "/v1/models/auto"), ("GET", "/v1/messages/batches"), ("POST", "/v1/messages/batches"),
        ("POST", "/v1/tasks"), ("GET", "/v1/tasks/task_x"), ("DELETE", "/v1/tasks/task_x"), ("POST", "/v1/route"),
    ]

    static let sampleBodies: [String] = [
        valid, "", "{", "null", "[]", #"{"deadline":1e16}"#, #"{"model":"x","model":"y"}"#, "\u{0}",
    ]

    /// Every authenticated route, without a key, with a variety of bodies: 401 before the body is looked at.
    static var keyless: [HostileCase] {
        var cases: [HostileCase] = []
        for (method, path) in authenticatedRoutes {
            for (i, body) in sampleBodies.enumerated() {
                cases.append(
                    HostileCase(
                        name: "keyless \(method) \(path) body #\(i)", method: method, path: path,
                        body: method == "GET" ? nil : json(body), status: [401], errorType: "authentication_error"))
            }
        }
        return cases
    }

    static var badKeys: [HostileCase] {
        let keys = [
            // (Not "dev-key-change-me " with a trailing space: HTTP trims it, and the key is then right.)
            "wrong", "dev-key-change-mE", String(repeating: "k", count: 4000), "dev-key-change-m", "Bearer x", "%00",
            "dev-key-change-me\\", "ZGV2LWtleS1jaGFuZ2UtbWU=",
        ]
        var cases: [HostileCase] = []
        for (i, bad) in keys.enumerated() {
            for (method, path) in authenticatedRoutes.prefix(4) {
                cases.append(
                    HostileCase(
                        name: "bad key #\(i) \(method) \(path)", method: method, path: path, key: bad,
                        body: method == "GET" ? nil : json(valid), status: [401], errorType: "authentication_error"))
            }
            cases.append(
                HostileCase(
                    name: "bad bearer #\(i)", method: "POST", path: "/v1/messages",
                    headers: [("authorization", "Bearer \(bad)")], body: json(valid), status: [401],
                    errorType: "authentication_error"))
        }
        return cases
    }

    /// Every proper prefix of a valid body (every third byte), to each body-reading route.
    static var truncations: [HostileCase] {
        let bytes = json(valid)
        var cases: [HostileCase] = []
        for cut in stride(from: 0, to: bytes.count, by: 3) {
            for path in ["/v1/messages", "/v1/tasks", "/v1/route", "/v1/messages/count_tokens"] {
                cases.append(
                    HostileCase(
                        name: "truncated at \(cut) to \(path)", method: "POST", path: path, key: key,
                        body: Array(bytes[0..<cut]), status: [400], errorType: "invalid_request_error"))
            }
        }
        return cases
    }

    /// Each checked field with values of the wrong type.
    static var wrongTypes: [HostileCase] {
        let fields: [(String, [String])] = [
            ("model", ["1", "true", "[]", "{}", "null"]),
            ("max_tokens", [#""64""#, "true", "[]", "{}", "64.5", "-1"]),
            ("messages", [#""hi""#, "1", "{}", "null", #"[1]"#, #"[{"role":"user"}]"#, #"[{"role":"bot","content":"x"}]"#]),
            ("stream", [#""yes""#, "1", "[]"]),
            ("system", ["1", "{}", #"[{"type":"image"}]"#, #"[{"type":"text"}]"#]),
            ("temperature", [#""hot""#, "[]", "{}"]),
            ("tools", [#""x""#, "{}", "[1]"]),
            ("tool_choice", [#""auto""#, "[]", "{}", #"{"type":1}"#]),
            ("stop_sequences", [#""x""#, "[1]"]),
            ("metadata", [#""x""#, "[]"]),
            ("cache_control", [#""x""#, #"{"type":"forever"}"#, #"{"type":"ephemeral","ttl":"2h"}"#]),
        ]
        var cases: [HostileCase] = []
        for (field, values) in fields {
            for value in values {
                var object = [
                    ("model", #""auto""#), ("max_tokens", "64"), ("messages", #"[{"role":"user","content":"hi"}]"#),
                ]
                if let i = object.firstIndex(where: { $0.0 == field }) {
                    object[i].1 = value
                } else {
                    object.append((field, value))
                }
                let text = "{" + object.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
                for path in ["/v1/messages", "/v1/tasks"] {
                    cases.append(
                        HostileCase(
                            name: "\(field)=\(value) to \(path)", method: "POST", path: path, key: key, body: json(text),
                            status: [400], errorType: "invalid_request_error", mentions: field))
                }
            }
        }
        return cases
    }

    /// Huge, negative, fractional and not-quite numbers where integers are expected.
    static var numbers: [HostileCase] {
        let values = [
            "9223372036854775807", "9223372036854775808", "-9223372036854775808", "1e16", "1e400", "-1", "1.5",
            "99999999999999999999999999999", "4294967296",
        ]
        let syntax = ["NaN", "Infinity", "-Infinity", "0x40", "+64", "064", ".5", "1e", "--1"]
        var cases: [HostileCase] = []
        for value in values + ["64001", "128001", "1000000"] {
            cases.append(
                HostileCase(
                    name: "max_tokens \(value) (haiku)", method: "POST", path: "/v1/messages", key: key,
                    body: json(#"{"model":"claude-haiku-4-5","max_tokens":\#(value),"messages":[{"role":"user","content":"hi"}]}"#),
                    status: [400], errorType: "invalid_request_error", mentions: "max_tokens"))
        }
        for value in values {
            for path in ["/v1/tasks", "/v1/route"] {
                cases.append(
                    HostileCase(
                        name: "deadline \(value) to \(path)", method: "POST", path: path, key: key,
                        body: json(#"{"deadline":\#(value),"messages":[{"role":"user","content":"hi"}]}"#),
                        status: [400], errorType: "invalid_request_error", mentions: "deadline"))
            }
        }
        for value in syntax {
            for field in ["max_tokens", "temperature"] {
                cases.append(
                    HostileCase(
                        name: "\(field) \(value)", method: "POST", path: "/v1/messages", key: key,
                        body: json(#"{"model":"auto","\#(field)":\#(value),"max_tokens":64,"messages":[]}"#),
                        status: [400], errorType: "invalid_request_error"))
            }
        }
        for deadline in [
            #""1970-01-01T00:00:00Z""#, #""2999-01-01T00:00:00Z""#, #""9999-12-31T23:59:59Z""#, #""tomorrow""#, "true",
            "[]", "{}", "0", "604801",
        ] {
            cases.append(
                HostileCase(
                    name: "deadline \(deadline)", method: "POST", path: "/v1/tasks", key: key,
                    body: json(#"{"deadline":\#(deadline),"messages":[{"role":"user","content":"hi"}]}"#),
                    status: [400], errorType: "invalid_request_error", mentions: "deadline"))
        }
        return cases
    }

    static var nesting: [HostileCase] {
        var cases: [HostileCase] = []
        for depth in [513, 600, 5_000, 100_000] {
            let arrays = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
            let objects = String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)
            for (kind, nested) in [("arrays", arrays), ("objects", objects)] {
                for path in ["/v1/messages", "/v1/tasks", "/v1/messages/count_tokens"] {
                    cases.append(
                        HostileCase(
                            name: "\(depth) nested \(kind) to \(path)", method: "POST", path: path, key: key,
                            body: json(#"{"model":"auto","max_tokens":64,"messages":[],"metadata":\#(nested)}"#),
                            status: [400], errorType: "invalid_request_error", mentions: "nesting"))
                }
            }
        }
        return cases
    }

    /// A repeated key at every level of a request, named by its path.
    static var duplicates: [HostileCase] {
        let bodies: [(String, String)] = [
            (#"{"model":"auto","model":"auto","max_tokens":64,"messages":[]}"#, "model"),
            (#"{"model":"auto","max_tokens":64,"max_tokens":64,"messages":[]}"#, "max_tokens"),
            (#"{"model":"auto","max_tokens":64,"messages":[],"messages":[]}"#, "messages"),
            (#"{"model":"auto","max_tokens":64,"messages":[{"role":"user","role":"assistant","content":"x"}]}"#, "messages[0].role"),
            (#"{"model":"auto","max_tokens":64,"messages":[{"role":"user","content":"x","content":"y"}]}"#, "messages[0].content"),
            (#"{"model":"auto","max_tokens":64,"messages":[{"role":"user","content":[{"type":"text","text":"a","text":"b"}]}]}"#, "messages[0].content[0].text"),
            (#"{"model":"auto","max_tokens":64,"messages":[],"metadata":{"user_id":"a","user_id":"b"}}"#, "metadata.user_id"),
            (#"{"model":"auto","max_tokens":64,"messages":[],"tools":[{"name":"a","name":"b"}]}"#, "tools[0].name"),
            (#"{"model":"auto","max_tokens":64,"messages":[],"system":[{"type":"text","type":"text","text":"s"}]}"#, "system[0].type"),
            (#"{"model":"auto","max_tokens":64,"messages":[],"thinking":{"type":"enabled","budget_tokens":1,"budget_tokens":2}}"#, "thinking.budget_tokens"),
            (#"{"model":"auto","max_tokens":64,"messages":[],"a.b":1,"a.b":2}"#, #"["a.b"]"#),
            (#"{"model":"auto","max_tokens":64,"messages":[],"stream":false,"stream":true}"#, "stream"),
            (#"{"model":"auto","max_tokens":64,"messages":[],"task_type":"x","task_type":"y"}"#, "task_type"),
            (#"{"model":"auto","max_tokens":64,"messages":[],"deadline":60,"deadline":1e16}"#, "deadline"),
            (#"{"model":"auto","max_tokens":64,"messages":[],"priority":"background","priority":"interactive"}"#, "priority"),
            (#"{"model":"auto","max_tokens":64,"messages":[],"callback_url":"http://a","callback_url":"http://b"}"#, "callback_url"),
        ]
        var cases: [HostileCase] = []
        for (body, path) in bodies {
            for route in ["/v1/messages", "/v1/tasks", "/v1/route", "/v1/messages/count_tokens"] {
                cases.append(
                    HostileCase(
                        name: "duplicate \(path) to \(route)", method: "POST", path: route, key: key, body: json(body),
                        status: [400], errorType: "invalid_request_error", mentions: path + ": duplicate key"))
            }
        }
        // Past the scan limit, where the parser switches to a set.
        let many = (0..<40).map { #""k\#($0)":1"# }.joined(separator: ",")
        cases.append(
            HostileCase(
                name: "duplicate in a 41-key object", method: "POST", path: "/v1/messages", key: key,
                body: json(#"{"model":"auto","max_tokens":64,"messages":[],"metadata":{\#(many),"k7":2}}"#),
                status: [400], errorType: "invalid_request_error", mentions: "metadata.k7: duplicate key"))
        return cases
    }

    static var badUTF8: [HostileCase] {
        let sequences: [[UInt8]] = [
            [0xFF], [0xFE], [0x80], [0xBF], [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80],
            [0xF0, 0x80, 0x80, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xE2, 0x82], [0xC3],
            [0xF0, 0x9F, 0x98], [0xC3, 0x28], [0xE2, 0x28, 0xA1],
        ]
        var cases: [HostileCase] = []
        for (i, bad) in sequences.enumerated() {
            let inValue =
                json(#"{"model":"auto","max_tokens":64,"messages":[{"role":"user","content":"x"#) + bad
                + json(#"y"}]}"#)
            let inKey = json(#"{"model":"auto","max_tokens":64,"messages":[],"k"#) + bad + json(#"":1}"#)
            let escaped = json(#"{"model":"auto","max_tokens":64,"messages":[{"role":"user","content":"\u00e9"#) + bad
                + json(#""}]}"#)
            for (where_, body) in [("value", inValue), ("key", inKey), ("after an escape", escaped)] {
                for path in ["/v1/messages", "/v1/tasks", "/v1/messages/count_tokens"] {
                    cases.append(
                        HostileCase(
                            name: "bad UTF-8 #\(i) in a \(where_) to \(path)", method: "POST", path: path, key: key,
                            body: body, status: [400], errorType: "invalid_request_error", mentions: "UTF-8"))
                }
            }
        }
        return cases
    }

    static var notObjects: [HostileCase] {
        let bodies = ["", " ", "null", "true", "42", #""text""#, "[]", "[{}]", "{}", "{} {}", "\u{FEFF}{}", "{'a':1}"]
        var cases: [HostileCase] = []
        for body in bodies {
            for path in ["/v1/messages", "/v1/tasks", "/v1/route", "/v1/messages/count_tokens"] {
                cases.append(
                    HostileCase(
                        name: "body \(body.debugDescription) to \(path)", method: "POST", path: path, key: key,
                        body: json(body), status: [400], errorType: "invalid_request_error"))
            }
        }
        return cases
    }

    static var taskFields: [HostileCase] {
        let fields: [(String, [String])] = [
            ("task_type", ["1", "[]", "{}", "true"]),
            ("priority", [#""urgent""#, "1", "[]"]),
            ("metadata", [#""x""#, "[]", "1"]),
            ("callback_url", [#""ftp://example.com""#, "1", #""javascript:alert(1)""#, #""//x""#, "[]"]),
        ]
        var cases: [HostileCase] = []
        for (field, values) in fields {
            for value in values {
                for path in ["/v1/tasks", "/v1/route"] {
                    cases.append(
                        HostileCase(
                            name: "\(field)=\(value) to \(path)", method: "POST", path: path, key: key,
                            body: json(#"{"\#(field)":\#(value),"messages":[{"role":"user","content":"hi"}]}"#),
                            status: [400], errorType: "invalid_request_error", mentions: field))
                }
            }
        }
        return cases
    }

    static var countTokens: [HostileCase] {
        let bodies: [(String, String)] = [
            (#"{"messages":[{"role":"user","content":"hi"}]}"#, "model"),
            (#"{"model":"auto"}"#, "messages"),
            (#"{"model":"auto","messages":[{"content":"hi"}]}"#, "role"),
            (#"{"model":"auto","messages":[{"role":"user","content":1}]}"#, "content"),
            (#"{"model":"auto","messages":[{"role":"user","content":[{"text":"x"}]}]}"#, "type"),
            (#"{"model":5,"messages":[]}"#, "model"),
            (#"{"model":"auto","messages":[],"system":5}"#, "system"),
            (#"{"model":"auto","messages":[],"tools":{}}"#, "tools"),
        ]
        return bodies.map { body, field in
            HostileCase(
                name: "count_tokens \(body)", method: "POST", path: "/v1/messages/count_tokens", key: key,
                body: json(body), status: [400], errorType: "invalid_request_error", mentions: field)
        }
    }

    static var oddRequests: [HostileCase] {
        var cases: [HostileCase] = []
        let paths = [
            "/", "/nowhere", "/v1", "/v1/", "/v1/messages/extra", "/v1/../etc/passwd", "/v1/messages/..%2f..%2fv1",
            "/v1/tasks/../../etc/passwd", "/%2e%2e/%2e%2e/", "/v1/models/../../x", "/v2/messages", "/V1/MESSAGES",
            "/v1/tasks/", "/v1//messages",
        ]
        for path in paths {
            for key in [key, nil] {
                // Hummingbird drops empty path components: "/v1/tasks/" is "/v1/tasks", where GET is a 405.
                cases.append(
                    HostileCase(
                        name: "GET \(path) \(key == nil ? "keyless" : "keyed")", method: "GET", path: path, key: key,
                        status: key == nil ? [401, 404, 405] : [404, 405], errorType: nil))
            }
        }
        let methods: [(String, String, Set<Int>)] = [
            ("PUT", "/v1/messages", [405]), ("PATCH", "/v1/messages", [405]), ("DELETE", "/v1/messages", [405]),
            ("GET", "/v1/messages", [405]), ("GET", "/v1/tasks", [405]), ("PUT", "/v1/route", [405]),
            ("POST", "/v1/models", [405]), ("DELETE", "/v1/models", [405]), ("OPTIONS", "/v1/messages", [404, 405]),
            ("TRACE", "/v1/messages", [404, 405]), ("HEAD", "/v1/messages", [404, 405]), ("HEAD", "/nowhere", [404]),
            ("POST", "/healthz", [404, 405]), ("DELETE", "/v1/tasks", [405]), ("PUT", "/v1/tasks/task_x", [404, 405]),
        ]
        for (method, path, status) in methods {
            cases.append(
                HostileCase(name: "\(method) \(path)", method: method, path: path, key: key, status: status))
            cases.append(
                HostileCase(
                    name: "\(method) \(path) keyless", method: method, path: path, status: status.union([401])))
        }
        for id in ["nope", "task_" + String(repeating: "x", count: 2000), "%00", "..", "task_x%0d%0aSet-Cookie:x"] {
            cases.append(
                HostileCase(
                    name: "GET task \(id.prefix(20))", method: "GET", path: "/v1/tasks/\(id)", key: key, status: [404]))
        }
        return cases
    }

    /// Requests the HTTP parser refuses: answered 400 in the API's error shape, with a request id.
    static var protocolErrors: [HostileCase] {
        let bigHeader = "x-big: " + String(repeating: "a", count: 100 * 1024) + "\r\n"
        let manyHeaders = (0..<400).map { "x-h\($0): v\r\n" }.joined()
        let raws: [(String, String)] = [
            ("garbage line", "GARBAGE\r\n\r\n"),
            ("bad version", "GET / HTTP/9.9\r\n\r\n"),
            ("header without colon", "GET /healthz HTTP/1.1\r\nhost: x\r\nno colon here\r\n\r\n"),
            ("bad content-length", "POST /v1/messages HTTP/1.1\r\nhost: x\r\ncontent-length: abc\r\n\r\n"),
            ("negative content-length", "POST /v1/messages HTTP/1.1\r\nhost: x\r\ncontent-length: -5\r\n\r\n"),
            ("bad chunk size", "POST /v1/messages HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\nx-api-key: \(key)\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n"),
            ("huge header", "GET /healthz HTTP/1.1\r\nhost: x\r\n" + bigHeader + "\r\n"),
            ("many headers", "GET /healthz HTTP/1.1\r\nhost: x\r\n" + manyHeaders + "\r\n"),
            ("space in header name", "GET /healthz HTTP/1.1\r\nhost: x\r\nbad name: v\r\n\r\n"),
            ("control character in the path", "GET /a\u{1}b HTTP/1.1\r\nhost: x\r\n\r\n"),
        ]
        return raws.map { name, text in
            HostileCase(
                name: "protocol: \(name)", method: "", path: "", status: [400], errorType: "invalid_request_error",
                raw: Array(text.utf8))
        }
    }
}
