#!/bin/sh
# The test suite's time: the slowest tests and the total, from the last ctest run's log, so that CI's
# log shows where the suite's minutes go (the suite should stay under 6 minutes on 2 cores).
# usage: timing_summary.sh BUILD_DIR
set -eu
log=$1/Testing/Temporary/LastTest.log
[ -f "$log" ] || { echo "timing_summary.sh: no ctest log in $1" >&2; exit 1; }
sed -n 's/^"\(.*\)" time elapsed: \([0-9]*\):\([0-9]*\):\([0-9]*\)$/\2 \3 \4 \1/p' "$log" |
  awk '{ s = $1 * 3600 + $2 * 60 + $3; $1 = $2 = $3 = ""; sub(/^ +/, ""); print s "\t" $0 }' |
  sort -rn | awk -F '\t' '
    { total += $1; if (NR <= 10) slowest = slowest sprintf("%6d s  %s\n", $1, $2) }
    END { printf "test time: %d s in %d tests; the slowest:\n%s", total, NR, slowest }'
