-- wrk script: post.lua's body with "model":"auto": the classifier's `classify` rule names the task type and the
-- router model judges the difficulty on top of it (post.lua names a model, which settles it without the model).
wrk.method = "POST"
wrk.headers["content-type"] = "application/json"
wrk.headers["x-api-key"] = "dev-key-change-me"
wrk.headers["anthropic-version"] = "2023-06-01"
local filler = string.rep("The quarterly report lists revenue, churn and pipeline figures per region. ", 22)
wrk.body = '{"model":"auto","max_tokens":64,"messages":[{"role":"user","content":"Classify the tone of this text as formal or informal: ' .. filler .. '"}]}'
