#!/usr/bin/env bash
# lint.sh: static analysis of src/, run by `make lint`; exits non-zero on any finding.
#   1. scripts/banned.sh   banned C functions
#   2. clang-tidy          checks in .clang-tidy (bugprone, cert, clang-analyzer, performance...)
#   3. cppcheck            warning, style, performance, portability; .cppcheck-suppressions
# Findings are fixed in the code; a false positive is silenced where it occurs
# (NOLINT(check) / cppcheck-suppress id) with a comment saying why.
set -uo pipefail
cd "$(dirname "$0")/.."
jobs=${LINT_JOBS:-$(nproc)}
fail=0

scripts/banned.sh || fail=1

flags=(-std=c11 -D_GNU_SOURCE -Isrc -Ibuild/gen)
# PKGS comes from the Makefile (`make lint`); the fallback is the list at the time of writing.
pkgs=${PKGS:-libmicrohttpd jansson sqlite3 libsodium libqrencode libutf8proc cairo pangocairo xlsxwriter libzip expat}
read -r -a pc <<<"$(pkg-config --cflags $pkgs 2>/dev/null)"
flags+=("${pc[@]}")
files=$(ls src/*/*.c src/*.c)
echo "clang-tidy: $(echo "$files" | wc -l) files"
if ! echo "$files" | xargs -P "$jobs" -I{} sh -c 'clang-tidy --quiet "$0" -- "$@" 2>/dev/null' {} "${flags[@]}" \
        >build/clang-tidy.log 2>&1; then
    fail=1
fi
if grep -qE '(warning|error):' build/clang-tidy.log; then
    grep -E -A3 '(warning|error):' build/clang-tidy.log
    fail=1
else
    echo "clang-tidy: clean"
fi

echo "cppcheck: src/"
if ! cppcheck --enable=warning,style,performance,portability --std=c11 --inline-suppr \
        --suppressions-list=.cppcheck-suppressions -D_GNU_SOURCE -Isrc --quiet \
        --error-exitcode=1 --template='{file}:{line}: {severity}: {message} [{id}]' src/; then
    fail=1
else
    echo "cppcheck: clean"
fi
exit $fail
