import CCurl
import Synchronization

/// One request's exchange: its easy handle and callbacks on the multi thread, and the head and body state its
/// caller waits on.
///
/// `@unchecked Sendable`: the fields marked "multi thread" are touched only by the multi thread once the transfer
/// is submitted (and by the creating caller before that); everything callers touch lives in `shared`, behind its
/// Mutex. Continuations are always resumed outside the lock.
final class Transfer: @unchecked Sendable {
    /// Waits for the raw bytes of the final response head (status line and header lines, CRLFs included).
    typealias HeadWaiter = CheckedContinuation<Result<[UInt8], UpstreamError>, Never>
    typealias BodyWaiter = CheckedContinuation<Result<[UInt8]?, UpstreamError>, Never>

    /// Where the response head stands for the caller of `execute`.
    enum HeadPhase {
        case pending(HeadWaiter?)
        case delivered
        case failed
    }

    /// A suspended caller to resume with its result, outside any lock.
    ///
    /// The multi thread collects these while libcurl runs callbacks and resumes them in one batch before it sleeps
    /// (`MultiLoop.flushWakes`): a small response's head, body and end then arrive in one iteration and the caller
    /// wakes once, finding everything buffered, instead of being woken (a thread hand-off each) for every part.
    enum Wake {
        case head(HeadWaiter, Result<[UInt8], UpstreamError>)
        case body(BodyWaiter, Result<[UInt8]?, UpstreamError>)

        /// Resumes the waiter.
        func run() {
            switch self {
            case .head(let waiter, let result): waiter.resume(returning: result)
            case .body(let waiter, let result): waiter.resume(returning: result)
            }
        }
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
    /// `CURLOPT_CONNECT_TO` for a pinned address (`UpstreamRequest.connectTo`), freed with the transfer.
    private var connectToList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>
    /// The head received so far: raw lines, parsed by the caller (`response(head:)`), off the multi thread.
    private var headCollector = ResponseHeadCollector()
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
        if let connectToList { curl_slist_free_all(connectToList) }
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

        // A URL parsed once per client and shared (see `ParsedURLCache`); a string only when it is not cached.
        if let parsed = loop.urls.handle(for: request.url) {
            check(ccurl_easy_setopt_pointer(easy, CURLOPT_CURLU, UnsafeRawPointer(parsed.raw)))
        } else {
            setString(CURLOPT_URL, request.url)
        }
        setString(CURLOPT_PROTOCOLS_STR, "http,https")
        setLong(CURLOPT_NOSIGNAL, 1)
        // Driven by an event loop (`CurlLoopExecutor`), a transfer stopped while its name is still resolving leaves
        // the resolver thread to finish alone: joining it would stall the loop. (The client's own thread may wait.)
        if loop.executor != nil { setLong(CURLOPT_QUICK_EXIT, 1) }
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
        var line: [CChar] = []
        for header in request.headers {
            // libcurl's syntax for a header with an empty value is "Name;". The line is written into one reused
            // buffer (libcurl copies it), not built as a new String per header.
            line.removeAll(keepingCapacity: true)
            line.reserveCapacity(header.name.utf8.count + header.value.utf8.count + 3)
            for byte in header.name.utf8 { line.append(CChar(bitPattern: byte)) }
            if header.value.isEmpty {
                line.append(0x3B)  // ;
            } else {
                line.append(0x3A)  // :
                line.append(0x20)
                for byte in header.value.utf8 { line.append(CChar(bitPattern: byte)) }
            }
            line.append(0)
            list = curl_slist_append(list, line)
        }
        // Without an empty Expect, libcurl waits for "100 Continue" before sending bodies over 1 MB.
        list = curl_slist_append(list, Self.emptyExpect)
        headerList = list
        check(ccurl_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, list))
        if let connectTo = request.connectTo {
            // Connect to the address the caller checked, whatever DNS says by now (no rebinding).
            connectToList = curl_slist_append(nil, connectTo)
            check(ccurl_easy_setopt_slist(easy, CURLOPT_CONNECT_TO, connectToList))
        }

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

    /// Collects the head's lines; at the blank line that ends a final (non-1xx) head, hands the raw bytes to the
    /// caller. Parsing happens on the caller's thread: the multi thread is the client's one serial resource.
    private func receiveHeaderLine(_ line: UnsafeRawBufferPointer) -> Int {
        responseStarted = true
        guard let head = headCollector.consume(line: line) else { return line.count }
        let waiter = shared.withLock { state -> HeadWaiter? in
            guard case .pending(let waiter) = state.head else { return nil }
            state.head = .delivered
            return waiter
        }
        if let waiter { loop.deferWake(.head(waiter, .success(head))) }
        return line.count
    }

    /// The response for a head this transfer delivered (caller side).
    func response(head: [UInt8]) throws(UpstreamError) -> UpstreamResponse {
        guard let parsed = ResponseHeadParser.parse(head: head) else {
            loop.cancel(self)
            throw UpstreamError(code: .other, message: "the response head could not be parsed", receivedResponse: true)
        }
        return UpstreamResponse(
            status: parsed.status, httpVersion: parsed.httpVersion,
            headers: parsed.headers.map { (name: $0.name, value: $0.value) },
            body: UpstreamBody(stream: BodyStream(transfer: self)))
    }

    private func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        responseStarted = true
        let chunk = Array(bytes)
        let action = shared.withLock { $0.body.receive(chunk) }
        switch action {
        case .deliver(let waiter, let chunk):
            loop.deferWake(.body(waiter, .success(chunk)))
            return bytes.count
        case .consumed:
            return bytes.count
        case .pause:
            return ccurl_writefunc_pause()
        }
    }

    /// Returns the easy handle to the pool (multi thread, or the creator if never run). The header list is freed
    /// with the transfer (`deinit`, usually on the caller's thread): libcurl no longer reads it once the handle
    /// left the multi handle, and the pool resets the handle before its next use.
    func releaseHandle() {
        if let easy {
            self.easy = nil
            // The full reset happens when the handle is next taken; until then it must not point at memory this
            // transfer frees (error buffer, header list, itself), e.g. if the pool frees it at shutdown.
            _ = ccurl_easy_setopt_pointer(easy.raw, CURLOPT_ERRORBUFFER, nil)
            _ = ccurl_easy_setopt_pointer(easy.raw, CURLOPT_CURLU, nil)
            _ = ccurl_easy_setopt_slist(easy.raw, CURLOPT_HTTPHEADER, nil)
            _ = ccurl_easy_setopt_slist(easy.raw, CURLOPT_CONNECT_TO, nil)
            _ = ccurl_easy_setopt_pointer(easy.raw, CURLOPT_WRITEDATA, nil)
            _ = ccurl_easy_setopt_pointer(easy.raw, CURLOPT_HEADERDATA, nil)
            loop.pool.give(easy)
        }
    }

    /// Ends the exchange with libcurl's verdict (or a cancellation), waking whoever waits. Call after
    /// `releaseHandle`, so a caller woken by the ending sees the handle already freed. `onLoop`: called on the
    /// multi thread, which batches the wake-up; otherwise the waiter is resumed at once.
    func finish(_ outcome: UpstreamError?, onLoop: Bool = true) {
        let wasCancelled = shared.withLock { $0.cancelRequested }
        var error = outcome
        if wasCancelled {
            error = UpstreamError(
                code: .cancelled, message: outcome?.code == .cancelled ? outcome!.message : "the request was cancelled",
                receivedResponse: responseStarted)
        }
        enum Ending {
            case head(HeadWaiter?, UpstreamError)
            case body(BodyWaiter, UpstreamError?)
            case none
        }
        let wake = shared.withLock { state -> Ending in
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
        let ready: Wake? =
            switch wake {
            case .head(let waiter, let error): waiter.map { .head($0, .failure(error)) }
            case .body(let waiter, let error): .body(waiter, error.map { .failure($0) } ?? .success(nil))
            case .none: nil
            }
        guard let ready else { return }
        if onLoop { loop.deferWake(ready) } else { ready.run() }
    }

    /// `Expect:` as a C string made once (libcurl copies it into each list).
    private static let emptyExpect: [CChar] = Array("Expect:".utf8CString)

    /// The libcurl error text of the last failure, if libcurl wrote one.
    var curlErrorDetail: String {
        String(cString: errorBuffer)
    }
}
