import CCurl
import Testing

@testable import UpstreamCurl

@Suite struct UpstreamErrorTests {
    @Test(arguments: [
        (UpstreamError.Code.connectFailed, false, true),
        (.connectFailed, true, true),
        (.timedOut, false, true),
        (.timedOut, true, false),
        (.connectionReset, false, true),
        (.connectionReset, true, false),
        (.tls, false, false),
        (.cancelled, false, false),
        (.invalidRequest, false, false),
        (.responseTooLarge, true, false),
        (.other, false, false),
    ])
    func retryabilityDependsOnTheCodeAndWhetherTheResponseStarted(
        code: UpstreamError.Code, receivedResponse: Bool, retryable: Bool
    ) {
        #expect(
            UpstreamError(code: code, message: "", receivedResponse: receivedResponse).isRetryable == retryable)
    }

    @Test(arguments: [
        (CURLE_COULDNT_CONNECT, UpstreamError.Code.connectFailed),
        (CURLE_COULDNT_RESOLVE_HOST, .connectFailed),
        (CURLE_OPERATION_TIMEDOUT, .timedOut),
        (CURLE_RECV_ERROR, .connectionReset),
        (CURLE_GOT_NOTHING, .connectionReset),
        (CURLE_PEER_FAILED_VERIFICATION, .tls),
        (CURLE_SSL_CONNECT_ERROR, .tls),
        (CURLE_URL_MALFORMAT, .invalidRequest),
        (CURLE_UNSUPPORTED_PROTOCOL, .invalidRequest),
        (CURLE_OUT_OF_MEMORY, .other),
    ])
    func curlCodesMapToCodes(curlCode: CURLcode, code: UpstreamError.Code) {
        let error = UpstreamError(curlCode: curlCode, detail: "", receivedResponse: false)
        #expect(error.code == code)
        #expect(error.curlCode == Int(curlCode.rawValue))
        #expect(!error.message.isEmpty)
    }
}
