#!/bin/sh
# test/filter/run.sh: the filter language tested in itself.
#
#   test/filter/*.conf --ternd -t--> "PASS suite" lines, "N passed, N failed"
#
# Each file is a full config (static protocols fill ROA tables); every
# bt_test_suite in it must pass. Run from the build directory (make check).
set -u
top=${srcdir:-$(dirname "$0")/../..}
ternd=${TERND:-$PWD/ternd}
dir="$top/test/filter"
total_pass=0 total_fail=0 status=0
for f in "$dir"/*.conf; do
  out=$("$ternd" -t "$f" 2>&1)
  rc=$?
  last=$(printf '%s\n' "$out" | tail -n 1)
  p=$(printf '%s\n' "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
  n=$(printf '%s\n' "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
  if [ "$rc" -ne 0 ] || [ -z "$p" ] || [ "$n" != 0 ]; then
    echo "FAIL $(basename "$f") (exit $rc)"
    printf '%s\n' "$out" | grep -v '^PASS' | sed 's/^/  /'
    status=1
  else
    echo "ok   $(basename "$f"): $last"
  fi
  total_pass=$((total_pass + ${p:-0})); total_fail=$((total_fail + ${n:-0}))
done
echo "filter tests: $total_pass assertions passed, $total_fail failed"
# The suite must stay substantial: a lost file would silently shrink it.
if [ "$total_pass" -lt 600 ]; then
  echo "FAIL: only $total_pass assertions (expected at least 600)"
  status=1
fi
exit $status
