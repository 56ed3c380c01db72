import RouterCore

/// Seeded generators of prompt traffic, one per client pattern the cache planner must pay on.
///
/// Each shape is a set of clients with realistic parameters (docs/cache-planning.md says where each comes from);
/// the same seed and duration give the same trace. Blocks are whole messages (or system / tools sections), as
/// the router sees them, except `heldOutLike`, which is in the Mooncake trace's 512-token-block form.
public enum TrafficShape: String, Sendable, Hashable, CaseIterable {
    /// Multi-turn chat: one app prompt, short turns, think-time gaps between them.
    case chat
    /// Agent loops: tool definitions and a system prompt, a tool transcript that grows every few seconds.
    case agent
    /// Retrieval-augmented answers: a shared instruction plus one document from a Zipf-popular pool.
    case rag
    /// Single-system-prompt bots at rates from one request per 10 s to one per 20 min.
    case bot
    /// Background jobs: bursts of near-simultaneous requests sharing a long instruction, minutes apart.
    case bursty
    /// Several clients of the shapes above, plus one-off requests, at once.
    case mix
    /// The held-out trace of issue 14 as described: 12,031 requests an hour, ~24 blocks of 512 tokens, ~37 % of
    /// input tokens reusable, ~92 % of reuses within 5 minutes (multi-turn conversations, Mooncake block form).
    case heldOutLike = "held-out-like"

    /// The shapes the planner's defaults were tuned on (with the Mooncake trace): the speculative margin of 1.2
    /// was chosen looking at `heldOutLike`, the only shape it moves much. The others are reported only.
    public var tunedOn: Bool { self == .chat || self == .rag || self == .heldOutLike }

    /// Generates `durationMillis` of this shape's traffic, sorted by arrival.
    public func generate(seed: UInt64, durationMillis: Int64 = 3_600_000) -> [TraceRequest] {
        var builder = TraceBuilder(seed: seed ^ UInt64(Self.allCases.firstIndex(of: self)! + 1) &* 0x1000_0001,
            duration: durationMillis)
        switch self {
        case .chat:
            builder.chat(client: "chat-app", sessionsPerHour: 900, systemTokens: 1_500)
        case .agent:
            builder.agent(client: "agent-a", sessionsPerHour: 40, toolTokens: 2_500, systemTokens: 1_200)
            builder.agent(client: "agent-b", sessionsPerHour: 20, toolTokens: 4_000, systemTokens: 800)
        case .rag:
            builder.rag(client: "rag", requestsPerHour: 1_200, documents: 300)
        case .bot:
            for (index, (rate, tokens)) in [(360.0, 1_200), (120, 2_500), (30, 4_000), (12, 1_500), (6, 6_000), (3, 2_000)]
                .enumerated()
            {
                builder.bot(client: "bot-\(index)", requestsPerHour: rate, systemTokens: tokens)
            }
        case .bursty:
            for (index, job) in [(15.0, 200, 60.0), (30, 60, 20), (45, 400, 120), (8, 20, 10)].enumerated() {
                builder.bursty(
                    client: "job-\(index)", periodMinutes: job.0, burstSize: job.1, spreadSeconds: job.2,
                    prefixTokens: 3_000 + 1_000 * index)
            }
        case .mix:
            builder.chat(client: "chat-app", sessionsPerHour: 300, systemTokens: 1_500)
            builder.agent(client: "agent-a", sessionsPerHour: 20, toolTokens: 2_500, systemTokens: 1_200)
            builder.rag(client: "rag", requestsPerHour: 400, documents: 300)
            builder.bot(client: "bot-fast", requestsPerHour: 120, systemTokens: 2_500)
            builder.bot(client: "bot-slow", requestsPerHour: 6, systemTokens: 6_000)
            builder.bursty(client: "job", periodMinutes: 20, burstSize: 100, spreadSeconds: 40, prefixTokens: 4_000)
            builder.oneOff(client: "one-off", requestsPerHour: 600)
        case .heldOutLike:
            builder.heldOutConversations(requestsPerHour: 12_031)
        }
        return builder.requests.enumerated()
            .sorted { ($0.element.timestampMillis, $0.offset) < ($1.element.timestampMillis, $1.offset) }
            .map(\.element)
    }
}

/// Builds a trace client by client: fresh content ids, Poisson arrivals, and the shapes' conversation logic.
struct TraceBuilder {
    typealias Block = TraceRequest.Block

    var random: SeededRandom
    let duration: Int64
    var requests: [TraceRequest] = []
    private var nextID = 1

    init(seed: UInt64, duration: Int64) {
        random = SeededRandom(seed: seed)
        self.duration = duration
    }

    /// A block of new content.
    mutating func fresh(_ tokens: Int, _ kind: CacheBoundaryKind?) -> Block {
        nextID += 1
        return Block(id: nextID, tokens: tokens, kind: kind)
    }

    /// Poisson arrival times over the trace at `perHour`.
    mutating func arrivals(perHour: Double) -> [Int64] {
        var times: [Int64] = []
        var t = random.exponential(mean: 3_600_000 / perHour)
        while t < Double(duration) {
            times.append(Int64(t))
            t += random.exponential(mean: 3_600_000 / perHour)
        }
        return times
    }

    mutating func emit(_ at: Int64, _ client: String, _ blocks: [Block], output: Int) {
        guard at < duration else { return }
        requests.append(TraceRequest(timestampMillis: at, client: client, outputLength: output, blocks: blocks))
    }

    /// The conversation so far as the next request carries it: the last block ends the conversation.
    func closing(_ history: [Block]) -> [Block] {
        var blocks = history
        blocks[blocks.count - 1].kind = .conversation
        return blocks
    }

    /// Multi-turn chat: prompts ~70 tokens and answers ~129 tokens (median), 2 turns a conversation on
    /// average, think time log-normal with a 45 s median.
    mutating func chat(client: String, sessionsPerHour: Double, systemTokens: Int) {
        let system = fresh(systemTokens, .system)
        for start in arrivals(perHour: sessionsPerHour) {
            var t = start
            var history = [system]
            let turns = random.runLength(continuing: 0.5, max: 40)
            for _ in 0..<turns {
                history.append(fresh(random.tokens(median: 70, sigma: 1.0, max: 8_000), .message))
                let answer = random.tokens(median: 129, sigma: 0.8, max: 4_000)
                emit(t, client, closing(history), output: answer)
                history.append(fresh(answer, .message))
                // Generation at ~50 tokens/s, then the user reads and types.
                t += Int64(answer * 20) + Int64(random.logNormal(median: 45_000, sigma: 1.5, in: 2_000...7_200_000))
            }
        }
    }

    /// Agent loops: tools and system shared by the client's agents; a task, then ~10 steps each adding a
    /// tool call (~150 tokens) and its result (log-normal, 600-token median), a few seconds apart.
    mutating func agent(client: String, sessionsPerHour: Double, toolTokens: Int, systemTokens: Int) {
        let tools = fresh(toolTokens, .tools)
        let system = fresh(systemTokens, .system)
        for start in arrivals(perHour: sessionsPerHour) {
            var t = start
            var history = [tools, system, fresh(random.tokens(median: 300, sigma: 0.8, max: 6_000), .message)]
            let steps = random.runLength(continuing: 0.9, max: 80)
            for _ in 0..<steps {
                emit(t, client, closing(history), output: 150)
                history.append(fresh(random.tokens(median: 150, sigma: 0.5, max: 2_000), .message))
                history.append(fresh(random.tokens(median: 600, sigma: 1.2, max: 20_000), .message))
                t += 3_000 + Int64(random.logNormal(median: 4_000, sigma: 1.0, in: 200...600_000))
            }
        }
    }

    /// Retrieval-augmented answers: a 600-token instruction and one document of a 300-document pool (Zipf,
    /// s = 1; 3,000-token median) in the system section, then a ~60-token question; single turn.
    mutating func rag(client: String, requestsPerHour: Double, documents: Int) {
        let instruction = fresh(600, nil)
        var pool: [Block] = []
        for _ in 0..<documents { pool.append(fresh(random.tokens(median: 3_000, sigma: 0.5, max: 30_000), .system)) }
        for t in arrivals(perHour: requestsPerHour) {
            let document = pool[random.zipf(count: documents, s: 1.0)]
            let question = fresh(random.tokens(median: 60, sigma: 0.8, max: 2_000), .conversation)
            emit(t, client, [instruction, document, question], output: 200)
        }
    }

    /// One system prompt and a new, unique question every time.
    mutating func bot(client: String, requestsPerHour: Double, systemTokens: Int) {
        let system = fresh(systemTokens, .system)
        for t in arrivals(perHour: requestsPerHour) {
            let question = fresh(random.tokens(median: 60, sigma: 1.0, max: 4_000), .conversation)
            emit(t, client, [system, question], output: 150)
        }
    }

    /// A background job: every period (±20 %), a burst of requests spread over `spreadSeconds`, each the job's
    /// instruction plus one item (~800 tokens).
    mutating func bursty(
        client: String, periodMinutes: Double, burstSize: Int, spreadSeconds: Double, prefixTokens: Int
    ) {
        let system = fresh(prefixTokens, .system)
        var start = random.unit() * periodMinutes * 60_000
        while start < Double(duration) {
            for _ in 0..<burstSize {
                let item = fresh(random.tokens(median: 800, sigma: 0.6, max: 10_000), .conversation)
                emit(Int64(start + random.unit() * spreadSeconds * 1_000), client, [system, item], output: 100)
            }
            start += periodMinutes * 60_000 * (0.8 + 0.4 * random.unit())
        }
    }

    /// Requests that share nothing: a single user message, 1,469-token median (the Azure code trace's).
    mutating func oneOff(client: String, requestsPerHour: Double) {
        for t in arrivals(perHour: requestsPerHour) {
            emit(t, client, [fresh(random.tokens(median: 1_469, sigma: 1.2, max: 100_000), .conversation)], output: 30)
        }
    }

    /// Multi-turn conversations in 512-token blocks, as the Mooncake traces write them: a first turn of ~13
    /// blocks (median), ~4 blocks more each turn, 1.6 turns on average, log-normal think time (45 s median,
    /// σ 1.5: 92 % under 5 minutes), 15 % of conversations opening with one of 30 shared 6-block prompts. The
    /// last block of a request is partial and so unique, as in the traces.
    mutating func heldOutConversations(requestsPerHour: Double) {
        var shared: [[Int]] = []
        for _ in 0..<30 { shared.append((0..<6).map { _ in fresh(512, nil).id }) }
        let continuing = 0.38
        for start in arrivals(perHour: requestsPerHour * (1 - continuing)) {
            var t = start
            var ids: [Int] = []
            if random.chance(0.15) { ids = shared[min(29, Int(1 / max(1e-9, 1 - random.unit())) - 1)] }
            for _ in 0..<max(1, Int(random.logNormal(median: 13, sigma: 0.9, in: 1...400))) {
                ids.append(fresh(512, nil).id)
            }
            while true {
                let partial = 1 + Int(random.unit() * 511)
                let all = ids + [fresh(partial, nil).id]
                if t >= duration { break }
                requests.append(
                    TraceRequest(
                        timestampMillis: t, inputLength: ids.count * 512 + partial, outputLength: 100, hashIDs: all))
                guard random.chance(continuing) else { break }
                t += Int64(random.logNormal(median: 45_000, sigma: 1.5, in: 1_000...36_000_000))
                for _ in 0..<max(1, Int(random.logNormal(median: 4, sigma: 0.8, in: 1...200))) {
                    ids.append(fresh(512, nil).id)
                }
            }
        }
    }
}
