# label-c: hard analysis, incident RCA, planning (mostly Opus). Labels written by hand per item.
from hw_lib import *
from hw_tools import SQL, SEARCH
H='hard-'
LOG1="""2025-09-14T02:11:03Z api-7f9c  INFO  pool stats active=48 idle=2 waiting=0 max=50
2025-09-14T02:11:41Z pgbouncer WARN  client_login_timeout for user=api db=core
2025-09-14T02:11:42Z api-7f9c  WARN  acquire connection took 2840ms
2025-09-14T02:11:58Z api-2b1d  ERROR timeout acquiring connection after 5000ms (route=/v2/checkout)
2025-09-14T02:12:00Z cron-billing INFO  starting nightly reconcile batch_size=5000 parallel=12
2025-09-14T02:12:04Z pg-primary LOG  checkpoint starting: time
2025-09-14T02:12:05Z pg-primary LOG  process 88121 still waiting for ShareLock on transaction 99120331 after 1000.112 ms
2025-09-14T02:12:05Z pg-primary DETAIL  Process holding the lock: 88002. Wait queue: 88121, 88130, 88133.
2025-09-14T02:12:09Z api-7f9c  ERROR timeout acquiring connection after 5000ms (route=/v2/checkout)
2025-09-14T02:12:10Z lb        WARN  upstream api p99=7.9s 5xx_rate=0.21
2025-09-14T02:12:31Z autoscaler INFO  scaling api 12 -> 20 (cpu 41%, rps-per-pod 380)
2025-09-14T02:12:55Z pgbouncer WARN  pool core/api full (default_pool_size=400) cl_waiting=611
2025-09-14T02:13:20Z pg-primary LOG  checkpoint complete: wrote 912331 buffers (69.6%); write=71.2 s
2025-09-14T02:13:22Z api-0aa1  ERROR timeout acquiring connection after 5000ms (route=/v2/cart)
2025-09-14T02:13:40Z pg-primary LOG  process 88002 acquired RowExclusiveLock ... statement: UPDATE accounts SET balance = balance - $1 WHERE id = $2
2025-09-14T02:14:02Z cron-billing INFO  batch 1/84 done in 121s
2025-09-14T02:14:05Z pg-primary LOG  deadlock detected; Process 88130 waits for ShareLock on transaction 99120388; blocked by process 88141.
2025-09-14T02:14:30Z autoscaler INFO  scaling api 20 -> 32
2025-09-14T02:14:51Z pgbouncer WARN  cl_waiting=1490
2025-09-14T02:16:10Z oncall    NOTE  paused cron-billing
2025-09-14T02:16:48Z lb        INFO  upstream api p99=310ms 5xx_rate=0.002
2025-09-14T02:17:30Z autoscaler INFO  scaling api 32 -> 14"""
item(H+'031','o','ana',0,4096,'root-cause analysis of pasted incident log with interacting causes',"Write the root-cause analysis for last night's checkout outage from these logs. I need the causal chain (not just the trigger), what made it worse, why the autoscaler didn't help, and 3-5 corrective actions ranked by impact. Be careful to distinguish what the logs show from what you're inferring.\n\n"+LOG1,system="You are an SRE writing blameless postmortems for an e-commerce company.")
item(H+'032','o','ana',0,4096,'multi-turn: challenge a proposed RCA, reconcile with evidence',[U("Here's the log from the outage:\n\n"+LOG1+"\n\nWhat caused it?"),A("The trigger was the nightly billing reconcile job starting at 02:12 with parallel=12: it took row locks on accounts that checkout also updates, so checkout transactions queued behind it, held their pooled connections while waiting, and exhausted the pgbouncer pool. The checkpoint (71 s of writes) slowed everything further. Scaling api pods added clients to an already full pool, which increased cl_waiting. Pausing the job at 02:16 resolved it within a minute."),U("My lead says it was the checkpoint, not the cron — the checkpoint started at 02:12:04 and wrote 70% of shared buffers, and latency recovered shortly after it completed... sort of. Who's right? Walk through the timeline point by point and tell me what evidence would settle it.")],system="You are an SRE writing blameless postmortems for an e-commerce company.")
item(H+'033','o','ana',0,8192,'compare several vendors with evidence and hidden constraints',"""We must pick an observability stack by Friday. Inputs:

- 140 services, 2.1 TB logs/day, 9M active metric series, traces sampled at 5%.
- Budget: $55k/month all-in. Team: 3 platform engineers, none with ClickHouse experience.
- EU data residency is mandatory for logs (GDPR, customer contracts); metrics can be anywhere.
- We need 30 days hot logs, 13 months metrics, audit trail of who queried what.

Quotes we got:
1. Datadog: $118k/month list, 'we can discount 40%'; EU site available.
2. Grafana Cloud: logs $0.50/GB ingested, metrics $8 per 1k series beyond 10k, traces $0.50/GB; EU region.
3. Self-hosted: Loki + Mimir + Tempo on our EKS, estimated $14k/month infra.
4. ClickHouse-based (SigNoz self-hosted), estimated $9k infra.
5. Elastic Cloud: $38k/month for the log tier; metrics via their TSDB at 'similar'.

Do the arithmetic, point out what's missing from each quote, weigh operational risk for a 3-person team, and give a recommendation with the conditions under which you'd change it.""")
DOC_RFC="""RFC-214: Move session storage from Redis to DynamoDB
Author: M. Okafor  Status: draft

Motivation. Our Redis cluster (6 shards, r6g.xlarge, cluster mode) stores 41M sessions. It cost $9.8k/month and had two incidents this year: (1) a failover in March lost ~3 minutes of writes (async replication) which logged out 180k users, (2) a hot-key on the 'feature_flags' hash saturated one shard. Ops burden: patching, resharding, memory alarms.

Proposal. Store sessions in DynamoDB (on-demand), key = session_id, TTL attribute for expiry. Reads go through a local in-process LRU (10k entries, 30 s TTL) to reduce cost. Feature flags move to AppConfig.

Estimated cost. 41M items x 1.2 KB = 49 GB storage ($12/month). Traffic: 22k reads/s, 1.9k writes/s peak; average is 35% of peak. On-demand: reads $0.25 per million RRU, writes $1.25 per million WRU. The LRU is expected to absorb 70% of reads.

Risks. DynamoDB TTL deletion is lazy (up to 48h); we will filter expired items on read. Session revocation (logout-everywhere) must be immediate for security; the LRU means a revoked session can be valid for up to 30 s on other pods. Latency: p99 single-digit ms vs Redis sub-ms.

Rollout. Dual-write for 2 weeks, then flip reads, then stop Redis writes.

Open questions. Do we need strongly consistent reads? What about the 'last_seen' update on every request (currently a Redis HSET)?"""
item(H+'034','o','ana',0,4096,'critical review of a pasted design RFC: cost math, security, hidden write load',"Review this RFC as a principal engineer. Check the cost estimate (do the arithmetic), find what's missing or wrong, and say whether you'd approve it and with what changes.\n\n"+DOC_RFC)
item(H+'035','h+','sum',0,1024,'short neutral summary of the RFC: contrast item, same doc as hard-034',"Summarise this RFC in 5 bullets for our VP, neutral tone, no opinions.\n\n"+DOC_RFC)
item(H+'036','o','cr',0,8192,'long-horizon plan with many hard constraints (conference logistics)',"""Plan our 3-day engineering offsite. Constraints:
- 86 people from 5 offices (Berlin 31, Lisbon 18, Nairobi 12, Toronto 15, Singapore 10); 4 people cannot fly (train/bus only, all in Berlin/Lisbon).
- Budget €160k total including travel; dates must be in the 2nd half of March or first half of April, avoiding Easter and Ramadan evenings for the 9 people observing (dinner events after sunset, halal options).
- Need one room for 86 plus 6 breakouts of 15; step-free access (2 wheelchair users); venue within 45 min of an international airport.
- Nairobi staff need Schengen visas (lead time 6-8 weeks) — unless we pick a non-Schengen venue; Singapore/Toronto want < 14 h travel.
- Day 2 afternoon must overlap with US Pacific morning for a customer call.
Give the destination shortlist with reasoning, a recommended choice, a timeline of what to book when (today is Jan 8), a budget breakdown, and the risks.""")
item(H+'037','o','cr',0,8192,'migration plan with sequencing, rollback and org constraints',"We have 220 microservices on a self-managed Kubernetes 1.22 cluster (on EC2, kops) with Calico, an in-house Helm wrapper, and Vault for secrets. We need to be on EKS 1.29 in 9 months because 1.22 is unpatchable and our PCI auditor flagged it. 6 platform engineers, product teams own their own Helm charts (quality varies), 14 services are stateful (Kafka, ES, 3 Postgres via operator), and we can't have more than 30 min total customer-facing downtime. Give me the phased plan, cut-over strategy, what to test per phase, rollback points and what will probably go wrong.",system="You are a pragmatic principal platform engineer. Be specific; no generic advice.")
item(H+'038','o','ana',0,4096,'A/B test analysis with Simpson-type trap and peeking',"""Our pricing-page experiment results (ran 19 days; we looked at the dashboard daily and planned to stop when significant):

| segment | variant | visitors | signups |
|---|---|---:|---:|
| desktop | A | 41,200 | 2,472 |
| desktop | B | 18,900 | 1,096 |
| mobile  | A | 20,100 | 402 |
| mobile  | B | 42,300 | 931 |

Overall B converts 3.31% vs A 4.68%... wait, let me recompute, anyway the PM says B lost and wants to kill it. Traffic split was supposed to be 50/50 but an ad campaign on mobile launched on day 6 and the bucketing used a cookie that mobile Safari clears after 7 days. Tell me what the data actually says, what's invalid about the test, and what decision and follow-up you recommend.""")
item(H+'039','o','ana',0,4096,'legal-ish analysis with costly subtle errors: contract clause interaction',"""Two clauses from our MSA with a supplier. They delivered a data pipeline 6 weeks late, it caused us to miss a regulatory filing and we paid a €240k fine. Can we recover the fine? Walk through how the clauses interact; I'm meeting our lawyer tomorrow and want to ask the right questions.

11.2 Limitation of Liability. Except for breaches of Clause 9 (Confidentiality) or liability arising from gross negligence or wilful misconduct, neither party's aggregate liability under this Agreement shall exceed the Fees paid in the twelve (12) months preceding the event giving rise to the claim.
11.3 Exclusion. Neither party shall be liable for any indirect, special or consequential loss, including loss of profit, revenue, or regulatory fines or penalties, howsoever arising.
14.1 Delivery. Supplier shall use commercially reasonable efforts to meet the Milestones in Schedule 2. Where a Milestone is missed by more than 20 Business Days, Customer may, as its sole and exclusive remedy for such delay, claim Service Credits at 5% of the monthly Fee per week of delay, capped at 30%.

Fees paid in the prior 12 months: €410k. Governing law: England & Wales.""")
item(H+'040','o','ana',0,4096,'security incident triage from pasted auth logs: distinguish attack patterns',"""Our auth logs from 03:00-03:20 UTC. Is this credential stuffing, a targeted attack, or a bug? What should we do right now, and what would you check next?

03:00:12 login_fail user=j.ortiz@acme.io ip=185.220.101.4 ua="python-requests/2.31" reason=bad_password
03:00:12 login_fail user=m.chen@acme.io ip=185.220.101.9 ua="python-requests/2.31" reason=bad_password
03:00:13 login_fail user=admin@acme.io ip=185.220.101.4 ua="python-requests/2.31" reason=no_such_user
... (4,812 similar lines across 61 IPs in 185.220.101.0/24 and 45.134.26.0/24, 2,903 distinct usernames, 1-3 attempts each)
03:07:41 login_ok   user=p.novak@acme.io ip=45.134.26.17 ua="python-requests/2.31" mfa=skipped reason=trusted_device_cookie
03:07:43 api_token_created user=p.novak@acme.io scope=read:all ip=45.134.26.17
03:07:59 export_started user=p.novak@acme.io dataset=customers rows=1,204,551
03:12:02 login_ok   user=p.novak@acme.io ip=89.64.12.201 ua="Mozilla/5.0 (Macintosh...)" mfa=totp
03:15:30 password_reset_requested user=p.novak@acme.io ip=89.64.12.201""")
item(H+'041','o','ana',0,8192,'synthesis across long pasted survey responses with conflicting signals',"""Below are 14 verbatim answers from our churned-customer survey (B2B scheduling SaaS), plus the churn numbers by plan. Synthesise the real reasons for churn, separate stated from likely underlying causes, say which findings are robust vs anecdotal given n=14 and the response bias, and propose what to investigate with product data.

Churn last quarter: Starter 9.1% monthly, Team 3.2%, Business 1.1%. Survey sent to 310 churned accounts, 14 replied (11 Starter, 3 Team).

1. "Too expensive for what we use. We're 3 people."
2. "Calendar sync kept double-booking us with Outlook. Lost two clients over it."
3. "Switched to Calendly, our clients already know it."
4. "Price went up in January and nobody told us until the invoice."
5. "Honestly fine product, we closed the business."
6. "The Outlook thing. Support said it's Microsoft's fault."
7. "Needed round-robin across 4 staff, only in Business plan, way too much for us."
8. "Too many clicks to reschedule on mobile."
9. "We only needed it for the busy season."
10. "Your competitor gave us 6 months free."
11. "The invoice surprised us, and cancellation was hard to find."
12. "Double bookings. Also the reminders went to spam."
13. "Team plan was more than we needed, Starter was missing round robin."
14. "We merged with another practice that uses a different tool.\"""")
item(H+'042','o','arc',0,8192,'system design: multi-tenant rate limiting across regions with fairness',"Design a global API rate limiter for our public API: 3 regions, 180k req/s peak, per-tenant limits (from 10 req/s to 50k req/s), per-endpoint weights, burst allowances, and 'fair share' when a tenant's traffic is split across regions. Budget: < 1 ms added p99 latency, no single point of failure, limits accurate within 5% over a 10 s window. Compare at least three designs (central Redis, local token buckets with gossip/periodic sync, sharded counters with leases), quantify the error and cost of each, and recommend one.")
item(H+'043','o','arc',0,8192,'system design with trade-offs: event-sourced ledger vs CRUD for marketplace payouts',"We're a marketplace paying out to 400k sellers weekly, with refunds, chargebacks that arrive up to 120 days later, FX, holds for risk, and partial payouts. The current payouts table is CRUD with a balance column and we have reconciliation drift every week. Should we move to a double-entry, event-sourced ledger? Lay out the data model for both options, how chargebacks after payout work, how to rebuild balances, the migration path from the current table, and what you'd give up.")
item(H+'044','o','arc',0,8192,'design: offline-first mobile sync for field inspections with conflicts and attachments',"""Design the sync layer for a field-inspection app. Inspectors work offline for up to 3 days in basements/rural sites, forms have ~200 fields plus photos (5-40 per inspection, 3 MB each), two inspectors can edit the same site report, supervisors edit templates while inspectors are offline, and the audit trail must be legally defensible (who changed what, when, on which device clock). Backend is Postgres + S3. Discuss conflict resolution per field type, template versioning, photo upload over flaky links, clock skew, and what guarantees you can honestly give.""",system="You are a staff engineer. Prefer concrete designs over lists of options; state assumptions.")
item(H+'045','o','arc',0,4096,'multi-turn design: escalate from cache choice to consistency model',[U("For our product catalog API, should I put Redis or Memcached in front of Postgres?"),A("For a catalog, either works; Redis is usually the better default because you get data structures, persistence options, and pub/sub for invalidation. Memcached is simpler and multithreaded if you only need a plain key/value cache. Cache product documents by id with a TTL and invalidate on write."),U("OK but: prices change ~2k times/min during flash sales, the checkout service must never charge a price the user wasn't shown, we run 3 regions with Postgres primary in one, and marketing wants 'price locked for 15 minutes once shown'. Now what's the design? I'm worried about invalidation races.")])
item(H+'046','o','cr',0,8192,'planning under constraints: hiring and team topology for a 12-month roadmap',"""I'm a new engineering director with 34 engineers in 5 teams and approval to grow to 52 by December. The 12-month roadmap: (a) mobile app rewrite (React Native, currently native iOS/Android with 2 devs each), (b) SOC2 Type II by September, (c) usage-based billing by June (touches 9 services), (d) 40% cut in AWS spend. Attrition has been 22%. Two teams share an on-call rotation that burns people out, and the only two people who know the billing code are leaving in March. Propose the team structure over time, hiring order and profiles, what to sequence or drop, and the risks. Be explicit about trade-offs.""")
item(H+'047','o','ana',0,4096,'ML evaluation analysis: leakage and wrong metric in pasted results',"""Our fraud model 'improved' from AUC 0.91 to 0.987 after adding features, and the team wants to ship. Setup: 2.3M transactions from Jan-Jun, 0.4% fraud, random 80/20 split by transaction, new features include `merchant_chargeback_rate_30d` (computed over the full dataset), `card_txn_count_same_day`, and `is_disputed` (from the disputes table). Precision at the current operating threshold went from 0.21 to 0.74. What is going on, what exactly would you change in the evaluation, and how do you expect the real-world numbers to look?""")
item(H+'048','o','ana',0,8192,'financial model review with compounding errors',"""Check my SaaS financial model logic before I send it to investors:
- MRR today $180k, growing 8% month over month for 24 months ("conservative").
- Gross margin 82%. CAC $4,200, ARPA $350/month, so payback = 4200/350 = 12 months.
- Churn 2.5% monthly, so LTV = 350 * 0.82 / 0.025 = $11,480, LTV/CAC 2.7.
- Headcount grows from 38 to 95; average loaded cost $150k.
- We reach cash-flow breakeven in month 14 with the $6M we're raising.
- ARR at month 24 = 180k * 1.08^24 * 12 = $13.7M.
Walk through every assumption, fix the arithmetic where it's wrong, flag inconsistencies (e.g. growth vs CAC spend vs churn), and tell me which numbers investors will challenge.""")
item(H+'049','o','ana',1,4096,'clinical-style evidence synthesis with costly subtle errors',"""My father (74, CKD stage 3b, eGFR 38, AF on apixaban 5 mg BID, weight 58 kg, also on amiodarone since last month) was told by a locum that his apixaban dose is fine. I found the dose-reduction criteria online and I'm not sure. Can you go through the criteria and the interaction carefully so I can ask his cardiologist the right questions? I'm not asking you to change anything, just to understand.""")
item(H+'050','o','ana',0,8192,'tools: data investigation with SQL results, reconcile metrics discrepancy',[U("Finance says November revenue was $4.21M, the product dashboard says $4.63M. Find out why they differ."),
 tu('s1','run_sql',{'query':"select source, sum(amount_usd) from revenue_nov_compare group by 1"}),
 tr('s1','source,sum\nfinance_gl,4210332.18\ndashboard,4631907.55'),
 tu('s2','run_sql',{'query':"select d.kind, count(*), sum(d.amount_usd) from dashboard_revenue d left join gl_entries g on g.invoice_id=d.invoice_id where g.invoice_id is null and d.month='2025-11' group by 1"}),
 tr('s2','kind,count,sum\ninvoice,1204,188422.10\ncredit_note,0,0\nannual_prepay,311,402110.00\ntrial_conversion,96,12880.00'),
 tu('s3','run_sql',{'query':"select g.kind, count(*), sum(g.amount_usd) from gl_entries g left join dashboard_revenue d on d.invoice_id=g.invoice_id where d.invoice_id is null and g.period='2025-11' group by 1"}),
 tr('s3','kind,count,sum\ncredit_note,417,-141207.40\nrevrec_deferred_release,2890,118770.05\nfx_adjustment,1,-9.50')],system="You are an analytics engineer assistant with read-only access to the warehouse. Explain findings precisely and say what remains unexplained.",tools=SQL)
item(H+'051','o','ana',0,4096,'research synthesis with conflicting sources via search tool',[U("Does four-day work week actually maintain productivity? I need a balanced evidence summary for a board paper, with what the studies can and can't show."),
 tu('w1','web_search',{'query':'four day week trial results productivity study'}),
 tr('w1','1. "UK four-day week pilot: 56 of 61 companies continue" - autonomy.work - "Revenue broadly stayed the same over the trial period, rising 1.4% on average... 71% of employees reported reduced burnout"\n2. "Iceland\'s shorter working week trials" - bbc.com - "trials in 2015-2019 covering 2,500 public sector workers... productivity remained the same or improved in the majority of workplaces"\n3. "Critics say four-day week studies are flawed" - ft.com - "participating companies self-selected, there was no control group, and productivity was mostly self-reported"\n4. "Microsoft Japan 4-day week boosted productivity 40%" - npr.org - "sales per employee in August 2019 compared with August 2018"\n5. "Utah\'s four-day week for state workers ended" - govexec.com - "the 2008 experiment saved energy less than expected and was ended in 2011 amid citizen complaints about access to services"')],tools=SEARCH)
item(H+'052','o','ana',1,4096,'policy analysis: interaction of tax rules, costly mistakes',"I'm a UK resident, freelance software contractor, £140k revenue this tax year through my limited company, I've taken £12,570 salary and planned £60k in dividends. My partner (no income, owns 0 shares) could become a director. I also sold some US shares (RSUs from an old job, vested 2021, sold 2025) for a £28k gain. Walk me through the tax implications and the options (pension contributions from the company, dividend split via alphabet shares to my partner, timing of the share sale), including the settlements-legislation risk, and what I should verify with an accountant. Show numbers with the 2025/26 rates, flagging anything you're unsure about.")
item(H+'053','o','ana',0,8192,'compare database options with evidence for a specific workload',"""Workload: IoT telemetry, 250k devices each sending 12 metrics every 10 s, 2-year retention, queries are (a) last value per device (dashboard, 200 qps), (b) 24h downsampled charts per device, (c) fleet-wide aggregates per hour over 90 days (analysts, ad hoc), (d) occasional backfill of late data up to 7 days. We're on AWS, a team of 4, Postgres experience. Compare TimescaleDB, ClickHouse, InfluxDB 3, and 'Postgres + partitioning + BRIN' on ingest rate, storage after compression, query patterns, late data, ops burden and cost. Give numbers where you can (estimates with stated assumptions) and recommend.""")
item(H+'054','o','cr',1,4096,'multi-turn: negotiation strategy with several parties and constraints',[U("I'm buying a house with my sister. We're offering on a place listed at €620k."),A("Congratulations! Happy to help you think it through. What's your budget, how long has the place been listed, and what do you know about the sellers and any other offers?"),U("Budget up to €640k combined, but I put in 60% and she 40%, and she'll only go above €600k if she gets the bigger bedroom and we agree a buy-out formula if one of us wants to sell within 5 years. It's been listed 70 days, price dropped once from €665k. Seller is an estate (inheritance, 3 siblings who apparently disagree). Survey found a roof issue quoted at €18-30k. Another buyer offered €590k conditional on their own sale. How should we structure our offer and our agreement between us?")])
item(H+'055','o','ana',0,4096,'contract/code cross-check: SLA terms vs pasted monitoring data',"""Our SLA promises 99.95% monthly availability measured per region, excluding scheduled maintenance announced 72h ahead, with credits of 10% for <99.95%, 25% for <99.9%, 50% for <99.0%. A customer claims a 25% credit for October in eu-west. Our monitoring for October eu-west (31 days):

- 10-03 02:00-02:40 maintenance (announced 10-01 09:00)
- 10-09 14:12-14:31 full outage
- 10-17 partial outage 09:05-10:50: 30% of requests failed
- 10-22 03:00-03:20 maintenance (announced 10-20 10:00)
- 10-28 11:40-11:47 full outage

The SLA defines downtime as 'any minute in which more than 5% of valid requests fail'. Compute availability under the contract, say whether they're owed 10% or 25%, and note any ambiguity a lawyer would care about.""")
item(H+'056','o','cr',1,8192,'long-horizon personal plan with many interacting constraints',"I'm 41, a nurse in Ontario earning C$96k, with C$70k in RRSP, C$22k TFSA room unused, a C$410k mortgage at 5.1% renewing in 14 months, two kids (8 and 11) with RESPs barely funded, and I want to go back to school for a 2-year nurse practitioner program starting in 18 months (tuition ~C$30k, income drops to ~C$25k part-time during it). My partner earns C$61k, irregular. Build a 4-year financial plan: what to prioritise month by month before school, how to use RRSP (Lifelong Learning Plan?), TFSA, RESP grants, the mortgage renewal decision, and what could break the plan. Show the numbers.")
item(H+'057','o-','ana',0,4096,'root-cause from pasted metrics: memory leak vs fragmentation',"""JVM service, heap max 8g, container limit 12g. Over 5 days RSS grows from 9.1g to 11.8g and then the container is OOM-killed; heap after full GC stays flat at ~3.2g. NMT summary at day 4:
- Java Heap reserved=8388608KB committed=8388608KB
- Class committed=182044KB
- Thread committed=410233KB (#threads 388)
- Code committed=121889KB
- GC committed=401220KB
- Internal committed=22110KB
- Other committed=1912004KB
- Symbol committed=44871KB
- Arena Chunk committed=5521KB
We use Netty with pooled direct buffers, gRPC, and a native zstd library via JNI. glibc malloc, 32 vCPUs. What's your diagnosis, how would you confirm it, and what are the fixes?""")
item(H+'058','o','ana',0,8192,'policy document synthesis: compare three pasted policies and find conflicts',"""We merged with another company and now have three conflicting remote-work policies. Find the conflicts, say which rules are legally sensitive (we have staff in Germany, Spain and the US), and draft a unified policy outline with the decisions leadership must make.

Policy A (ours): "Employees may work remotely up to 3 days/week. Remote work from another country is allowed for up to 30 days/year with manager approval. Home-office stipend €40/month."
Policy B (acquired, Spain): "Teletrabajo agreements per Ley 10/2021: employees with >30% remote work have a written agreement covering equipment, expenses, and right to disconnect. Company covers expenses per collective agreement."
Policy C (acquired, US): "Fully remote by default. Work from anywhere in the US; international travel with laptop requires IT approval. $500 one-time setup stipend. Managers may require office attendance for 'business needs' with 1 week notice."
Notes: German works council (Betriebsrat) exists at our Berlin site; some US staff were hired as 'fully remote' in their offer letters.""")
item(H+'059','o','cr',0,4096,'planning: incident response runbook design under regulatory deadlines',"We're a 200-person EU fintech (e-money licence). Design our incident response process for a suspected data breach that meets GDPR (72h to the supervisory authority), DORA major ICT incident reporting (initial notification within 4h of classification / 24h of detection, intermediate within 72h, final within 1 month), and PSD2 where relevant. Include roles, decision points for classification, the communication sequence (regulators, customers, banking partners, card schemes), evidence preservation, and a realistic timeline for the first 96 hours. Point out where the regimes conflict.")
item(H+'060','o','ana',0,4096,'statistics: sample-size and power reasoning with correlated data',"We want to test a new triage nurse protocol across 12 clinics (cluster-randomised, 6 vs 6). Outcome: proportion of patients sent to ER, baseline 18%, we hope to reduce to 14%. About 900 patients/clinic over the study, ICC estimated 0.02-0.05. Is 12 clinics enough for 80% power at alpha 0.05? Show the design-effect calculation for both ICC values, what the effective sample size is, and what we could change (more clinics, stepped-wedge, covariate adjustment) and by how much each helps.")
