from hw_lib import *
X='mixed-'
item(X+'001','s','wri',0,4096,'essay of real length with argument',"Write a 1,200-word essay arguing that the printing press mattered less to the Reformation than is usually claimed. Engage with the strongest counter-argument.")
item(X+'002','h','wri',1,128,'tiny creative writing',"write a haiku about Monday mornings")
item(X+'003','s','wri',0,4096,'long fiction with craft',"Write a 2,000-word literary short story about a retired translator who starts receiving letters in a language she doesn't recognise. Restrained tone, no magic-realism explanation at the end.")
item(X+'004','h','qa',1,128,'one-line factual',"What is the 50th prime number?")
item(X+'005','h+','mat',1,256,'date arithmetic, error-prone but simple',"How many days are there between March 14, 1987 and November 2, 2025?")
item(X+'006','h','qa',1,128,'one-line factual',"Who was US president when the Eiffel Tower was completed?")
item(X+'007','s','qa',0,2048,'nuanced explanation',"Explain how mRNA vaccines work and why the early ones needed ultra-cold storage, for a smart high-school student. Include what the lipid nanoparticle does and why pseudouridine matters.")
item(X+'008','h','qa',1,256,'safety how-to, short',"Is it safe to mix bleach and vinegar for cleaning?")
item(X+'009','s','cod',0,4096,'multi-part program',"Write a Python CLI that watches a folder, and whenever a new CSV appears, validates it against a JSON schema file, writes valid rows to SQLite and invalid rows with reasons to an errors CSV. Use watchdog, handle partial writes (file still being copied), and include a README section on usage.")
item(X+'010','h+','tra',0,1024,'translate a formal paragraph with legal flavour',"Translate into French, formal register, keeping legal precision: 'The Supplier shall not be liable for any delay or failure to perform resulting from causes outside its reasonable control, provided that it notifies the Customer in writing within five (5) business days of becoming aware of such cause and uses commercially reasonable efforts to mitigate its effects.'")
item(X+'011','s','ana',0,2048,'analysis of an argument',"My team lead says we should rewrite our Python data pipeline in Rust because 'Python is slow'. The pipeline takes 40 minutes nightly; 31 minutes are waiting on S3 and the warehouse. Help me write a respectful, evidence-based reply and suggest what we should actually measure.")
item(X+'012','h','bra',1,512,'brainstorm list',"List 15 icebreaker questions for a new team's first meeting, nothing cringe")
item(X+'013','h','cls',0,256,'classify short texts',"Classify each as bug, feature request, or question:\n1. 'App crashes when I upload a HEIC photo'\n2. 'Can you add dark mode?'\n3. 'How do I export my data?'\n4. 'The export button does nothing on Safari'\n5. 'Would love Slack integration'")
item(X+'014','s','cod',1,2048,'debug with reasoning',"""My pandas groupby gives different totals than Excel. Why?

```python
df = pd.read_csv('sales.csv')
df.groupby('region')['amount'].sum()
```
Excel SUMIF for 'West' gives 1,284,300 and pandas gives 1,281,950. The CSV has 48k rows, amounts like "1,250.00" in some rows, and region values typed by hand.""")
item(X+'015','h','ext',0,512,'extract contacts from signature text',"Extract name, title, company, phone and email as JSON:\n\n--\nDr. Amara Osei | Head of Clinical Operations\nNorthstar Diagnostics Ltd.\nM: +44 7700 900123 | amara.osei@northstar-dx.co.uk\n'Precision you can trust'")
item(X+'016','s','wri',0,2048,'persuasive writing with nuance',"Write a grant proposal 'Statement of Need' section (about 600 words) for a rural library that wants funding for a mobile hotspot lending program. Use these facts: county pop 18,400; 31% of households lack broadband; nearest public Wi-Fi 22 miles for the north end; pilot of 25 hotspots had a 6-week waitlist.")
item(X+'017','h','rew',1,256,'simple rewrite',"Rewrite this as a bullet list: 'Bring your ID, a pen, two passport photos, the completed form, and the $35 fee in cash or check.'")
item(X+'018','s','ana',0,2048,'compare options with trade-offs, standard',"Compare PostgreSQL, MongoDB and DynamoDB for an event-ticketing startup expecting spiky traffic at on-sale times (50x normal for 10 minutes), strong need to avoid overselling seats, and a 3-person team. Recommend one.")
item(X+'019','h','qa',1,256,'everyday how-to',"how do I cancel an Amazon Prime membership")
item(X+'020','h','sum',0,512,'summarise a short paragraph',"Summarise for a 10-year-old: 'Photosynthesis is the process by which green plants and some other organisms use sunlight to synthesize foods from carbon dioxide and water. Photosynthesis in plants generally involves the green pigment chlorophyll and generates oxygen as a byproduct.'")
item(X+'021','s+','cod',0,4096,'performance work with subtle correctness',"""This function is our hot path (called 40M times/day) and it's slow. Make it faster without changing results, and explain why each change is safe.

```python
def score(user, items):
    out = []
    for it in items:
        s = 0.0
        for tag in it['tags']:
            if tag in user['likes']:
                s += user['likes'][tag] * math.log(1 + it['popularity'])
        s = s / (1 + len([t for t in it['tags'] if t in user['dislikes']]))
        out.append((it['id'], round(s, 6)))
    return sorted(out, key=lambda x: -x[1])[:50]
```""")
item(X+'022','h','qa',1,256,'short factual',"What's the difference between a virus and a bacterium? Two sentences.")
item(X+'023','h','cod',1,256,'small shell question',"bash one-liner to find the 10 biggest files under the current directory")
item(X+'024','s','qa',0,2048,'nuanced explanation with comparison',"Why did the 2008 financial crisis spread from US subprime mortgages to European banks? Explain the mechanisms (securitisation, funding markets, leverage) clearly, in about 600 words.")
item(X+'025','h+','wri',1,1024,'moderate-length formal letter',"Write a formal complaint letter to my airline: flight BA0283 LAX-LHR on 2 May was cancelled, rebooked 26 hours later, I paid $212 for a hotel and missed a prepaid tour ($340). I want compensation under UK261. About 250 words.")
