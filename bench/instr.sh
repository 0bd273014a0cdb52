#!/usr/bin/env bash
# instr.sh: instructions the server executes per request (valgrind callgrind), a figure that
# does not move with the load of a shared machine. Starts BIN under callgrind on a copy of
# cached demo data, logs in, warms up, zeroes the counters, sends the read load with wrk for
# a few seconds, dumps, and prints instructions per request (the whole process: HTTP threads,
# writer, libraries, not the kernel) and the top functions.
#   usage: bench/instr.sh BIN [PATH]      (PATH default /api/v1/me)
#   env:   SCALE (community), SECS (5), CONNS (8), OUT (/tmp/rexin-instr), TOP (25)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$1 READ=${2:-/api/v1/me}
SCALE=${SCALE:-community} SECS=${SECS:-5} CONNS=${CONNS:-8} OUT=${OUT:-/tmp/rexin-instr} TOP=${TOP:-25}
cache=$(ls -d "${BENCH_CACHE:-$HOME/.cache/rexin-bench}/$SCALE"-seed1-* 2>/dev/null | grep -v partial | head -1)
[ -n "$cache" ] || { echo "instr: no cached $SCALE data; run BENCH_SCALE=$SCALE make bench first" >&2; exit 1; }
rm -rf "$OUT" && mkdir -p "$OUT" && cp -r "$cache" "$OUT/data"
"$BIN" migrate --data "$OUT/data" >/dev/null 2>&1 || true
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null || true' EXIT
for _ in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 20000))
    valgrind --tool=callgrind --callgrind-out-file="$OUT/cg.out.%p" "$BIN" serve --listen 127.0.0.1:$port \
        --data "$OUT/data" --log-level warn --admin-password admin-bench-pw-1 >"$OUT/server.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
    curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break
    kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; pid=
done
[ -n "$pid" ] || { echo "instr: server did not start" >&2; exit 1; }
cookie=$(curl -fs -D - -o /dev/null -H 'Content-Type: application/json' -H "Origin: http://127.0.0.1:$port" \
    -d '{"login":"admin","password":"admin-bench-pw-1"}' "http://127.0.0.1:$port/api/v1/session" |
    sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p')
wrk -t1 -c"$CONNS" -d2s -H "Cookie: $cookie" "http://127.0.0.1:$port$READ" >/dev/null
callgrind_control -z $pid >/dev/null
n=$(wrk -t1 -c"$CONNS" -d"${SECS}s" -H "Cookie: $cookie" "http://127.0.0.1:$port$READ" |
    awk '/requests in/ {print $1}')
callgrind_control -d $pid >/dev/null
kill $pid; wait $pid 2>/dev/null || true
pid=
f=$(ls -S "$OUT"/cg.out.*.* 2>/dev/null | head -1)
[ -n "$f" ] || f=$(ls "$OUT"/cg.out.* | head -1)
ir=$(callgrind_annotate "$f" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
echo "requests: $n, instructions: $ir, per request: $((ir / n))"
callgrind_annotate --threshold=100 "$f" 2>/dev/null | grep -E "^ *[0-9,]+ " | grep -v -e "PROGRAM TOTALS" -e "clone.S:clone" -e "start_thread" | head -"$TOP"
