from hw_lib import *
O='opus-'
item(O+'001','o','arc',0,8192,'system design with explicit trade-offs at scale',"Design a multi-region active-active architecture for a payments ledger that must never double-spend, handles 20k writes/s peak, survives loss of a full region with RPO=0, and keeps p99 write latency under 150ms for users in EU and US. Compare at least two approaches (e.g. Spanner-style consensus vs. partitioned home-region ownership with async replication), and be explicit about what you give up in each.")
item(O+'002','o','cr',0,8192,'proof, non-trivial',"Prove that there are infinitely many primes congruent to 3 mod 4. Then explain precisely why the same elementary argument does not work for primes congruent to 1 mod 4, and give a different elementary proof for that case.")
item(O+'003','o','mat',0,8192,'olympiad number theory',"Find all positive integers n such that n^2 + 2^n is a perfect square. Give a complete proof.")
item(O+'004','o','cod',0,4096,'subtle lock-free concurrency bug',"""This lock-free stack is used by a custom allocator in C11. Under heavy load we occasionally get corrupted free lists. Find the bug and fix it properly.

```c
typedef struct node { struct node *next; } node;
static _Atomic(node*) top;

void push(node *n) {
    node *old = atomic_load(&top);
    do { n->next = old; } while (!atomic_compare_exchange_weak(&top, &old, n));
}

node *pop(void) {
    node *old = atomic_load(&top);
    node *next;
    do {
        if (!old) return NULL;
        next = old->next;
    } while (!atomic_compare_exchange_weak(&top, &old, next));
    return old;
}
```""")
item(O+'005','o','ana',0,4096,'security review with costly subtle issues',"""Security review, please. This is our password-reset flow (Python/Flask). It's going to production Friday.

```python
@app.post('/reset/request')
def reset_request():
    email = request.form['email']
    user = User.query.filter_by(email=email).first()
    if not user:
        return jsonify(error='No account with that email'), 404
    token = hashlib.md5(f"{user.id}{int(time.time())}".encode()).hexdigest()
    db.session.add(ResetToken(user_id=user.id, token=token, created=datetime.utcnow()))
    db.session.commit()
    send_email(email, f"https://{request.host}/reset?token={token}")
    return jsonify(ok=True)

@app.post('/reset/confirm')
def reset_confirm():
    t = ResetToken.query.filter_by(token=request.form['token']).first()
    if t and datetime.utcnow() - t.created < timedelta(hours=24):
        u = User.query.get(t.user_id)
        u.password = generate_password_hash(request.form['password'])
        db.session.commit()
        return jsonify(ok=True)
    return jsonify(error='invalid'), 400
```""")
item(O+'006','o','cr',0,8192,'long-horizon planning with dependencies and risk',"I'm the new CTO of a 60-person fintech. We have a 9-year-old PHP monolith, no automated tests, deploys once a month with 4 hours downtime, and a SOC 2 Type II audit in 11 months. The board wants a new lending product live in 9 months. Lay out an 18-month technical plan: sequencing, team structure, what NOT to do, key milestones and leading indicators, and the top risks with mitigations. Be concrete.")
item(O+'007','o','mat',0,8192,'competition combinatorics',"In how many ways can the cells of a 3×n grid be tiled with 1×2 dominoes? Derive a closed form or linear recurrence with proof, and give the answer for n = 10.")
item(O+'008','o','arc',0,8192,'distributed-systems design: exactly-once semantics trade-offs',"We consume order events from Kafka, call a third-party shipping API (not idempotent, no request ids), and write results to Postgres. We're seeing duplicate shipments after consumer rebalances. Design a processing pipeline that gets as close to exactly-once as possible. Explain what is and isn't achievable given the non-idempotent API, and the failure modes of your design.")
item(O+'009','o','cr',0,4096,'subtle probability reasoning (easy to get wrong)',"I have two children. At least one is a boy born on a Tuesday. What's the probability both are boys? Then explain why the answer changes if instead I told you 'one of them is a boy born on Tuesday' after you met one of them at random, and state the assumptions each answer depends on.")
item(O+'010','o','cod',0,4096,'Go concurrency: deadlock/leak under cancellation',"""This fan-out helper sometimes hangs forever in production when the context is cancelled. Explain exactly why and rewrite it.

```go
func FetchAll(ctx context.Context, urls []string) ([]Result, error) {
    results := make(chan Result)
    errs := make(chan error)
    var wg sync.WaitGroup
    for _, u := range urls {
        wg.Add(1)
        go func(u string) {
            defer wg.Done()
            r, err := fetch(ctx, u)
            if err != nil { errs <- err; return }
            results <- r
        }(u)
    }
    go func() { wg.Wait(); close(results) }()
    var out []Result
    for {
        select {
        case r, ok := <-results:
            if !ok { return out, nil }
            out = append(out, r)
        case err := <-errs:
            return nil, err
        case <-ctx.Done():
            return nil, ctx.Err()
        }
    }
}
```""")
item(O+'011','o','mat',0,8192,'competition inequality proof',"Let a, b, c be positive reals with abc = 1. Prove that 1/(a^3(b+c)) + 1/(b^3(c+a)) + 1/(c^3(a+b)) ≥ 3/2.")
item(O+'012','o','arc',0,8192,'architecture decision with organisational trade-offs',"We're 120 engineers on a Rails monolith (2.1M LOC). Deploys take 45 minutes and the test suite 70 minutes. Leadership wants 'microservices'. Write an architecture decision record comparing (a) modular monolith with enforced boundaries (Packwerk), (b) strangler-fig extraction of 3-5 services, (c) full rewrite into services. Include migration cost, risk, team topology implications, and a recommendation with the conditions under which you'd revisit it.")
item(O+'013','o','ana',0,4096,'threat model for sensitive system',"Produce a threat model (STRIDE) for a hospital's new patient-portal feature that lets patients share their records with family members via an expiring link sent by SMS. Identify the top risks, realistic attack paths, and concrete mitigations, including abuse by estranged family members and SIM-swap scenarios.")
item(O+'014','o','cr',0,8192,'rigorous algorithm analysis and proof',"Prove that the expected number of comparisons made by randomized quicksort on n distinct keys is 2n ln n + O(n). Then show how the analysis changes if pivots are chosen as the median of three random elements, giving the leading constant.")
item(O+'015','o','cod',0,4096,'database isolation anomaly, subtle',"""Postgres, READ COMMITTED. Two requests run this concurrently for the same doctor and sometimes both succeed, double-booking the slot. We added a check! Explain the anomaly precisely and give fixes ranked by trade-off (isolation level, constraints, locking).

```sql
BEGIN;
SELECT count(*) FROM appointments
 WHERE doctor_id = $1 AND tstzrange(starts_at, ends_at) && tstzrange($2, $3);
-- application: if count = 0 then
INSERT INTO appointments(doctor_id, starts_at, ends_at, patient_id) VALUES ($1,$2,$3,$4);
COMMIT;
```""")
item(O+'016','o','mat',0,8192,'AIME-level problem',"Find the number of ordered triples (a, b, c) of positive integers with a ≤ b ≤ c such that a·b·c = 2·(a·b + b·c + c·a). Show your reasoning carefully and verify the list.")
item(O+'017','o','cr',0,8192,'research design with confounders; costly errors',"We want to know whether our new sepsis early-warning alert reduces in-hospital mortality. It was rolled out to 4 of 11 hospitals in our network in 2023, chosen by which sites had IT capacity. Design the strongest observational study you can with EHR data: identification strategy, confounders, how to handle alert fatigue and changing sepsis coding practices, and what result would convince a skeptical clinician.")
item(O+'018','o','arc',0,8192,'design of a rate limiter across regions',"Design a global rate limiter for our public API: limits per API key of 1,000 req/min and 50 req/s burst, enforced across 6 regions with ~80ms inter-region RTT, tolerating region partitions. Compare token bucket with central Redis, local buckets with periodic sync, and CRDT-based counters; quantify over-admission in each under partition.")
item(O+'019','o','cod',0,8192,'implement a tricky algorithm correctly',"Implement an interval tree in Rust supporting insert, delete and 'all intervals overlapping [a, b]' in O(log n + k), balanced (augmented red-black or AVL). Include the augmentation maintenance on rotations and tests for deletion edge cases. No external crates.")
item(O+'020','o','cr',0,8192,'game theory reasoning',"Three firms simultaneously choose capacity in a market with inverse demand P = 120 − Q and constant marginal cost 20. Solve the 3-firm Cournot equilibrium, then the Stackelberg version with firm 1 as leader and firms 2-3 as simultaneous followers, and compare total welfare. Show derivations.")
item(O+'021','o','ana',0,4096,'smart-contract security audit',"""Audit this Solidity vault for vulnerabilities before we deploy with $4M TVL:

```solidity
contract Vault {
    mapping(address => uint256) public shares;
    uint256 public totalShares;
    IERC20 public immutable token;
    constructor(IERC20 t) { token = t; }
    function deposit(uint256 amt) external {
        uint256 s = totalShares == 0 ? amt : amt * totalShares / token.balanceOf(address(this));
        token.transferFrom(msg.sender, address(this), amt);
        shares[msg.sender] += s; totalShares += s;
    }
    function withdraw(uint256 s) external {
        uint256 amt = s * token.balanceOf(address(this)) / totalShares;
        (bool ok,) = msg.sender.call(abi.encodeWithSignature("onWithdraw(uint256)", amt));
        token.transfer(msg.sender, amt);
        shares[msg.sender] -= s; totalShares -= s;
    }
}
```""")
item(O+'022','o','mat',0,8192,'hard functional equation',"Find all functions f: ℝ → ℝ such that f(x + f(y)) = f(x) + y for all real x, y... and additionally f(xy) = f(x)f(y). Then drop the second condition and characterise all solutions of the first assuming f is continuous, and explain what happens without continuity.")
item(O+'023','o','cr',0,8192,'long-horizon project plan with critical path',"Plan the migration of 3,400 on-prem VMs across 2 data centres to AWS within 14 months before the colo lease ends, with a team of 12, including ~40 Oracle databases and a mainframe batch interface that can't move. Give waves, critical path, cutover strategy, rollback strategy per wave type, and the decisions I must make in the first 30 days.")
item(O+'024','o','cod',0,4096,'memory-model bug in double-checked locking (Java)',"""Our singleton sometimes returns an object whose fields are null on ARM servers but never on x86. Why, exactly? What are all the correct fixes and their costs?

```java
class Config {
  private static Config instance;
  private Map<String,String> values;
  private Config() { values = load(); }
  static Config get() {
    if (instance == null) {
      synchronized (Config.class) {
        if (instance == null) instance = new Config();
      }
    }
    return instance;
  }
}
```""")
item(O+'025','o','cr',0,8192,'formal verification reasoning',"Give a TLA+ specification of a simple leader lease protocol (leader holds a lease for T seconds, renews before expiry, followers only elect a new leader after expiry plus max clock drift). State the safety property 'at most one leader acts at any time' and explain under which clock assumptions it holds and a concrete counterexample trace when drift exceeds the bound.")
item(O+'026','o','mat',0,8192,'competition geometry',"In triangle ABC, AB = 13, BC = 14, CA = 15. Let the incircle touch BC at D, and let the A-excircle touch BC at E. Let M be the midpoint of BC. Prove that M is the midpoint of DE and compute the distance from the incenter to the excenter opposite A.")
item(O+'027','o','ana',0,4096,'costly financial decision analysis',"Our SaaS company ($14M ARR, 78% gross margin, burning $600k/month, 15 months of runway) has two offers: (1) $20M Series B at $120M post with a 2x participating preferred, (2) $12M venture debt, 11% interest, 3-year term, covenants: ARR growth ≥ 40% YoY and minimum cash $5M. Analyse both across three growth scenarios, the effect on founders at exits of $150M, $400M and $1B, and the downside risks. Recommend.")
item(O+'028','o','cod',0,8192,'compiler/parsing task with subtle correctness',"Write a Pratt parser in TypeScript for an expression language with: integers, identifiers, + - * / %, unary minus, exponent ** (right-assoc, binds tighter than unary minus on its left: -2**2 = -4), function calls f(a, b), comparison chaining a < b < c meaning (a<b) && (b<c), and good error messages with positions. Include tests for the precedence edge cases.")
item(O+'029','o','arc',0,8192,'ML system design with trade-offs',"Design the serving and training architecture for a real-time fraud model on card transactions: 8k TPS, p99 decision budget 40ms, features include 30-day aggregates per card/merchant/device, labels arrive 30-90 days late (chargebacks). Cover feature store consistency between training and serving, label delay handling, model rollout/shadowing, and how to handle feedback loops from blocked transactions.")
item(O+'030','o','cr',0,8192,'logic puzzle requiring careful search',"Five houses puzzle variant: There are 5 people (A–E) with 5 jobs, 5 pets, 5 drinks. Clues: 1) A lives in the first house. 2) The doctor keeps a fish. 3) The tea drinker lives directly left of the coffee drinker. 4) C is the lawyer. 5) The person with the cat lives next to the milk drinker. 6) E drinks water. 7) The middle house drinks milk. 8) The teacher lives next to A. 9) B owns the dog. 10) The engineer drinks juice. 11) D lives in house 5 and is not the doctor. 12) The bird owner is the artist. Determine who owns the horse, or prove the clues are inconsistent / underdetermined.")
item(O+'031','o','cod',0,4096,'subtle async cancellation bug in Python',"""Under load, our asyncio service leaks DB connections and occasionally commits half of a transfer. Find all the bugs.

```python
async def transfer(pool, src, dst, amount):
    conn = await pool.acquire()
    try:
        await conn.execute("BEGIN")
        await conn.execute("UPDATE acct SET bal = bal - $1 WHERE id=$2", amount, src)
        await asyncio.wait_for(notify_fraud_service(src, amount), timeout=0.5)
        await conn.execute("UPDATE acct SET bal = bal + $1 WHERE id=$2", amount, dst)
        await conn.execute("COMMIT")
    except asyncio.TimeoutError:
        await conn.execute("COMMIT")  # fraud check is best-effort
    except Exception:
        await conn.execute("ROLLBACK")
        raise
    pool.release(conn)
```""")
item(O+'032','o','cr',0,8192,'proof in linear algebra',"Prove that every real symmetric matrix is orthogonally diagonalisable, without using the complex numbers anywhere (hint: use a variational characterisation of the largest eigenvalue). Make every step rigorous, including existence of a maximiser.")
item(O+'033','o','ana',0,4096,'incident root-cause with partial evidence, costly',"Our Kubernetes cluster had 3 nodes go NotReady at 02:14, 02:15, 02:15. Evidence: kubelet logs show 'PLEG is not healthy: pleg was last seen active 3m0s ago'; containerd logs show many 'failed to reserve sandbox name'; node dmesg shows 'nfs: server 10.2.0.9 not responding, still trying' starting 02:11; a CronJob that runs 'du -sh /mnt/shared/*' across 400 pods fired at 02:10; the NFS server's CPU was 100% from 02:09. Build the most likely causal chain, list what else could explain it, what evidence would distinguish them, and the fixes (short and long term).")
item(O+'034','o','mat',0,8192,'hard probability',"A stick is broken at two points chosen uniformly at random. Then the longest of the three pieces is broken again at a uniform random point. What is the probability that some three of the four pieces can form a triangle? Give an exact answer with derivation.")
item(O+'035','o','arc',0,8192,'data platform design with compliance constraints',"Design a data platform for a health-insurance company: 40 TB/year claims data, analysts need SQL, data scientists need notebooks, PHI must be de-identified for most users, some researchers need re-identification under IRB approval, and we must support 'right to delete' requests within 30 days even in backups. Compare a lakehouse design vs. a warehouse-centric design; address key management, lineage, and deletion in immutable storage.")
item(O+'036','o','cr',0,8192,'strategic planning with uncertainty',"I run a 25-person agency making mobile apps. Generative AI is cutting the price clients will pay for standard apps by ~40% and 2 of our 5 biggest clients said they'll build in-house next year. Build a 24-month strategy: options (specialise, productise, AI-services, merge), how I'd test each cheaply in the first 90 days, decision points with explicit kill criteria, cash implications, and what I tell the team.")
item(O+'037','o','cod',0,4096,'cryptography misuse review',"""Is this secure for encrypting user files at rest? Explain every issue and give a correct design.

```python
from Crypto.Cipher import AES
import hashlib, os
KEY = hashlib.sha256(b"company-secret-2021").digest()
def encrypt(data: bytes, user_id: int) -> bytes:
    iv = hashlib.md5(str(user_id).encode()).digest()
    c = AES.new(KEY, AES.MODE_CBC, iv)
    pad = 16 - len(data) % 16
    return c.encrypt(data + bytes([pad])*pad)
def decrypt(blob: bytes, user_id: int) -> bytes:
    iv = hashlib.md5(str(user_id).encode()).digest()
    d = AES.new(KEY, AES.MODE_CBC, iv).decrypt(blob)
    if d[-1] > 16: raise ValueError("bad padding")
    return d[:-d[-1]]
```""")
item(O+'038','o','mat',0,8192,'Putnam-style analysis',"Let f: [0,1] → ℝ be continuous with ∫_0^1 f(x) dx = 0. Prove there exists c in (0,1) with ∫_0^c x f(x) dx = 0... (if this is false, give a counterexample and prove the correct statement that there is c with c·f(c) = ∫_0^c f(x) dx).")
item(O+'039','o','arc',0,8192,'API/versioning strategy with migration trade-offs',"We have 2,300 external integrators on our REST API v1 with inconsistent pagination, snake/camel case mixing, and errors as 200s. Propose a v2 design and a deprecation plan that doesn't break revenue: versioning mechanism, compatibility layer, SDK strategy, metrics for sunset, and how to handle the 15 largest customers who refuse to migrate.")
item(O+'040','o','cr',0,8192,'rigorous complexity proof',"Prove that deciding whether a graph has a Hamiltonian path is NP-complete by reduction from 3-SAT (or from Hamiltonian cycle, but then prove that one too). Give the gadget construction and argue both directions of correctness carefully.")
item(O+'041','o','ana',0,4096,'clinical pharmacology: costly errors',"A 78-year-old woman, 52 kg, creatinine 1.6 mg/dL, on warfarin (INR stable 2.4), amiodarone, and metoprolol is prescribed clarithromycin for pneumonia by an urgent-care clinic. As a pharmacist reviewing the order, list the interaction and dosing concerns in order of severity, estimate her creatinine clearance, and suggest safer alternatives with monitoring.")
item(O+'042','o','cod',0,8192,'distributed algorithm implementation',"Implement Raft leader election and log replication (no snapshots, no membership changes) in Go as a library with a pluggable transport, plus a deterministic simulation test harness that injects message loss, reordering and partitions and checks the Log Matching and Leader Completeness properties.")
item(O+'043','o','mat',0,8192,'olympiad combinatorics proof',"Prove that in any sequence of n^2 + 1 distinct real numbers there is a monotone subsequence of length n + 1, and show that n^2 + 1 cannot be replaced by n^2. Then generalise: for which lengths must there be an increasing subsequence of length a+1 or a decreasing one of length b+1?")
item(O+'044','o','cr',0,4096,'adversarial reasoning over a policy',"Our company lets employees expense up to $75/day for meals while travelling, with receipts, and managers approve in bulk. Finance suspects abuse. Think like an auditor: list the ways this policy can be gamed, which data signals would detect each, how to test for them in the expense table (describe the queries), and which controls would reduce abuse without adding approval burden.")
item(O+'045','o','arc',0,8192,'offline-first sync design with conflict semantics',"Design the sync engine for a collaborative offline-first notes app (rich text, nested lists, tables) with 2M users, devices offline for up to weeks. Compare operational transform, CRDTs (e.g. RGA/Peritext) and last-writer-wins per block; address tombstone growth, schema migrations of the document model, and server-side search indexing of merged state.")
