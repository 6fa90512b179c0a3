#!/usr/bin/env bash
# Integration test: the direct and pipe protocols, in a network namespace,
# checked with the real birdc and the kernel's routing table.
#
#   [ netns tern-dp-$$ ]
#
#     d0 (veth) 10.77.0.1/24             <====>  d1 (veth) 10.77.1.1 peer 10.77.1.2/32
#               10.77.9.1/32 (host)
#               2001:db8:77::1/64
#     x0 (veth) 10.77.2.1/24             <====>  x1 (veth, no address)
#
#     ternd:
#       direct dir1 { ipv4; ipv6; interface -"x*", "*"; }   -> master4, master6
#       direct dir2 { ipv4 { table tx; }; interface "x*"; } -> tx
#
#       static static1 -> t1 ==pipe p1 (export all, import none)==> t2 <- static st2
#                                                                   |
#                                                 kernel k2 (export all) -> kernel table 102
#
#       static st3 -> t3 ==pipe pr1==> t4 ==pipe pr2==> t3     (a ring)
#
#       static s5a (200), s5b (100), same net -> t5 ==pipe p5==> t6
#
# Checks: a device route per interface prefix (host and peer addresses
# included) that follows `ip addr del/add` and link changes and respects
# the interface patterns, also when only the patterns are reconfigured;
# routes piped with their original protocol, withdrawn through the pipe and
# from the kernel table, import/export all|none in both directions applied
# in place; no loops in a ring; BIRD 2.0.12's `show protocols [all]` for a
# pipe; config errors as file:line:col.
set -u
. "$(dirname "$0")/lib.sh"
command -v birdc >/dev/null || { echo "FAIL: birdc missing"; exit 1; }
ternd=$PWD/ternd
lab_init dp
nsip() { ip -n "$ns" "$@"; }

# ---- config errors (no daemon needed) -------------------------------------
golden() {  # golden NAME BODY EXPECTED...: `ternd -p` prints exactly these lines
  local name=$1 body=$2 out want=""; shift 2
  printf 'ipv4 table t1;\nipv4 table t2;\nipv6 table t6;\nprotocol pipe %s {\n  %s\n}\n' "$name" "$body" \
    > "$dir/$name.conf"
  for l in "$@"; do want+="$dir/$name.conf:$l"$'\n'; done
  out=$("$ternd" -p -c "$dir/$name.conf" 2>&1) && bad "$name: accepted"
  [ "$out"$'\n' = "$want" ] && ok || bad "$name: got '$out', want '$want'"
}
golden g_nopeer "table t1;" "6:1: Secondary routing table not specified"
golden g_notable "peer table t2;" "6:1: Primary routing table not specified"
golden g_same "table t1; peer table t1;" "6:1: Primary table and peer table must be different"
golden g_types "table t1; peer table t6;" "6:1: Primary table and peer table must have the same type"
golden g_notatable "table t1; peer table t2x;" \
  "5:24: syntax error, unexpected CF_SYM_UNDEFINED, expecting CF_SYM_KNOWN" \
  "6:1: Secondary routing table not specified"
golden g_twoerrors "table t1; peer table t2; receive limit 10; import keep filtered;" \
  "5:28: Pipe protocol does not support receive limits" \
  "5:46: Pipe protocol prohibits keeping filtered routes"
golden g_keep "table t1; peer table t2; import keep filtered;" "5:28: Pipe protocol prohibits keeping filtered routes"
printf 'ipv4 table t1;\nipv4 table t2;\nprotocol pipe { table t1; peer table t2; import none; }\n' > "$dir/good.conf"
check "valid pipe config rejected" "$ternd" -p -c "$dir/good.conf"

# ---- the namespace ----------------------------------------------------------
nsip link add d0 type veth peer name d1
nsip link add x0 type veth peer name x1
# Deleting a primary address must not take the secondary ones with it.
ip netns exec "$ns" sysctl -qw net.ipv4.conf.d0.promote_secondaries=1
nsip addr add 10.77.0.1/24 dev d0
nsip addr add 10.77.9.1/32 dev d0
nsip addr add 2001:db8:77::1/64 dev d0 nodad
nsip addr add 10.77.1.1 peer 10.77.1.2/32 dev d1
nsip addr add 10.77.2.1/24 dev x0
for l in d0 d1 x0 x1; do nsip link set "$l" up; done
nsip route add unreachable 0.0.0.0/0 table 102

write_conf() {  # write_conf FILE DIR1_PATTERNS STATIC1_EXTRA P1_IMPORT P1_EXPORT ST3_ROUTE
  cat > "$1" <<CONF
router id 10.77.0.1;
log "$dir/log" all;
ipv4 table t1;
ipv4 table t2;
ipv4 table t3;
ipv4 table t4;
ipv4 table t5;
ipv4 table t6;
ipv4 table tx;
protocol device { scan time 10; }
protocol direct dir1 { ipv4; ipv6; interface $2; }
protocol direct dir2 { ipv4 { table tx; }; interface "x*"; }
protocol static static1 {
  ipv4 { table t1; };
  route 192.0.2.0/24 blackhole;
  $3
}
protocol static st2 { ipv4 { table t2; }; route 203.0.113.0/24 unreachable; }
protocol pipe p1 { table t1; peer table t2; import $4; export $5; }
protocol kernel k2 { ipv4 { table t2; export all; }; kernel table 102; }
protocol static st3 { ipv4 { table t3; }; $6 }
protocol pipe pr1 { table t3; peer table t4; import none; export all; }
protocol pipe pr2 { table t4; peer table t3; import none; export all; }
protocol static s5a { ipv4 { table t5; }; route 100.64.0.0/24 blackhole; }
protocol static s5b { ipv4 { table t5; preference 100; }; route 100.64.0.0/24 unreachable; }
protocol pipe p5 { table t5; peer table t6; import none; export all; }
CONF
}
write_conf "$dir/a.conf" '-"x*", "*"' "route 198.51.100.0/24 via 10.77.0.2;" none all \
  "route 192.0.2.128/25 blackhole;"
ip netns exec "$ns" "$ternd" -c "$dir/a.conf" -s "$dir/ctl" -P "$dir/pid" || { bad "ternd did not start"; exit 1; }
wait_for 10 test -S "$dir/ctl" || bad "no control socket"

# `rt TABLE NET`: the route lines birdc shows for NET in TABLE
rt() { b show route table "$1" "$2" 2>/dev/null | grep -v -e '^BIRD' -e '^Table' -e '^$'; }
has() { rt "$1" "$2" | grep -Eq -- "$3"; }
gone() { ! b show route table "$1" "$2" | grep -q "$2"; }

# ---- direct -------------------------------------------------------------------
check "d0 prefix" wait_for 10 has master4 10.77.0.0/24 '^10\.77\.0\.0/24 +unicast \[dir1 [0-9:.]+\] \* \(240\)$'
check "d0 dev line" has master4 10.77.0.0/24 '^	dev d0$'
check "host address /32" wait_for 5 has master4 10.77.9.1/32 'unicast \[dir1 .*\(240\)'
check "peer address gives the peer's /32" wait_for 5 has master4 10.77.1.2/32 'unicast \[dir1 '
check "no route for the local side of a peer address" gone master4 10.77.1.1/32
check "ipv6 prefix" wait_for 5 has master6 2001:db8:77::/64 '^	dev d0$'
check "no link-local routes" sh -c "! birdc -s $dir/ctl show route table master6 | grep -q fe80"
check "x0 excluded by -\"x*\"" gone master4 10.77.2.0/24
check "x0 in tx through dir2" wait_for 5 has tx 10.77.2.0/24 '\[dir2 '
check "dir2 has nothing else" sh -c "birdc -s $dir/ctl show route table tx count | grep -q '^1 of 1 routes'"
out=$(b show route table master4 all 10.77.0.0/24)
echo "$out" | grep -q "Type: device univ" && ok || bad "Type line: $out"
out=$(b show protocols dir2)
echo "$out" | grep -Eq '^dir2 +Direct +tx +up ' && ok || bad "dir2 row: $out"
out=$(b show protocols dir1)
echo "$out" | grep -Eq '^dir1 +Direct +--- +up ' && ok || bad "dir1 row (two channels): $out"

nsip addr del 10.77.0.1/24 dev d0
check "route gone after ip addr del" wait_for 10 gone master4 10.77.0.0/24
check "host route survives" has master4 10.77.9.1/32 'dir1'
nsip addr add 10.77.0.1/24 dev d0
check "route back after ip addr add" wait_for 10 has master4 10.77.0.0/24 'dir1'
# Two addresses in one prefix: the route stays while one is left.
nsip addr add 10.77.0.7/24 dev d0
nsip addr del 10.77.0.1/24 dev d0
sleep 0.3  # let a wrong withdraw show up, if any
check "shared prefix kept while an address remains" wait_for 5 has master4 10.77.0.0/24 'dir1'
nsip addr add 10.77.0.1/24 dev d0
nsip addr del 10.77.0.7/24 dev d0
nsip link set d0 down
check "routes gone with the interface down" wait_for 10 gone master4 10.77.0.0/24
check "host route gone with the interface down" gone master4 10.77.9.1/32
nsip link set d0 up
check "routes back with the interface up" wait_for 10 has master4 10.77.0.0/24 'dir1'
check "host route back" wait_for 5 has master4 10.77.9.1/32 'dir1'

# ---- pipe ---------------------------------------------------------------------
check "static in t1" wait_for 5 has t1 192.0.2.0/24 'blackhole \[static1 .*\(200\)'
check "piped to t2 with its protocol" wait_for 5 has t2 192.0.2.0/24 '^192\.0\.2\.0/24 +blackhole \[static1 [0-9:.]+\] \* \(200\)$'
check "unicast piped with next hop" has t2 198.51.100.0/24 '	via 10\.77\.0\.2 on d0'
check "import none: st2 not in t1" gone t1 203.0.113.0/24
check "not piped back into t1" sh -c "birdc -s $dir/ctl show route table t1 count | grep -q '^2 of 2 routes'"
out=$(b show route table t2 protocol static1 count)
echo "$out" | grep -q "^2 of 3 routes for 2 networks in table t2" && ok || bad "protocol static1 in t2: $out"
out=$(b show protocols p1)
echo "$out" | grep -Eq '^p1 +Pipe +--- +up +[0-9:.]+ +t1 <=> t2$' && ok || bad "pipe row: $out"
out=$(b show protocols all p1)
for want in '^  Channel main$' '^    Table:          t1$' '^    Peer table:     t2$' \
    '^    Import state:   up$' '^    Export state:   up$' '^    Import filter:  REJECT$' \
    '^    Export filter:  ACCEPT$' '^  Routes:         0 imported, 2 exported$' \
    '^  Route change stats:     received   rejected   filtered    ignored   accepted$' \
    '^    Export updates: +[0-9]+ +0 +0 +[0-9]+ +[0-9]+$'; do
  echo "$out" | grep -Eq -- "$want" && ok || bad "show protocols all p1: no /$want/ in: $out"
done
check "kernel table 102 gets t2's blackhole" wait_for 10 sh -c \
  "ip -n $ns route show table 102 | grep -q 'blackhole 192.0.2.0/24 proto bird'"
check "kernel table 102 gets t2's unicast" wait_for 5 sh -c \
  "ip -n $ns route show table 102 | grep -q '198.51.100.0/24 via 10.77.0.2 dev d0 proto bird'"

# The ring: exactly one copy in each table, and the daemon is fine.
check "ring: st3 route in t3" wait_for 5 has t3 192.0.2.128/25 'static1|st3'
check "ring: in t4" wait_for 5 has t4 192.0.2.128/25 '\[st3 '
check "ring: one route in t3" sh -c "birdc -s $dir/ctl show route table t3 count | grep -q '^1 of 1 routes'"
check "ring: one route in t4" sh -c "birdc -s $dir/ctl show route table t4 count | grep -q '^1 of 1 routes'"

# Every route goes through, not only the best (BIRD 2's pipe), and
# `show route export/noexport <pipe>` sees them all.
check "all routes piped" wait_for 5 sh -c \
  "birdc -s $dir/ctl show route table t6 count | grep -q '^2 of 2 routes for 1 networks'"
check "best stays best in t6" has t6 100.64.0.0/24 '^100\.64\.0\.0/24 +blackhole \[s5a .*\* \(200\)$'
check "second route in t6" has t6 100.64.0.0/24 '^ +unreachable \[s5b .*\] \(100\)$'
out=$(b show route table t5 export p5 count)
echo "$out" | grep -q "^2 of 2 routes" && ok || bad "export p5: $out"
out=$(b show route table t6 noexport p5 count)
echo "$out" | grep -q "^2 of 2 routes" && ok || bad "noexport p5 (own routes are not sent back): $out"
out=$(b show route table t1 exported p1 count)
echo "$out" | grep -q "^2 of 2 routes" && ok || bad "exported p1: $out"
b disable s5a >/dev/null
check "a withdrawn route leaves the peer table" wait_for 5 sh -c \
  "birdc -s $dir/ctl show route table t6 count | grep -q '^1 of 1 routes'"
check "the other one is best there now" has t6 100.64.0.0/24 'unreachable \[s5b .*\* \(100\)'

# ---- reconfiguration ------------------------------------------------------------
# 1. static1 loses a route, p1 imports too, dir1 excludes d1, the ring's route goes.
write_conf "$dir/b.conf" '-"x*", -"d1", "*"' "" all all ""
: > "$dir/log"
out=$(b configure \"$dir/b.conf\"); echo "$out" | grep -q Reconfigured && ok || bad "configure b: $out"
check "withdrawn from t1" wait_for 5 gone t1 198.51.100.0/24
check "withdrawn from t2 through the pipe" wait_for 5 gone t2 198.51.100.0/24
check "withdrawn from kernel table 102" wait_for 10 sh -c \
  "! ip -n $ns route show table 102 | grep -q 198.51.100.0"
check "import all: st2 now in t1 as st2" wait_for 5 has t1 203.0.113.0/24 'unreachable \[st2 '
check "st2 not piped back into t2 twice" sh -c "birdc -s $dir/ctl show route table t2 count | grep -q '^2 of 2 routes'"
check "t1 still has its own route once" sh -c "birdc -s $dir/ctl show route table t1 count | grep -q '^2 of 2 routes'"
check "pattern change: d1 peer route withdrawn" wait_for 5 gone master4 10.77.1.2/32
check "pattern change: d0 kept" has master4 10.77.0.0/24 dir1
check "ring: withdrawn from t3" wait_for 5 gone t3 192.0.2.128/25
check "ring: withdrawn from t4" wait_for 5 gone t4 192.0.2.128/25
for p in p1 dir1 pr1 pr2; do
  grep -q "Restarting protocol $p\$" "$dir/log" && bad "$p restarted instead of reconfigured" || ok
done
out=$(b show protocols all p1)
echo "$out" | grep -Eq '^  Routes:         1 imported, 1 exported$' && ok || bad "p1 routes after b: $out"

# 2. export none: the routes leave t2 (and the kernel); import none: st2 leaves t1.
write_conf "$dir/c.conf" '-"x*", "*"' "" none none "route 192.0.2.128/25 blackhole;"
out=$(b configure \"$dir/c.conf\"); echo "$out" | grep -q Reconfigured && ok || bad "configure c: $out"
check "export none: gone from t2" wait_for 5 gone t2 192.0.2.0/24
check "export none: gone from kernel" wait_for 10 sh -c \
  "! ip -n $ns route show table 102 | grep -q 'blackhole 192.0.2.0/24'"
check "export none: t1 keeps it" has t1 192.0.2.0/24 static1
check "import none: st2 gone from t1" wait_for 5 gone t1 203.0.113.0/24
check "pattern back: d1 peer route again" wait_for 5 has master4 10.77.1.2/32 dir1
check "ring again: one in t3" wait_for 5 sh -c "birdc -s $dir/ctl show route table t3 count | grep -q '^1 of 1 routes'"
check "ring again: one in t4" wait_for 5 sh -c "birdc -s $dir/ctl show route table t4 count | grep -q '^1 of 1 routes'"

# 3. export all again: back in t2 and in the kernel.
write_conf "$dir/d.conf" '-"x*", "*"' "" none all ""
out=$(b configure \"$dir/d.conf\"); echo "$out" | grep -q Reconfigured && ok || bad "configure d: $out"
check "export all: back in t2" wait_for 5 has t2 192.0.2.0/24 '\[static1 '
check "export all: back in kernel" wait_for 10 sh -c \
  "ip -n $ns route show table 102 | grep -q 'blackhole 192.0.2.0/24 proto bird'"

# 4. disabling the pipe removes what it piped; enabling brings it back.
b disable p1 >/dev/null
check "disabled pipe: gone from t2" wait_for 5 gone t2 192.0.2.0/24
out=$(b show protocols all p1)
echo "$out" | grep -q '^    Peer table:     t2$' && ok || bad "down pipe details: $out"
b enable p1 >/dev/null
check "enabled pipe: back in t2" wait_for 5 has t2 192.0.2.0/24 '\[static1 '

check "daemon alive" kill -0 "$(cat "$dir/pid")"
grep -q "Pipe loop detected" "$dir/log" && bad "pipe loop logged" || ok

kill "$(cat "$dir/pid")"
check "kernel routes removed at shutdown" wait_for 10 sh -c \
  "! ip -n $ns route show table 102 | grep -q 'proto bird'"
lab_done
