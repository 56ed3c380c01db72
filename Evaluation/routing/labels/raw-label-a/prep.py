import gzip, json, csv, re, os
csv.field_size_limit(10**8)
D='/work/shared/data/prompts'; O='/tmp/label-a/items'; os.makedirs(O,exist_ok=True)
def parse_hh(t):
    parts=re.split(r'\n\n(Human|Assistant): ', t)
    turns=[]; 
    for i in range(1,len(parts)-1,2):
        turns.append(('user' if parts[i]=='Human' else 'assistant', parts[i+1]))
    return turns
out=[]
with gzip.open(f'{D}/hh_rlhf_helpful_base_test.jsonl.gz','rt') as f:
    for i,line in enumerate(f):
        if i%5: continue
        turns=parse_hh(json.loads(line)['chosen'])
        uidx=[k for k,(r,_) in enumerate(turns) if r=='user']
        # rule: alternate first Human turn and last Human turn
        cut = uidx[0] if (i//5)%2==0 else uidx[-1]
        msgs=[{'role':r,'content':c} for r,c in turns[:cut+1]]
        # sanity: alternation
        ok=all(m['role']==('user' if k%2==0 else 'assistant') for k,m in enumerate(msgs))
        out.append({'id':f'hh_rlhf:{i+1}','source':'hh_rlhf','messages':msgs,'ok':ok,'which':'first' if cut==uidx[0] else 'last'})
json.dump(out,open(f'{O}/hh_rlhf.json','w')); print('hh',len(out),sum(not o['ok'] for o in out))
out=[]
with open(f'{D}/awesome_chatgpt_prompts.csv',newline='') as f:
    for i,row in enumerate(csv.DictReader(f)):
        if i%6: continue
        out.append({'id':f'awesome_chatgpt:{i+1}','source':'awesome_chatgpt','act':row['act'],'prompt':row['prompt']})
json.dump(out,open(f'{O}/awesome_chatgpt.json','w')); print('aw',len(out))
out=[]
for line in open(f'{D}/self_instruct_seed_tasks.jsonl'):
    d=json.loads(line); inp=d['instances'][0]['input'].strip()
    c=d['instruction'].strip()+('\n\n'+inp if inp else '')
    out.append({'id':f"self_instruct:{d['id']}",'source':'self_instruct','messages':[{'role':'user','content':c}]})
json.dump(out,open(f'{O}/self_instruct.json','w')); print('si',len(out))
out=[]
for i,line in enumerate(open(f'{D}/ifeval_input_data.jsonl')):
    if i%2: continue
    d=json.loads(line)
    out.append({'id':f"ifeval:{d['key']}",'source':'ifeval','messages':[{'role':'user','content':d['prompt']}]})
json.dump(out,open(f'{O}/ifeval.json','w')); print('if',len(out))
