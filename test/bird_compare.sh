#!/usr/bin/env bash
# Interop test: BIRD 2 and ternd run the same config in two identical network
# namespaces; the real birdc asks both the same questions and the answers
# must match.
#
#   [ netns tern-cmp-b-$$ ]                  [ netns tern-cmp-t-$$ ]
#     bird -f -c bird.conf                     ternd -f -c ternd.conf
#       device, static st/st6,                   (same config: only the
#       kernel k4/k6 -> table 100                 log file names differ)
#     lo  127.0.0.1/8 ::1/128                  lo  (same)
#     d0 10.88.0.1/24 2001:db8:88::1/64        d0  (same addresses and
#      |  <-veth-> d1                           |    MAC addresses, hence
#     e0 10.89.0.1/24                          e0    the same link-locals)
#      |  <-veth-> e1                           |
#          ^                                        ^
#          +------ birdc -v -s bird.ctl   birdc -v -s ternd.ctl ------+
#
# The static protocols also fill a table of every other net type BIRD 2.0.12
# has (vpn4, vpn6, ipv6 sadr, flow4, flow6, roa4), which `show route all`
# and `show route count` print too.
# Compared: show status, show protocols, show protocols all, show route all,
# show route count, show interfaces, and a few variants (show route [for X |
# protocol P], show protocols all P, show interfaces summary), all through
# `birdc -v` (raw codes); the kernel's table 100 (ip -4/-6 route show
# table 100); the reply to `down`, the kernel table after shutdown, and the
# log files.
#
# "Same" means, strictly (test/compare/compare.py implements it):
#   - framing: in each daemon's raw birdc -v output every line is
#     `CODE-text`, `CODE text` (last) or a continuation; a line is a
#     continuation exactly when its reply code equals the previous line's
#     (BIRD's rule). Continuations are then given the code they continue.
#   - normalisation, nothing else: dates and times become fixed-width
#     placeholders (`YYYY-MM-DD hh:mm:ss.fff`, so a format with or without
#     milliseconds still differs), `BIRD x.y.z` becomes `BIRD <VER>`, the
#     hostname `<HOST>`. Interfaces, indexes and link-local addresses are made
#     identical by the topology instead of being normalised.
#   - order: route blocks within a table (`show route`: the route line with
#     its via/Type/attribute lines) and protocol blocks (`show protocols
#     [all]`) are sorted, since BIRD lists routes in hash order. Nothing else
#     is reordered (next hops of a multipath route, interfaces, addresses,
#     tables keep their order).
#   - then: the same number of lines, and per line the same reply code and
#     `-`/` ` marker, the same number of fields split on runs of spaces,
#     each field starting in the same column (STRUCTURE), and the same text
#     (VALUE). Both kinds fail the test.
# Differences that are known and owned by someone else are listed, with the
# reason, in test/compare/known-diffs; they are applied to ternd's output
# and printed on every run, and an entry that no longer matches is reported
# so that it gets deleted.
set -u
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
for t in bird birdc python3; do
  command -v $t >/dev/null || { echo "FAIL: $t missing"; exit 1; }
done
ternd=$PWD/ternd
srcdir=${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
compare="python3 $srcdir/test/compare/compare.py"
known=${KNOWN_DIFFS:-$srcdir/test/compare/known-diffs}  # KNOWN_DIFFS=/dev/null shows every difference
nsb=tern-cmp-b-$$
nst=tern-cmp-t-$$
dir=$(mktemp -d /tmp/tern-cmp.XXXXXX)
fails=0
bpid= tpid=

cleanup() {
  for p in $bpid $tpid; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
  ip netns del "$nsb" 2>/dev/null
  ip netns del "$nst" 2>/dev/null
  if [ "${KEEP:-0}" = 1 ]; then echo "outputs kept in $dir"; else rm -rf "$dir"; fi
}
trap cleanup EXIT
wait_for() {  # wait_for SECONDS CMD...: poll until CMD succeeds
  local t=$1; shift
  for _ in $(seq $((t * 20))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.05; done
  return 1
}

mkns() {  # mkns NS: the topology above, identical in every namespace
  local ns=$1
  ip netns add "$ns" || return 1
  # No duplicate address detection: addresses are usable (and shown by
  # BIRD, which skips tentative ones) as soon as the link is up.
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
  ip -n "$ns" link set lo up
  ip -n "$ns" link add d0 address 02:00:00:00:88:01 type veth peer name d1 address 02:00:00:00:88:02
  ip -n "$ns" link add e0 address 02:00:00:00:89:01 type veth peer name e1 address 02:00:00:00:89:02
  ip -n "$ns" addr add 10.88.0.1/24 dev d0
  ip -n "$ns" addr add 2001:db8:88::1/64 dev d0
  ip -n "$ns" addr add 10.89.0.1/24 dev e0
  for l in d0 d1 e0 e1; do ip -n "$ns" link set "$l" up; done
}
lladdrs() {  # all four veths have their link-local address
  [ "$(ip -n "$1" -6 addr show scope link | grep -c 'inet6 fe80::')" = 4 ]
}
mkns "$nsb" && mkns "$nst" || { echo "FAIL: cannot create namespaces"; exit 1; }
wait_for 10 lladdrs "$nsb" && wait_for 10 lladdrs "$nst" || { echo "FAIL: no link-local addresses"; exit 1; }

write_conf() {  # write_conf FILE LOGNAME
  cat > "$1" <<CONF
router id 10.88.0.1;
log "$dir/$2.log" all;
log "$dir/$2-err.log" { warning, error, fatal };
timeformat base iso long;
timeformat protocol iso long;
timeformat route iso long ms;
protocol device { }
protocol static st {
  ipv4;
  route 192.0.2.0/24 via 10.88.0.2;
  route 198.51.100.0/24 blackhole;
  route 198.51.101.0/24 unreachable;
  route 198.51.102.0/24 prohibit;
  route 203.0.113.0/24 via "d0";
  route 100.64.0.0/16 via 10.88.0.2 weight 2 via 10.89.0.2 weight 3;
  route 100.65.0.0/16 via 10.89.0.2 via 10.88.0.2;
}
protocol static st6 {
  ipv6;
  route 2001:db8:10::/48 via 2001:db8:88::2;
  route 2001:db8:11::/48 unreachable;
  route 2001:db8:12::/48 via "e0";
}
vpn4 table v4;
vpn6 table v6;
ipv6 sadr table s6;
flow4 table f4;
flow6 table f6;
roa4 table r4;
protocol static sv4 {
  vpn4 { table v4; };
  route 100:200 10.0.0.0/8 blackhole;
  route 10.1.1.1:5 192.0.2.0/24 unreachable;
  route 2:100:7 10.3.0.0/16 prohibit;
  route 4200000000:7 10.4.0.0/16 blackhole;
}
protocol static sv6 { vpn6 { table v6; }; route 65536:7 2001:db8::/32 prohibit; }
protocol static ss6 {
  ipv6 sadr { table s6; };
  route 2001:db8:1::/48 from 2001:db8:2::/48 blackhole;
  route ::/0 from 2001:db8:3::/48 unreachable;
}
protocol static sf4 {
  flow4 { table f4; };
  route flow4 { dst 10.0.0.0/8; proto 6; dport 80, 443; };
  route flow4 {
    dst 10.0.0.0/8;
    port > 24 && < 30 || 40..50,60..70,80 && >= 90;
    tcp flags 0x03/0x0f;
    length > 1024;
    dscp = 63;
    fragment dont_fragment, is_fragment || !first_fragment;
  };
  route flow4 { dst 192.0.2.0/24; src 10.0.0.0/8; icmp type 3; icmp code 1..5; sport != 22; };
  # long flows, which show route cuts (in the middle of a number, after an operator)
  route flow4 { dst 10.0.0.0/8; sport 1000,1001,1002,1003,1004,1005,1006,1007,1008,1009,1010,1011,1012,1013,1014,1015,1016,1017,1018,1019,1020,1021,1022,1023,1024,1025,1026,1027,1028,1029,1030,1031,1032,1033,1034,1035,1036,1037,1038,1039,1040,1041,1042,1043,1044,1045,1046,1047,1048,1049,1050,1051,1052,1053,1054,1055,1056,1057,1058,1059,1060,1061,1062,1063,1064,1065,1066,1067,1068,1069,1070,1071,1072,1073,1074,1075,1076,1077,1078,1079,1080; };
  route flow4 { dst 10.0.0.0/8; dport > 1 && < 3 || > 5 && < 7 || > 9 && < 11 || > 13 && < 15 || > 17 && < 19 || > 21 && < 23 || > 25 && < 27 || > 29 && < 31 || > 33 && < 35 || > 37 && < 39 || > 41 && < 43 || > 45 && < 47 || > 49 && < 51 || > 53 && < 55 || > 57 && < 59 || > 61 && < 63; };
}
protocol static sf6 {
  flow6 { table f6; };
  route flow6 {
    dst fec0:1122:3344:5566:7788:99aa:bbcc:ddee/128;
    src 0000:0000:0000:0001:1234:5678:9800:0000/101 offset 63;
    next header = 23;
    sport > 24 && < 30 || = 40 || 50,60,70..80;
    dport = 50;
    tcp flags 0x03/0x0f && !0/0xff || 0x33/0x33;
    fragment !is_fragment || !first_fragment;
    label > 1111 && != 1234;
  };
  route flow6 { dst 2001:db8::/32; };
}
protocol static sr4 {
  roa4 { table r4; };
  route 192.0.2.0/24 max 24 as 65001;
  route 10.0.0.0/8 max 16 as 4200000000;
}
protocol kernel k4 {
  ipv4 { export all; };
  kernel table 100;
  metric 77;
}
protocol kernel k6 {
  ipv6 { export all; };
  kernel table 100;
  metric 77;
}
CONF
}
routes=7 routes6=3
write_conf "$dir/bird.conf" bird
write_conf "$dir/ternd.conf" ternd

ip netns exec "$nsb" bird -f -c "$dir/bird.conf" -s "$dir/bird.ctl" -P "$dir/bird.pid" 2>"$dir/bird.stderr" &
bpid=$!
ip netns exec "$nst" "$ternd" -f -c "$dir/ternd.conf" -s "$dir/ternd.ctl" -P "$dir/ternd.pid" 2>"$dir/ternd.stderr" &
tpid=$!

# Converged: every route is in the kernel and every protocol is up.
kroutes() {  # kroutes NS FAMILY N: table 100 holds N routes from us
  [ "$(ip -n "$1" "$2" route show table 100 proto bird | grep -vc '^[[:space:]]')" = "$3" ]
}
allup() {  # allup CTL: device1 st st6 k4 k6 up
  [ "$(birdc -s "$1" show protocols | grep -cE '^(device1|st|st6|k4|k6) .* up ')" = 5 ]
}
for d in bird ternd; do
  ns=$nsb; [ $d = ternd ] && ns=$nst
  wait_for 20 test -S "$dir/$d.ctl" || { echo "FAIL: $d: no control socket"; cat "$dir/$d.stderr"; exit 1; }
  wait_for 20 allup "$dir/$d.ctl" || { echo "FAIL: $d: protocols not up"; birdc -s "$dir/$d.ctl" show protocols; fails=$((fails + 1)); }
  wait_for 20 kroutes "$ns" -4 $routes || { echo "FAIL: $d: IPv4 routes not all in the kernel"; fails=$((fails + 1)); }
  wait_for 20 kroutes "$ns" -6 $routes6 || { echo "FAIL: $d: IPv6 routes not all in the kernel"; fails=$((fails + 1)); }
done

check() {  # check KIND NAME: compare $dir/bird.NAME.out with $dir/ternd.NAME.out
  local out
  out=$($compare "$1" "$2" "$dir/bird.$3.out" "$dir/ternd.$3.out" "$known" "$dir/known-used")
  local rc=$?
  if [ $rc = 0 ]; then echo "ok: $2"; else echo "FAIL: $2"; fails=$((fails + 1)); fi
  [ -n "$out" ] && echo "$out"
}
slug() { echo "$1" | tr ' /' '__'; }
for c in "show status" "show protocols" "show protocols all" "show route all" \
         "show route count" "show interfaces" \
         "show route" "show route for 100.64.1.1" "show route protocol st6" \
         "show protocols all k4" "show interfaces summary"; do
  for d in bird ternd; do
    birdc -v -s "$dir/$d.ctl" $c > "$dir/$d.$(slug "$c").out" 2>&1
  done
  check birdc "$c" "$(slug "$c")"
done
for f in -4 -6; do
  ip -n "$nsb" $f route show table 100 > "$dir/bird.kernel$f.out"
  ip -n "$nst" $f route show table 100 > "$dir/ternd.kernel$f.out"
  check plain "ip $f route show table 100" "kernel$f"
done

# Shutdown: same reply, every route withdrawn from the kernel, same logs.
for d in bird ternd; do birdc -v -s "$dir/$d.ctl" down > "$dir/$d.down.out" 2>&1; done
check birdc "down" down
for p in bpid tpid; do
  wait_for 20 sh -c "! kill -0 ${!p} 2>/dev/null" || { echo "FAIL: $p did not exit after down"; fails=$((fails + 1)); }
  wait "${!p}" 2>/dev/null
  eval "$p="
done
for f in -4 -6; do
  ip -n "$nsb" $f route show table 100 > "$dir/bird.after$f.out"
  ip -n "$nst" $f route show table 100 > "$dir/ternd.after$f.out"
  check plain "ip $f route show table 100 after down" "after$f"
done
cp "$dir/bird.log" "$dir/bird.log.out"; cp "$dir/ternd.log" "$dir/ternd.log.out"
cp "$dir/bird-err.log" "$dir/bird.errlog.out"; cp "$dir/ternd-err.log" "$dir/ternd.errlog.out"
check plain "log file (all)" log
check plain "log file ({ warning, error, fatal })" errlog

# A known difference that no longer occurs should leave the list.
for id in $(sed -n 's/^id: //p' "$known"); do
  grep -qx "$id" "$dir/known-used" 2>/dev/null ||
    echo "NOTE: known difference [$id] no longer seen: delete it from test/compare/known-diffs"
done
[ $fails = 0 ] && echo "bird_compare: all outputs match" || echo "bird_compare: $fails comparison(s) failed"
[ $fails = 0 ]
