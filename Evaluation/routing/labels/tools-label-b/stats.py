# Mechanical: counts for README-label-b.md (source x tier x split, task types, acceptable sets, everyday).
import json,collections,os
D=os.path.join(os.path.dirname(os.path.abspath(__file__)),'..')
SRC=['code_alpaca','mbpp','prm800k','handwritten']; TI=['haiku','sonnet','opus']
R={s:[json.loads(l) for l in open(f'{D}/{s}.jsonl')] for s in SRC}
out=['| source | split | haiku | sonnet | opus | total | everyday |','|---|---|---:|---:|---:|---:|---:|']
def row(name,sp,rs):
    c=collections.Counter(r['tier'] for r in rs)
    out.append(f"| {name} | {sp} | "+' | '.join(str(c[t]) for t in TI)+f" | {len(rs)} | {sum(r['everyday'] for r in rs)} |")
for s in SRC+['all']:
    rs=R[s] if s!='all' else [r for x in SRC for r in R[x]]
    for sp in ['train','heldout','all']:
        row(s,sp,[r for r in rs if sp=='all' or r['split']==sp])
allr=[r for x in SRC for r in R[x]]
out+=['','| task_type | haiku | sonnet | opus |','|---|---:|---:|---:|']
tt=collections.Counter((r['task_type'],r['tier']) for r in allr)
for t in sorted({r['task_type'] for r in allr}):
    out.append(f"| {t} | "+' | '.join(str(tt[(t,x)]) for x in TI)+' |')
acc=collections.Counter('+'.join(r['acceptable']) for r in allr)
out+=['','Acceptable sets: '+', '.join(f"`{k}` {v}" for k,v in acc.most_common())]
ev=[r for r in allr if r['everyday']]; ce=collections.Counter(r['tier'] for r in ev)
out+=['',f"Everyday: {len(ev)} items (haiku {ce['haiku']}, sonnet {ce['sonnet']}, opus {ce['opus']}); held-out everyday: {sum(r['split']=='heldout' for r in ev)}."]
k=collections.Counter(r['id'].split(':')[1].rsplit('-',1)[0] for r in R['handwritten'])
out+=['','Handwritten by kind: '+', '.join(f'{a} {b}' for a,b in sorted(k.items()))]
print('\n'.join(out))
