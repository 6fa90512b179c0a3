#!/bin/sh
# client/ternc_test.sh: ternc end to end, against a fake daemon.
#
#   ternc (one-shot / batch / -v / -j / -r / -l / interactive on a pty)
#     |  UNIX socket $tmp/ternd.ctl, BIRD 2.0.12 reply protocol
#     v
#   fake_ternd.py  -- replays client/testdata/<command>.reply,
#                     logs every command it receives to $tmp/log
#
# Checks output, what was sent (abbreviations expanded), and exit codes
# (0 iff the last reply code < 8000).
set -u
srcdir=${srcdir:-.}
data="$srcdir/client/testdata"
# The client is tested with the test command table (client/testtable.c), so
# that abbreviation cases do not change with the daemon's grammar; the real
# ternc, once built, gets a smoke test with its generated table at the end.
TERNC=${TERNC:-./client/ternc-testtable}
TERNC=$(cd "$(dirname "$TERNC")" && pwd)/$(basename "$TERNC")
REAL=./client/ternc

tmp=$(mktemp -d)
sock="$tmp/ternd.ctl"
python3 "$srcdir/client/fake_ternd.py" "$sock" "$data" "$tmp/log" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$tmp"' EXIT

# Wait for the socket (created atomically by the server), bounded.
i=0
while [ ! -S "$sock" ]; do
  i=$((i + 1))
  if [ $i -gt 200 ] || ! kill -0 $server 2>/dev/null; then
    echo "FAIL: fake daemon did not start"; exit 1
  fi
  sleep 0.05
done

pass=0; fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# run NAME EXPECTED_STATUS ternc-args... : output in $tmp/out, $tmp/err
run() {
  name=$1; want=$2; shift 2
  "$TERNC" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
  got=$?
  if [ "$got" = "$want" ]; then ok; else bad "$name: exit $got, want $want"; cat "$tmp/err"; fi
}
expect_out() {     # NAME EXPECTED-TEXT
  if printf '%s\n' "$2" | cmp -s - "$tmp/out"; then ok
  else bad "$1: output differs"; printf '%s\n' "$2" | diff - "$tmp/out"; fi
}
grep_in() {        # NAME FILE PATTERN
  if grep -qF -- "$3" "$2"; then ok; else bad "$1: no '$3' in $(basename "$2")"; cat "$2"; fi
}
last_sent() { tail -1 "$tmp/log"; }
expect_sent() {
  if [ "$(last_sent)" = "$2" ]; then ok; else bad "$1: sent '$(last_sent)', want '$2'"; fi
}

run status 0 -s "$sock" show status
expect_out status "BIRD 2.0.12 ready.
BIRD 2.0.12
Router ID is 10.0.0.1
Hostname is vm
Current server time is 2026-11-26 11:44:32.124
Last reboot on 2026-11-26 11:43:18.546
Last reconfiguration on 2026-11-26 11:43:35.924
Daemon is up and running"

run verbose 0 -s "$sock" -v show status
expect_out verbose "0001 BIRD 2.0.12 ready.
1000-BIRD 2.0.12
1011-Router ID is 10.0.0.1
     Hostname is vm
     Current server time is 2026-11-26 11:44:32.124
     Last reboot on 2026-11-26 11:43:18.546
     Last reconfiguration on 2026-11-26 11:43:35.924
0013 Daemon is up and running"

run abbrev 0 -s "$sock" sh pro al peer_b
expect_sent abbrev "show protocols all peer_b"
grep_in abbrev "$tmp/out" "  Description:    Test peer B"

run ambiguous 1 -s "$sock" sh sta
grep_in ambiguous "$tmp/err" "Ambiguous command, possible expansions are: status static"
expect_sent ambiguous "show protocols all peer_b"     # nothing new was sent

run notfound 1 -s "$sock" show route 1.2.3.0/24
expect_out notfound "BIRD 2.0.12 ready.
Network not found"

run json-protocols 0 -s "$sock" -j show protocols
if python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
p = {x["name"]: x for x in d["protocols"]}
assert p["peer_b"]["info"] == "Established", p
assert p["igp4"]["table"] == "master4" and p["device1"]["table"] is None
assert len(p) == 6
' "$tmp/out"; then ok; else bad "json-protocols: $(cat "$tmp/out")"; fi

run json-error 1 -s "$sock" -j show route 1.2.3.0/24
expect_out json-error '{"error":{"code":8001,"message":"Network not found"}}'

run json-count 0 -s "$sock" -j sh ro co
expect_sent json-count "show route count"
grep_in json-count "$tmp/out" '"total":{"routes":4,"of":4,"networks":4,"tables":3}'

run json-generic 0 -s "$sock" -j configure check
expect_out json-generic '{"code":20,"lines":["Reading configuration from a.conf","Configuration OK"]}'

run restricted 1 -s "$sock" -r disable dead_peer
expect_out restricted "BIRD 2.0.12 ready.
Access restricted
Access denied"

run restricted-ok 0 -s "$sock" -r -j show status
grep_in restricted-ok "$tmp/out" '"router_id":"10.0.0.1"'

run eof 1 -s "$sock" show static eofpeer
grep_in eof "$tmp/err" "connection closed by the daemon"
grep_in eof "$tmp/out" "dead_peer  BGP"

run longline 0 -s "$sock" show static longpeer
grep_in longline "$tmp/err" "truncated"
if [ "$(sed -n 2p "$tmp/out" | wc -c)" = 4092 ] && [ "$(sed -n 3p "$tmp/out" | wc -c)" = 605 ]
then ok; else bad "longline: line lengths"; fi

run garbage 0 -s "$sock" show static garbage
grep_in garbage "$tmp/out" "??? <garbage line>"
grep_in garbage "$tmp/out" "ok line"

run split 0 -s "$sock" show static slow
expect_out split "BIRD 2.0.12 ready.
first
second"

run async 0 -s "$sock" echo all
grep_in async "$tmp/out" ">>> Disabling protocol dead_peer"

# batch mode: commands from a pipe; status of the last one
printf 'show status\nshow route 1.2.3.0/24\n' | "$TERNC" -s "$sock" >"$tmp/out" 2>&1
[ $? = 1 ] && ok || bad "batch: last failed must give 1"
grep_in batch "$tmp/out" "Daemon is up and running"
printf 'show route 1.2.3.0/24\n\nsh statu\nquit\nshow status\n' | "$TERNC" -s "$sock" >"$tmp/out" 2>&1
[ $? = 0 ] && ok || bad "batch: last ok must give 0"
expect_sent batch "show status"
[ "$(grep -c 'Router ID' "$tmp/out")" = 1 ] && ok || bad "batch: quit did not stop"

# -l: ./ternd.ctl in the current directory
(cd "$tmp" && "$TERNC" -l show memory >"$tmp/out" 2>&1)
[ $? = 0 ] && ok || bad "local socket"
grep_in local "$tmp/out" "Routing tables:     45.5 kB     13.6 kB"

run nodaemon 1 -s "$tmp/none.ctl" show status
grep_in nodaemon "$tmp/err" "unable to connect"
run help-offline 0 -s "$tmp/none.ctl" help show
grep_in help-offline "$tmp/out" "show route"
run usage 0 -h
grep_in usage "$tmp/out" "Usage: ternc"
run badopt 1 -x

# interactive: readline on a pseudo-terminal
mkdir "$tmp/home"
if python3 "$srcdir/client/ternc_pty_test.py" "$TERNC" "$sock" "$tmp/home"; then ok
else bad "interactive (pty)"; fi

# the real ternc: same socket protocol, the daemon's own command table
if [ -x "$REAL" ]; then
  TERNC=$(cd "$(dirname "$REAL")" && pwd)/$(basename "$REAL")
  run real-status 0 -s "$sock" sh statu
  expect_sent real-status "show status"
  grep_in real-status "$tmp/out" "Daemon is up and running"
  run real-error 1 -s "$sock" -j show route 1.2.3.0/24
  expect_out real-error '{"error":{"code":8001,"message":"Network not found"}}'
fi

echo "ternc_test: $pass passed, $fail failed"
[ $fail = 0 ]
