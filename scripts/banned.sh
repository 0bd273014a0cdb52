#!/usr/bin/env bash
# banned.sh: fails when C code under src/ (or the directories given) calls a banned function.
# The list follows curl's: functions that cannot be told the size of their destination or
# that hide errors. Use instead:
#   sprintf, vsprintf  -> snprintf / rx_buf_printf / rx_arena_printf
#   strcpy, strcat     -> memcpy with a known length, snprintf, rx_buf_*
#   atoi, atol         -> strtol / strtoll with an end pointer and errno
#   strtok             -> strtok_r, or a scanner of your own (strtok keeps global state)
#   gets               -> fgets
# A call is the name followed by "(" (so snprintf, vsnprintf, fgets and strtok_r pass).
set -euo pipefail
cd "$(dirname "$0")/.."
dirs=("$@")
[ ${#dirs[@]} -gt 0 ] || dirs=(src)
banned='sprintf|vsprintf|strcpy|strcat|atoi|atol|strtok|gets'
# Strip /* */ and // comments and string literals first, so prose and messages may name them.
hits=$(find "${dirs[@]}" -name '*.[ch]' -print0 | sort -z | xargs -0 perl -0777 -ne '
    my $f = $ARGV; my $s = $_;
    $s =~ s{/\*.*?\*/}{ my $c = $&; $c =~ s/[^\n]//g; $c }gse;   # block comments, keep lines
    $s =~ s{//[^\n]*}{}g;                                         # line comments
    $s =~ s{"(?:\\.|[^"\\\n])*"}{""}g;                           # string literals
    my $n = 0;
    for my $line (split /\n/, $s, -1) {
        $n++;
        print "$f:$n: $1\n" while $line =~ /(?<![\w.>])('"$banned"')\s*\(/g;
    }' || true)
if [ -n "$hits" ]; then
    echo "banned.sh: banned functions in use (see scripts/banned.sh for what to use instead):" >&2
    echo "$hits" >&2
    exit 1
fi
echo "banned.sh: no banned functions in ${dirs[*]}"
