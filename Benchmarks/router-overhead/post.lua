-- wrk script: POST a 1.8 KB Messages body with a client key.
wrk.method = "POST"
wrk.headers["content-type"] = "application/json"
wrk.headers["x-api-key"] = "dev-key-change-me"
wrk.headers["anthropic-version"] = "2023-06-01"
local filler = string.rep("The quarterly report lists revenue, churn and pipeline figures per region. ", 22)
wrk.body = '{"model":"claude-haiku-4-5","max_tokens":64,"messages":[{"role":"user","content":"Classify the tone of this text as formal or informal: ' .. filler .. '"}]}'
