# Sourced by the benchmark scripts: `bench_policies SOURCE DEST` copies a policy directory to DEST with the limits
# no benchmark should hit. The development client's budget ($20 a day, soft limit at 80 %) would downgrade requests
# after ~26,000 and refuse them (402) after ~33,000, so it is raised out of reach; every rate-limit bucket is so wide
# that pacing never waits. Every row of a run then measures the same decision path.
bench_policies() {
    cp -r "$1" "$2"
    sed -i -e 's/daily_usd: 20$/daily_usd: 1000000/' -e 's/monthly_usd: 300$/monthly_usd: 1000000/' "$2/clients.yaml"
    cat > "$2/limits.yaml" <<'YAML'
buckets:
  haiku-4-5: {rpm: 100000000, itpm: 100000000000, otpm: 100000000000}
  sonnet-4: {rpm: 100000000, itpm: 100000000000, otpm: 100000000000}
  opus-4: {rpm: 100000000, itpm: 100000000000, otpm: 100000000000}
queue:
  max_queued_requests: 100000
YAML
}
