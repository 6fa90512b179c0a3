#!/bin/sh
# test/filter-golden/run.sh: every type error is caught by `ternd -p`.
#
#   NNN-name.conf --ternd -p -c--> stderr == NNN-name.err, exit status 1
#
# The .err files hold the exact messages (file:line:col: message) with
# the path of the .conf relative to this directory.
set -u
top=${srcdir:-$(dirname "$0")/../..}
ternd=${TERND:-$PWD/ternd}
dir="$top/test/filter-golden"
pass=0 fail=0
cd "$dir" || exit 1
for f in [0-9]*.conf; do
  base=${f%.conf}
  got=$("$ternd" -p -c "$f" 2>&1 >/dev/null)
  rc=$?
  want=$(cat "$base.err")
  if [ "$rc" -eq 0 ]; then
    echo "FAIL $f: accepted"
    fail=$((fail + 1))
  elif [ "$got" != "$want" ]; then
    echo "FAIL $f"
    echo "  want: $want"
    echo "  got:  $got"
    fail=$((fail + 1))
  else
    pass=$((pass + 1))
  fi
done
echo "golden: $pass passed, $fail failed"
if [ "$pass" -lt 60 ]; then
  echo "FAIL: only $pass golden cases (expected at least 60)"
  fail=$((fail + 1))
fi
[ "$fail" -eq 0 ]
