# Mechanical: turn hand-written items (hw_*.py) into label records; compute split.
import json,hashlib,os,sys,importlib
sys.path.insert(0,os.path.dirname(os.path.abspath(__file__)))
import hw_lib
from write import TASK,T,ORD  # noqa
from write import split, acc
mods=sys.argv[1:]
for m in mods: importlib.import_module(m)
OUT='/work/wt/label-b/Evaluation/routing/labels/handwritten.jsonl'
have=set()
if os.path.exists(OUT): have={json.loads(l)['id'] for l in open(OUT)}
seen=set(); n=0
with open(OUT,'a') as f:
    for it in hw_lib.ITEMS:
        assert it['id'] not in seen, it['id']; seen.add(it['id'])
        if it['id'] in have: continue
        tier,a=acc(it['tier'])
        req={}
        if it['system']: req['system']=it['system']
        req['messages']=it['messages']; req['max_tokens']=it['mt']
        if it['tools']: req['tools']=it['tools']
        rec={'id':it['id'],'source':'handwritten','split':split(it['id']),'everyday':bool(it['ev']),'task_type':TASK[it['task']],
             'tier':tier,'acceptable':a,'request':req,'note':it['note']}
        f.write(json.dumps(rec,ensure_ascii=False)+'\n'); n+=1
print('appended',n,'items in modules',len(hw_lib.ITEMS))
