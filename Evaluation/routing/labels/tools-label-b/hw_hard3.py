# label-c: hard maths/proofs and more hard design/coding (mostly Opus). Labels written by hand per item.
from hw_lib import *
from hw_tools import FS
H='hard-'
item(H+'061','o','mat',0,8192,'olympiad inequality proof',"Let a, b, c be positive reals with abc = 1. Prove that 1/(a^3(b+c)) + 1/(b^3(c+a)) + 1/(c^3(a+b)) >= 3/2, and determine when equality holds.")
item(H+'062','o','mat',0,8192,'combinatorics proof with invariant',"A 2025 x 2025 board has a lamp on each cell, all off. A move toggles all lamps in one row or one column. Which configurations are reachable? In particular, can you reach a configuration with exactly one lamp on? Prove your characterisation.")
item(H+'063','o','mat',0,8192,'number theory proof',"Prove that for every positive integer n, the number 2^(2^n) + 2^(2^(n-1)) + 1 has at least n distinct prime factors.")
item(H+'064','o','mat',0,8192,'real analysis proof, subtle',"Let f: R -> R be continuous with f(f(x)) = x for all x and f not the identity. Prove that f has exactly one fixed point, and that f is strictly decreasing. Is continuity necessary? Give a counterexample if not.")
item(H+'065','o-','mat',0,8192,'probability puzzle requiring careful conditioning',"A bag has 3 red and 5 blue balls. I draw balls one at a time without replacement until I have drawn two reds in a row, or the bag is empty. What is the expected number of draws? Give an exact answer and explain the method so I can check it, not just a simulation.")
item(H+'066','o','mat',0,8192,'linear algebra proof plus infinite-dimensional contrast',"Let A and B be n x n complex matrices with AB - BA = A. Prove that A is nilpotent (consider traces of powers). Then explain why AB - BA = I is impossible for matrices but possible for operators on an infinite-dimensional space, with an explicit example.")
item(H+'067','o','mat',0,8192,'competition geometry with proof',"In triangle ABC with incenter I, let M be the midpoint of BC and let H be the foot of the altitude from A. Prove that M, I and the midpoint of AH are collinear. Give a complete proof (synthetic preferred, coordinates acceptable) with every step justified.")
item(H+'068','o','mat',0,8192,'generating functions / counting, heavy',"How many ways are there to tile a 3 x 12 rectangle with 1 x 2 dominoes such that no 2 x 2 square is covered by exactly two parallel dominoes? Derive the recurrence, explain the states, and compute the number.")
item(H+'069','o','mat',0,8192,'multi-turn: student asks to rigorously fix a flawed proof',[U("Is this proof right? Claim: every bounded sequence of reals has a convergent subsequence. Proof: let x_n be bounded. Take the sup s of the set. Then there's a subsequence converging to s."),A("Not quite. The supremum of the set of values need not be a limit of a subsequence in a useful way — if s is attained only finitely often and values approach it, you're fine, but the argument as written doesn't construct the subsequence or handle the case where s is attained by a single term. The standard route is the monotone subsequence lemma or bisection."),U("OK, so can you give me a complete rigorous proof via the monotone subsequence lemma, including a proof of the lemma itself (the 'peak' argument), and then explain exactly where completeness of R is used and show the statement fails in Q with a concrete sequence?")],system="You are a patient university maths tutor. Be rigorous.")
item(H+'070','o-','mat',0,8192,'optimisation proof: convexity and KKT',"Minimise sum_{i=1}^n x_i log x_i subject to sum x_i = 1, sum i*x_i = m (with 1 < m < n), x_i >= 0. Derive the solution via Lagrange/KKT, prove it's the global minimum, show the multiplier equation has a unique solution, and discuss what happens as m -> 1 and m -> n.")
item(H+'071','o','mat',0,8192,'olympiad number theory, complete proof',"Find all pairs of positive integers (a, b) such that a^2 + b is divisible by b^2 - a and b^2 + a is divisible by a^2 - b. Prove that your list is complete.")
item(H+'072','o','mat',0,8192,'algorithmic game theory proof',"In a game, two players alternately remove 1, 3, or 4 stones from a pile; the player who cannot move loses. Characterise the losing positions and prove it. Then generalise: for the subtraction set {1, 3, 4} played on two piles simultaneously (a move is on one pile), compute the Sprague-Grundy values, find their period, and determine who wins from piles (2025, 1000).")
item(H+'073','o','mat',0,8192,'stochastic process, careful derivation',"A gambler starts with $k, bets $1 on each fair coin flip, and stops at $0 or $N. Derive the expected duration of the game, then the variance of the duration, with full working. Then redo the expected duration for a biased coin p != 1/2.")
item(H+'074','o-','mat',0,8192,'proof about graphs',"Prove that every tournament on n vertices has a Hamiltonian path, and that a tournament is strongly connected if and only if it has a Hamiltonian cycle. Be careful with the cycle extension argument.")
item(H+'075','o-','mat',0,4096,'hard integral with justification',"Evaluate the integral from 0 to infinity of ln(x) / (x^2 + 2x + 4) dx exactly, and justify each step (substitution, convergence).")
item(H+'076','o','arc',0,8192,'system design: real-time bidding with latency budget and consistency of budgets',"Design a real-time bidding system for our ad network: 1.2M bid requests/s across 4 regions, 80 ms end-to-end deadline (of which we get 25 ms), advertiser daily budgets that must not be overspent by more than 1%, frequency caps per user per campaign, and model scoring with a 2 ms budget. Explain how budget pacing works across regions without a global lock, how frequency caps are stored, how you'd degrade under overload, and the trade-offs you're making.")
item(H+'077','o','arc',0,8192,'design: search relevance pipeline with evaluation under constraints',"We run e-commerce search on Elasticsearch (BM25 + hand-tuned boosts) for 8M products in 6 languages; zero-result rate is 11% and conversion from search is flat. Budget: 2 engineers, 6 months, p95 query latency must stay < 120 ms, no GPUs in production. Design a roadmap: hybrid retrieval (dense + sparse) vs query rewriting vs learning-to-rank, how to evaluate offline (judgments, click models, position bias) and online (interleaving vs A/B), and what you'd do first and why.")
item(H+'078','o','arc',0,8192,'design review with trade-offs: pasted architecture and SLOs',"""Review this architecture for our telehealth video platform and tell me where it will break first at 10x scale (we're at 4k concurrent calls):

- Web/mobile clients -> one Node.js signalling server per region (socket.io, sticky sessions, in-memory room state)
- Media: Janus SFU, 6 instances per region, rooms pinned to an SFU by hashing room_id
- Recording: SFU forwards RTP to a recorder box (ffmpeg, one per region), writes to local disk, cron uploads to S3 hourly
- Appointments in Postgres (single primary, read replica), HIPAA BAA with AWS
- TURN: coturn on 2 instances per region
SLO: call setup < 3 s p95, no dropped calls on deploys, recordings never lost.""",system="You are a principal engineer doing an architecture review. Prioritise findings by severity.")
item(H+'079','o','cod',0,8192,'agentic debugging: data race found via race detector output',[U("`go test -race ./...` fails in CI on the metrics package. Fix it properly."),
 tu('r1','run_command',{'cmd':'go test -race ./internal/metrics/ 2>&1 | head -40'}),
 tr('r1','==================\nWARNING: DATA RACE\nWrite at 0x00c0001a4090 by goroutine 23:\n  runtime.mapassign_faststr()\n  internal/metrics.(*Registry).Inc()\n      internal/metrics/registry.go:41 +0x8c\nPrevious read at 0x00c0001a4090 by goroutine 19:\n  runtime.mapaccess1_faststr()\n  internal/metrics.(*Registry).Snapshot.func1()\n      internal/metrics/registry.go:58 +0x64\nGoroutine 23 (running) created at:\n  internal/metrics.TestConcurrentInc()\n==================\n--- FAIL: TestConcurrentInc (0.02s)\n    testing.go:1465: race detected during execution of test'),
 tu('r2','read_file',{'path':'internal/metrics/registry.go'}),
 tr('r2','package metrics\n\nimport ("sync"; "sort")\n\ntype Registry struct {\n\tmu      sync.RWMutex\n\tcounts  map[string]int64\n\tonFlush []func(map[string]int64)\n}\n\nfunc New() *Registry { return &Registry{counts: map[string]int64{}} }\n\nfunc (r *Registry) Inc(name string) {\n\tr.mu.RLock()\n\tdefer r.mu.RUnlock()\n\tr.counts[name]++\n}\n\nfunc (r *Registry) Snapshot() []string {\n\tr.mu.RLock()\n\tm := r.counts\n\tr.mu.RUnlock()\n\tkeys := make([]string, 0, len(m))\n\tfunc() { for k := range m { keys = append(keys, k) } }()\n\tsort.Strings(keys)\n\treturn keys\n}\n\nfunc (r *Registry) Flush() {\n\tr.mu.Lock()\n\tfor _, f := range r.onFlush { f(r.counts) }\n\tr.counts = map[string]int64{}\n\tr.mu.Unlock()\n}\n\n// Inc is called ~2M times/s across 64 goroutines in production; a global Lock showed up as 30% CPU in profiles last time.\n')],tools=FS)
item(H+'080','o','cod',0,8192,'performance engineering: SIMD/cache-aware rewrite with benchmark numbers',"""This C++ function computes pairwise L2 distances between 100k query vectors and 2M database vectors (dim 128, float32) for our ANN re-ranking stage; it's 70% of request CPU. We can't use a GPU or external libraries except what's in the standard library and intrinsics (AVX2 available, AVX-512 not guaranteed). Rewrite it for throughput: blocking for cache, the ||q||^2 + ||x||^2 - 2 q·x trick and its numerical pitfalls, and estimate the speedup.

```cpp
void dists(const float* Q, int nq, const float* X, int nx, int d, float* out) {
  for (int i = 0; i < nq; ++i)
    for (int j = 0; j < nx; ++j) {
      float s = 0;
      for (int k = 0; k < d; ++k) { float t = Q[i*d+k] - X[j*d+k]; s += t*t; }
      out[(size_t)i*nx + j] = s;
    }
}
```""")
item(H+'081','o','cod',0,4096,'subtle bug: Python descriptor/caching across threads in web app',"""After we added @functools.cached_property on a per-request object and lru_cache on a module-level function, users occasionally see another user's permissions. Flask + gunicorn gthread workers (4 threads).

```python
_current = {}
class RequestCtx:
    def __init__(self, user_id): self.user_id = user_id
    @cached_property
    def perms(self): return load_perms(self.user_id)

@lru_cache(maxsize=1024)
def can(user_ctx_id, action):
    ctx = _current[user_ctx_id]
    return action in ctx.perms

@app.before_request
def setup():
    ctx = RequestCtx(session['uid'])
    _current[id(ctx)] = ctx
    g.ctx = ctx

@app.teardown_request
def done(exc): _current.pop(id(g.ctx), None)
```
Explain every way this leaks permissions, and give a safe design.""")
item(H+'082','o','cod',0,8192,'multi-file code review: auth middleware diff with bypasses',"""Review this PR (Express + TypeScript). It adds tenant isolation.

```diff
+// middleware/tenant.ts
+export function tenant(req, res, next) {
+  const host = req.headers['x-forwarded-host'] || req.headers.host;
+  const slug = host.split('.')[0];
+  req.tenant = tenants.get(slug);
+  if (!req.tenant) return res.status(404).send('unknown tenant');
+  next();
+}
+// middleware/auth.ts
+export async function auth(req, res, next) {
+  if (req.path.startsWith('/public')) return next();
+  const tok = req.headers.authorization?.replace('Bearer ', '');
+  const claims = jwt.decode(tok);
+  if (!claims || claims.exp < Date.now()) return res.sendStatus(401);
+  if (claims.tenant !== req.tenant.id && !claims.roles.includes('support')) return res.sendStatus(403);
+  req.user = claims; next();
+}
+// app.ts
+app.use(auth);
+app.use(tenant);
+app.use('/public', express.static('public'));
+app.get('/api/invoices/:id', async (req, res) => {
+  const inv = await db.invoice.findUnique({ where: { id: req.params.id } });
+  res.json(inv);
+});
```""")
item(H+'083','o','cr',0,8192,'scheduling puzzle: constraint satisfaction with proof of optimality',"""Schedule 7 exams (A-G) into as few slots as possible. There are 2 slots per day. No student may have two exams in the same slot, and a student taking three exams may not have two of them on the same day. Conflict pairs (some student takes both): A-B, A-C, A-D, B-C, B-E, C-F, D-E, D-G, E-F, F-G, A-G, C-E. Two students take three exams each: one takes A, B and C, the other takes C, E and F. Find the minimum number of slots and of days, give a schedule, and prove it is optimal.""")
item(H+'084','o','ana',0,4096,'game-theoretic analysis of pricing decision with competitor response',"We're one of two cloud GPU resellers in our region. We price H100 hours at $3.10, competitor at $2.95; our utilisation is 62%, theirs unknown (~75% by rumour). Our marginal cost is $1.40/h, fixed costs $310k/month for 240 GPUs. Customers are 60% price-sensitive spot users, 40% reserved contracts. Should we cut to $2.80? Model the likely competitor responses (match, undercut, hold), the payoffs under each with reasonable assumptions you state, and what non-price moves dominate. Show the numbers.")
item(H+'085','o','arc',0,8192,'design: data platform choices under compliance and budget, multi-turn',[U("We're a 300-person healthcare analytics company. Where should our new data platform live: Snowflake, Databricks, or BigQuery?"),A("All three can work; the choice depends on your cloud, workloads (SQL BI vs ML/Spark), team skills and compliance needs. Can you share those?"),U("AWS only (contracts). 40 TB of claims data growing 2 TB/month, PHI, HIPAA and some state laws stricter than HIPAA (CA, WA My Health My Data). Workloads: 60% SQL/dbt for client dashboards, 30% ML (risk models, Python), 10% ad-hoc. 12 data engineers, strong SQL, weak Spark. Clients want data-sharing into their own warehouses. Budget ~$90k/month. We also need row-level security per client and de-identified datasets under expert determination. Go deep: architecture, governance, cost model, and a recommendation.")])
item(H+'086','o','cod',0,8192,'write a correct concurrent LRU with sharding and prove linearizability of ops',"Implement a thread-safe LRU cache in Java for 64-core servers: 10M entries, ~5M gets/s and 500k puts/s, with get returning in < 1 µs p99. A global lock around LinkedHashMap is our current version and it's the bottleneck. Give a design (sharding, read buffers like Caffeine/TinyLFU, or CLOCK), argue which consistency you provide (is it linearizable? what do you give up?), and write the code with a JMH benchmark harness.")
item(H+'087','o','ana',0,4096,'forensic analysis of pasted git history and CI logs to find regression cause',"""p95 latency of /search went from 85 ms to 240 ms between releases 4.18 and 4.19. Commits in between (oldest first):

a1f3 bump elasticsearch-client 8.11 -> 8.13
b72e add 'did you mean' suggestions (calls ES suggest API when hits < 3)
c0d9 refactor: move query building into QueryBuilder class
d4aa feat: personalised boosting using user_affinity (new Redis lookup per request)
e511 fix: connection pool size from 50 to 20 (reduce ES node load)
f8c2 logging: log full query JSON at INFO

Facts: RPS is unchanged (~900/s, 30 app pods). ES node CPU is flat. Redis p99 is 1.2 ms. App pod CPU went from 35% to 48%. Thread dumps show many threads in `PoolingHttpClientConnectionManager.leaseConnection`. Log volume went from 20 GB/day to 190 GB/day. Figure out which commits are responsible and how much each contributes, and what experiment would confirm it quickly.""")
item(H+'088','o','cr',0,8192,'research-level planning: design an evaluation study with confounders',"We want to know whether our AI code-review bot actually reduces production bugs. We have 40 teams, 18 months of history in Jira/GitHub, and can roll the bot out gradually over the next 6 months. Design the study: what to measure (and how to define 'production bug' robustly), how to roll out (stepped wedge? team-level randomisation?), confounders (team maturity, release frequency, Hawthorne effects), the analysis model, sample size reasoning, and how we'd know if the bot made things worse.")
item(H+'089','o','cod',0,4096,'Postgres: lock queue pile-up from harmless-looking migration',"""A migration `ALTER TABLE orders ADD COLUMN note text;` took down production for 4 minutes yesterday even though adding a nullable column is 'instant' in PG 14. pg_locks during the incident showed the ALTER waiting on AccessExclusiveLock, with 2,300 queries queued behind it. An analytics job had been running a 6-minute SELECT on orders. Explain precisely why, and give a safe migration procedure (lock_timeout, retries, etc.) our Rails team can follow for all DDL, including how it interacts with PgBouncer in transaction mode.""")
item(H+'090','o','cr',0,8192,'logic puzzle requiring exhaustive reasoning',"Five houses puzzle variant, but harder: there are 6 people (A-F) in a row of 6 seats. Clues: (1) A is not at either end. (2) B sits somewhere to the left of C but not adjacent. (3) Exactly two people sit between D and E. (4) F sits next to A or next to B, but not both. (5) C is not in seat 6. (6) If D is in an even seat then E is in seat 1. (7) B is in an odd seat. Find all seatings consistent with the clues and prove there are no others.")
