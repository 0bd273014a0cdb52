#!/usr/bin/env bash
# profile.sh: where the read scenario's time goes. Starts the bench build of rexin on a copy
# of cached demo data, logs in, puts the read load on it with wrk and records the server with
# `perf record -g` (or callgrind with PROFILER=callgrind, far slower). Prints the top of the
# report; the raw profile stays in $OUT.
#   usage: bench/profile.sh [PATH]   (default /api/v1/me; run `make bench` once first)
#   env:   SCALE (community), PROFILE_SECONDS (10), OUT (/tmp/rexin-profile), PROFILER (perf)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${REXIN_BIN:-build/bench/rexin}
SCALE=${SCALE:-community}
SECS=${PROFILE_SECONDS:-10}
OUT=${OUT:-/tmp/rexin-profile}
READ=${1:-/api/v1/me}
PROFILER=${PROFILER:-perf}
cache=$(ls -d "${BENCH_CACHE:-$HOME/.cache/rexin-bench}/$SCALE"-seed1-* 2>/dev/null | grep -v partial | head -1)
[ -n "$cache" ] || { echo "profile: no cached $SCALE data; run BENCH_SCALE=$SCALE make bench first" >&2; exit 1; }
rm -rf "$OUT" && mkdir -p "$OUT" && cp -r "$cache" "$OUT/data"
port=$((20000 + RANDOM % 20000))
if [ "$PROFILER" = callgrind ]; then
    valgrind --tool=callgrind --callgrind-out-file="$OUT/callgrind.out" "$BIN" serve --listen 127.0.0.1:$port \
        --data "$OUT/data" --log-level warn --admin-password admin-bench-pw-1 >"$OUT/server.log" 2>&1 &
else
    "$BIN" serve --listen 127.0.0.1:$port --data "$OUT/data" --log-level warn \
        --admin-password admin-bench-pw-1 >"$OUT/server.log" 2>&1 &
fi
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
cookie=$(curl -fs -D - -o /dev/null -H 'Content-Type: application/json' -H "Origin: http://127.0.0.1:$port" \
    -d '{"login":"admin","password":"admin-bench-pw-1"}' "http://127.0.0.1:$port/api/v1/session" |
    sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p')
if [ "$PROFILER" = callgrind ]; then
    wrk -t2 -c64 -d"${SECS}s" -H "Cookie: $cookie" "http://127.0.0.1:$port$READ"
    kill $pid; wait $pid || true
    callgrind_annotate "$OUT/callgrind.out" 2>/dev/null | head -60
else
    wrk -t2 -c64 -d"$((SECS + 2))s" -H "Cookie: $cookie" "http://127.0.0.1:$port$READ" &
    wrkpid=$!
    sleep 1
    perf record -g -o "$OUT/perf.data" -p $pid -- sleep "$SECS" 2>/dev/null
    wait $wrkpid
    perf report -i "$OUT/perf.data" --no-children --sort dso,symbol --percent-limit 0.7 --stdio 2>/dev/null |
        grep -v '^$' | grep -E '^ +[0-9]' | head -50
fi
