#!/usr/bin/env bash
# Throughput of the libcurl client (UpstreamBench, release build) against nginx answering at once.
#
# Usage: Benchmarks/upstream-throughput/run.sh [requests=1000000] [concurrency=64] [http1|h2c]
# Needs: nginx (Debian: nginx-light), a release build of UpstreamBench:
#   swift build -c release --scratch-path .build-release --product UpstreamBench
# nginx runs as ONE process (master_process off, 1 worker) so its CPU time is read from one /proc entry.
# Prints the client's figures (from UpstreamBench) and nginx's CPU per request.
set -euo pipefail
cd "$(dirname "$0")/../.."
REQUESTS=${1:-1000000}
CONCURRENCY=${2:-64}
MODE=${3:-http1}
BENCH=${BENCH:-.build-release/release/UpstreamBench}
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

dir=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
listen="127.0.0.1:$port"
[ "$MODE" = h2c ] && listen="$listen http2"
cat > "$dir/nginx.conf" <<CONF
daemon off;
master_process off;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 1000000000;
    keepalive_timeout 300s;
    http2_max_requests 1000000000;
    client_body_temp_path $dir/body; proxy_temp_path $dir/proxy; fastcgi_temp_path $dir/fastcgi;
    uwsgi_temp_path $dir/uwsgi; scgi_temp_path $dir/scgi;
    server {
        listen $listen;
        location / {
            default_type application/json;
            return 200 '{"id":"msg_bench","type":"message","role":"assistant","content":[{"type":"text","text":"ok"}],"stop_reason":"end_turn","usage":{"input_tokens":12,"output_tokens":1}}';
        }
    }
}
CONF
"$NGINX" -p "$dir/" -c "$dir/nginx.conf" -e "$dir/error.log" &
nginx_pid=$!
trap 'kill $nginx_pid 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 100); do
    (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.05
done

ticks=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
before=$(cpu $nginx_pid)
echo "nginx 1 process on $listen; client: $BENCH $REQUESTS $CONCURRENCY ($MODE)"
"$BENCH" "$REQUESTS" "$CONCURRENCY" "http://127.0.0.1:$port/v1/messages" "$MODE"
after=$(cpu $nginx_pid)
awk -v t=$((after - before)) -v hz="$ticks" -v n="$REQUESTS" \
    'BEGIN { printf "server (nginx): %.2f s CPU, %.1f us CPU per request\n", t / hz, t / hz / n * 1e6 }'
