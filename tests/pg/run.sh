#!/usr/bin/env bash
# tests/pg/run.sh: the API suite (tests/api) and the PostgreSQL-only tests (tests/pg) against
# a throwaway PostgreSQL cluster. `make test-pg` runs it.
#
#   1. finds Debian's server binaries in /usr/lib/postgresql/*/bin (skips, with a message and
#      status 0, only when there are none);
#   2. initdb's a cluster in a temporary directory as an unprivileged user (the postgres
#      account when running as root, created with useradd if missing), C locale, trust auth
#      on a Unix socket in that directory only, durability off (it is thrown away);
#   3. starts it on a free port and checks that every statement of queries_*.def prepares on
#      PostgreSQL (rexin logs the ones that do not);
#   4. runs the tests with REXIN_TEST_DB pointing at it: tests/lib/server.mjs gives every
#      server a database of its own;
#   5. stops the cluster and deletes it, whatever happened.
# REXIN_BIN: the rexin binary (default build/rexin). Extra arguments go to `node --test`
# instead of the default test files.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$(pwd)
export REXIN_BIN=${REXIN_BIN:-$REPO/build/rexin}

PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ] || [ ! -x "$PGBIN/pg_ctl" ]; then
    echo "test-pg: SKIPPED: PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin" \
         "(install them with: apt-get install postgresql)"
    exit 0
fi

TMP=$(mktemp -d /tmp/rexin-pg.XXXXXX)
RUNAS=()
if [ "$(id -u)" -eq 0 ]; then
    PGUSER_OS=postgres
    id "$PGUSER_OS" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$PGUSER_OS"
    chown "$PGUSER_OS" "$TMP"
    if command -v runuser >/dev/null 2>&1; then RUNAS=(runuser -u "$PGUSER_OS" --)
    else RUNAS=(su -s /bin/sh "$PGUSER_OS" -c); fi
fi
as_pg() {
    if [ ${#RUNAS[@]} -eq 0 ]; then "$@"
    elif [ "${RUNAS[0]}" = su ]; then "${RUNAS[@]}" "$(printf '%q ' "$@")"
    else "${RUNAS[@]}" "$@"; fi
}

cleanup() {
    as_pg "$PGBIN/pg_ctl" -D "$TMP/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$TMP"
}
trap cleanup EXIT

PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
echo "test-pg: PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') in $TMP on port $PORT"
as_pg "$PGBIN/initdb" -D "$TMP/data" -U rexin -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$TMP/initdb.log" 2>&1 \
    || { cat "$TMP/initdb.log"; exit 1; }
as_pg "$PGBIN/pg_ctl" -D "$TMP/data" -l "$TMP/server.log" -w -t 30 \
    -o "-p $PORT -k $TMP -c listen_addresses='' -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { cat "$TMP/server.log"; exit 1; }

export REXIN_TEST_DB="postgresql:///postgres?host=$TMP&port=$PORT&user=rexin"
export REXIN_TEST_PSQL="$PGBIN/psql"

# Every statement must prepare on PostgreSQL: migrate a fresh database and read the log.
"$PGBIN/psql" -X -q -d "$REXIN_TEST_DB" -c "CREATE DATABASE rx_check"
mkdir -p "$TMP/check"
if ! "$REXIN_BIN" migrate --data "$TMP/check" --db "postgresql:///rx_check?host=$TMP&port=$PORT&user=rexin" \
        >"$TMP/check.log" 2>&1; then
    cat "$TMP/check.log"
    echo "test-pg: FAILED: migrations do not run on PostgreSQL"
    exit 1
fi
if grep -q "does not prepare on postgresql" "$TMP/check.log"; then
    grep "does not prepare on postgresql" "$TMP/check.log"
    echo "test-pg: FAILED: statements above do not run on PostgreSQL (add them to src/store/queries_pg.def)"
    exit 1
fi
echo "test-pg: migrations and all statements run on PostgreSQL"

if [ $# -gt 0 ]; then
    files=("$@")
else
    files=(tests/api/ tests/pg/)
    [ -d tests/api ] || files=(tests/pg/)
fi
status=0
node --test --test-concurrency=2 "${files[@]}" || status=$?
if [ $status -ne 0 ]; then
    echo "test-pg: FAILED (PostgreSQL log tail follows)"
    tail -n 30 "$TMP/server.log" || true
fi
exit $status
