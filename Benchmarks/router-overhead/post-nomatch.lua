-- wrk script: the same 1.8 KB Messages body as post.lua, but a prompt that matches no classifier rule, so every
-- request goes through the naive-Bayes classifier (post.lua's "Classify the tone…" is decided by a rule).
wrk.method = "POST"
wrk.headers["content-type"] = "application/json"
wrk.headers["x-api-key"] = "dev-key-change-me"
wrk.headers["anthropic-version"] = "2023-06-01"
local filler = string.rep("The quarterly report lists revenue, churn and pipeline figures per region. ", 22)
wrk.body = '{"model":"auto","max_tokens":64,"messages":[{"role":"user","content":"What stands out in these figures, and what should the board ask next? ' .. filler .. '"}]}'
