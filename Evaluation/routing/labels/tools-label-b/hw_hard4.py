# label-c: standard Sonnet-level items, part 1 (code, debugging, explanation). Labels written by hand per item.
from hw_lib import *
from hw_tools import FS, SQL
H='hard-'
item(H+'091','s','cod',0,2048,'debug pasted Python stack trace, standard',"""Getting this when I run my script, what's wrong and how do I fix it?

Traceback (most recent call last):
  File "/home/kat/proj/report.py", line 48, in <module>
    main()
  File "/home/kat/proj/report.py", line 44, in main
    totals = summarize(rows)
  File "/home/kat/proj/report.py", line 27, in summarize
    by_region[r["region"]] += float(r["amount"])
KeyError: 'EMEA'

and the function is

def summarize(rows):
    by_region = {}
    for r in rows:
        if not r["amount"]:
            continue
        by_region[r["region"]] += float(r["amount"])
    return by_region

Also some amounts look like "1,204.50" — will float() handle that?""")
item(H+'092','s','cod',0,2048,'Java stack trace: ConcurrentModificationException, explain and fix',"""Spring Boot app, this blows up in a scheduled job:

java.util.ConcurrentModificationException
	at java.base/java.util.ArrayList$Itr.checkForComodification(ArrayList.java:1013)
	at java.base/java.util.ArrayList$Itr.next(ArrayList.java:967)
	at com.acme.jobs.CleanupJob.run(CleanupJob.java:31)

```java
for (Session s : sessions) {
    if (s.isExpired(now)) {
        sessions.remove(s);
        audit.log("expired " + s.getId());
    }
}
```
`sessions` is a field populated by another @Scheduled method. Is fixing the loop enough?""")
item(H+'093','s','cod',0,4096,'multi-part program: CLI tool with argparse, CSV and tests',"Write a Python CLI `dedupe-contacts` that reads a CSV of contacts (name, email, phone, company), merges duplicates (same email case-insensitively, or same normalised phone), keeps the most complete record, writes the result to a new CSV and prints a summary of merges. Include argparse options for input/output paths and a --dry-run flag, phone normalisation for US/UK numbers, and pytest tests.")
item(H+'094','s','cod',0,4096,'multi-part web feature: Flask endpoint + SQLAlchemy model + validation',"Add a 'bookmarks' feature to my Flask app: a SQLAlchemy model (user_id, url, title, tags, created_at), REST endpoints to create/list/delete with pagination and tag filtering, input validation (valid URL, max 10 tags), and tests with pytest and an in-memory SQLite. We use Flask 3 and SQLAlchemy 2.0 style.")
item(H+'095','s','cod',0,2048,'debug JS TypeError from pasted console and code',"""My React component crashes with `TypeError: Cannot read properties of undefined (reading 'map')` on first render but works after I navigate away and back.

```jsx
export default function Orders() {
  const [data, setData] = useState();
  useEffect(() => { fetch('/api/orders').then(r => r.json()).then(setData); }, []);
  return (
    <ul>{data.orders.map(o => <li key={o.id}>{o.total}</li>)}</ul>
  );
}
```
Why does it work the second time, and what's the clean fix (loading and error states too)?""")
item(H+'096','s','cod',0,2048,'SQL from pasted schema: window function, standard',"""Schema:
customers(id, name, signup_date)
orders(id, customer_id, created_at, total_cents, status)  -- status in ('paid','refunded','cancelled')

I need, for each customer, their first paid order date, their total paid revenue, and the number of days between their first and second paid order (null if there's no second). Postgres.""")
item(H+'097','s','cod',0,2048,'code review of small diff: off-by-one and error handling',"""Quick review please:

```diff
 def paginate(items, page, per_page=20):
-    start = page * per_page
-    return items[start:start + per_page]
+    if page < 1:
+        raise ValueError("page starts at 1")
+    start = page * per_page
+    end = start + per_page
+    return {"items": items[start:end], "has_next": end < len(items), "total_pages": len(items) // per_page}
```
Callers were passing page=0 before; we're switching to 1-based.""")
item(H+'098','s','cod',0,4096,'agent step: interpret failing test output and propose a patch',[U("Tests are failing after my change to the slugify helper. Fix it."),
 tu('c1','run_command',{'cmd':'pytest tests/test_text.py -q 2>&1 | tail -25'}),
 tr('c1','F.F.\n=================================== FAILURES ===================================\n___________________________ test_slugify_unicode ___________________________\n    def test_slugify_unicode():\n>       assert slugify("Crème brûlée à Paris") == "creme-brulee-a-paris"\nE       AssertionError: assert \'cr-me-br-l-e-paris\' == \'creme-brulee-a-paris\'\n___________________________ test_slugify_collapse ___________________________\n    def test_slugify_collapse():\n>       assert slugify("  Hello,   World!!  ") == "hello-world"\nE       AssertionError: assert \'-hello-world-\' == \'hello-world\'\n2 failed, 2 passed in 0.04s'),
 tu('c2','read_file',{'path':'app/text.py'}),
 tr('c2','import re\n\ndef slugify(s: str) -> str:\n    s = s.lower()\n    s = re.sub(r"[^a-z0-9]+", "-", s)\n    return s\n')],tools=FS)
item(H+'099','s','qa',0,4096,'explain subtle concept at length: Python GIL and asyncio vs threads',"Can you explain, properly and at length, when Python threads actually run in parallel, what the GIL protects and what it doesn't (e.g. is `x += 1` on a shared int safe?), how asyncio differs, and what changes with the free-threaded 3.13 build? I keep getting contradictory answers. Use small examples.")
item(H+'100','s','qa',0,4096,'nuanced explanation: database isolation levels with examples',"Explain the SQL isolation levels (read uncommitted, read committed, repeatable read, serializable) with a concrete example of each anomaly they allow, and how Postgres and MySQL InnoDB actually implement them differently. I'm a backend dev who's been using defaults without thinking.")
item(H+'101','s','qa',0,4096,'explain a subtle concept: floating point, why 0.1+0.2 != 0.3, and money',"I'm a junior dev. Explain in depth why 0.1 + 0.2 != 0.3 in JavaScript, what IEEE 754 doubles actually store, when comparing floats with an epsilon is wrong, and what I should use for money in JS and in Postgres. Examples please.")
item(H+'102','s','cod',0,4096,'multi-part program: Go HTTP service with graceful shutdown and config',"Write a small Go HTTP service: GET /healthz, POST /shorten (JSON {url}) returning a short code, GET /{code} redirecting; store in memory behind an interface so we can swap in Redis later; config from env vars; structured logging with slog; graceful shutdown on SIGTERM with a 10 s drain; and table-driven tests for the handlers.")
item(H+'103','s','cod',0,2048,'debug pasted Rust compiler error, borrow checker',"""Rust newbie. What does this mean and how do I fix it without cloning everything?

error[E0502]: cannot borrow `self.items` as mutable because it is also borrowed as immutable
  --> src/inventory.rs:22:13
   |
20 |         let first = self.items.iter().find(|i| i.qty == 0);
   |                     ---------- immutable borrow occurs here
21 |         if let Some(item) = first {
22 |             self.items.retain(|i| i.id != item.id);
   |             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ mutable borrow occurs here
   |                                            ------- immutable borrow later used here""")
item(H+'104','s','cod',0,2048,'Dockerfile review and optimisation, standard',"""Can you improve this Dockerfile? Builds take 6 minutes every time and the image is 1.4 GB.

FROM python:3.12
COPY . /app
WORKDIR /app
RUN apt-get update && apt-get install -y gcc libpq-dev
RUN pip install -r requirements.txt
ENV FLASK_ENV=production
CMD python app.py""")
item(H+'105','s','cod',0,2048,'regex-plus-parsing program with edge cases (more than a snippet)',"Write a Python function that parses durations like '1h30m', '45s', '2d 4h', '1.5h', '90 min', 'PT1H30M' (ISO 8601) into seconds, rejects garbage with a clear error, and comes with pytest cases for each format and the error paths.")
item(H+'106','s','cod',0,2048,'Kubernetes: CrashLoopBackOff diagnosis from pasted describe/logs',"""Pod keeps restarting, what's going on?

$ kubectl describe pod api-6d8f9-xk2lp
...
    State:          Waiting
      Reason:       CrashLoopBackOff
    Last State:     Terminated
      Reason:       Error
      Exit Code:    1
    Liveness:   http-get http://:8080/healthz delay=5s timeout=1s period=10s
    Readiness:  http-get http://:8080/ready delay=5s timeout=1s period=10s
Events:
  Warning  Unhealthy  Liveness probe failed: Get "http://10.2.1.14:8080/healthz": dial tcp 10.2.1.14:8080: connect: connection refused
  Warning  BackOff    Back-off restarting failed container

$ kubectl logs api-6d8f9-xk2lp --previous
2025-06-02T09:14:01Z INFO starting api version=2.8.1
2025-06-02T09:14:01Z INFO running migrations
2025-06-02T09:14:13Z ERROR migration 0042_add_index failed: canceling statement due to lock timeout
2025-06-02T09:14:13Z FATAL exiting""")
item(H+'107','s','cod',0,4096,'unit tests for pasted function, including edge cases',"""Write thorough pytest tests for this function, including edge cases and property-based tests with hypothesis where it makes sense. Point out any bugs you find while writing them.

def merge_intervals(intervals):
    intervals.sort()
    out = []
    for s, e in intervals:
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return out""")
item(H+'108','s','cod',0,2048,'system-prompted IDE assistant: refactor function for readability',[U("""Refactor this for readability, keep behaviour identical:

```ts
export function price(c: Cart, u?: User) {
  let t = 0
  for (const i of c.items) { t += i.p * i.q; if (i.q > 10) t -= i.p * i.q * 0.05 }
  if (u && u.tier == 'gold') t = t * 0.9; else if (u && u.tier == 'silver') t = t * 0.95
  if (c.coupon) { if (c.coupon.type == 'pct') t = t * (1 - c.coupon.v / 100); else t = Math.max(0, t - c.coupon.v) }
  return Math.round(t * 100) / 100
}
```""")],system="You are an AI pair programmer inside the user's IDE. Project: TypeScript 5, strict mode, ESLint airbnb. Keep answers focused on code; explain briefly.")
item(H+'109','s','cod',0,2048,'SQL tool use: write join query from described tables',[U("Which 10 products had the biggest drop in units sold between Q2 and Q3 this year?"),
 tu('d1','describe_table',{'table':'sales'}),
 tr('d1','sale_id bigint | product_id int | sold_at timestamptz | units int | store_id int'),
 tu('d2','describe_table',{'table':'products'}),
 tr('d2','product_id int | name text | category text | discontinued_at date')],system="You are a BI assistant. Write Postgres SQL and run it with run_sql. Today is 2025-10-08.",tools=SQL)
item(H+'110','s','qa',0,2048,'explain output of pasted EXPLAIN plan, standard',"""Why is this query slow and what index would help?

EXPLAIN ANALYZE SELECT * FROM tickets WHERE assignee_id = 42 AND status = 'open' ORDER BY updated_at DESC LIMIT 20;

Limit  (actual time=812.3..812.4 rows=20 loops=1)
  ->  Sort  (actual time=812.3..812.3 rows=20 loops=1)
        Sort Key: updated_at DESC
        Sort Method: top-N heapsort  Memory: 31kB
        ->  Bitmap Heap Scan on tickets  (actual time=12.1..790.2 rows=48211 loops=1)
              Recheck Cond: (assignee_id = 42)
              Filter: (status = 'open'::text)
              Rows Removed by Filter: 301877
              ->  Bitmap Index Scan on tickets_assignee_idx  (actual time=9.8..9.8 rows=350088 loops=1)""")
item(H+'111','s','cod',0,4096,'multi-part: scraper with retries, rate limit, and output schema',"Write a Python script that pulls all open issues (with labels and comment counts) from a GitHub repo via the REST API, handles pagination and the rate-limit headers (sleep until reset), retries on 5xx with backoff, and writes a CSV plus a markdown summary grouped by label. Token from GITHUB_TOKEN env var. Use requests, no other deps.")
item(H+'112','s','cod',0,2048,'debug pandas SettingWithCopyWarning and wrong results',"""I get `SettingWithCopyWarning` and my new column is sometimes all NaN in the saved file:

```python
active = df[df['status'] == 'active']
active['tenure_days'] = (pd.Timestamp.today() - active['start']).dt.days
df.loc[df['status'] == 'active', 'segment'] = pd.cut(active['tenure_days'], [0, 90, 365, 10000], labels=['new','mid','old'])
df.to_csv('out.csv')
```
Explain what's going on and rewrite it cleanly.""")
item(H+'113','s','qa',0,4096,'nuanced explanation: OAuth2 flows and when to use PKCE',"Explain OAuth 2.0 authorization code flow with PKCE vs client credentials vs the deprecated implicit flow, as if to a mid-level dev building a SPA with a separate API and a few backend cron jobs. Where do tokens live in the browser, what about refresh tokens, and what are the common mistakes?")
item(H+'114','s','cod',0,2048,'GitHub Actions workflow: multi-job with caching and matrix',"Write a GitHub Actions workflow for a Node 18/20/22 monorepo (pnpm workspaces): lint + typecheck once, unit tests in a matrix across Node versions, cache the pnpm store, run e2e (Playwright) only on PRs to main, and deploy the `web` package to Cloudflare Pages on pushes to main. Explain the non-obvious bits.")
item(H+'115','s','cod',0,2048,'bash script with robustness requirements',"Write a bash script that backs up a Postgres database nightly: pg_dump in custom format, gzip, upload to S3 with a date-stamped key, keep 14 daily and 8 weekly backups (delete older), exit non-zero and send a Slack webhook on any failure, and be safe to run from cron (locking so two runs don't overlap, set -euo pipefail caveats).")
item(H+'116','s','cod',0,2048,'explain and fix pasted segfault in C with valgrind output',"""My C program segfaults sometimes. Valgrind says:

==3122== Invalid read of size 8
==3122==    at 0x10923D: list_free (list.c:41)
==3122==    by 0x1093A1: main (main.c:27)
==3122==  Address 0x4a8d048 is 8 bytes inside a block of size 16 free'd
==3122==    at 0x483CA3F: free (vg_replace_malloc.c:540)
==3122==    by 0x109238: list_free (list.c:40)

void list_free(node *n) {
    while (n) {
        free(n);
        n = n->next;
    }
}""")
item(H+'117','s','qa',0,4096,'conceptual explanation with depth: how HTTPS/TLS 1.3 handshake works',"Walk me through what actually happens in a TLS 1.3 handshake when my browser connects to a site: key exchange, certificate validation, what's encrypted when, 0-RTT and its replay risk, and how this differs from TLS 1.2. I want to understand it well enough to debug cert errors at work.")
item(H+'118','s','cod',0,2048,'multi-turn debugging session: CORS error after deploy',[U("My frontend on app.example.com can't call api.example.com after deploy. Console: 'Access to fetch at https://api.example.com/v1/me from origin https://app.example.com has been blocked by CORS policy: Response to preflight request doesn't pass access control check: No Access-Control-Allow-Origin header is present'."),A("That's the preflight (OPTIONS) failing. Check that your API answers OPTIONS for /v1/me with Access-Control-Allow-Origin: https://app.example.com, Access-Control-Allow-Methods and Access-Control-Allow-Headers including Authorization, and Access-Control-Allow-Credentials: true if you send cookies. Can you share your CORS config and what curl -i -X OPTIONS returns?"),U("""Express config: app.use(cors({ origin: '*', credentials: true })). And curl:

HTTP/1.1 401 Unauthorized
WWW-Authenticate: Bearer
Content-Length: 0

It worked locally on localhost:3000 -> localhost:8080. We put nginx in front in prod.""")])
item(H+'119','s','cod',0,4096,'data pipeline script: multi-part ETL with validation',"Write a Python ETL job: read daily JSON-lines files of app events from a folder, validate each record against a pydantic schema (skip and count bad rows), deduplicate by event_id, aggregate per user per day (sessions, events, first/last seen), and upsert into Postgres with psycopg 3 using COPY into a temp table then INSERT ... ON CONFLICT. Make it idempotent for re-runs of the same day.")
item(H+'120','s','qa',0,4096,'explanation at length: React rendering and memoisation',"My React app re-renders a lot. Can you explain in depth when a component re-renders, what React.memo, useMemo and useCallback actually do (and when they don't help), how context causes re-renders, and how React 19's compiler changes this? Concrete examples please, I've read the docs and I'm still confused.")
item(H+'121','s','cod',0,2048,'code review: Python class with mutable default and thread safety note',"""Can you review this? It's used in a small internal Flask app.

class Cart:
    def __init__(self, items=[]):
        self.items = items
    def add(self, sku, qty=1):
        for i in self.items:
            if i['sku'] == sku:
                i['qty'] += qty; return
        self.items.append({'sku': sku, 'qty': qty})
    def total(self, prices):
        return sum(prices[i['sku']] * i['qty'] for i in self.items)

carts = {}
@app.post('/cart/<uid>/add')
def add(uid):
    cart = carts.setdefault(uid, Cart())
    cart.add(request.json['sku'], request.json.get('qty', 1))
    return {'ok': True}""")
item(H+'122','s','cod',0,2048,'translate code between languages with idioms',"""Port this Python to idiomatic Go (errors, not exceptions; keep behaviour):

def load_config(path):
    with open(path) as f:
        cfg = yaml.safe_load(f) or {}
    cfg.setdefault('port', 8080)
    cfg.setdefault('workers', os.cpu_count())
    if not 1 <= cfg['port'] <= 65535:
        raise ValueError(f"bad port {cfg['port']}")
    for k, v in os.environ.items():
        if k.startswith('APP_'):
            cfg[k[4:].lower()] = v
    return cfg""")
item(H+'123','s','mat',0,2048,'multi-step standard maths: compound interest vs loan amortisation',"I'm comparing two car loans for $28,000: (a) 4.9% APR for 60 months, (b) 0% for 36 months but I lose a $2,500 cash rebate (so I'd borrow $28,000 instead of $25,500 under option a). Compute the monthly payment and total paid for each, show the amortisation formula, and tell me which is cheaper and by how much. Also, if I can invest the difference in monthly payments at 4%, does that change the answer?")
item(H+'124','s','mat',0,2048,'statistics: standard hypothesis test with interpretation',"""I measured page load times (ms) before and after a CDN change:
before: 812, 790, 845, 901, 770, 830, 865, 795, 880, 820
after:  742, 760, 701, 815, 690, 733, 770, 720, 805, 745
Same 10 pages, measured once each. Which test should I use, run it (show the working), give a 95% CI for the improvement, and tell me what I can and can't conclude.""")
item(H+'125','s','mat',0,2048,'multi-step word problem: mixture and rates',"A tank holds 1,200 L of 40% antifreeze. How much must be drained and replaced with pure antifreeze to reach 55%? Then: if instead we add pure antifreeze at 10 L/min while a drain removes the well-mixed solution at 10 L/min, how long until it reaches 55%? Show the working for both.")
item(H+'126','s','mat',0,2048,'calculus: standard multi-step optimisation with explanation',"A cylindrical can must hold 500 mL. The top and bottom cost 2.5 times as much per cm² as the side. Find the dimensions that minimise cost, verify it's a minimum, and compare the height-to-diameter ratio with the equal-cost case.")
item(H+'127','s','mat',0,2048,'linear algebra homework: eigen-decomposition and interpretation',"For the Markov chain with transition matrix P = [[0.9, 0.1, 0], [0.2, 0.7, 0.1], [0, 0.3, 0.7]] (rows sum to 1), find the stationary distribution, explain why it's unique, and estimate how many steps until the distribution from state 1 is within 1% of it (use the second-largest eigenvalue).")
item(H+'128','s+','mat',0,2048,'probability: standard multi-step Bayes with explanation',"A test for a condition has 92% sensitivity and 97% specificity; prevalence is 1.5%. If someone tests positive twice on independent tests, what's the probability they have it? What if the tests aren't independent (say the second test repeats the first's false positive 40% of the time)? Explain each step.")
item(H+'129','s','cod',0,2048,'multi-turn: follow-up asks to extend previous code with new requirement',[U("Write a Python function that chunks a list into batches of n."),A("```python\ndef chunks(xs, n):\n    if n <= 0:\n        raise ValueError('n must be positive')\n    return [xs[i:i + n] for i in range(0, len(xs), n)]\n```"),U("Now make it work for any iterable including generators and huge files (lazy, constant memory), add an option to pad the last batch with a fill value, an async version for async iterators, type hints (generics), and tests.")])
item(H+'130','s','cod',0,2048,'debug pasted Node stack trace with unhandled promise rejection',"""Our Node worker crashed overnight:

node:internal/process/promises:289
            triggerUncaughtException(err, true /* fromPromise */);
            ^
Error: connect ETIMEDOUT 10.0.3.21:5432
    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16) {
  errno: -110, code: 'ETIMEDOUT', syscall: 'connect', address: '10.0.3.21', port: 5432
}
Node.js v20.11.1

The code:
```js
async function tick() { const rows = await pool.query('select * from jobs where due < now()'); for (const r of rows.rows) process(r); }
setInterval(tick, 5000);
```
Why did one DB timeout kill the process, and how should this be structured?""")
item(H+'131','s','cod',0,2048,'explain and fix git situation with pasted output',"""I think I messed up git. I did `git pull` on my feature branch and now:

$ git status
On branch feature/search
Your branch and 'origin/feature/search' have diverged,
and have 3 and 5 different commits each, respectively.
You have unmerged paths.
  (fix conflicts and run "git commit")
Unmerged paths:
	both modified:   src/search/index.ts
	deleted by them: src/search/legacy.ts

A teammate force-pushed the branch after rebasing on main. I don't want to lose my 3 commits. What do I do, step by step?""")
item(H+'132','s','cod',0,2048,'terraform review and fix, standard',"""terraform plan wants to destroy and recreate our RDS instance every time. Why?

resource "aws_db_instance" "main" {
  identifier        = "app-${var.env}"
  engine            = "postgres"
  engine_version    = "15"
  instance_class    = "db.r6g.large"
  allocated_storage = 100
  username          = "app"
  password          = random_password.db.result
  snapshot_identifier = data.aws_db_snapshot.latest.id
  skip_final_snapshot = true
}

Plan output: ~ snapshot_identifier = "rds:app-prod-2025-06-01-03-10" -> "rds:app-prod-2025-06-02-03-10" # forces replacement""")
item(H+'133','s','qa',0,2048,'explain trade-offs: REST vs GraphQL vs gRPC for a given team',"We're a 6-person team building a B2B app with a React frontend, a mobile app coming next year, and 3 backend services in Go. Should our external API be REST, GraphQL, or gRPC (with grpc-web)? Give the real trade-offs for our situation, not a generic table.")
item(H+'134','s','cod',0,4096,'implement standard algorithm with explanation: Dijkstra with path and tests',"Implement Dijkstra's algorithm in Python for a weighted directed graph given as an edge list, returning both distances and the actual shortest paths, handle unreachable nodes, explain why it fails with negative edges (with a tiny counterexample), and include tests.")
item(H+'135','s','cod',0,2048,'sysbot IDE: explain failing type check in pasted mypy output',[U("""mypy is angry and I don't get it:

app/models.py:34: error: Incompatible return value type (got "Optional[User]", expected "User")  [return-value]
app/models.py:51: error: Argument 1 to "send" has incompatible type "list[Admin]"; expected "list[User]"  [arg-type]
note: "List" is invariant -- see https://mypy.readthedocs.io/en/stable/common_issues.html#variance
note: Consider using "Sequence" instead, which is covariant

Admin is a subclass of User. Line 34 is `return session.get(User, uid)`.""")],system="You are an AI pair programmer inside the user's IDE. Project: Python 3.12, mypy --strict, SQLAlchemy 2.0. Keep answers focused.")
item(H+'136','s','cod',0,2048,'write SQL migration plus backfill script, standard care',"We need to split the `name` column of `users` (Postgres, 2M rows) into `first_name` and `last_name`. Write the migration (add columns), a batched backfill script in Python that handles names like 'Mary Ann van der Berg' and single-word names sensibly, and the follow-up migration to drop `name` once the app is updated. Keep locks short.")
item(H+'137','s','qa',0,4096,'explain ML concept at length: overfitting, regularisation, cross-validation',"I'm a data analyst moving into ML. Explain overfitting properly: bias-variance, why a validation set isn't enough when you tune a lot, k-fold vs time-series CV, L1 vs L2 regularisation (with the geometric intuition), and early stopping. Use a running example of predicting house prices.")
item(H+'138','s','cod',0,2048,'spreadsheet formula work: multi-part with lookups',"""In Google Sheets I have a 'Sales' tab (Date, Rep, Region, Amount) and a 'Targets' tab (Rep, Month, Target). I want a summary tab showing, for each rep and month: total sales, target, % of target, and a flag if they're below 80% for two consecutive months. Give me the formulas (QUERY or SUMIFS/XLOOKUP), explain them, and how to make it update automatically when new months are added.""")
item(H+'139','s','cod',0,4096,'multi-part program: small game with state and tests',"Write a terminal Minesweeper in Python: configurable board size and mine count, first click is always safe, flood-fill reveal of empty regions, flags, win/lose detection, and a clean separation of game logic (unit-tested) from the text UI.")
item(H+'140','s','cod',0,2048,'diagnose slow API from pasted profile output',"""cProfile of one slow request (Django), top entries by cumtime:

   ncalls  tottime  cumtime  filename:lineno(function)
        1    0.002    4.812  views.py:88(order_history)
      301    0.010    4.650  query.py:1200(__iter__)
      300    0.004    4.420  related_descriptors.py:180(__get__)
      300    0.003    4.390  compiler.py:1500(execute_sql)
        1    0.001    0.120  serializers.py:40(to_representation)

The view:
def order_history(request):
    orders = Order.objects.filter(user=request.user).order_by('-created')[:300]
    return JsonResponse([{'id': o.id, 'total': o.total, 'shipping': o.address.city, 'items': o.items.count()} for o in orders], safe=False)""")
item(H+'141','s','qa',0,2048,'explain subtle language semantics: JS this binding',"I still don't get `this` in JavaScript. Explain the rules (default, implicit, explicit, new, arrow functions), why `setTimeout(obj.method, 100)` loses `this`, how class fields with arrow functions change it, and what happens in strict mode and in ES modules. Examples for each.")
item(H+'142','s','cod',0,2048,'fix accessibility issues in pasted HTML form',"""Make this signup form accessible (WCAG 2.2 AA) and explain each change:

<div class="form">
  <div>Email</div><input type="text" placeholder="Email">
  <div>Password</div><input type="password">
  <span style="color:red">Password too short</span>
  <div class="btn" onclick="submit()">Sign up</div>
  <img src="captcha.png">
</div>""")
item(H+'143','s','cod',0,2048,'write integration test with mocks for external API client',"""Write pytest tests for this client using responses or respx; cover success, pagination, 429 with Retry-After, and a timeout:

class BillingClient:
    def __init__(self, base, token, session=None): ...
    def list_invoices(self, customer_id):  # follows `next` links, returns list
    def get_invoice(self, inv_id):  # raises NotFound on 404
(Uses requests.Session, retries 429 up to 3 times honouring Retry-After, timeout 10s.)""")
item(H+'144','s','qa',0,2048,'explain and compare: git merge vs rebase for a team workflow',"Our team argues about merge vs rebase. Explain what each actually does to history, the golden rule of rebasing, how squash-merge fits in, what happens to bisect and revert in each style, and recommend a workflow for 8 devs doing trunk-based development with short-lived branches.")
item(H+'145','s','cod',0,2048,'log parsing program with aggregation and output',"""Write a Python script that reads nginx access logs in this format (possibly gzipped, multiple files), and reports per hour: request count, 4xx/5xx rates, p50/p95/p99 of request_time, and the top 10 paths by total time. Must stream (files are 20 GB).

203.0.113.9 - - [12/Mar/2025:10:15:32 +0000] "GET /api/v1/items?page=2 HTTP/1.1" 200 5123 "-" "Mozilla/5.0" rt=0.084 uct=0.001 urt=0.083""")
