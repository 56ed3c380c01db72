import json,sys
src,start,n=sys.argv[1],int(sys.argv[2]),int(sys.argv[3])
items=json.load(open(f'/tmp/label-a/items/{src}.json'))
L=int(sys.argv[4]) if len(sys.argv)>4 else 700
for o in items[start:start+n]:
    print('=====',o['id'], o.get('which',''))
    if src=='awesome_chatgpt':
        p=o['prompt']; print('ACT:',o['act'],'| len',len(p)); print(p[:L]+(' …[+%d]'%(len(p)-L) if len(p)>L else ''))
        continue
    ms=o['messages']
    for m in ms[:-1]:
        c=m['content'].replace('\n',' ');print(f"  [{m['role'][0]}] {c[:160]}{'…' if len(c)>160 else ''}")
    c=ms[-1]['content']; print('>>',c[:L]+(' …[+%d]'%(len(c)-L) if len(c)>L else ''))
