/// Checks a request before any of it reaches libcurl, so a header cannot smuggle a second header or request line.
enum RequestValidation {
    /// Throws `invalidRequest` for an empty or non-token method, a URL with control characters or spaces, or a
    /// header whose name is not a token or whose value holds CR, LF or NUL.
    static func validate(_ request: UpstreamRequest) throws(UpstreamError) {
        guard !request.method.isEmpty, request.method.utf8.allSatisfy(isTokenByte) else {
            throw UpstreamError(code: .invalidRequest, message: "the method is not an HTTP token")
        }
        guard !request.url.isEmpty, request.url.utf8.allSatisfy({ $0 > 0x20 && $0 != 0x7F }) else {
            throw UpstreamError(code: .invalidRequest, message: "the URL is empty or contains spaces or control bytes")
        }
        for (index, header) in request.headers.enumerated() {
            guard !header.name.isEmpty, header.name.utf8.allSatisfy(isTokenByte) else {
                // The name itself is not echoed: a malformed header may be a secret pasted in the wrong place.
                throw UpstreamError(code: .invalidRequest, message: "header #\(index + 1) has an invalid name")
            }
            guard !header.value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }) else {
                throw UpstreamError(
                    code: .invalidRequest, message: "the value of header #\(index + 1) contains CR, LF or NUL")
            }
        }
    }

    /// RFC 9110 `tchar`.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
