#!/usr/bin/env bash
# Starts a throwaway PostgreSQL (Debian's, any installed major version) on 127.0.0.1 for the tests, and prints the
# URL to export as CLAUDE_ROUTER_TEST_PG_URL. Usage: eval "$(scripts/postgres-for-tests.sh start [PORT])";
# scripts/postgres-for-tests.sh stop.
# The cluster lives in $PGTEST_DIR (default /tmp/claude-router-pg); initdb runs as the `postgres` user when this
# runs as root (PostgreSQL refuses to run as root).
set -euo pipefail
dir="${PGTEST_DIR:-/tmp/claude-router-pg}"
port="${2:-55432}"
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "echo 'postgres-for-tests: no PostgreSQL installed (apt-get install postgresql)' >&2"; exit 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "${1:-start}" in
start)
    if [ ! -f "$dir/PG_VERSION" ]; then
        mkdir -p "$dir"
        [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
        as_pg "$bin/initdb" -D "$dir" -U postgres -A trust --no-sync >/dev/null
    fi
    if ! as_pg "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
        as_pg "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 30 \
            -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200" \
            start >/dev/null
    fi
    as_pg "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='router_test'" \
        | grep -q 1 || as_pg "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres router_test
    echo "export CLAUDE_ROUTER_TEST_PG_URL=postgres://postgres@127.0.0.1:$port/router_test"
    ;;
stop)
    as_pg "$bin/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1 || true
    ;;
esac
