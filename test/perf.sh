#!/usr/bin/env bash
# Integration test: the perf protocol (BIRD 2's route benchmark) and `show perf`.
#
#   [ netns tern-perf-$$ ]
#     lo, veth p0 10.89.0.1/24 <-> p1
#
#     device ---> perf1 (import, exp 10..11, repeat 2) ---> perftab
#                 (next hops in 10.89.0.0/24 via p0)
#     static st (3 routes) ---> exptab ---> pexp (export, repeat 3)
#
# Checks: perf1 logs `starting`, two runs per exponent and `done with
# exp=11`, every line exactly in BIRD's format; `show perf` (text and
# `ternc -j`) has both exponents with positive numbers; perftab is empty
# afterwards (routes withdrawn). pexp logs three feeds of 3 routes and
# `feed done`. Reconfigured with `keep on`, perf1 restarts and leaves
# exactly 2^10 routes. Bad options are rejected by `ternd -p` with
# file:line:col.
set -u
. "$(dirname "$0")/lib.sh"
ternd=$PWD/ternd
ternc=$PWD/client/ternc
lab_init perf
c() { "$ternc" -s "$dir/ctl" "$@"; }
log_count() { grep -c -- "$1" "$dir/log" 2>/dev/null; }
log_has() { [ "$(log_count "$1")" -ge "${2:-1}" ]; }

# --- Config errors, golden (ternd -p: parse only) ----------------------
golden() {  # golden NAME EXPECTED-STDERR CONFIG-BODY
  printf 'router id 10.89.0.1;\nipv4 table perftab;\n%s\n' "$3" > "$dir/$1.conf"
  local out rc
  out=$(timeout 20 "$ternd" -p -c "$dir/$1.conf" 2>&1); rc=$?
  [ $rc -ne 0 ] && [ "$out" = "$2" ] && ok || bad "golden $1: rc=$rc, got: $out"
}
golden exp_order "$dir/exp_order.conf:6:3: Perf protocol perf1: exp from (15) is greater than exp to (12)" \
'protocol perf perf1 {
  ipv4 { table perftab; };
  exp from 15;
  exp to 12;
}'
golden exp_range "$dir/exp_range.conf:5:12: Exponent must be in range 0-24" \
'protocol perf perf1 {
  ipv4 { table perftab; };
  exp from 30;
}'
golden mode "$dir/mode.conf:5:8: syntax error, unexpected CF_SYM_UNDEFINED, expecting EXPORT or IMPORT" \
'protocol perf perf1 {
  ipv4 { table perftab; };
  mode wrong;
}'
golden ipv6 "$dir/ipv6.conf:4:1: Perf protocol perf1: only an ipv4 channel is supported" \
'ipv6 table t6;
protocol perf perf1 {
  ipv6 { table t6; };
}'
golden repeat "$dir/repeat.conf:5:10: Repeat count must be at least 1" \
'protocol perf perf1 {
  ipv4 { table perftab; };
  repeat 0;
}'
golden nochannel "$dir/nochannel.conf:3:1: Perf protocol perf1: channel not specified" \
'protocol perf perf1 {
  mode import;
}'

# --- A run --------------------------------------------------------------
ip -n "$ns" link add p0 type veth peer name p1
ip -n "$ns" addr add 10.89.0.1/24 dev p0
ip -n "$ns" link set p0 up; ip -n "$ns" link set p1 up

write_conf() {  # write_conf FILE PERF1-OPTIONS
  cat > "$1" <<CONF
router id 10.89.0.1;
log "$dir/log" all;
ipv4 table perftab;
ipv4 table exptab;
protocol device { }
protocol static st {
  ipv4 { table exptab; };
  route 192.0.2.0/24 blackhole;
  route 198.51.100.0/24 blackhole;
  route 203.0.113.0/24 blackhole;
}
protocol perf perf1 {
  ipv4 { table perftab; import all; export none; };
  mode import;
  $2
  threshold min 1 us;
  threshold max 10 s;
}
protocol perf pexp {
  ipv4 { table exptab; import none; export all; };
  mode export;
  repeat 3;
}
CONF
}
write_conf "$dir/a.conf" "exp from 10; exp to 11; repeat 2; keep off;"
ip netns exec "$ns" "$ternd" -c "$dir/a.conf" -s "$dir/ctl" -P "$dir/pid" || { bad "ternd did not start"; exit 1; }
wait_for 10 test -S "$dir/ctl" || bad "no control socket"

wait_for 60 log_has "Perf 2.0.12 perf1 done with exp=11" && ok || bad "no 'done with exp=11'"
wait_for 20 log_has "Perf 2.0.12 pexp feed done" && ok || bad "no 'feed done'"

# BIRD's exact lines (proto/perf/perf.c PLOG in 2.0.12), after the stamp.
stamp='^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} <INFO> '
re_import="${stamp}Perf 2\.0\.12 perf1 (starting|exp=1[01] times: gen=[0-9]+ update=[0-9]+ withdraw=[0-9]+|done with exp=11)\$"
re_export="${stamp}Perf 2\.0\.12 pexp (feed n=[0-9]+ time=[0-9]+|feed done)\$"
perf_lines=$(grep ' Perf ' "$dir/log")
bad_lines=$(echo "$perf_lines" | grep -Ev "$re_import|$re_export")
[ -z "$bad_lines" ] && ok || bad "lines not in BIRD's format: $bad_lines"
seq_import=$(echo "$perf_lines" | grep ' perf1 ' | sed -E 's/.* perf1 //; s/ times: .*//')
[ "$seq_import" = "$(printf 'starting\nexp=10\nexp=10\nexp=11\nexp=11\ndone with exp=11')" ] && ok \
  || bad "perf1 line sequence: $seq_import"
seq_export=$(echo "$perf_lines" | grep ' pexp ' | sed -E 's/.* pexp //; s/ time=[0-9]+$//')
[ "$seq_export" = "$(printf 'feed n=3\nfeed n=3\nfeed n=3\nfeed done')" ] && ok \
  || bad "pexp line sequence: $seq_export"
echo "$perf_lines" | grep -Eq 'perf1 exp=11 times: gen=[1-9][0-9]* update=[1-9][0-9]* withdraw=[1-9][0-9]*$' \
  && ok || bad "exp=11 times not positive"

# show perf: exponents 10 and 11, 2 runs each, positive ns per route.
out=$(c -v show perf)
echo "$out" | grep -q '^2031-Name ' && ok || bad "show perf heading: $out"
for e in 10 11; do
  row=$(echo "$out" | grep -E "^(1031-| +)perf1 +import +$e ")
  echo "$row" | awk -v n=$((1 << e)) '$4 == n && $5 == 2 && $6 > 0 && $7 > 0 && $8 > 0 && $9 > 0 &&
    $10 > 0 && $11 > 0 && $7 <= $6 && $9 <= $8 && $11 <= $10 { ok = 1 } END { exit !ok }' \
    && ok || bad "show perf exp $e: '$row'"
done
echo "$out" | grep -Eq '^ +pexp +export +--- +3 +3 +--- +--- +[0-9]+ +[0-9]+ +--- +---$' \
  && ok || bad "show perf export row: $out"
out=$(c -v show perf nosuch | grep -v '^0001 ')
[ "$out" = "8003 No protocols match" ] && ok || bad "show perf nosuch: $out"

# The same as JSON.
json=$(c -j show perf)
echo "$json" | python3 -c '
import json, sys
d = json.load(sys.stdin)
rows = {(r["name"], r["exp"]): r for r in d["perf"]}
for e in (10, 11):
    r = rows[("perf1", e)]
    assert r["mode"] == "import" and r["routes"] == 1 << e and r["runs"] == 2, r
    for k in ("gen", "update", "withdraw"):
        assert r[k]["median"] > 0 and 0 < r[k]["min"] <= r[k]["median"], r
x = rows[("pexp", None)]
assert x["mode"] == "export" and x["routes"] == 3 and x["runs"] == 3, x
assert x["gen"] is None and x["withdraw"] is None and x["update"]["median"] >= 0, x
' && ok || bad "ternc -j show perf: $json"

out=$(c show route count table perftab)
echo "$out" | grep -q "0 of 0 routes for 0 networks in table perftab" && ok || bad "perftab not empty: $out"
out=$(c show protocols perf1)
echo "$out" | grep -Eq '^perf1 +Perf +perftab +up .* done$' && ok || bad "show protocols perf1: $out"

# --- keep on: reconfiguring perf1's options restarts it ----------------
write_conf "$dir/a.conf" "exp from 10; exp to 10; repeat 1; keep on;"
out=$(c configure)
echo "$out" | grep -q "Reconfigured" && ok || bad "configure: $out"
wait_for 60 log_has "Perf 2.0.12 perf1 done with exp=10" && ok || bad "no 'done with exp=10' after keep on"
out=$(c show route count table perftab)
echo "$out" | grep -q "1024 of 1024 routes for 1024 networks in table perftab" && ok \
  || bad "keep on: perftab count: $out"
out=$(c -v show perf perf1)
echo "$out" | grep -Eq '^1031-perf1 +import +10 +1024 +1 +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ +--- +---$' \
  && ok || bad "show perf after keep on: $out"
[ "$(echo "$out" | grep -c 'perf1')" = 1 ] && ok || bad "old results kept over a restart: $out"
# The daemon still answers while nothing runs, and pexp was not restarted.
[ "$(log_count 'Perf 2.0.12 pexp feed done')" = 1 ] && ok || bad "pexp restarted on reconfigure"

lab_done
