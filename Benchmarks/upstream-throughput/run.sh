#!/usr/bin/env bash
# Throughput of the libcurl client (UpstreamBench, release build) against nginx answering at once.
#
# Usage: Benchmarks/upstream-throughput/run.sh [requests=1000000] [concurrency=64] [http1|h2|h2c] [post|get]
#   http1: cleartext HTTP/1.1, one connection per concurrent request (the default)
#   h2:    HTTP/2 over TLS (a self-signed certificate made here, trusted through caBundlePath), as to the real API
#   h2c:   cleartext HTTP/2 with prior knowledge (libcurl 7.88 + nginx 1.22 fail it with framing errors)
# Needs: nginx (Debian: nginx-light), a release build of UpstreamBench:
#   swift build -c release --scratch-path .build-release --product UpstreamBench
# nginx runs as ONE process (master_process off, 1 worker) so its CPU time is read from one /proc entry.
# Prints the client's figures (from UpstreamBench) and nginx's CPU per request.
set -euo pipefail
cd "$(dirname "$0")/../.."
REQUESTS=${1:-1000000}
CONCURRENCY=${2:-64}
MODE=${3:-http1}
# nginx 1.22 over HTTP/2 does not answer `return 200` to a POST with a body (the stream closes without a
# response), so HTTP/2 runs default to GET with the same headers.
METHOD=${4:-$([ "$MODE" = http1 ] && echo post || echo get)}
BENCH=${BENCH:-.build-release/release/UpstreamBench}
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

dir=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
listen="127.0.0.1:$port"
scheme=http
tls=""
ca=""
if [ "$MODE" = h2c ]; then listen="$listen http2"; fi
if [ "$MODE" = h2 ]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$dir/key.pem" \
        -out "$dir/cert.pem" -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null
    listen="$listen ssl http2"
    scheme=https
    tls="ssl_certificate $dir/cert.pem; ssl_certificate_key $dir/key.pem;"
    ca="$dir/cert.pem"
fi
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
    client_body_temp_path $dir/body; proxy_temp_path $dir/proxy; fastcgi_temp_path $dir/fastcgi;
    uwsgi_temp_path $dir/uwsgi; scgi_temp_path $dir/scgi;
    server {
        listen $listen;
        $tls
        http2_max_concurrent_streams 256;
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
echo "nginx 1 process on $listen; client: $BENCH $REQUESTS $CONCURRENCY ($MODE, $METHOD)"
"$BENCH" "$REQUESTS" "$CONCURRENCY" "$scheme://127.0.0.1:$port/v1/messages" "$MODE" "$METHOD" $ca
after=$(cpu $nginx_pid)
awk -v t=$((after - before)) -v hz="$ticks" -v n="$REQUESTS" \
    'BEGIN { printf "server (nginx): %.2f s CPU, %.1f us CPU per request\n", t / hz, t / hz / n * 1e6 }'
