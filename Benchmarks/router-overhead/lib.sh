# Shell helpers of the overhead benchmarks, sourced by run.sh, features.sh and ladder.sh.

# free_port: a TCP port on 127.0.0.1 that nothing listens on now.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# wrk_cpu_row PID PORT CONCURRENCY SECONDS [WRK-SCRIPT]: one wrk row of POST /v1/messages against 127.0.0.1:PORT
# (post.lua's 1.8 KB body by default). Prints "MS REQUESTS BAD": the CPU time process PID spent per request in ms
# (user + system, from /proc), the requests wrk completed, and how many answers were not 2xx.
wrk_cpu_row() {
    local pid=$1 port=$2 c=$3 seconds=$4 script=${5:-Benchmarks/router-overhead/post.lua}
    local before after out n bad
    before=$(awk '{print $14+$15}' "/proc/$pid/stat")
    out=$(wrk -t"$(( c < 2 ? 1 : 2 ))" -c"$c" -d"${seconds}s" -s "$script" "http://127.0.0.1:$port/v1/messages")
    after=$(awk '{print $14+$15}' "/proc/$pid/stat")
    n=$(echo "$out" | awk '/requests in/ {print $1}')
    bad=$(echo "$out" | awk '/Non-2xx/ {print $5}')
    echo "$(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v n="$n" 'BEGIN { printf "%.4f", t*1000/hz/n }') $n ${bad:-0}"
}
