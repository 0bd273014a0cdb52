#!/usr/bin/env bash
# Installs what rexin needs to build, run and test on Debian 12, and nothing when all is present.
# Debian packages via apt (as root, or through sudo), JavaScript packages via `npm ci`.
# `scripts/setup.sh --bench` also installs what `make bench` needs (BENCH_PKGS).
set -euo pipefail
cd "$(dirname "$0")/.."

BENCH=0
[ "${1:-}" = "--bench" ] && BENCH=1

PKGS=(build-essential pkg-config zlib1g-dev
      libmicrohttpd-dev libjansson-dev libsqlite3-dev sqlite3 libsodium-dev
      libqrencode-dev libutf8proc-dev libcmocka-dev libzip-dev libexpat1-dev
      libcairo2-dev libpango1.0-dev libxlsxwriter-dev libpq-dev postgresql
      chromium fonts-noto-cjk poppler-utils zbar-tools unzip
      clang libclang-rt-14-dev clang-tidy cppcheck)   # fuzzing (fuzz/) and make lint
command -v node >/dev/null 2>&1 || PKGS+=(nodejs npm)
# make bench: load generator, the static-file ceiling, profilers.
BENCH_PKGS=(wrk nginx-light linux-perf valgrind)
[ "$BENCH" -eq 1 ] && PKGS+=("${BENCH_PKGS[@]}")

missing=()
for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm ci only when the lock file changed since the last install.
if [ -f package-lock.json ]; then
    stamp=node_modules/.rexin-lock
    if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
        echo "setup: npm ci"
        npm ci --no-audit --no-fund --loglevel=error
        cp package-lock.json "$stamp"
    fi
fi
