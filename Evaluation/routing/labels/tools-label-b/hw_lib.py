# Helpers for hand-written items. Labels (tier/task/everyday/note) are written by hand per item.
ITEMS=[]
def U(t): return {"role":"user","content":t}
def A(t): return {"role":"assistant","content":t}
def item(iid, tier, task, ev, mt, note, messages, system=None, tools=None):
    if isinstance(messages,str): messages=[U(messages)]
    ITEMS.append(dict(id='handwritten:'+iid, tier=tier, task=task, ev=ev, mt=mt, note=note, messages=messages, system=system, tools=tools))
def tool(name, desc, props, req=None):
    return {"name":name,"description":desc,"input_schema":{"type":"object","properties":props,"required":req if req is not None else list(props)}}
def S(d="string", **kw): x={"type":d}; x.update(kw); return x
def tu(id_, name, inp, text=None):
    c=[]
    if text: c.append({"type":"text","text":text})
    c.append({"type":"tool_use","id":id_,"name":name,"input":inp})
    return {"role":"assistant","content":c}
def tr(id_, content, is_error=False):
    b={"type":"tool_result","tool_use_id":id_,"content":content}
    if is_error: b["is_error"]=True
    return {"role":"user","content":[b]}
