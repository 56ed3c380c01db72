# label-c: hard coding items (mostly Opus). Labels written by hand per item.
from hw_lib import *
from hw_tools import FS, SQL
H='hard-'
item(H+'001','o','cod',0,4096,'multi-file Go deadlock: lock ordering across two packages',"""Our service hangs under load roughly once a day. goroutine dump shows everything blocked. Two files below. Find the root cause and propose a fix that doesn't serialize everything behind one global lock.

// cache/cache.go
package cache
type Cache struct {
    mu    sync.Mutex
    items map[string]*Entry
    store *store.Store
}
func (c *Cache) Get(k string) (*Entry, error) {
    c.mu.Lock()
    defer c.mu.Unlock()
    if e, ok := c.items[k]; ok { return e, nil }
    e, err := c.store.Load(k)   // may call back into c.Invalidate via hook
    if err != nil { return nil, err }
    c.items[k] = e
    return e, nil
}
func (c *Cache) Invalidate(k string) {
    c.mu.Lock()
    delete(c.items, k)
    c.mu.Unlock()
}

// store/store.go
package store
type Store struct {
    mu     sync.RWMutex
    onEvict func(string)
    db     *sql.DB
}
func (s *Store) Load(k string) (*cache.Entry, error) {
    s.mu.RLock()
    defer s.mu.RUnlock()
    row := s.db.QueryRow(`SELECT v, ver FROM kv WHERE k=$1`, k)
    ...
    if stale { s.onEvict(k) }
    return e, nil
}
func (s *Store) Compact() {
    s.mu.Lock()
    defer s.mu.Unlock()
    for _, k := range s.expiredKeys() { s.onEvict(k) }
}

// main.go wiring:  st.onEvict = c.Invalidate

Goroutine dump excerpt:
goroutine 88 [sync.Mutex.Lock]: cache.(*Cache).Invalidate ... store.(*Store).Compact
goroutine 412 [sync.RWMutex.RLock]: store.(*Store).Load ... cache.(*Cache).Get
goroutine 97 [sync.Mutex.Lock]: cache.(*Cache).Get
""")
item(H+'002','o','cod',0,4096,'Python asyncio race: shared state across await, double-charge risk',"""This asyncio payment worker occasionally charges a customer twice. We run 8 consumers per process. I can't reproduce locally. What's happening and how do I fix it properly (we also run 3 processes)?

```python
pending: dict[str, asyncio.Task] = {}

async def handle(msg):
    order_id = msg["order_id"]
    if order_id in pending:
        return await pending[order_id]
    status = await db.fetchval("SELECT status FROM orders WHERE id=$1", order_id)
    if status == "paid":
        return
    task = asyncio.create_task(charge(order_id, msg["amount"]))
    pending[order_id] = task
    try:
        await task
        await db.execute("UPDATE orders SET status='paid' WHERE id=$1", order_id)
    finally:
        pending.pop(order_id, None)

async def consumer(q):
    while True:
        msg = await q.get()
        await handle(msg)
        await q.ack(msg)   # at-least-once delivery from SQS
```""")
item(H+'003','o','cod',0,4096,'Rust: unsound unsafe code in a custom arena; find UB',"""Miri complains about this arena but tests pass. Can you explain exactly what is unsound and give a sound version with the same performance characteristics (no per-alloc heap allocation)?

```rust
pub struct Arena<T> { chunks: RefCell<Vec<Vec<T>>>, }

impl<T> Arena<T> {
    pub fn alloc(&self, v: T) -> &mut T {
        let mut chunks = self.chunks.borrow_mut();
        let last = chunks.last_mut().unwrap();
        if last.len() == last.capacity() {
            let cap = last.capacity() * 2;
            chunks.push(Vec::with_capacity(cap));
        }
        let last = chunks.last_mut().unwrap();
        last.push(v);
        let p = last.last_mut().unwrap() as *mut T;
        unsafe { &mut *p }
    }
}
```
We call alloc from many places holding earlier references.""")
item(H+'004','o','cod',0,8192,'performance under constraints: p99 latency, memory cap, algorithm choice',"""We need to answer "top 50 most frequent search queries in the last 5 minutes" on every request to an internal dashboard endpoint. Traffic is 40k queries/s, ~3M distinct queries per 5 min, a single box with a 512 MB budget for this feature, and the endpoint must answer in under 5 ms p99. Exactness is not required but the top 20 must be correct with high probability. Current implementation (a Counter over a deque of (ts, query) tuples) uses 6 GB and takes 900 ms. Design the data structure, give error bounds, and write the core in Python (we can move hot parts to Rust later).""")
item(H+'005','o','cod',0,8192,'code review of sizeable diff with subtle transaction bug',"""Please review this PR before I merge. It's our new "transfer between wallets" endpoint.

```diff
--- a/wallet/service.py
+++ b/wallet/service.py
@@ -1,12 +1,58 @@
+from decimal import Decimal
+from sqlalchemy import select
+from .models import Wallet, Ledger
+
+MAX_TRANSFER = Decimal("10000")
+
+def transfer(session, src_id: int, dst_id: int, amount: Decimal, idem_key: str):
+    if amount <= 0 or amount > MAX_TRANSFER:
+        raise ValueError("bad amount")
+    if session.execute(select(Ledger).where(Ledger.idem_key == idem_key)).first():
+        return "duplicate"
+    src = session.get(Wallet, src_id)
+    dst = session.get(Wallet, dst_id)
+    if src.currency != dst.currency:
+        raise ValueError("currency mismatch")
+    if src.balance < amount:
+        raise ValueError("insufficient funds")
+    src.balance -= amount
+    dst.balance += amount
+    session.add(Ledger(idem_key=idem_key, src=src_id, dst=dst_id, amount=amount))
+    session.commit()
+    return "ok"
+
+def transfer_all(session, src_id: int, dst_id: int, idem_key: str):
+    src = session.get(Wallet, src_id)
+    return transfer(session, src_id, dst_id, src.balance, idem_key)
--- a/wallet/api.py
+++ b/wallet/api.py
@@ -40,6 +40,22 @@
+@router.post("/transfer")
+def post_transfer(body: TransferIn, user=Depends(current_user), session=Depends(get_session)):
+    if body.src_id not in [w.id for w in user.wallets]:
+        raise HTTPException(403)
+    try:
+        return {"result": transfer(session, body.src_id, body.dst_id, Decimal(str(body.amount)), body.idem_key)}
+    except ValueError as e:
+        raise HTTPException(400, str(e))
+
+@router.post("/transfer/all")
+def post_transfer_all(body: TransferAllIn, session=Depends(get_session)):
+    return {"result": transfer_all(session, body.src_id, body.dst_id, body.idem_key)}
```
Postgres, READ COMMITTED, the Ledger.idem_key column has no unique constraint yet.""")
item(H+'006','o','cod',0,4096,'Java memory-visibility bug in double-checked init plus lazy config reload',"""Under load some threads see a Config with null `endpoints` even though the constructor always sets it. JDK 17. Why, and what's the minimal correct fix? Also, is reload() safe?

```java
public final class ConfigHolder {
    private static Config instance;
    public static Config get() {
        if (instance == null) {
            synchronized (ConfigHolder.class) {
                if (instance == null) instance = new Config(load());
            }
        }
        return instance;
    }
    public static void reload() {
        Config c = new Config(load());
        instance = c;
    }
}
final class Config {
    List<String> endpoints; int timeoutMs;
    Config(Map<String,Object> m) { endpoints = (List<String>) m.get("endpoints"); timeoutMs = (int) m.get("timeout"); }
}
```""")
item(H+'007','o','cod',0,8192,'algorithm design with complexity bound and proof',"""I have n intervals (n up to 2e5) with integer endpoints up to 1e9, and q up to 2e5 online queries of the form "given a point x and integer k, return the k-th smallest right endpoint among intervals containing x". Queries must be answered online (each depends on the previous answer). Design an algorithm with O((n+q) log^2 n) or better total time and O(n log n) memory, argue correctness and the bounds, and give C++ code.""")
item(H+'008','o','cod',0,4096,'distributed bug: at-least-once Kafka consumer with non-idempotent sink and rebalance',"""After we scaled our Kafka consumer group from 4 to 12 pods, the daily revenue table is inflated by ~0.3%. Code (simplified):

```python
consumer = KafkaConsumer('orders', group_id='rev', enable_auto_commit=True, auto_commit_interval_ms=5000, max_poll_records=500)
batch = []
for msg in consumer:
    batch.append(json.loads(msg.value))
    if len(batch) >= 2000:
        with pg.begin() as tx:
            tx.execute("INSERT INTO revenue_daily(day, amount) SELECT day, sum(amount) FROM unnest(...) GROUP BY day ON CONFLICT (day) DO UPDATE SET amount = revenue_daily.amount + EXCLUDED.amount", batch)
        batch.clear()
```
Processing a batch sometimes takes 40 s when Postgres is busy; max.poll.interval.ms is the default. Explain every way this double counts (and can it also lose data?), and design a fix that stays exactly-once in effect without Kafka transactions.""")
item(H+'009','o','cod',0,4096,'C undefined behaviour and strict aliasing in network parser',"""This packet parser works at -O0 and produces garbage at -O2 on GCC 13 (ARM). What's wrong? There may be more than one issue.

```c
struct hdr { uint16_t type; uint16_t len; uint32_t seq; };

int parse(const uint8_t *buf, size_t n, struct msg *out) {
    if (n < sizeof(struct hdr)) return -1;
    const struct hdr *h = (const struct hdr *)(buf + 1);   // first byte is version
    out->type = ntohs(h->type);
    out->len  = ntohs(h->len);
    if (out->len + sizeof(struct hdr) > n) return -1;
    uint32_t *payload = (uint32_t *)(buf + 1 + sizeof(struct hdr));
    for (int i = 0; i < out->len / 4; i++)
        out->words[i] = ntohl(payload[i]);
    out->seq = ntohl(h->seq);
    return 0;
}
```""")
item(H+'010','o','cod',0,8192,'agentic multi-file debugging: flaky test from test-order dependence and timezone',[U("The CI job `pytest tests/` fails about 1 in 5 runs on test_billing_cycle, never locally. Find out why and fix it."),
 tu('t1','run_command',{'cmd':'pytest tests/ -p no:randomly -q 2>&1 | tail -5; pytest tests/test_billing.py -q 2>&1 | tail -3'}),
 tr('t1','........................................................ [100%]\n212 passed in 41.2s\n......... [100%]\n9 passed in 1.1s'),
 tu('t2','run_command',{'cmd':'grep -rn "randomly\\|freeze\\|TZ\\|tzset\\|setdefault" tests/ conftest.py pytest.ini .github/workflows/ci.yml'}),
 tr('t2','pytest.ini:3:addopts = -p randomly\ntests/test_reports.py:14:    os.environ["TZ"] = "America/Los_Angeles"; time.tzset()\ntests/test_billing.py:5:from freezegun import freeze_time\n.github/workflows/ci.yml:22:      run: pytest tests/'),
 tu('t3','read_file',{'path':'tests/test_billing.py'}),
 tr('t3','from datetime import date, datetime\nfrom freezegun import freeze_time\nfrom app.billing import next_cycle_start\n\n@freeze_time("2024-03-31 23:30:00")\ndef test_billing_cycle():\n    today = date.today()\n    assert next_cycle_start(today) == date(2024, 4, 1)\n'),
 tu('t4','read_file',{'path':'app/billing.py'}),
 tr('t4','from datetime import date, datetime, timedelta\nimport calendar\n\ndef next_cycle_start(d):\n    now = datetime.now().astimezone()\n    if now.date() != d:\n        d = now.date()\n    last = calendar.monthrange(d.year, d.month)[1]\n    return d.replace(day=last) + timedelta(days=1)\n')],tools=FS)
item(H+'011','o','cod',0,4096,'lock-free ring buffer memory ordering review (C++)',"""Single-producer single-consumer ring buffer for our audio thread. Are the memory orders right? Is there any way the consumer reads a slot before the producer's write is visible, or the producer overwrites a slot still being read? Please be precise about happens-before.

```cpp
template<class T, size_t N> class Spsc {
  std::array<T,N> buf; std::atomic<size_t> head{0}, tail{0};
public:
  bool push(const T& v){ auto t=tail.load(std::memory_order_relaxed); auto n=(t+1)%N;
    if(n==head.load(std::memory_order_relaxed)) return false; buf[t]=v; tail.store(n,std::memory_order_relaxed); return true; }
  bool pop(T& v){ auto h=head.load(std::memory_order_relaxed);
    if(h==tail.load(std::memory_order_acquire)) return false; v=buf[h]; head.store((h+1)%N,std::memory_order_release); return true; }
};
```""")
item(H+'012','o','cod',0,8192,'SQL performance under constraints: no schema change allowed, big table',"""This query runs every minute and now takes 38 s on a 900M-row table (Postgres 15). Constraints: we can't add columns or change the table (owned by another team), we can add indexes only if build is CONCURRENTLY and total index size stays under 40 GB; the box has 64 GB RAM. EXPLAIN (ANALYZE, BUFFERS) is below. Propose a plan and the exact DDL/query rewrite, and explain why the planner chose what it did.

```sql
SELECT account_id, max(created_at) AS last_seen
FROM events
WHERE created_at > now() - interval '15 minutes' AND kind IN ('login','api_call')
GROUP BY account_id;
```
```
HashAggregate  (cost=9876543.10..9876901.22 rows=35812 width=16) (actual time=38012.4..38040.9 rows=41233 loops=1)
  ->  Seq Scan on events  (cost=0.00..9870000.00 rows=1308620 width=16) (actual time=35120.1..37811.7 rows=1290331 loops=1)
        Filter: ((kind = ANY ('{login,api_call}'::text[])) AND (created_at > (now() - '00:15:00'::interval)))
        Rows Removed by Filter: 901223001
        Buffers: shared hit=2101 read=8834112
Indexes: events_pkey (id), events_account_kind_idx (account_id, kind)
Table size 610 GB, ~5M rows/hour inserted, created_at correlates 0.99 with physical order.
```""")
item(H+'013','o','cod',0,4096,'subtle JS event-loop/closure bug in rate limiter causing burst',"""Our token-bucket middleware lets through bursts of 3-4x the limit right after deploys and when a key hasn't been seen for a while. Node 20, single process. Why?

```js
const buckets = new Map();
export function limiter({ rate, burst }) {
  return async (req, res, next) => {
    const key = req.ip;
    let b = buckets.get(key);
    if (!b) { b = { tokens: burst, last: Date.now() }; buckets.set(key, b); }
    const now = Date.now();
    b.tokens = Math.min(burst, b.tokens + (now - b.last) * rate / 1000);
    b.last = now;
    const user = await loadUser(req);          // ~20ms DB call
    const cost = user.plan === 'free' ? 2 : 1;
    if (b.tokens < cost) return res.status(429).end();
    b.tokens -= cost;
    next();
  };
}
```""")
item(H+'014','o','cod',0,8192,'design and implement consistent hashing with bounded loads, prove bound',"Implement consistent hashing with bounded loads (Mirrokni et al.) in Go for our cache fleet: 40-200 nodes, nodes join/leave several times a day, capacity factor c = 1.25. I need: the algorithm, an argument for the expected number of keys moved when a node joins, how to make lookups O(log n) without global coordination, and production-quality code with tests.")
item(H+'015','o','cod',0,4096,'Kubernetes operator reconcile loop bug: stale cache and conflicting updates',"""Our operator sometimes creates two StatefulSets for the same CR, and sometimes flaps the replica count. controller-runtime v0.16. Reconcile:

```go
func (r *DBReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
    var db v1.Database
    if err := r.Get(ctx, req.NamespacedName, &db); err != nil { return ctrl.Result{}, client.IgnoreNotFound(err) }
    var list appsv1.StatefulSetList
    r.List(ctx, &list, client.InNamespace(req.Namespace), client.MatchingLabels{"db": db.Name})
    if len(list.Items) == 0 {
        sts := buildSTS(&db)
        sts.Name = db.Name + "-" + randSuffix()
        if err := r.Create(ctx, sts); err != nil { return ctrl.Result{}, err }
        db.Status.Phase = "Creating"
        r.Update(ctx, &db)
        return ctrl.Result{}, nil
    }
    sts := list.Items[0]
    if *sts.Spec.Replicas != db.Spec.Replicas {
        sts.Spec.Replicas = &db.Spec.Replicas
        r.Update(ctx, &sts)
    }
    if db.Spec.Replicas > 3 && time.Since(db.CreationTimestamp.Time) < time.Hour { db.Spec.Replicas = 3; r.Update(ctx, &db) }
    return ctrl.Result{RequeueAfter: 10 * time.Second}, nil
}
```
Explain each problem and give a corrected reconcile.""")
item(H+'016','o','cod',0,8192,'port a numerically subtle algorithm with stability constraints',"""We compute running variance over 10^9 float32 sensor readings per day on a microcontroller (Cortex-M4, no double FPU, 8 KB RAM free), readings around 20000.0 ± 0.5. The current code is sum/sumsq and gives negative variances. Write a numerically stable streaming mean/variance in C for float32 only, explain the error behaviour compared to Welford and to Kahan-compensated sums, and show how to merge partial results from 4 channels (Chan et al.) without losing precision.""")
item(H+'017','o','cod',0,4096,'cryptographic code review: nonce reuse and MAC-then-encrypt',"""Review our file-encryption helper. It's used to encrypt customer exports at rest; the key is per-tenant and long-lived.

```python
from Crypto.Cipher import AES
import hmac, hashlib, os, struct, time

def encrypt(key: bytes, data: bytes) -> bytes:
    nonce = struct.pack('>Q', int(time.time())) + b'\\x00'*4
    mac = hmac.new(key, data, hashlib.sha256).digest()
    c = AES.new(key, AES.MODE_CTR, nonce=nonce[:8], initial_value=0)
    return nonce + c.encrypt(data + mac)

def decrypt(key: bytes, blob: bytes) -> bytes:
    nonce, ct = blob[:12], blob[12:]
    c = AES.new(key, AES.MODE_CTR, nonce=nonce[:8], initial_value=0)
    pt = c.decrypt(ct)
    data, mac = pt[:-32], pt[-32:]
    if hmac.new(key, data, hashlib.sha256).digest() != mac:
        raise ValueError('bad mac')
    return data
```""")
item(H+'018','o','cod',0,8192,'large refactor plan + code: break cyclic imports across 4 modules',"""Our Django monolith has a cyclic import chain that now breaks startup when DEBUG=False (apps load in a different order). Relevant bits:

orders/models.py:   from billing.services import price_for   (used in Order.save)
billing/services.py: from orders.models import Order          (used in price_for type hints and a query)
                     from accounts.permissions import can_discount
accounts/permissions.py: from orders.selectors import open_orders_for
orders/selectors.py: from orders.models import Order

Traceback:
  File "orders/models.py", line 3, in <module>
    from billing.services import price_for
  File "billing/services.py", line 2, in <module>
    from orders.models import Order
ImportError: cannot import name 'Order' from partially initialized module 'orders.models' (most likely due to a circular import)

I don't want a band-aid of function-level imports everywhere. Propose a layering that removes the cycle, show the moved code, and tell me how to stop it coming back (we have 40 devs).""")
item(H+'019','o','cod',0,4096,'concurrency: Python multiprocessing + fork + threads deadlock',"""Our ETL sometimes hangs forever at the start of a Pool.map. It happens only in production where we also run a background thread that ships logs. Python 3.11 on Linux.

```python
logging_thread = threading.Thread(target=ship_logs, daemon=True); logging_thread.start()
...
with multiprocessing.Pool(16) as p:
    results = p.map(transform, chunks)
```
py-spy on a hung child shows it blocked in `logging.Handler.acquire`. Explain the mechanism precisely and list fixes with trade-offs (we can't drop the shipping thread).""")
item(H+'020','o','cod',0,8192,'algorithm: minimum-cost schedule with precedence and resource constraints',"""We have ~300 build jobs per release with a dependency DAG, each with a duration and a RAM need; the build farm has 8 machines of 64 GB. We want to minimise the makespan. Our greedy (topological order, first-fit) gives 3h40; the critical path is 1h55. Suggest an algorithm (exact if feasible at this size, otherwise a heuristic with a quality bound), explain why the greedy can be bad, and write it in Python with OR-Tools or hand-rolled.""")
item(H+'021','o','cod',0,4096,'TOCTOU security bug in setuid helper',"""Can you audit this small setuid-root helper we ship to let users read their own log files from /var/log/app/?

```c
int main(int argc, char **argv) {
    char path[PATH_MAX];
    snprintf(path, sizeof path, "/var/log/app/%s", argv[1]);
    struct stat st;
    if (stat(path, &st) != 0) { perror("stat"); return 1; }
    if (st.st_uid != getuid()) { fprintf(stderr, "not yours\\n"); return 1; }
    int fd = open(path, O_RDONLY);
    char buf[4096]; ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) write(1, buf, n);
    return 0;
}
```""")
item(H+'022','o','cod',0,8192,'agent: migration plan with tool output, zero downtime, big table',[U("We need to change orders.amount from integer cents to numeric(12,2) on the production DB with zero downtime. Look at the table and tell me the plan."),
 tu('q1','describe_table',{'table':'orders'}),
 tr('q1','id bigint pk | customer_id bigint | amount integer not null | currency char(3) | status text | created_at timestamptz | updated_at timestamptz\nrows ~ 1.4e9, size 380 GB, 41 writes/s avg, 900/s peak; triggers: orders_audit (AFTER UPDATE); referenced by: refunds.order_id, invoices.order_id; logical replication slot: "warehouse_cdc" (Debezium)'),
 tu('q2','run_sql',{'query':"select count(*) from pg_stat_activity where query ilike '%orders%amount%'"}),
 tr('q2','count\n37')],system="You are a senior DBA assistant with read-only access to the production warehouse. Never run writes; produce plans the team will execute.",tools=SQL)
item(H+'023','o-','cod',0,4096,'React stale closure + effect race causing wrong data shown',"""Users sometimes see another search's results in our React 18 app: type "ber", then quickly "berlin", the list shows results for "ber". Also the spinner sometimes never stops.

```jsx
function Search() {
  const [q, setQ] = useState(''); const [res, setRes] = useState([]); const [loading, setLoading] = useState(false);
  const search = useCallback(debounce(async (term) => {
    setLoading(true);
    const r = await fetch('/api/search?q=' + term).then(r => r.json());
    setRes(r.items); setLoading(false);
  }, 200), []);
  useEffect(() => { if (q) search(q); }, [q]);
  return <>...</>;
}
```
Explain all the bugs and give a robust version (abort, ordering, unmount).""")
item(H+'024','o','cod',0,8192,'performance: vectorise and reduce memory of pandas pipeline under RAM cap',"""This pandas job processes a 28 GB CSV of transactions on a 16 GB machine and gets OOM-killed. It also takes 3 hours when it does finish on a bigger box. We must keep results byte-identical. Rewrite it to run within 12 GB and ideally under 20 min; say which parts you'd move to polars/duckdb and why.

```python
df = pd.read_csv('tx.csv', parse_dates=['ts'])
df['day'] = df['ts'].dt.date
df['merchant'] = df['merchant'].str.strip().str.lower()
out = []
for (acct, day), g in df.groupby(['account', 'day']):
    g = g.sort_values('ts')
    g['running'] = g['amount'].cumsum()
    flagged = g[g['running'] > g['limit'].iloc[0]]
    if len(flagged):
        out.append({'account': acct, 'day': day, 'first_over': flagged['ts'].iloc[0], 'n': len(g),
                    'top_merchant': g.groupby('merchant')['amount'].sum().idxmax()})
pd.DataFrame(out).to_csv('flags.csv', index=False)
```""")
item(H+'025','o','cod',0,4096,'distributed lock with Redis: correctness under GC pause and failover',"""We use this Redis lock to make sure only one worker runs the nightly invoice job. Last month invoices went out twice. Redis is a primary with one async replica and Sentinel failover.

```python
def acquire(r, name, ttl=30):
    token = str(uuid4())
    if r.set(name, token, nx=True, ex=ttl):
        return token
def release(r, name, token):
    if r.get(name) == token:
        r.delete(name)
def run():
    t = acquire(r, 'invoice-job')
    if not t: return
    try: generate_and_send_invoices()   # takes 5-50 minutes
    finally: release(r, 'invoice-job', t)
```
List every way this can run twice, and propose a design that actually guarantees at-most-once sending.""")
item(H+'026','o','cod',0,8192,'compiler/parser: fix precedence-climbing bug with right-assoc and unary minus',"""Our expression parser gives wrong results for `-2^2` (returns 4, should be -4), `2^3^2` (returns 64, should be 512) and `a - b - c`. Fix it and explain how precedence climbing handles associativity and prefix operators; include tests covering all three plus function calls and parentheses.

```python
PREC = {'+':1,'-':1,'*':2,'/':2,'^':3}
def parse_expr(toks, min_prec=0):
    lhs = parse_atom(toks)
    while toks and toks[0] in PREC and PREC[toks[0]] >= min_prec:
        op = toks.pop(0)
        rhs = parse_expr(toks, PREC[op])
        lhs = (op, lhs, rhs)
    return lhs
def parse_atom(toks):
    t = toks.pop(0)
    if t == '-': return ('neg', parse_expr(toks, 0))
    if t == '(':
        e = parse_expr(toks); toks.pop(0); return e
    return t
```""")
item(H+'027','o','cod',0,4096,'database isolation anomaly: write skew in on-call scheduling',"""Our on-call app must always keep at least one doctor on call per shift. Two doctors both clicked 'go off call' at the same moment and now nobody is on call. Postgres 14, default isolation.

```sql
BEGIN;
SELECT count(*) FROM oncall WHERE shift_id = $1 AND on_call;
-- app checks count >= 2
UPDATE oncall SET on_call = false WHERE shift_id = $1 AND doctor_id = $2;
COMMIT;
```
Explain the anomaly, and compare fixes (SERIALIZABLE with retry, SELECT ... FOR UPDATE, a constraint/trigger, materialising the conflict) for correctness and throughput.""")
item(H+'028','o','cod',0,8192,'multi-file TypeScript type-level bug in generic API client',"""The compiler accepts `client.get('/users/:id', { params: { idd: 1 } })` (typo) and infers `any` for the response in some routes. Three files:

```ts
// routes.ts
export interface Routes {
  '/users/:id': { params: { id: number }; res: User };
  '/orgs/:org/repos': { params: { org: string }; query?: { page?: number }; res: Repo[] };
}
// types.ts
export type Params<P extends string> = P extends `${string}:${infer K}/${infer R}` ? { [k in K | keyof Params<R>]: string | number } : P extends `${string}:${infer K}` ? { [k in K]: string | number } : {};
// client.ts
export function get<P extends keyof Routes | string>(path: P, opts: { params: Params<P>; query?: any }): Promise<P extends keyof Routes ? Routes[P]['res'] : any> { ... }
```
Find why typos in param names slip through and why res becomes any, then redesign the types so both are caught, without breaking dynamic string paths used in 3 legacy call sites (they should require an explicit type argument).""")
item(H+'029','o-','cod',0,4096,'Go: goroutine leak and context misuse in fan-out',"""Memory grows by ~50 MB/hour in this service; pprof shows goroutines piling up in `fetchOne`. What's leaking and how do I fix it without losing the 'return first 3 results quickly' behaviour?

```go
func fetchFastest(ctx context.Context, urls []string) []Result {
    ch := make(chan Result)
    for _, u := range urls {
        go func(u string) { ch <- fetchOne(ctx, u) }(u)
    }
    var out []Result
    for r := range ch {
        out = append(out, r)
        if len(out) == 3 { break }
    }
    return out
}
func fetchOne(ctx context.Context, u string) Result {
    req, _ := http.NewRequest("GET", u, nil)
    resp, err := http.DefaultClient.Do(req)
    if err != nil { return Result{Err: err} }
    b, _ := io.ReadAll(resp.Body)
    return Result{Body: b}
}
```""")
item(H+'030','o','cod',0,8192,'design + implement CRDT for collaborative list with proofs of convergence',"We're building offline-first collaborative checklists (reorderable items, concurrent inserts, deletes and moves across phones that sync hours later). Pick a CRDT approach (RGA, Logoot/LSEQ, Fugue, or a move-aware list), justify it, argue convergence and intention preservation for concurrent moves of the same item, and implement the core merge in TypeScript with property-based tests.",system="You are a senior engineer on a mobile team. Answer in depth; code must be production quality.")
