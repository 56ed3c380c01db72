import json,glob,hashlib,os,collections
W='/work/wt/label-a/Evaluation/routing/labels'
TT={'cls':'classification','ext':'extraction','rout':'routing','code':'coding','ana':'analysis','wri':'writing','cr':'complex_reasoning','arch':'architecture','qa':'question_answering','sum':'summarization','tr':'translation','rw':'rewriting','bs':'brainstorming','math':'math'}
TI={'h':'haiku','s':'sonnet','o':'opus'}
items={}
for s in ['hh_rlhf','awesome_chatgpt','self_instruct','ifeval']:
    for o in json.load(open(f'/tmp/label-a/items/{s}.json')): items[o['id']]=o
def split(i): return 'heldout' if int(hashlib.sha256(i.encode()).hexdigest()[:8],16)%100<25 else 'train'
def merge(ms):
    out=[]
    for m in ms:
        if out and out[-1]['role']==m['role']: out[-1]={'role':m['role'],'content':out[-1]['content']+'\n\n'+m['content']}
        else: out.append(dict(m))
    return out
recs=collections.defaultdict(dict); skips=[]
for fn in sorted(glob.glob(f'{W}/raw-label-a/*.txt')):
    for ln in open(fn):
        ln=ln.rstrip('\n')
        if not ln.strip() or ln.startswith('#'): continue
        f=ln.split('|')
        iid=f[0].strip()
        assert iid in items, iid
        if f[1].strip()=='SKIP': skips.append(iid); continue
        tt,tier,acc,ev,mt,note=[x.strip() for x in f[1:7]]
        assert tt in TT and tier in TI and all(a in TI for a in acc) and tier in acc and ev in 'yn' and len(ev)==1, ln
        o=items[iid]; req={}
        if o['source']=='awesome_chatgpt':
            um=f[7].strip().replace('\\n','\n') if len(f)>7 else ''
            if um: req['system']=o['prompt']; req['messages']=[{'role':'user','content':um}]
            else: req['messages']=[{'role':'user','content':o['prompt']}]
        else: req['messages']=merge(o['messages'])
        req['max_tokens']=int(mt)
        acc_l=[TI[a] for a in 'hso' if a in acc]
        recs[o['source']][iid]={'id':iid,'source':o['source'],'split':split(iid),'everyday':ev=='y','task_type':TT[tt],'tier':TI[tier],'acceptable':acc_l,'request':req,'note':note}
for s,d in recs.items():
    with open(f'{W}/{s}.jsonl','w') as fo:
        for r in d.values(): fo.write(json.dumps(r,ensure_ascii=False)+'\n')
print({s:len(d) for s,d in recs.items()}, 'skips',len(skips), skips)
