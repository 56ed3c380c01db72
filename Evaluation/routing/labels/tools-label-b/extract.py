# Mechanical extraction of source items by a fixed rule (no labelling here).
import json
P='/work/shared/data/prompts/'
out={}
d=json.load(open(P+'code_alpaca_2k.json'))
ca=[]
for i,x in enumerate(d):
    if i%5==0 and len(ca)<350:
        u=x['instruction'].strip()
        if x['input'].strip(): u+='\n\n'+x['input'].strip()
        ca.append({'id':f'code_alpaca:{i}','source':'code_alpaca','messages':[{'role':'user','content':u}]})
out['code_alpaca']=ca
mb=[]
for ln,line in enumerate(open(P+'mbpp.jsonl')):
    if ln%4!=0: continue
    x=json.loads(line)
    t=x['text'].strip()
    if 'python' not in t.lower():
        t=t.replace('Write a function','Write a Python function',1) if t.startswith('Write a function') else 'In Python: '+t
    if ln%8==0:  # every other selected item gets one of its tests as an example
        t+='\n\nFor example, this should pass:\n'+x['test_list'][0]
    mb.append({'id':f"mbpp:{x['task_id']}",'source':'mbpp','messages':[{'role':'user','content':t}]})
out['mbpp']=mb
pr=[]
for ln,line in enumerate(open(P+'prm800k_math_test.jsonl')):
    if ln%2!=0: continue
    x=json.loads(line)
    pr.append({'id':f"prm800k:{x['unique_id']}",'source':'prm800k','level':x['level'],'subject':x['subject'],'messages':[{'role':'user','content':x['problem']}]})
out['prm800k']=pr
for k,v in out.items():
    with open(f'/tmp/lb/items_{k}.jsonl','w') as f:
        for it in v: f.write(json.dumps(it)+'\n')
    print(k,len(v))
