import CCurl
import Synchronization

/// One request's exchange: its easy handle and callbacks on the multi thread, and the head and body state its
/// caller waits on.
///
/// `@unchecked Sendable`: the fields marked "multi thread" are touched only by the multi thread once the transfer
/// is submitted (and by the creating caller before that); everything callers touch lives in `shared`, behind its
/// Mutex. Continuations are always resumed outside the lock.
final class Transfer: @unchecked Sendable {
    typealias HeadWaiter = CheckedContinuation<Result<UpstreamResponse, UpstreamError>, Never>
    typealias BodyWaiter = CheckedContinuation<Result<[UInt8]?, UpstreamError>, Never>

    /// Where the response head stands for the caller of `execute`.
    enum HeadPhase {
        case pending(HeadWaiter?)
        case delivered
        case failed
    }

    /// State shared between the multi thread and the caller.
    struct Shared {
        var head: HeadPhase = .pending(nil)
        var body: BodyBuffer<BodyWaiter>
        var cancelRequested = false
    }

    let shared: Mutex<Shared>
    let loop: MultiLoop

    // Multi thread.
    private(set) var easy: EasyHandle?
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var parser = ResponseHeadParser()
    private var headComplete = false
    /// Whether any byte of the response arrived (multi thread).
    private(set) var responseStarted = false
    /// Whether the easy handle is currently added to the multi handle (multi thread).
    var isInMulti = false

    private init(easy: EasyHandle, loop: MultiLoop, configuration: CurlHTTPClient.Configuration) {
        self.easy = easy
        self.loop = loop
        self.shared = Mutex(
            Shared(
                body: BodyBuffer(
                    highWaterMark: configuration.bodyHighWaterMark, lowWaterMark: configuration.bodyLowWaterMark)))
        self.errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        self.errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        if let headerList { curl_slist_free_all(headerList) }
        errorBuffer.deallocate()
    }

    /// Validates the request and configures an easy handle for it; throws `invalidRequest` for what cannot be sent.
    static func make(
        request: UpstreamRequest, configuration: CurlHTTPClient.Configuration, loop: MultiLoop
    ) throws(UpstreamError) -> Transfer {
        try RequestValidation.validate(request)
        guard let easy = loop.pool.take() else {
            throw UpstreamError(code: .other, message: "libcurl could not allocate an easy handle")
        }
        let transfer = Transfer(easy: easy, loop: loop, configuration: configuration)
        do {
            try transfer.configure(request, configuration)
        } catch {
            transfer.releaseHandle()
            throw error
        }
        return transfer
    }

    private func configure(
        _ request: UpstreamRequest, _ configuration: CurlHTTPClient.Configuration
    ) throws(UpstreamError) {
        guard let easy = easy?.raw else { return }
        var failed: CURLcode = CURLE_OK
        func check(_ code: CURLcode) { if code != CURLE_OK && failed == CURLE_OK { failed = code } }
        func setLong(_ option: CURLoption, _ value: Int) { check(ccurl_easy_setopt_long(easy, option, value)) }
        func setString(_ option: CURLoption, _ value: String) { check(ccurl_easy_setopt_string(easy, option, value)) }

        setString(CURLOPT_URL, request.url)
        setString(CURLOPT_PROTOCOLS_STR, "http,https")
        setLong(CURLOPT_NOSIGNAL, 1)
        setLong(CURLOPT_HTTP_VERSION, configuration.httpVersion.curlValue)
        if configuration.httpVersion != .http1 { setLong(CURLOPT_PIPEWAIT, 1) }
        setLong(CURLOPT_SSL_VERIFYPEER, 1)
        setLong(CURLOPT_SSL_VERIFYHOST, 2)
        if let caBundlePath = configuration.caBundlePath { setString(CURLOPT_CAINFO, caBundlePath) }
        // An explicit empty proxy stops libcurl from reading http_proxy and friends from the environment.
        setString(CURLOPT_PROXY, configuration.proxy ?? "")
        setLong(CURLOPT_TCP_KEEPALIVE, 1)
        setLong(CURLOPT_TCP_NODELAY, 1)
        if let userAgent = configuration.userAgent { setString(CURLOPT_USERAGENT, userAgent) }
        check(ccurl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer))

        let timeouts = request.timeouts ?? configuration.timeouts
        setLong(CURLOPT_CONNECTTIMEOUT_MS, timeouts.connect.curlMilliseconds)
        if let total = timeouts.total { setLong(CURLOPT_TIMEOUT_MS, total.curlMilliseconds) }
        if let idle = timeouts.idle {
            setLong(CURLOPT_LOW_SPEED_LIMIT, 1)
            setLong(CURLOPT_LOW_SPEED_TIME, idle.curlSeconds)
        }

        switch (request.method, request.body) {
        case ("GET", nil):
            setLong(CURLOPT_HTTPGET, 1)
        case ("HEAD", nil):
            setLong(CURLOPT_NOBODY, 1)
        case (let method, let body):
            if let body {
                check(ccurl_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)))
                // COPYPOSTFIELDS copies, so the bytes live as long as the transfer without us holding them.
                body.withUnsafeBytes { bytes in
                    let base = bytes.baseAddress ?? UnsafeRawPointer(errorBuffer)
                    check(ccurl_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, base))
                }
            } else if method == "POST" {
                check(ccurl_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, 0))
                setString(CURLOPT_COPYPOSTFIELDS, "")
            }
            if method != "POST" { setString(CURLOPT_CUSTOMREQUEST, method) }
        }

        var list: UnsafeMutablePointer<curl_slist>?
        for header in request.headers {
            // libcurl's syntax for a header with an empty value is "Name;".
            let line = header.value.isEmpty ? "\(header.name);" : "\(header.name): \(header.value)"
            list = curl_slist_append(list, line)
        }
        // Without an empty Expect, libcurl waits for "100 Continue" before sending bodies over 1 MB.
        list = curl_slist_append(list, "Expect:")
        headerList = list
        check(ccurl_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, list))

        let me = Unmanaged.passUnretained(self).toOpaque()
        check(ccurl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, me))
        check(ccurl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, me))
        check(
            ccurl_easy_setopt_data_callback(easy, CURLOPT_WRITEFUNCTION) { data, size, count, context in
                let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
                return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
            })
        check(
            ccurl_easy_setopt_data_callback(easy, CURLOPT_HEADERFUNCTION) { data, size, count, context in
                let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
                return transfer.receiveHeaderLine(UnsafeRawBufferPointer(start: data, count: size * count))
            })

        if failed != CURLE_OK {
            throw UpstreamError(curlCode: failed, detail: "", receivedResponse: false)
        }
    }

    // MARK: Caller side

    /// Stores the continuation `execute` waits on for the head.
    func installHeadWaiter(_ waiter: HeadWaiter) {
        shared.withLock { $0.head = .pending(waiter) }
    }

    /// Marks the transfer cancelled; the multi thread then stops it (or never starts it).
    /// Returns `false` if the body had already ended, when there is nothing to stop.
    func requestCancel() -> Bool {
        shared.withLock { state in
            if case .delivered = state.head, state.body.hasEnded { return false }
            if case .failed = state.head { return false }
            state.cancelRequested = true
            return true
        }
    }

    /// The next body chunk, waiting for one if none is buffered; `nil` at the end.
    func nextChunk() async throws(UpstreamError) -> [UInt8]? {
        let polled = shared.withLock { $0.body.next(waiter: nil) }
        switch polled {
        case .chunk(let chunk, let resume):
            if resume { loop.resume(self) }
            return chunk
        case .end(let error):
            if let error { throw error }
            return nil
        case .wait:
            break
        }
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (waiter: BodyWaiter) in
                let action = shared.withLock { $0.body.next(waiter: waiter) }
                switch action {
                case .chunk(let chunk, let resume):
                    if resume { loop.resume(self) }
                    waiter.resume(returning: .success(chunk))
                case .end(let error):
                    waiter.resume(returning: error.map { .failure($0) } ?? .success(nil))
                case .wait:
                    break
                }
            }
        } onCancel: {
            loop.cancel(self)
        }
        return try result.get()
    }

    // MARK: Multi thread

    private func receiveHeaderLine(_ line: UnsafeRawBufferPointer) -> Int {
        responseStarted = true
        guard !headComplete, let head = parser.consume(line: line) else { return line.count }
        headComplete = true
        let response = UpstreamResponse(
            status: head.status, httpVersion: head.httpVersion,
            headers: head.headers.map { (name: $0.name, value: $0.value) },
            body: UpstreamBody(stream: BodyStream(transfer: self)))
        let waiter = shared.withLock { state -> HeadWaiter? in
            guard case .pending(let waiter) = state.head else { return nil }
            state.head = .delivered
            return waiter
        }
        waiter?.resume(returning: .success(response))
        return line.count
    }

    private func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        responseStarted = true
        let chunk = Array(bytes)
        let action = shared.withLock { $0.body.receive(chunk) }
        switch action {
        case .deliver(let waiter, let chunk):
            waiter.resume(returning: .success(chunk))
            return bytes.count
        case .consumed:
            return bytes.count
        case .pause:
            return ccurl_writefunc_pause()
        }
    }

    /// Frees the header list and returns the easy handle to the pool (multi thread, or the creator if never run).
    func releaseHandle() {
        if let headerList {
            curl_slist_free_all(headerList)
            self.headerList = nil
        }
        if let easy {
            self.easy = nil
            loop.pool.give(easy)
        }
    }

    /// Ends the exchange with libcurl's verdict (or a cancellation), waking whoever waits. Call after
    /// `releaseHandle`, so a caller woken by the ending sees the handle already freed.
    func finish(_ outcome: UpstreamError?) {
        let wasCancelled = shared.withLock { $0.cancelRequested }
        var error = outcome
        if wasCancelled {
            error = UpstreamError(
                code: .cancelled, message: outcome?.code == .cancelled ? outcome!.message : "the request was cancelled",
                receivedResponse: responseStarted)
        }
        enum Wake {
            case head(HeadWaiter?, UpstreamError)
            case body(BodyWaiter, UpstreamError?)
            case none
        }
        let wake = shared.withLock { state -> Wake in
            switch state.head {
            case .pending(let waiter):
                state.head = .failed
                return .head(
                    waiter,
                    error
                        ?? UpstreamError(
                            code: .connectionReset, message: "the response ended before its headers",
                            receivedResponse: responseStarted))
            case .delivered:
                let ending: BodyBuffer<BodyWaiter>.Ending = error.map { .failed($0) } ?? .finished
                guard let (waiter, error) = state.body.finish(ending, discardBuffered: wasCancelled) else {
                    return .none
                }
                return .body(waiter, error)
            case .failed:
                return .none
            }
        }
        switch wake {
        case .head(let waiter, let error): waiter?.resume(returning: .failure(error))
        case .body(let waiter, let error): waiter.resume(returning: error.map { .failure($0) } ?? .success(nil))
        case .none: break
        }
    }

    /// The libcurl error text of the last failure, if libcurl wrote one.
    var curlErrorDetail: String {
        String(cString: errorBuffer)
    }
}
