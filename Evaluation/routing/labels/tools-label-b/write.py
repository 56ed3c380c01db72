# Mechanical: merges my hand-written judgements (label file) with extracted items, computes split, appends JSON.
# label line: key|tier|task|ev|max_tokens|note   tier: h,s,o with + (add next up) or - (add one below)
import json,sys,hashlib,os
TASK={'cls':'classification','ext':'extraction','rou':'routing','cod':'coding','ana':'analysis','wri':'writing','cr':'complex_reasoning','arc':'architecture','qa':'question_answering','sum':'summarization','tra':'translation','rew':'rewriting','bra':'brainstorming','mat':'math'}
T={'h':'haiku','s':'sonnet','o':'opus'}; ORD=['haiku','sonnet','opus']
def split(i): return 'heldout' if int(hashlib.sha256(i.encode()).hexdigest()[:8],16)%100<25 else 'train'
def acc(code):
    t=T[code[0]]; a=[t]; i=ORD.index(t)
    if '+' in code: a.append(ORD[i+1])
    if '-' in code: a.insert(0,ORD[i-1])
    return t,a
def main():
  src,lab=sys.argv[1],sys.argv[2]
  items={}
  for l in open(f'/tmp/lb/items_{src}.jsonl'):
      it=json.loads(l); items[it['id']]=it
  OUT=f'/work/wt/label-b/Evaluation/routing/labels/{src}.jsonl'
  have=set()
  if os.path.exists(OUT):
      have={json.loads(l)['id'] for l in open(OUT)}
  n=0
  with open(OUT,'a') as f:
      for line in open(lab):
          line=line.strip()
          if not line or line.startswith('#'): continue
          key,tc,task,ev,mt,note=[p.strip() for p in line.split('|',5)]
          iid=key if ':' in key else f'{src}:{key}'
          if iid in have: continue
          it=items[iid]; tier,a=acc(tc)
          rec={'id':iid,'source':src,'split':split(iid),'everyday':ev=='1','task_type':TASK[task],'tier':tier,'acceptable':a,
               'request':{'messages':it['messages'],'max_tokens':int(mt)},'note':note}
          f.write(json.dumps(rec,ensure_ascii=False)+'\n'); have.add(iid); n+=1
  print('appended',n,'total',len(have))

if __name__=='__main__': main()
