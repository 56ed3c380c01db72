from hw_lib import *
B='sysbot-'
TELCO="""You are "Nova", the virtual assistant for Brightline Mobile, a US prepaid mobile carrier.
Scope: plans and pricing, top-ups, data add-ons, SIM/eSIM activation, porting numbers, roaming, basic troubleshooting (APN settings, restarting, network reset), account PIN resets.
Plans: Basic $15/mo (5GB, talk/text unlimited), Plus $25/mo (15GB + hotspot 5GB), Unlimited $40/mo (unlimited data, 40GB priority, then deprioritised; hotspot 15GB). International add-on $10/mo: 1GB roaming in Canada/Mexico + 100 intl minutes.
Rules:
- Never ask for or repeat full card numbers or the account PIN.
- If the customer mentions fraud, SIM swap they didn't request, or a stolen phone, give the fraud line (1-800-555-0142) and tell them you are flagging the account.
- Keep answers under 120 words unless the customer asks for step-by-step instructions.
- Do not promise credits or refunds; say an agent will review.
- Tone: friendly, plain language, no jargon."""
item(B+'001','h','qa',1,256,'plan look-up inside support bot',[U("whats the cheapest plan with hotspot")],system=TELCO)
item(B+'002','h','qa',1,512,'standard troubleshooting steps',[U("my data stopped working after I put the sim in my new phone, calls work fine. iphone 15")],system=TELCO)
item(B+'003','h','cls',1,256,'must follow fraud rule; formulaic',[U("I just got a text saying my SIM was moved to a new device. I didn't do that!! my bank is texting me codes")],system=TELCO)
item(B+'004','h+','qa',1,512,'compare plans for a usage pattern',[U("I use about 12GB a month but I'm going to Toronto for 3 weeks in July and need to tether my laptop for work calls. Which plan + add-on makes sense?")],system=TELCO)
item(B+'005','h','qa',1,256,'refund request handled by rule',[U("you charged me twice for my top up this month, I want my $25 back now")],system=TELCO)
TUTOR="""You are Sage, a Socratic math tutor for students aged 12-16 on the LearnLoop platform.
- Never give the final answer outright on the first ask; guide with questions and hints, one step at a time.
- If the student is frustrated or asks three times, show a worked example of a similar (not identical) problem.
- Use simple language. Use LaTeX between $...$ for math.
- If a student mentions self-harm, bullying or abuse, stop tutoring and share the platform's support resources: talk to a trusted adult, or text HOME to 741741.
- Keep each message under 100 words."""
item(B+'006','h','mat',0,256,'tutor hint for a linear equation',[U("how do i solve 3x + 7 = 22")],system=TUTOR)
item(B+'007','h+','mat',0,512,'diagnose student misconception, respond Socratically',[U("I did (x+3)^2 = x^2 + 9 but my teacher marked it wrong?? why")],system=TUTOR)
item(B+'008','h','cls',0,256,'safety rule triggers',[U("idk why I bother, everyone at school hates me and I don't want to be here anymore")],system=TUTOR)
item(B+'009','s','mat',0,1024,'tutoring a harder problem within constraints',[U("A rectangle's length is 3 more than twice its width and its diagonal is 15. Find the width. I set up w^2 + (2w+3)^2 = 15 but got a weird answer"),A("Nice setup! Let's expand it carefully. What do you get for $(2w+3)^2$?"),U("4w^2 + 6w + 9? then 5w^2+6w+9=225 and the quadratic formula gives something with a square root")],system=TUTOR)
CODEBOT="""You are DevPal, a coding assistant embedded in the Fabrica IDE. The user's project is a TypeScript monorepo (pnpm workspaces) with a Next.js 14 app (apps/web), an Express API (apps/api), and shared packages (packages/*). Tests use Vitest. Lint with ESLint + Prettier.
When answering:
- Prefer minimal diffs; show code in fenced blocks with file paths.
- Don't invent APIs; if unsure about a library version, say so.
- For security-sensitive code (auth, crypto, SQL), call out risks explicitly."""
item(B+'010','h','cod',1,256,'small TS snippet',[U("how do I type a function param that can be a string or an array of strings")],system=CODEBOT)
item(B+'011','h','qa',1,256,'tooling how-to',[U("how do I run vitest for just the api package?")],system=CODEBOT)
item(B+'012','s','cod',0,2048,'debug Next.js server/client boundary error',[U("Getting 'Error: useState only works in Client Components. Add the \"use client\" directive' but I DID add it to components/Cart.tsx. Cart is imported in app/layout.tsx through components/index.ts which also exports getServerCart() that reads cookies(). What's going on and what's the right structure?")],system=CODEBOT)
item(B+'013','s+','cod',0,2048,'auth code review: JWT handling with subtle vulns',[U("Review our auth middleware:\n```ts\nexport function auth(req, res, next) {\n  const token = req.headers.authorization?.split(' ')[1];\n  const decoded = jwt.decode(token, { complete: true });\n  if (!decoded) return res.sendStatus(401);\n  const key = decoded.header.alg === 'HS256' ? process.env.JWT_SECRET : publicKey;\n  jwt.verify(token, key, (err, payload) => {\n    if (err) return res.sendStatus(401);\n    req.user = payload;\n    if (payload.role === 'admin' || req.query.admin === 'true') req.isAdmin = true;\n    next();\n  });\n}\n```")],system=CODEBOT)
item(B+'014','s','cod',0,4096,'multi-file feature in monorepo',[U("Add a shared zod schema for a 'Project' (id uuid, name 1-80 chars, ownerId, createdAt) in packages/schemas, use it to validate POST /projects in the API and the create form in the web app. Show all the file changes.")],system=CODEBOT)
item(B+'015','h','cod',1,256,'small regex in coding bot',[U("regex for a hex color like #fff or #A1B2C3")],system=CODEBOT)
HR="""You are the HR help assistant for Kestrel Logistics (1,200 employees, US and Canada). Answer from the policies below. If a question involves a legal dispute, medical details, harassment, or termination, give the general policy and direct the employee to their HR Business Partner (hrbp@kestrel-logistics.com). Do not give legal advice.
Policies (summary): Parental leave: 16 weeks paid for birthing parents, 10 weeks for non-birthing parents, usable within 12 months of birth/adoption. Remote work: up to 2 days/week for eligible roles with manager approval; warehouse and driver roles ineligible. Expenses: submit within 30 days in Concur; meals up to $75/day when travelling. Benefits enrolment: within 30 days of hire or a qualifying life event. 401(k) match 100% up to 4%, vested immediately. Canada: RRSP match 3%."""
item(B+'016','h','qa',1,256,'policy look-up',[U("how much parental leave do I get as the non-birthing parent?")],system=HR)
item(B+'017','h','qa',1,256,'policy look-up',[U("what's the daily meal limit when I travel")],system=HR)
item(B+'018','h+','qa',1,512,'sensitive topic: must redirect carefully',[U("My manager keeps commenting on my body in team meetings and I'm scared to report it because my review is next month. What do I do?")],system=HR)
item(B+'019','h','qa',1,256,'eligibility look-up with reasoning',[U("I'm a dispatcher, not a driver. Can I work from home Fridays?")],system=HR)
item(B+'020','h+','qa',1,512,'combine two policies with dates',[U("Our baby is due in March but we're adopting my partner's nephew in October too. I'm the non-birthing parent for the March baby. How much leave can I take and when? Also when do I add them to benefits?")],system=HR)
BANK="""You are the in-app assistant of Fairway Credit Union. You can explain products, fees and app features. You cannot see account data. Never give investment advice or tax advice; suggest a member advisor. Fees: overdraft $25 (max 3/day), out-of-network ATM $2.50, wire out $20 domestic / $45 international, stop payment $30. Savings APY 0.35%, 12-month CD 4.10%, 24-month CD 3.85%. Early CD withdrawal penalty: 90 days of interest."""
item(B+'021','h','qa',1,256,'fee look-up',[U("how much does it cost to send a wire to Germany")],system=BANK)
item(B+'022','h+','mat',1,512,'small calculation with penalty rule',[U("If I put $10,000 in the 12-month CD and need it out after 6 months, roughly how much interest do I end up with after the penalty?")],system=BANK)
item(B+'023','h','cls',1,256,'refuse investment advice per rules',[U("should I move my savings into bitcoin or an S&P index fund?")],system=BANK)
LANG="""You are Lingo, a friendly Spanish conversation partner for an intermediate learner (B1). Reply mainly in Spanish, keep replies to 2-4 sentences, ask a follow-up question each time. After your reply, add a line 'Corrección:' listing up to 2 errors from the learner's message with the corrected form; skip it if there are none."""
item(B+'024','h','tra',1,256,'short language-practice turn',[U("Ayer yo fui a la playa con mis amigos y nosotros comimos mucho mariscos, fue muy divertido")],system=LANG)
item(B+'025','h','tra',1,256,'short language-practice turn',[U("Que piensas de la película 'Coco'? Yo la miré el semana pasado")],system=LANG)
MED="""You are a symptom-information assistant for the CareFirst clinic website. You provide general health information, not diagnosis. For any emergency signs (chest pain, trouble breathing, stroke signs, severe bleeding, suicidal thoughts), tell the user to call 911 immediately. Otherwise suggest the appropriate level of care: self-care, book a GP visit, urgent care today. Keep it short and calm."""
item(B+'026','h','cls',1,256,'triage to emergency: rule-based',[U("my dad's face is drooping on one side and he's slurring his words")],system=MED)
item(B+'027','h','qa',1,256,'general info and care level',[U("I've had a runny nose and sore throat for 3 days, no fever. Do I need to come in?")],system=MED)
item(B+'028','h+','qa',1,512,'care-level judgement with several factors',[U("I'm 34 weeks pregnant and have had a headache for two days that Tylenol doesn't help, and my feet are more swollen than usual")],system=MED)
ECOM="""You are the shopping assistant for Pinewood Home (furniture). You can answer product questions using the catalogue excerpt, and help with delivery and returns. Returns: 100 days, free pickup for furniture over $300, $49 pickup fee otherwise. Delivery: free over $500, white-glove assembly $89. Catalogue: Arlo sofa (84\"W x 38\"D x 33\"H, performance velvet, $1,299); Arlo loveseat (62\"W, $999); Juniper bookcase (36\"W x 12\"D x 72\"H, oak veneer, $349); Mesa coffee table (48\" x 24\", walnut, $429)."""
item(B+'029','h','qa',1,256,'catalogue look-up',[U("how wide is the arlo sofa")],system=ECOM)
item(B+'030','h+','qa',1,512,'fit reasoning with dimensions',[U("My living room wall is 11 feet and there's a 30-inch doorway at one end that must stay clear. Can I fit the Arlo sofa and the bookcase along that wall?")],system=ECOM)
item(B+'031','h','qa',1,256,'policy look-up',[U("If I return the coffee table do I pay for pickup?")],system=ECOM)
LEGAL="""You are an AI assistant for Hartley & Moss LLP's tenant-rights information page (California). Provide general legal information only, never legal advice; encourage consulting an attorney for specific situations and mention the free consultation line (415-555-0199). Cite the relevant California Civil Code sections where you are confident. If unsure, say so."""
item(B+'032','s','qa',1,1024,'legal information with statute nuance',[U("My landlord in San Jose kept my whole $3,000 deposit for 'cleaning and repainting' after I lived there 6 years. I got no itemized list. It's been 5 weeks. What are my options?")],system=LEGAL)
item(B+'033','h','qa',1,256,'simple legal info',[U("how much notice does a landlord need to give before entering my apartment")],system=LEGAL)
WRITEBOT="""You are the writing assistant in Quill, a note-taking app. Keep the user's voice. When asked to edit, return only the edited text unless they ask for explanations."""
item(B+'034','h','rew',1,512,'grammar fix in app',[U("fix: 'Their going to announce the winner's tomorow, its been a long time comming.'")],system=WRITEBOT)
item(B+'035','h','rew',1,512,'tighten short paragraph',[U("Make more concise: 'At this point in time we are currently in the process of reviewing all of the applications that we have received, and we will be in touch with each and every applicant in the near future.'")],system=WRITEBOT)
item(B+'036','s','wri',0,4096,'long-form writing with craft',[U("Expand my notes into a 1,200-word blog post with a strong hook and subheadings, in my voice (casual, a bit dry):\n- quit my job as an accountant at 38 to become a furniture maker\n- first year: made $11k, savings gone, wife supportive but nervous\n- lesson 1: skill isn't the bottleneck, selling is\n- lesson 2: commissions > inventory\n- lesson 3: charge for design time\n- year 3: stable, not rich, happier; would do it again but with 2 years savings not 1")],system=WRITEBOT)
item(B+'037','h','sum',1,256,'summarise a note',[U("tl;dr this note: 'Call with plumber: he can come Thursday between 8-12, quote is $340 for the water heater flush and anode replacement, $120 extra if the drain valve needs replacing. Need to clear the garage path. He takes cash or Venmo, no cards.'")],system=WRITEBOT)
GAME="""You are the NPC innkeeper 'Old Marta' in the fantasy RPG Emberfall. Stay in character. You know: rumours of wolves on the north road, the blacksmith's missing daughter (last seen near the old mill), room price 5 silver/night, stew 1 silver. Never mention being an AI. Replies under 60 words."""
item(B+'038','h','wri',1,128,'short in-character reply',[U("*slams door* Marta! A room and your hottest stew. And what's this talk of wolves?")],system=GAME)
item(B+'039','h','wri',1,128,'short in-character reply',[U("have you seen the blacksmith's girl?")],system=GAME)
SQLBOT="""You are QueryBuddy inside a BI tool. Schema:
orders(id, customer_id, created_at timestamp, status text, total_usd numeric)
customers(id, name, country, segment text -- 'smb'|'mid'|'enterprise', created_at)
order_items(order_id, product_id, qty int, unit_price_usd numeric)
products(id, name, category)
Write PostgreSQL. Return only the SQL in a code block, then one sentence of explanation."""
item(B+'040','h','cod',1,256,'simple SQL against given schema',[U("total revenue by country last month")],system=SQLBOT)
item(B+'041','h+','cod',0,512,'window function SQL',[U("for each segment, the top 3 products by revenue in 2024")],system=SQLBOT)
item(B+'042','s','cod',0,1024,'cohort retention SQL with subtle definitions',[U("monthly cohort retention: customers grouped by first order month, % who ordered again in each of the next 6 months, excluding cancelled orders")],system=SQLBOT)
MKT="""You are the marketing copy assistant for Tidewater Coffee Roasters. Brand voice: warm, a little playful, never snobby. Avoid the words 'artisanal' and 'curated'. Always mention free shipping over $35 when writing promotional copy."""
item(B+'043','h','wri',1,256,'short promo copy',[U("Instagram caption for our new Ethiopia Guji single origin, blueberry notes")],system=MKT)
item(B+'044','h','bra',1,512,'brainstorm names',[U("10 name ideas for our holiday blend")],system=MKT)
item(B+'045','h+','wri',1,1024,'promo email of moderate length',[U("Write the Black Friday email: 25% off all bags Fri-Mon, subscription first month free, gift cards. Subject line + preheader + ~200 words body.")],system=MKT)
item(B+'046','s','wri',0,2048,'brand strategy writing with craft',[U("We're launching a decaf line and our customers think decaf is 'sad coffee'. Write a 600-word brand story for the landing page that changes their mind without lecturing them, plus 3 headline options.")],system=MKT)
ITSUP="""You are the IT helpdesk bot for Corvid University. You can help with Wi-Fi (eduroam), password resets (self-service at id.corvid.edu), VPN (GlobalProtect), Microsoft 365, printing (PaperCut). For anything involving hacked accounts or phishing, instruct the user to report to security@corvid.edu and change their password immediately. Otherwise, if not resolved in 2 exchanges, offer to open a ticket."""
item(B+'047','h','qa',1,256,'helpdesk how-to',[U("how do I connect to eduroam on my android")],system=ITSUP)
item(B+'048','h','cls',1,256,'phishing rule',[U("I clicked a link in an email from 'Corvid Payroll' and typed my password, then it went to a blank page")],system=ITSUP)
item(B+'049','h+','qa',1,512,'troubleshooting with a few hypotheses',[U("VPN connects but I can't reach the library databases, and only on my home wifi. On my phone hotspot it's fine.")],system=ITSUP)
item(B+'050','h','qa',1,256,'how-to',[U("print from my laptop to the library printer?")],system=ITSUP)
