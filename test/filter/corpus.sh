#!/bin/sh
# test/filter/corpus.sh: large route-server configs load, and run clean.
#
#   tools/gen-rs-config.py --> rs-*.conf (ROAs, ASPAs) --ternd -p--> accepted
#   ../shared/bench/rs-filter.conf (if present) --ternd -p--> accepted
#   rs-small.conf --ternd -t--> static routes through every client filter;
#                               no run-time type error in the log
set -u
top=${srcdir:-$(dirname "$0")/../..}
ternd=${TERND:-$PWD/ternd}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
check() {
  if "$ternd" -p -c "$1" >"$tmp/out" 2>&1; then
    echo "ok   $2"
  else
    echo "FAIL $2"; sed 's/^/  /' "$tmp/out" | head -20; status=1
  fi
}
python3 "$top/tools/gen-rs-config.py" --clients 600 --prefixes 200 --roas 20000 --aspas 5000 --seed 1 >"$tmp/rs-large.conf"
python3 "$top/tools/gen-rs-config.py" --clients 150 --prefixes 20 --seed 2 >"$tmp/rs-medium.conf"
python3 "$top/tools/gen-rs-config.py" --clients 20 --prefixes 5 --roas 200 --aspas 100 --seed 3 >"$tmp/rs-small.conf"
check "$tmp/rs-large.conf" "rs-large (600 clients)"
check "$tmp/rs-medium.conf" "rs-medium (150 clients)"
check "$tmp/rs-small.conf" "rs-small (20 clients)"
bench="$top/../shared/bench/rs-filter.conf"
if [ -f "$bench" ]; then
  printf 'include "%s";\n' "$bench" >"$tmp/bench.conf"
  check "$tmp/bench.conf" "shared/bench/rs-filter.conf"
fi
# Run the small config: every filter sees routes. Type errors must not
# exist at run time; any message of that kind fails the test.
"$ternd" -t "$tmp/rs-small.conf" >"$tmp/run" 2>&1
if grep -E "must be of type|incompatible types|has no value|must be of the same type" "$tmp/run"; then
  echo "FAIL run-time type error in rs-small"; status=1
else
  echo "ok   rs-small runs without run-time type errors"
fi
exit $status
