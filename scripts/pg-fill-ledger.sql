-- Fills a claude-router PostgreSQL ledger with :rows synthetic request rows over 60 days from 2026-10-01 (UTC) and
-- their daily rollup, server-side (minutes instead of hours through the ledger), for LedgerBench pg-report.
-- The schema must exist: start the service or `LedgerBench pg-write URL 1000` on the database once first.
--   psql "$URL" -v rows=10000000 -f scripts/pg-fill-ledger.sql
\set ON_ERROR_STOP on
BEGIN;
INSERT INTO usage (kind, ts, request_id, attempt, upstream_request_id, client, task_type, confidence_millis,
    classifier_reason, model_requested, model_used, tier, mode, status, error_type, input_tokens, output_tokens,
    cache_write_5m_tokens, cache_write_1h_tokens, cache_read_tokens, usage_estimated, cost_nano, baseline_nano,
    saved_routing_nano, saved_caching_nano, saved_batching_nano, price_version, policy_hash, latency_ms,
    upstream_latency_ms, queue_wait_ms, retries, cache_plan, deferral)
SELECT 'request', 1790812800000 + i * (60::bigint * 86400000) / :rows, 'fill-' || i, 0, NULL,
    (ARRAY['web', 'batch-etl', 'support-bot', 'ide', 'research'])[i % 5 + 1],
    (ARRAY['chat', 'summarize', 'code', 'extract', 'classify', 'translate'])[(i / 5) % 6 + 1], 900, 'rule', 'auto',
    (ARRAY['claude-haiku-4-5', 'claude-sonnet-4-6', 'claude-opus-4-6'])[(i / 3) % 3 + 1], 'haiku',
    (ARRAY['sync', 'stream', 'batch'])[i % 3 + 1], CASE WHEN i % 97 = 0 THEN 529 ELSE 200 END,
    CASE WHEN i % 97 = 0 THEN 'overloaded_error' END, 1200, 300, 0, 0, 4000, 0, 1000 + (i * 7919) % 4000000,
    3 * (1000 + (i * 7919) % 4000000), 1000 + (i * 7919) % 4000000, 0, 0, 'claude-haiku-4-5@2026-02-17',
    'sha256:0f3a', 420, 400, 0, 0, 'system:5m', 'sync'
FROM generate_series(0::bigint, :rows - 1) AS i;
INSERT INTO daily_rollup (day, client, task_type, model, mode, requests, errors, retries, attempts, input_tokens,
    output_tokens, cache_write_5m_tokens, cache_write_1h_tokens, cache_read_tokens, cost_nano, baseline_nano,
    saved_routing_nano, saved_caching_nano, saved_batching_nano, web_search_requests, web_search_nano,
    saved_client_cache_nano)
SELECT ts / 86400000, client, task_type, model_used, mode, COUNT(*),
    SUM(CASE WHEN error_type IS NOT NULL OR status >= 400 THEN 1 ELSE 0 END), SUM(retries), 0, SUM(input_tokens),
    SUM(output_tokens), SUM(cache_write_5m_tokens), SUM(cache_write_1h_tokens), SUM(cache_read_tokens),
    SUM(cost_nano), SUM(baseline_nano), SUM(saved_routing_nano), SUM(saved_caching_nano), SUM(saved_batching_nano),
    0, 0, 0
FROM usage WHERE request_id LIKE 'fill-%' GROUP BY 1, 2, 3, 4, 5
ON CONFLICT (day, client, task_type, model, mode) DO UPDATE SET requests = daily_rollup.requests + EXCLUDED.requests,
    cost_nano = daily_rollup.cost_nano + EXCLUDED.cost_nano;
COMMIT;
ANALYZE usage;
ANALYZE daily_rollup;
