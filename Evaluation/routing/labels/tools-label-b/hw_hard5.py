# label-c: standard Sonnet-level items, part 2 (writing, analysis of given material, bots, tools). Labels written by hand per item.
from hw_lib import *
from hw_tools import SEARCH, EMAIL, SQL
H='hard-'
JOBAD="""Senior Product Designer — Tidewater Health (remote, US/Canada)
We're building tools that help community clinics run their day: scheduling, intake, and follow-up for patients who often have limited English or limited internet access.
You will: own end-to-end design for our intake product; run research with clinic staff and patients; partner with 2 PMs and 8 engineers; raise the bar on accessibility (we target WCAG 2.2 AA and test with screen-reader users); contribute to our design system (Figma, tokens).
You have: 6+ years in product design, shipped B2B or healthcare workflows, strong research skills, experience designing for low-literacy or multilingual users is a big plus. Bonus: Spanish.
We value: humility, writing things down, and caring about the people on the other end."""
CV="""Me: 7 years product design. 3 yrs at a fintech (onboarding flows, KYC, reduced drop-off 18%), 4 yrs at an agency (clients incl. a state Medicaid portal redesign — led research with 40 beneficiaries, plain-language rewrite, Spanish version). Built a design system from scratch at the fintech (Figma + tokens). I'm conversational in Spanish. Volunteer: taught digital literacy at a library."""
item(H+'146','s','wri',1,2048,'cover letter tailored to pasted job ad and background',"Write a cover letter for this job, using my background. Specific, not generic, under 400 words, no clichés like 'I am excited to apply'.\n\nJob ad:\n"+JOBAD+"\n\nMy background:\n"+CV)
item(H+'147','s','wri',0,4096,'1,500-word article with structure and craft',"Write a 1,500-word article for our company blog (audience: engineering managers) titled 'The Hidden Cost of Flaky Tests'. Include a concrete anecdote (make it plausible, clearly illustrative), a way to quantify the cost, three practical tactics with examples, and a closing that isn't a summary. Conversational but precise; no listicle feel.")
item(H+'148','s','wri',1,4096,'long-form personal essay with craft constraints',"Write a ~1,200-word personal essay about learning to cook my grandmother's recipes after she died, from notes she left in Polish that I can't fully read. Present tense, one extended metaphor at most, end on an image rather than a lesson. Avoid sentimentality; let small details carry it.")
item(H+'149','s','wri',1,2048,'speech of real length for an occasion with specifics',"Write a 5-minute best-man speech (about 700 words). Groom: Tom, my friend since we were 11; known for terrible sense of direction (once drove to the wrong Portland); met the bride, Aisha, at a climbing gym when she had to rescue him from a route. Aisha's family is big and partly doesn't speak English well, so keep jokes visual/simple, nothing about exes or drinking. End with a toast.")
item(H+'150','s','wri',0,4096,'short story with craft constraints',"Write a 2,000-word science-fiction short story: a lighthouse keeper on a tidally locked planet whose job is to keep a beacon lit for ships that stopped coming a century ago. Third person limited, a twist that recontextualises the beacon, no info-dumps, and dialogue only in the last third.")
item(H+'151','s','wri',0,2048,'grant application section with evidence and structure',"Draft the 'Need and Impact' section (about 800 words) of a grant application for a free after-school coding club in a rural county. Facts: county pop. 23k, 41% of students eligible for free lunch, nearest CS class is 50 miles away, pilot last year had 22 kids (15 finished, 9 girls), partner is the public library with 12 laptops. Ask: $48k for 2 years. Be persuasive but honest; don't invent statistics beyond what I gave.")
item(H+'152','s','wri',0,2048,'technical documentation page of real length',"Write the README for our open-source CLI `envcheck` that validates .env files against a schema (YAML) in CI. Sections: what/why, install (brew, npm, binary), quickstart, schema reference (types: string, int, url, enum, regex, required, default, secret), CI examples (GitHub Actions, GitLab), exit codes, FAQ. Make up sensible details but keep them consistent.")
item(H+'153','s','wri',1,2048,'persuasive op-ed with counterarguments',"Write a 900-word op-ed for a local newspaper arguing that our town should convert two downtown parking lots into a covered market and small park. Address the strongest objections (parking for seniors, business owners' fears, cost) fairly, with concrete proposals. Tone: neighbourly, not preachy.")
item(H+'154','s','wri',0,2048,'difficult workplace message with nuance',"I manage a team of 7. One senior engineer, Priya, has been great for years but for 3 months has missed deadlines and been short with juniors in code review; two people have complained. I know her mother is ill. Write the message I'd send to set up a 1:1, and an outline of what I'll say in it: supportive, honest about the impact, not HR-speak, with concrete options (leave, reduced scope).")
item(H+'155','s','ana',0,2048,'analyse pasted survey table and write findings',"""Employee engagement survey results (5-point scale, % agree = 4 or 5). Write a 1-page analysis for the leadership team: what stands out, what's likely noise, and 3 recommended actions.

| question | 2024 | 2025 | eng | sales | ops |
|---|---:|---:|---:|---:|---:|
| I'd recommend this as a place to work | 71 | 58 | 49 | 70 | 62 |
| My manager gives useful feedback | 66 | 67 | 60 | 74 | 69 |
| I understand company strategy | 54 | 41 | 38 | 52 | 35 |
| I have the tools to do my job | 72 | 70 | 66 | 81 | 65 |
| Workload is manageable | 61 | 44 | 39 | 56 | 40 |
| I see myself here in 2 years | 63 | 49 | 41 | 60 | 50 |
Response rate: 2024 82% (n=410), 2025 64% (n=350). There was a reorg in March 2025 and a layoff of 8% in June.""")
item(H+'156','s','ana',0,2048,'analyse pasted sales data and explain the dip',"""Monthly revenue by channel ($k). Why did total revenue drop in August, and what should we look into?

month, web, app, marketplace, wholesale
May, 410, 220, 95, 160
Jun, 425, 240, 101, 158
Jul, 430, 262, 99, 171
Aug, 401, 268, 64, 102
Sep, 418, 275, 70, 166
Notes: marketplace changed its fee structure Aug 1; our biggest wholesale customer paid two invoices late (arrived Sep 3); app had a promo in Aug (10% off).""")
item(H+'157','s+','ana',1,2048,'compare two pasted contracts/offers for a person',"""I have two job offers, help me compare them properly (not just salary):

A: Fintech scale-up, Senior Engineer, €92k base, 0.05% options (4-yr vest, 1-yr cliff, last valuation €600M, strike €4.10, preferred price €11.80), hybrid 3 days Berlin, 28 vacation days, on-call 1 week in 6.
B: Large insurer, Lead Developer, €98k base + 10% target bonus (paid 85-110% last 3 years), pension 6% employer, fully remote within Germany, 30 days vacation, no on-call, but legacy Java stack and slower promotions.
I'm 34, renting in Berlin, want to lead a team within 2-3 years.""")
item(H+'158','s','sum',0,2048,'summarise long pasted meeting notes into decisions and owners',"""Turn these raw meeting notes into: decisions made, open questions, action items with owners and dates, and a 3-sentence summary for people who missed it.

notes — launch sync 4/14
- Jen: beta feedback mostly positive, 3 complaints about export speed (>2 min for big projects)
- Omar thinks export is fine for GA, Jen disagrees, agreed to add progress bar at least, Omar to scope async export for after GA
- pricing: marketing wants $12/seat, finance $15. Kai: data shows churn risk at >$14 for small teams. decided: $12 for teams <10 seats, $15 above, revisit in Q3
- GA date: was May 6. Legal hasn't signed off on DPA template. If not by 4/25, push to May 13. Maria owns legal follow-up
- docs: Lee says 60% done, needs screenshots after UI freeze (4/22)
- Kai wants a launch webinar, nobody owns it yet
- security review: pen test report due 4/20, Omar says 2 mediums open, will fix before GA
- next sync 4/21""")
item(H+'159','s','ana',0,2048,'critique pasted essay draft with specific, actionable feedback',"""I'm applying to grad school (public policy). Give me honest, specific feedback on this personal statement opening: structure, clarity, what an admissions committee will think, and a rewritten version of the first paragraph.

"Ever since I was a child, I have been passionate about making the world a better place. Growing up in a small town in Ohio, I saw firsthand the effects of the opioid crisis on my community. This experience sparked my interest in public policy. In college, I majored in economics and minored in sociology, which gave me a strong foundation in quantitative and qualitative methods. After graduating, I worked for two years at a nonprofit that provides housing assistance, where I analyzed data on eviction rates and helped design a rental assistance program that served 1,200 families. I want to pursue an MPP to gain the skills necessary to create evidence-based policies that address complex social problems.\"""")
item(H+'160','s','tra',0,2048,'translation of longer text with register and cultural adaptation',"""Translate this letter to our Japanese distribution partner into Japanese, in appropriately formal business keigo. It's apologising for a shipment delay; keep the apology sincere but not grovelling, and adapt the closing to Japanese business conventions.

Dear Mr. Tanaka,
I'm writing to let you know that the March shipment of our SX-200 sensors will arrive about 10 days later than planned, on April 8 instead of March 29. A supplier of one of our circuit boards had a fire at their factory, and we've moved production to a second supplier, which has required additional testing. I'm very sorry for the inconvenience this causes you and your customers. To help, we will cover the cost of express shipping for this order and extend your payment terms by 30 days. Please let me know if any of your customers need a letter from us explaining the delay.
Best regards,
Hannah Schultz, Head of Partnerships""")
item(H+'161','s','tra',0,2048,'literary translation preserving tone and wordplay',"Translate this short passage from Spanish into English, preserving the tone and rhythm, and add brief notes where you had to make choices (idioms, the double meaning of 'pena'):\n\n\"Mi abuela decía que la pena no se quita, se acomoda. Que uno aprende a caminar con ella como con un zapato que aprieta, y un día, sin darse cuenta, ya no cojea. Valió la pena, decía también, de todo lo que le había costado: el pueblo, el mar, los hijos que se fueron. Yo tardé años en entender que hablaba de la misma palabra.\"")
item(H+'162','s','rew',0,2048,'rewrite long technical text for a lay audience preserving accuracy',"""Rewrite this for our patient newsletter (reading age ~12), keeping it accurate, about the same length:

"Atrial fibrillation (AF) is a supraventricular tachyarrhythmia characterised by uncoordinated atrial activation and consequently ineffective atrial contraction. AF increases the risk of thromboembolic stroke approximately fivefold, as stasis in the left atrial appendage predisposes to thrombus formation. Anticoagulation with direct oral anticoagulants (DOACs) is recommended for patients with a CHA2DS2-VASc score of 2 or more in men or 3 or more in women, balancing stroke reduction against bleeding risk. Rate control (beta-blockers, non-dihydropyridine calcium channel blockers) and rhythm control (antiarrhythmics, catheter ablation) strategies are individualised.\"""")
item(H+'163','s','ana',0,2048,'given-material analysis: compare two pasted product specs for a use case',"""Which of these two NAS boxes fits a 6-person architecture studio that works with 20-50 GB Revit/Rhino projects, needs remote access, and has no IT person? Explain the trade-offs.

A) Synology DS923+: 4 bays, AMD Ryzen R1600, 4 GB ECC (max 32), 2x 1GbE (10GbE via optional card), 2x M.2 NVMe (cache or pool), Btrfs snapshots, Synology Drive/QuickConnect, ~€620 diskless.
B) QNAP TS-464: 4 bays, Intel Celeron N5095, 8 GB non-ECC (max 16), 2x 2.5GbE, 2x M.2 NVMe, PCIe slot, ZFS not available (ext4), myQNAPcloud, HDMI out, ~€560 diskless.
The office switch is 1GbE; the studio's workstations have 2.5GbE ports.""")
item(H+'164','s+','ana',0,2048,'multi-turn analysis: refine earlier advice with new pasted data',[U("Should we raise prices for our Pro plan from $29 to $39?"),A("It depends on your price sensitivity and where Pro sits in your funnel. Useful data: conversion rates from trial to Pro, churn by plan, and how many Pro users hit limits that push them to Business. Do you have those?"),U("""Here's what we have:
- Pro: 3,100 customers, churn 3.4%/mo, trial->Pro conversion 9%
- Business ($79): 640 customers, churn 1.6%/mo
- 22% of Pro users hit the seat limit monthly; 5% of those upgrade
- Competitors: $25, $35, $49 for comparable tiers
- Last price increase (2023, $24 -> $29) changed conversion from 10% to 9% and churn from 3.1% to 3.4%
Estimate the revenue impact over 12 months under reasonable assumptions and tell me what you'd do.""")])
item(H+'165','s','ext',0,2048,'structured extraction from long messy text requiring judgement',"""Extract every commitment made in this email thread into a table (who, what, by when, status: confirmed/tentative), and flag anything contradictory.

From: Dana  To: Lukas, Mei  Date: Mon
Lukas, can you get the vendor quotes by Thursday? Mei, I'll need the budget draft by end of next week.
From: Lukas  Date: Mon
Thursday is tight, I can do Friday morning. I'll also loop in procurement.
From: Mei  Date: Tue
Budget draft: I can have a rough version Wednesday next week, final by Friday if Lukas's quotes are in by this Friday. Dana, are we including the training costs?
From: Dana  Date: Tue
Yes include training. Lukas, Friday AM is fine. I'll book the review meeting for the Monday after.
From: Lukas  Date: Thu
Procurement says two vendors need NDAs first, so those two quotes will be late, probably Tuesday.
From: Dana  Date: Thu
Ok. Mei, go ahead with what we have and mark placeholders.""")
item(H+'166','s','ana',0,2048,'analyse pasted customer reviews into themes with evidence',"""Group these app-store reviews into themes, estimate how common each is, quote evidence, and suggest what to fix first.

1★ "Crashes every time I open a PDF since the update" 
5★ "Best scanner app, OCR is great"
2★ "Subscription price doubled, not worth it"
1★ "Lost all my scans after update!!"
4★ "Great but wish I could export to Google Drive"
3★ "OCR good, app slow on my older iPhone 11"
1★ "Crash on opening files. iOS 17.5"
5★ "Customer support restored my scans quickly"
2★ "Why is export to Drive a paid feature now?"
1★ "Charged twice for yearly sub"
4★ "Love the new batch mode"
2★ "Too many popups asking me to upgrade\"""")
item(H+'167','s','wri',0,2048,'sysbot: brand copy of real length under style guide',[U("Write the product page copy for our new 'Trailhead' waterproof hiking boot: hero line, 120-word story paragraph, 5 feature bullets (Vibram sole, recycled upper, Gore-Tex liner, 380 g per boot, 2-year warranty), and a short care section.")],system="You write copy for Alder & Pine, an outdoor brand. Voice: warm, plain-spoken, a little wry; never use 'adventure awaits', 'elevate', 'unleash', or exclamation marks. Claims must be literally true; say 'recycled polyester upper (62%)' not just 'eco-friendly'. US spelling.")
item(H+'168','s','qa',1,2048,'sysbot tutor: explain a concept at length without giving the answer',[U("I don't get why the derivative of e^x is e^x. My teacher just said 'it's special'. Can you explain it properly? Don't just give me a formula.")],system="You are a Socratic maths tutor for high-school students. Build intuition step by step, check understanding with questions, and never just hand over answers to homework.")
item(H+'169','s+','ana',1,2048,'sysbot legal info: analysis of tenant situation with specifics',[U("My landlord in Oakland wants to evict me so his daughter can move in. I've lived here 6 years, I'm 63, the building has 4 units built in 1978. He gave me a 60-day notice last week. Is this legal and what am I owed?")],system="You provide general legal information about California and Bay Area tenant law for tenants. You are not a lawyer; explain the rules, cite the relevant ordinance or statute by name, say what the user should verify, and suggest local tenant organisations. Do not draft court filings.")
item(H+'170','s+','ana',0,2048,'tools: research and synthesise search results into a comparison',[U("Compare the EU AI Act obligations for a company that deploys (not develops) a CV-screening tool for hiring. What do we actually have to do and by when?"),
 tu('s1','web_search',{'query':'EU AI Act deployer obligations high-risk employment recruitment timeline'}),
 tr('s1','1. "AI Act: high-risk AI systems" - digital-strategy.ec.europa.eu - "AI systems intended to be used for recruitment or selection, in particular to place targeted job ads, analyse and filter applications, and evaluate candidates are classified as high-risk (Annex III, point 4)."\n2. "Obligations of deployers of high-risk AI systems (Article 26)" - artificialintelligenceact.eu - "Deployers shall use systems in accordance with instructions, assign human oversight to competent persons, ensure input data is relevant, monitor operation, keep logs for at least six months, inform workers\' representatives and affected workers before putting into service..."\n3. "AI Act implementation timeline" - iapp.org - "Prohibitions apply from 2 February 2025; GPAI obligations from 2 August 2025; most high-risk obligations from 2 August 2026; Annex I product-related from 2 August 2027."\n4. "Fundamental rights impact assessment (Article 27)" - artificialintelligenceact.eu - "required for deployers that are bodies governed by public law or private entities providing public services, and for certain credit/insurance uses"\n5. "AI literacy obligation Article 4" - lexology.com - "providers and deployers shall take measures to ensure a sufficient level of AI literacy of their staff... applies from 2 February 2025"')],tools=SEARCH)
item(H+'171','s','wri',0,2048,'tools: draft a tailored follow-up e-mail from searched thread',[U("Find my last exchange with Rafael about the warehouse lease and draft a reply that pushes back on the 7% increase."),
 tu('e1','search_email',{'query':'from:rafael lease warehouse','max_results':5}),
 tr('e1','[{"from":"Rafael Moreno <rmoreno@harborprops.com>","date":"2025-02-11","subject":"Lease renewal - Unit 14","body":"Hi Sam, as discussed, the renewal for Unit 14 from May 1 would be at $18.19/sq ft (7% over current $17.00), 3-year term, same CAM charges. Market in the corridor is up ~9% so we think this is fair. Let me know by Feb 28."},{"from":"Sam (me)","date":"2025-01-20","subject":"Re: Unit 14 roof","body":"Rafael, the roof leak over bay 3 has now been reported 4 times since October and we lost about $6k of stock in December. Please confirm repair date."}]')],system="You are an e-mail assistant. Draft replies for the user to review; never send without explicit confirmation.",tools=EMAIL)
item(H+'172','s','ana',0,2048,'code-free data analysis via SQL results: interpret cohort table',[U("Here's our retention query output. What does it tell us and is the March cohort really better?"),
 tu('q','run_sql',{'query':'select * from cohort_retention order by cohort'}),
 tr('q','cohort,size,m1,m2,m3,m6\n2025-01,1820,0.41,0.30,0.26,0.19\n2025-02,1655,0.43,0.31,0.27,0.20\n2025-03,2910,0.52,0.34,0.28,\n2025-04,1710,0.44,0.32,,\nnote: March had a Product Hunt launch; onboarding checklist shipped 2025-03-18')],tools=SQL)
item(H+'173','s','wri',0,2048,'multi-turn writing: revise a draft with specific editor feedback',[U("Write a 300-word intro for our annual report letter from the CEO. We grew revenue 34% but had layoffs in Q2."),A("Dear shareholders, employees and partners,\n\nThis year tested us and taught us. Revenue grew 34%, to $212 million, driven by our enterprise segment and the launch of Fieldbook in Europe. At the same time, we made the hardest decision in our history: in the second quarter we reduced our team by 11% to bring costs in line with a slower market.\n\n[...continues for ~300 words...]"),U("Feedback from our comms head: too corporate, the layoff sentence is passive-aggressive ('bring costs in line'), don't lead with revenue, and she wants one specific story about a customer (use the rural hospital in Montana that cut discharge time by 2 days). Also make the CEO take responsibility. Rewrite.")])
item(H+'174','s','qa',1,2048,'everyday but nuanced advice of real length',"My 15-year-old wants to quit the violin after 8 years; she's good (grade 7) but says she hates practising and wants to do theatre instead. My partner thinks she'll regret quitting. How should we approach this conversation? I'd like a thoughtful answer, not a list of platitudes.")
item(H+'175','s','qa',1,2048,'everyday nuanced health question with explanation',"I'm 45, my recent bloods show LDL 4.1 mmol/L, HDL 1.6, triglycerides 1.0, BP 128/82, non-smoker, no diabetes, father had a heart attack at 58. My GP mentioned statins but said it's my choice. Help me understand how to think about the decision — risk calculators, what the numbers mean, what lifestyle changes can realistically do, and what to ask my GP.")
item(H+'176','s','cr',1,2048,'standard multi-step reasoning: itinerary planning with a few constraints',"Plan a 5-day trip to Japan for two in late October: fly into Tokyo Haneda on a Tuesday at 7am, fly out of Osaka Kansai on Sunday at 11pm. We like food, old neighbourhoods and a bit of hiking; no theme parks; budget about ¥60,000/day for both excluding hotels. Give a day-by-day plan with transport (JR pass or not — do the maths), and one rainy-day swap per day.")
item(H+'177','s','ana',1,2048,'review a pasted resume against a target role',"""I'm applying for data analyst roles. Review my resume bullets and rewrite them to be stronger (quantified, action-first), and tell me what's missing for a junior analyst role at a tech company.

- Responsible for making reports in Excel for the sales team
- Helped with the migration to a new CRM
- Did analysis on customer data to find trends
- Worked with managers to improve processes
- Used SQL sometimes to pull data
- Presented findings in team meetings""")
item(H+'178','s','wri',0,2048,'write a structured proposal from bullet notes',"""Turn these notes into a 1-page proposal for my manager to approve a 4-day pilot of 'no-meeting Wednesdays' in our 40-person product org. Include problem, proposal, how we'll measure it, risks, and what happens after.

notes: eng survey says avg 14h meetings/wk; PMs say can't get focus; design wants collab time kept; we tried 'meeting-free afternoons' in 2023 and it faded after a month because execs booked over it; idea: exec sponsorship, calendar block, exceptions for customer calls & incidents; measure focus time via calendar data + pulse survey + PR cycle time""")
item(H+'179','s','ana',0,2048,'analyse pasted log excerpt: standard diagnosis, single cause',"""Our nightly backup job failed. What happened?

[02:00:01] backup: starting pg_dump of db 'crm' to /backups/crm-20250611.dump
[02:00:02] backup: free space on /backups: 41G
[02:14:37] pg_dump: error: could not write to output file: No space left on device
[02:14:37] backup: pg_dump exited with code 1
[02:14:38] backup: uploading /backups/crm-20250611.dump to s3://acme-backups/crm/
[02:15:10] backup: upload complete (38.9G)
[02:15:10] backup: deleting local backups older than 7 days: 0 files
[02:15:11] backup: DONE status=success
Sizes of previous dumps: 06-07 34G, 06-08 35G, 06-09 36G, 06-10 37G. Local retention keeps 7 days.""")
item(H+'180','s+','ana',0,2048,'analyse given contract clause for a small business owner',"""I'm a freelance photographer. A client's contract has this clause; what does it mean for me in practice and what should I ask to change?

"7. Intellectual Property. All work product, including photographs, raw files, and derivatives, created by Contractor in connection with this Agreement shall be 'work made for hire' and the sole property of Client. To the extent any work product does not qualify as work made for hire, Contractor hereby irrevocably assigns all right, title and interest therein to Client. Contractor waives all moral rights. Contractor shall not use the work product for any purpose, including portfolio display.\"""")
item(H+'181','s','wri',0,2048,'standard writing of real length: detailed how-to guide',"Write a step-by-step guide (around 1,000 words) for first-time volunteers at our food bank on running the Saturday distribution: arrival, setup of stations, the intake form and privacy, dietary/allergy labelling, handling people without ID, what to do if we run out, and closing. Friendly, clear, with a short checklist at the end.")
item(H+'182','s','mat',0,2048,'standard multi-step maths explanation for a student',"Explain how to solve the recurrence T(n) = 2T(n/2) + n log n. Show why the basic Master theorem doesn't directly apply, then solve it with a recursion tree and with the extended master theorem, and check the answer with n = 2^k substitution.")
item(H+'183','s','ana',0,2048,'product analysis from pasted funnel data',"""Our signup funnel last month:
landing 120,400 -> signup form 18,210 -> email verified 11,950 -> onboarding step 1 10,880 -> step 2 (connect bank) 4,120 -> step 3 (first budget) 3,610 -> active at day 7 2,020.
Mobile is 64% of landing traffic but 41% of signups. Bank connection uses Plaid; we see 38% of step-2 exits within 10 s of the Plaid modal opening. What are the biggest opportunities and what experiments would you run first? Be specific.""")
item(H+'184','s','wri',0,2048,'sysbot HR: draft policy explanation from given rules with edge cases',[U("Can you write an FAQ (8-10 Q&As) for employees about our new parental leave policy? Policy: 16 weeks fully paid for birth parents, 10 weeks for non-birth parents (incl. adoption & surrogacy), eligible after 6 months of service, can be taken within 12 months of birth/placement in up to 3 blocks, return-to-work phase-back at 60% hours with full pay for 4 weeks, applies from Jan 1 (people already on leave on Jan 1 get the new terms for remaining weeks).")],system="You are the HR assistant for Northwind Ltd (UK). Write clearly and inclusively; never give legal advice; point to hr@northwind.example for individual cases.")
item(H+'185','s','sum',0,2048,'summarise a long pasted technical article section with trade-offs preserved',"""Summarise this for my team in ~200 words, keeping the trade-offs intact:

"Write-ahead logging (WAL) provides durability by recording changes to a sequential log before applying them to data pages. On commit, the database must ensure the log records are flushed to stable storage; this fsync is often the dominant cost of small transactions. Group commit amortises it by batching several transactions' log flushes into one fsync, trading a small amount of latency for throughput. Setting synchronous_commit=off in PostgreSQL goes further: commits return before the flush, so a crash can lose the last few hundred milliseconds of acknowledged transactions, although it cannot corrupt the database. Full-page writes protect against torn pages after a checkpoint by logging the entire page on its first modification, which inflates WAL volume substantially, especially with random updates; filesystems or storage that guarantee atomic 8 kB writes allow disabling them safely, but few do. Checkpoint frequency trades recovery time against I/O: frequent checkpoints shorten crash recovery but increase full-page writes and write amplification, while infrequent checkpoints create large I/O spikes unless spread out with checkpoint_completion_target. Finally, WAL compression reduces volume at the cost of CPU, which is usually a good trade on modern hardware.\"""")
item(H+'186','s','ana',0,2048,'given-material analysis: identify logical fallacies in a pasted argument',"""Analyse the reasoning in this letter to the editor: identify each argument, any fallacies or weak evidence, and what evidence would actually settle the question. Be fair to the author.

"Since the city installed speed cameras on Elm Street last year, accidents there dropped from 14 to 6. Clearly the cameras work. Yet the council wants to remove them because of 'privacy'. Every other city that has removed cameras has seen accidents go up. People who oppose the cameras are usually the ones who speed. If we remove them, next we'll be removing speed limits altogether.\"""")
item(H+'187','s','wri',0,2048,'marketing e-mail sequence of real length with strategy',"Write a 4-email onboarding sequence for a B2B time-tracking tool's free trial (14 days): day 0 welcome, day 2 activation nudge (connect calendar), day 7 value story (customer case), day 12 upgrade with a real reason to act. Each ~150 words with subject line and preview text. Explain the logic of the sequence in 3 sentences.")
item(H+'188','s','qa',1,2048,'nuanced explanation for a curious layperson: inflation and interest rates',"Why do central banks raise interest rates to fight inflation? Explain the transmission mechanism properly (borrowing, asset prices, exchange rate, expectations), why it takes 12-18 months, and why some economists argue it doesn't work well for supply-driven inflation. I have no econ background but I'm happy to read a long answer.")
item(H+'189','s','ana',0,2048,'compare pasted code approaches for a small team decision',"""Our team can't agree how to structure error handling in our TypeScript backend. Option 1: throw exceptions, catch in Express middleware. Option 2: return Result<T, E> types (neverthrow). Here are both for one function:

```ts
// 1
async function getUser(id: string): Promise<User> {
  const u = await db.user.findUnique({ where: { id } });
  if (!u) throw new NotFoundError('user');
  return u;
}
// 2
async function getUser(id: string): Promise<Result<User, NotFound | DbError>> {
  try { const u = await db.user.findUnique({ where: { id } });
    return u ? ok(u) : err({ kind: 'NotFound' }); }
  catch (e) { return err({ kind: 'DbError', cause: e }); }
}
```
Compare them for a 5-person team with ~80 endpoints, considering readability, type safety, testing, and interop with libraries.""")
item(H+'190','s','wri',0,2048,'academic-style writing: literature review paragraph from given sources',"""Write a 400-word literature review paragraph synthesising these sources (don't just list them), for a master's thesis on remote work and junior employee development:

- Bloom et al. (2024, Nature): randomised hybrid WFH trial at Trip.com, no effect on performance reviews or promotion over 2 years; attrition fell by a third.
- Emanuel, Harrington & Pallais (2023, NBER): software engineers at a Fortune 500 firm; junior engineers whose teammates sat nearby got 18-22% more feedback on code; co-location reduced output of senior engineers.
- Yang et al. (2022, Nature Human Behaviour): Microsoft's firm-wide WFH made collaboration networks more siloed and static.
- Gibbs, Mengel & Siemroth (2023, JPE Micro): IT services firm, WFH raised hours worked but lowered productivity ~8-19%.""")
item(H+'191','s','cod',0,2048,'sysbot BI helper: SQL with business logic from stated definitions',[U("What was net revenue retention for Q3 by plan? NRR = (starting MRR of customers active at start of quarter + expansion - contraction - churn) / starting MRR, using only those customers.")],system="You are the BI SQL helper for Pinecrest. Warehouse: Snowflake. Tables: mrr_daily(customer_id, date, plan, mrr_usd), customers(customer_id, created_at, churned_at). Quarters are calendar quarters. Output one SQL query with comments, then explain how to read the result.")
item(H+'192','s','rew',0,2048,'rewrite long document for a different audience and purpose',"""Rewrite this internal incident summary as a customer-facing status-page post-incident report: honest, no internal names or blame, clear on impact and what we're changing, ~250 words.

"At 14:02 UTC Jakob deployed config change #4411 which set the payment-gateway timeout to 500ms (intended 5000ms; typo). Card payments for EU customers failed with 'gateway timeout' from 14:03 to 14:51 (~18% of EU checkout attempts, ~2,300 failed payments, no double charges). Alerting fired at 14:19 but paged the wrong rotation because of the on-call migration last week. Rolled back at 14:49. Actions: config validation for timeouts, fix paging, add synthetic checkout test in EU.\"""")
item(H+'193','s','ana',0,2048,'analysis of a pasted simple financial statement for a small business',"""Here's my café's P&L for the last two years. Where's the money going and what would you look at first? I'm not an accountant.

                      2023       2024
Revenue           412,000    448,000
Cost of goods     131,800    158,600
Wages             162,000    181,500
Rent               48,000     51,600
Utilities          14,200     19,900
Card fees           8,100      9,400
Marketing           6,000      2,500
Repairs             3,900     11,800
Other               9,800     10,300
Net profit         28,200      2,400""")
item(H+'194','s','qa',0,2048,'multi-turn explanation that deepens: recursion to call stack and tail calls',[U("What's recursion?"),A("Recursion is when a function calls itself to solve a smaller version of the same problem, with a base case that stops it. Example: factorial(n) = n * factorial(n-1), with factorial(0) = 1."),U("Ok but what actually happens in memory when it runs? Why do I get 'maximum recursion depth exceeded' in Python at ~1000 but my friend's Scheme code recurses a million times fine? And can I rewrite my recursive tree traversal to avoid it?")])
item(H+'195','s','wri',1,2048,'creative writing with constraints: poem with form',"Write a villanelle about a night-shift nurse's last hour before dawn. Keep the strict form (ABA rhyme scheme, the two refrains alternating and together at the end), use concrete hospital details, avoid clichés about angels or heroes.")
item(H+'196','s','ana',0,2048,'analyse a pasted chart description / dataset for misleading presentation',"""A vendor's slide claims their tool 'cut incident resolution time by 70%'. The data in the appendix:
- Before (Jan-Mar, 3 customers): mean MTTR 5.2 h, median 1.1 h, n=212 incidents
- After (Apr-Jun, same 3 customers + 9 new ones): mean MTTR 1.6 h, median 0.9 h, n=1,480 incidents
- The 'after' period excludes incidents 'caused by third-party outages'.
What's wrong with the claim, what's a fairer reading, and what would you ask the vendor for?""")
item(H+'197','s','cod',0,2048,'standard programming with domain rules: business-day calculator',"Write a TypeScript function that adds N business days to a date in a given IANA timezone, skipping weekends and a provided list of holidays, handling DST transitions correctly (use Temporal or date-fns-tz), plus tests for the tricky cases (start on a weekend, holiday on Friday, across DST).")
item(H+'198','s','wri',1,2048,'letter with stakes and nuance: appeal to university',"Help me write an appeal letter to my university about failing a module. Facts: I missed the final exam (40% of the grade) because I was hospitalised with appendicitis on the day; I have the discharge letter; I emailed the module leader 3 days later, not within the 48-hour rule, because I was on strong painkillers; my coursework average was 68%. I want a deferred exam, not a grade change. Firm, factual, respectful, about 400 words.")
item(H+'199','h+','cr',1,1024,'small 3x3 logic puzzle: contrast item, Haiku suffices',"Three friends — Ana, Ben, Cai — each ordered a different drink (tea, coffee, juice) and a different pastry (croissant, muffin, scone). Ana didn't order coffee. The person with the scone ordered tea. Ben ordered a muffin. Cai didn't order juice. Who ordered what? Show the reasoning step by step.")
item(H+'200','s','ana',0,2048,'analysis of given policy text applied to a specific case',"""Our expense policy says: 'Meals while travelling are reimbursed up to €60/day. Alcohol is not reimbursable. Client entertainment requires pre-approval from a director and is capped at €90 per attendee. Receipts are required for any item over €25. Claims must be submitted within 30 days of the trip end.' 

My trip ended 34 days ago (I was on sick leave for 10 days after). Claims: day 1 meals €52 (incl. €9 wine), day 2 meals €71, client dinner €310 for 3 people (me + 2 clients) approved by my manager, who is a senior manager not a director, taxi €22 without receipt. What will likely be approved, what won't, and how should I word the submission?""")
