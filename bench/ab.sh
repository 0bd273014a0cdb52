#!/usr/bin/env bash
# ab.sh: before/after of a change to the server, in one run on one machine. Serves a copy of
# cached demo data with binary A, then B, alternately for ROUNDS rounds, puts the read load
# (wrk, 64 connections, keep-alive) on each and prints requests/s and p99 per round and the
# median of each. Alternating cancels most of the drift of a shared machine.
#   usage: bench/ab.sh BIN_A BIN_B [PATH]     (PATH default /api/v1/me)
#   env:   SCALE (community), ROUNDS (3), AB_SECONDS (10), LOGINS=1 also measures the read
#          while 8 connections log in (argon2id) and prints its p99 over the p99 alone
set -euo pipefail
cd "$(dirname "$0")/.."
A=$1 B=$2 READ=${3:-/api/v1/me}
SCALE=${SCALE:-community} ROUNDS=${ROUNDS:-3} SECS=${AB_SECONDS:-10}
cache=$(ls -d "${BENCH_CACHE:-$HOME/.cache/rexin-bench}/$SCALE"-seed1-* 2>/dev/null | grep -v partial | head -1)
[ -n "$cache" ] || { echo "ab: no cached $SCALE data; run BENCH_SCALE=$SCALE make bench first" >&2; exit 1; }
tmp=$(mktemp -d /tmp/rexin-ab-XXXXXX)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT

one() { # BIN -> "rps p99_ms"
    rm -rf "$tmp/data" && cp -r "$cache" "$tmp/data" && sync
    local port=$((20000 + RANDOM % 20000))
    "$1" serve --listen 127.0.0.1:$port --data "$tmp/data" --log-level warn \
        --admin-password admin-bench-pw-1 >/dev/null 2>&1 &
    pid=$!
    for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
    local cookie
    cookie=$(curl -fs -D - -o /dev/null -H 'Content-Type: application/json' -H "Origin: http://127.0.0.1:$port" \
        -d '{"login":"admin","password":"admin-bench-pw-1"}' "http://127.0.0.1:$port/api/v1/session" |
        sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p')
    wrk -t2 -c64 -d2s -H "Cookie: $cookie" "http://127.0.0.1:$port$READ" >/dev/null
    local cpu0 cpu1 json
    cpu0=$(awk '{print $14 + $15}' /proc/$pid/stat)
    json=$(BENCH_HEADERS="Cookie: $cookie" wrk -t2 -c64 -d"${SECS}s" --latency -s bench/wrk/report.lua \
        "http://127.0.0.1:$port$READ" | sed -n 's/^BENCH_JSON //p')
    cpu1=$(awk '{print $14 + $15}' /proc/$pid/stat)
    local extra=""
    if [ "${LOGINS:-0}" = 1 ]; then
        BENCH_METHOD=POST BENCH_BODY='{"login":"admin","password":"admin-bench-pw-1"}' \
            BENCH_HEADERS=$'Content-Type: application/json\nOrigin: http://127.0.0.1:'$port \
            wrk -t1 -c8 -d"$((SECS + 2))s" --latency -s bench/wrk/report.lua "http://127.0.0.1:$port/api/v1/session" \
            >"$tmp/logins.out" 2>&1 &
        local lpid=$!
        sleep 1
        local under
        under=$(BENCH_HEADERS="Cookie: $cookie" wrk -t2 -c64 -d"${SECS}s" --latency -s bench/wrk/report.lua \
            "http://127.0.0.1:$port$READ" | sed -n 's/^BENCH_JSON //p')
        wait $lpid || true
        extra=$(printf '%s\n%s\n' "$under" "$(sed -n 's/^BENCH_JSON //p' "$tmp/logins.out")" | node -e '
            const [r, l] = require("fs").readFileSync(0, "utf8").trim().split("\n").map(JSON.parse);
            console.log((r.p99_us / 1000).toFixed(2), (l.requests / (l.duration_us / 1e6)).toFixed(1))')
    fi
    # Server CPU time per request (user + system, clock ticks) holds still on a busy machine
    # far better than requests/s does.
    echo "$json" | CPU_TICKS=$((cpu1 - cpu0)) HZ=$(getconf CLK_TCK) node -e '
        const j = JSON.parse(require("fs").readFileSync(0, "utf8"));
        const us = Number(process.env.CPU_TICKS) / Number(process.env.HZ) * 1e6 / j.requests;
        console.log((j.requests / (j.duration_us / 1e6)).toFixed(0), (j.p99_us / 1000).toFixed(2), us.toFixed(1))' |
        tr -d '\n'
    [ -n "$extra" ] && echo " $extra" || echo
    kill $pid && wait $pid 2>/dev/null || true
    pid=
}

declare -a ra rb
for i in $(seq 1 "$ROUNDS"); do
    a=$(one "$A"); b=$(one "$B")
    echo "round $i: A $a   B $b   (requests/s, p99 ms, server CPU µs/request${LOGINS:+, p99 ms under logins, logins/s})"
    ra+=("$a"); rb+=("$b")
done
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
for x in A B; do
    if [ $x = A ]; then r=("${ra[@]}"); else r=("${rb[@]}"); fi
    echo "median $x: $(printf '%s\n' "${r[@]}" | cut -d' ' -f1 | median)/s, p99 $(printf '%s\n' "${r[@]}" |
        cut -d' ' -f2 | median) ms, $(printf '%s\n' "${r[@]}" | cut -d' ' -f3 | median) µs CPU/request$(
        [ "${LOGINS:-0}" = 1 ] && echo ", p99 under logins $(printf '%s\n' "${r[@]}" | cut -d' ' -f4 | median) ms," \
            "logins $(printf '%s\n' "${r[@]}" | cut -d' ' -f5 | median)/s")"
done
