#!/bin/bash
# test/config-golden.sh: golden tests of config parsing with `ternd -p`.
#
#   test/config-golden/ok-*.conf   --ternd -p -c-->  exit 0, nothing on stderr
#   test/config-golden/err-*.conf  --ternd -p -c-->  exit 1, stderr == err-*.err
#   test/config-golden/inc/        files the cases include (not cases themselves)
#   doc/ternd.conf.example         the installed example config must parse too
#
# Every error is expected as `file:line:col: message`, all of them, in the
# order ternd reports them. ternd is given absolute paths (cwd is the build
# directory under `make check`); the case directory prefix is removed from
# its output, so the .err files name files relative to test/config-golden/.
# A case may not take more than 10 s: a parser that loops is a failure.
set -u
top=${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top=$(cd "$top" && pwd)
ternd=${TERND:-$PWD/ternd}
dir="$top/test/config-golden"
pass=0
fail=0

if [ ! -x "$ternd" ]; then
  echo "config-golden: no ternd binary at $ternd"
  exit 99
fi

# check FILE WANT_STATUS WANT_STDERR_FILE(or empty)
check() {
  local conf=$1 want_rc=$2 want_file=$3 got rc want
  got=$(timeout 10 "$ternd" -p -c "$conf" 2>&1 >/dev/null)
  rc=$?
  got=${got//"$dir/"/}
  got=${got//"$top/"/}
  want=""
  [ -n "$want_file" ] && want=$(cat "$want_file")
  local name=${conf#"$top/"}
  if [ "$rc" -ne "$want_rc" ] || [ "$got" != "$want" ]; then
    echo "FAIL $name: exit status $rc (want $want_rc)"
    diff -u --label "want" --label "got" <(printf '%s\n' "$want") <(printf '%s\n' "$got") | sed 's/^/  /'
    fail=$((fail + 1))
  else
    pass=$((pass + 1))
  fi
}

for f in "$dir"/ok-*.conf "$top/doc/ternd.conf.example"; do
  check "$f" 0 ""
done
for f in "$dir"/err-*.conf; do
  e=${f%.conf}.err
  if [ ! -f "$e" ]; then
    echo "FAIL ${f#"$top/"}: no ${e#"$top/"}"
    fail=$((fail + 1))
    continue
  fi
  check "$f" 1 "$e"
done
for e in "$dir"/err-*.err; do
  if [ ! -f "${e%.err}.conf" ]; then
    echo "FAIL ${e#"$top/"}: no matching .conf"
    fail=$((fail + 1))
  fi
done

echo "config-golden: $pass passed, $fail failed"
if [ $((pass + fail)) -lt 40 ]; then
  echo "FAIL: only $((pass + fail)) cases (expected at least 40)"
  exit 1
fi
[ "$fail" -eq 0 ]
