import CCurl

extension UpstreamError {
    /// Classifies a libcurl result code into an upstream error, keeping libcurl's detailed message.
    init(curlCode: CURLcode, detail: String, receivedResponse: Bool) {
        let code: Code
        switch curlCode {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            code = .connectFailed
        case CURLE_OPERATION_TIMEDOUT:
            code = .timedOut
        case CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_HTTP2,
            CURLE_HTTP2_STREAM, CURLE_HTTP3, CURLE_QUIC_CONNECT_ERROR:
            code = .connectionReset
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_CRL_BADFILE,
            CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED,
            CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_INVALIDCERTSTATUS, CURLE_USE_SSL_FAILED:
            code = .tls
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_BAD_FUNCTION_ARGUMENT:
            code = .invalidRequest
        case CURLE_ABORTED_BY_CALLBACK:
            code = .cancelled
        default:
            code = .other
        }
        let message = detail.isEmpty ? String(cString: curl_easy_strerror(curlCode)) : detail
        self.init(
            code: code, message: message, receivedResponse: receivedResponse, curlCode: Int(curlCode.rawValue))
    }
}
