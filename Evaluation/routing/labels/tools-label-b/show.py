import json,sys
src,a,n=sys.argv[1],int(sys.argv[2]),int(sys.argv[3])
items=[json.loads(l) for l in open(f'/tmp/lb/items_{src}.jsonl')]
for k,it in enumerate(items[a:a+n]):
    c=it['messages'][0]['content']
    extra=f" [L{it['level']} {it['subject']}]" if 'level' in it else ''
    print(f"### {a+k} {it['id']}{extra}\n{c[:700]}")
