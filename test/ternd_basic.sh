#!/usr/bin/env bash
# Integration test: ternd in its own network namespace, checked through the
# kernel's routes and the real birdc.
#
#   [ netns tern-basic-$$ ]
#     lo, veth d0 10.88.0.1/24 <-> d1
#     ternd: static st, st2 -> master4 -> kernel k4 -> table 100
#
# Checks: routes reach the kernel; birdc sees the protocols; a broken
# config is rejected with file:line:col and changes nothing; changing one
# protocol restarts only that protocol.
set -u
. "$(dirname "$0")/lib.sh"
command -v birdc >/dev/null || { echo "FAIL: birdc missing"; exit 1; }
ternd=$PWD/ternd
lab_init basic
ip -n "$ns" link add d0 type veth peer name d1
ip -n "$ns" addr add 10.88.0.1/24 dev d0
ip -n "$ns" link set d0 up; ip -n "$ns" link set d1 up
ip -n "$ns" route add unreachable 0.0.0.0/0 table 100

# 3000 more routes, so that the kernel protocol's scans and its shutdown
# queue more changes than one netlink batch window holds.
for i in $(seq 0 2999); do echo "route 172.$((16 + i / 256)).$((i % 256)).0/24 blackhole;"; done > "$dir/big-routes.conf"

write_conf() {  # write_conf FILE METRIC EXTRA_ROUTE [STF_PREFIX_SET]
  cat > "$1" <<CONF
router id 10.88.0.1;
log "$dir/log" all;
protocol device { }
protocol static st {
  ipv4;
  route 192.0.2.0/24 via 10.88.0.2;
  route 198.51.100.0/24 blackhole;
  route 10.100.0.0/16 via 10.88.0.2 weight 2 via 10.88.0.3;
  route 10.101.0.0/16 via 10.88.0.2;
  $3
}
protocol static st2 {
  ipv4;
  route 203.0.113.0/24 unreachable;
  route 10.101.0.0/16 via 10.88.0.3;
  route 10.77.0.0/24 via 10.88.0.2;
  route 10.200.0.0/16 recursive 10.77.0.5;
}
protocol static lim {
  ipv4 { import limit 2 action disable; };
  route 100.70.0.0/24 blackhole;
  route 100.70.1.0/24 blackhole;
  route 100.70.2.0/24 blackhole;
}
roa4 table r4;
protocol static roas {
  roa4 { table r4; };
  route 192.0.2.0/24 max 24 as 65001;
  route 192.0.0.0/16 max 20 as 65002;
}
protocol static rv {
  ipv4 { import where roa_check(r4, net, 65001) = ROA_VALID; };
  route 192.0.2.0/24 blackhole;
}
protocol static big {
  ipv4;
  include "$dir/big-routes.conf";
}
protocol static stf {
  ipv4 { import where net ~ [ ${4:-100.80.0.0/16+} ]; };
  route 100.80.1.0/24 blackhole;
  route 100.81.1.0/24 blackhole;
}
protocol static rlim {
  ipv4 { import none; import keep filtered on; receive limit 1 action block; };
  route 100.71.0.0/24 blackhole;
  route 100.71.1.0/24 blackhole;
}
protocol kernel k5 {
  ipv4 { export all; export limit 2 action block; };
  kernel table 101;
}
protocol static quiet {
  ipv4 { import none; import table on; };
  route 100.100.0.0/16 blackhole;
}
protocol kernel k4 {
  ipv4 { export all; };
  kernel table 100;
  metric $2;
  scan time 1;
  merge paths on;
  learn on;
}
CONF
}
write_conf "$dir/a.conf" 32 ""
ip netns exec "$ns" "$ternd" -c "$dir/a.conf" -s "$dir/ctl" -P "$dir/pid" || { bad "ternd did not start"; exit 1; }
wait_for 10 test -S "$dir/ctl" || bad "no control socket"

has_route() { ip -n "$ns" route show table 100 | grep -q "$1"; }
wait_for 10 has_route "192.0.2.0/24 via 10.88.0.2 dev d0 proto bird metric 32" && ok || bad "unicast route not in kernel"
wait_for 5 has_route "blackhole 198.51.100.0/24 proto bird" && ok || bad "blackhole not in kernel"
wait_for 5 has_route "unreachable 203.0.113.0/24 proto bird" && ok || bad "unreachable not in kernel"
allin() { [ "$(ip -n "$ns" route show table 100 proto bird | wc -l)" -ge 3005 ]; }
wait_for 10 allin && ok || bad "not all 3000 routes of big in the kernel"
# merge paths: st and st2 both route 10.101.0.0/16 (same preference); the
# kernel gets one route with both next hops.
merged() { ip -n "$ns" route show table 100 10.101.0.0/16 | grep -q "nexthop via 10.88.0.3"; }
wait_for 5 merged && ip -n "$ns" route show table 100 10.101.0.0/16 | grep -q "nexthop via 10.88.0.2" && ok || bad "merge paths: $(ip -n "$ns" route show table 100 10.101.0.0/16)"
ecmp=$(ip -n "$ns" route show table 100 10.100.0.0/16)
echo "$ecmp" | grep -q "nexthop via 10.88.0.2 dev d0 weight 2" && echo "$ecmp" | grep -q "nexthop via 10.88.0.3 dev d0 weight 1" && ok || bad "multipath route: $ecmp"

# The import limit disables `lim` once it has more than 2 routes.
lim_down() { b show protocols lim | grep -Eq "^lim +Static +master4 +down .*Route limit exceeded"; }
wait_for 10 lim_down && ok || bad "import limit did not disable lim: $(b show protocols lim)"
out=$(b show protocols)
for p in st st2 k4 device1; do
  echo "$out" | grep -Eq "^$p +[A-Za-z]+ +[a-z0-9-]+ +up " && ok || bad "protocol $p not up: $out"
done
out=$(b show route count)
echo "$out" | grep -q "3010 of 3010 routes for 3008 networks in table master4" && ok || bad "route count: $out"
out=$(b -v show route 192.0.2.0/24)
echo "$out" | grep -q "^1007-Table master4:" && ok || bad "show route framing: $out"
echo "$out" | grep -q "via 10.88.0.2 on d0" && ok || bad "show route via: $out"
out=$(b show route 1.2.3.0/24); echo "$out" | grep -q "Network not found" && ok || bad "8001: $out"
# birdc refuses unknown commands itself; talk to the socket directly.
raw() { python3 - "$dir/ctl" "$1" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX); s.settimeout(10); s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode() + b"\n")
buf = b""
while True:
    d = s.recv(65536)
    if not d: break
    buf += d
    lines = buf.decode(errors="replace").split("\n")
    if any(len(l) > 4 and l[4] == " " and l[:4] != "0001" for l in lines[:-1]): break
print(buf.decode(errors="replace"), end="")
PY
}
out=$(raw "foo bar"); echo "$out" | grep -q "^9001 syntax error, unexpected CF_SYM_UNDEFINED" && ok || bad "9001: $out"
out=$(raw "$(python3 -c 'print("x" * 5000)')"); echo "$out" | grep -q "^9000 Command too long" && ok || bad "9000: $out"

# Receive limit: rlim keeps one (filtered) route, the second is refused.
out=$(b show protocols all rlim)
echo "$out" | grep -Eq "Routes: +0 imported, 1 filtered, 0 exported" && ok || bad "receive limit: $out"
# Export limit: k5 exports 2 routes, no more.
out=$(b show protocols all k5)
echo "$out" | grep -Eq "Routes: +0 imported, 2 exported" && ok || bad "export limit: $out"
wait_for 5 sh -c "[ \$(ip -n $ns route show table 101 proto bird | wc -l) -eq 2 ]" && ok || bad "export limit: kernel table 101: $(ip -n "$ns" route show table 101)"

# A recursive route resolves through the IGP table (its own master4 here).
wait_for 5 has_route "10.200.0.0/16 via 10.88.0.2 dev d0 proto bird" && ok || bad "recursive route: $(ip -n "$ns" route show table 100 10.200.0.0/16)"
# learn: a route someone else put into table 100 shows up in master4.
ip -n "$ns" route add 10.201.0.0/16 via 10.88.0.3 table 100
learned() { b show route 10.201.0.0/16 | grep -q "unicast \[k4 "; }
wait_for 5 learned && ok || bad "learn: $(b show route 10.201.0.0/16)"

# roa_check follows the ROA table as it changes (RFC 6811 valid/invalid/
# unknown; the index is kept current through table notifications).
roa() { b eval "roa_check(r4, $1, $2)" | tail -1; }
[ "$(roa 192.0.2.0/24 65001)" = "(enum 35)1" ] && ok || bad "roa valid: $(roa 192.0.2.0/24 65001)"
[ "$(roa 192.0.2.0/25 65001)" = "(enum 35)2" ] && ok || bad "roa invalid (too long): $(roa 192.0.2.0/25 65001)"
[ "$(roa 192.0.16.0/20 65002)" = "(enum 35)1" ] && ok || bad "roa valid via /16: $(roa 192.0.16.0/20 65002)"
[ "$(roa 198.18.0.0/24 65001)" = "(enum 35)0" ] && ok || bad "roa unknown: $(roa 198.18.0.0/24 65001)"
rv_route() { b show route 192.0.2.0/24 protocol rv | grep -q "blackhole \[rv "; }
rv_route && ok || bad "rv: ROA-valid route missing"
b disable roas >/dev/null
[ "$(roa 192.0.2.0/24 65001)" = "(enum 35)0" ] && ok || bad "roa after the ROAs went: $(roa 192.0.2.0/24 65001)"
# rpki reload: rv's import filter is re-run because r4 changed.
wait_for 5 sh -c "! birdc -s $dir/ctl show route 192.0.2.0/24 protocol rv | grep -q 'blackhole \[rv '" && ok || bad "rv kept its route after the ROA went"
b enable roas >/dev/null
wait_for 5 sh -c "[ \"\$(birdc -s $dir/ctl eval 'roa_check(r4, 192.0.2.0/24, 65001)' | tail -1)\" = '(enum 35)1' ]" && ok || bad "roa after the ROAs came back"
wait_for 5 rv_route && ok || bad "rv did not get its route back with the ROA"

# Import table: the route rejected by `import none` is kept before the filter.
out=$(b show route 100.100.0.0/16); echo "$out" | grep -q "Network not found" && ok || bad "filtered route in master4: $out"
out=$(b show route import table quiet.ipv4); echo "$out" | grep -q "^Table import:" && echo "$out" | grep -q "100.100.0.0/16 *blackhole \[quiet " && ok || bad "import table: $out"
out=$(b show protocols all quiet); echo "$out" | grep -q "Import updates: *1 *0 *1 *0 *0" && ok || bad "quiet stats: $out"

# The kernel protocol puts back what someone else removed (scan time 1).
ip -n "$ns" route del 192.0.2.0/24 table 100
wait_for 10 has_route "192.0.2.0/24 via 10.88.0.2 dev d0 proto bird" && ok || bad "scan did not restore route"

# ternc against the real daemon, text and JSON.
ternc="$PWD/client/ternc -s $dir/ctl"
$ternc show status | grep -q "^Daemon is up and running" && ok || bad "ternc show status"
$ternc -j show protocols | python3 -c 'import json,sys; d=json.load(sys.stdin); assert {p["name"] for p in d["protocols"]} >= {"st","st2","k4","quiet"}' && ok || bad "ternc -j show protocols"
$ternc show route 1.2.3.0/24 >/dev/null; [ $? -ne 0 ] && ok || bad "ternc exit status on 8001"

# restrict: read-only afterwards.
out=$(birdc -r -s "$dir/ctl" disable st); echo "$out" | grep -q "Access denied" && ok || bad "restrict: $out"
out=$(b disable st2); echo "$out" | grep -q "st2: disabled" && ok || bad "disable: $out"
wait_for 5 sh -c "! ip -n $ns route show table 100 | grep -q 203.0.113.0" && ok || bad "disabled st2 route still in kernel"
unmerged() { ip -n "$ns" route show table 100 10.101.0.0/16 | grep -q "^10.101.0.0/16 via 10.88.0.2 dev d0"; }
wait_for 5 unmerged && ok || bad "merge paths after st2 went: $(ip -n "$ns" route show table 100 10.101.0.0/16)"
out=$(b enable st2); echo "$out" | grep -q "st2: enabled" && ok || bad "enable: $out"
out=$(b reload st); echo "$out" | grep -q "st: reloading" && ok || bad "reload st: $out"
out=$(b reload k4); echo "$out" | grep -q "k4: reloading" && ok || bad "reload k4: $out"
out=$(b show static st); echo "$out" | grep -q "^198.51.100.0/24	blackhole" && echo "$out" | grep -q "^	via 10.88.0.2" && ok || bad "show static: $out"
wait_for 5 has_route "unreachable 203.0.113.0/24 proto bird" && ok || bad "enabled st2 route missing"

# A broken config: every error reported, nothing changes.
cat > "$dir/bad.conf" <<CONF
router id 10.88.0.1;
protocol static st {
  ipv4;
  route 192.0.2.0/24 via 10.88.0.2;
  route 10.0.0.0/33 blackhole;
}
protocol kernel k4 { ipv4 { export all; }; kernel table 0; }
CONF
out=$(b -v configure \"$dir/bad.conf\")
echo "$out" | grep -q "bad.conf:5:18: Invalid prefix length 33" && ok || bad "first error: $out"
echo "$out" | grep -q "bad.conf:7:57: Invalid kernel table 0" && ok || bad "second error: $out"
echo "$out" | tail -1 | grep -q "^8002 " && ok || bad "last line 8002: $out"
has_route "198.51.100.0/24" && has_route "203.0.113.0/24" && ok || bad "routes lost after bad config"
b show protocols | grep -q "^st2 " && ok || bad "st2 gone after bad config"

# Change only k4 (metric) and add a route to st: k4 restarts, st is
# reconfigured in place, st2 is untouched.
write_conf "$dir/b.conf" 77 "route 100.64.0.0/16 blackhole;"
: > "$dir/log.mark"
out=$(b configure \"$dir/b.conf\"); echo "$out" | grep -q "Reconfigured" && ok || bad "configure: $out"
wait_for 10 has_route "192.0.2.0/24 via 10.88.0.2 dev d0 proto bird metric 77" && ok || bad "k4 metric change not applied"
wait_for 5 has_route "blackhole 100.64.0.0/16 proto bird metric 77" && ok || bad "new st route missing"
grep -q "Restarting protocol k4" "$dir/log" && ok || bad "k4 not restarted"
# st: 4 routes at start, 4 sent again unchanged by `reload` (ignored); then
# reconfigured in place: its 3 routes with next hops sent again unchanged
# (ignored), the new one accepted.
out=$(b show protocols all st)
echo "$out" | grep -Eq "Import updates: +12 +0 +0 +7 +5$" && ok || bad "st stats after reconfigure: $out"
grep -q "Restarting protocol st$" "$dir/log" && bad "st restarted" || ok
grep -q "Restarting protocol st2" "$dir/log" && bad "st2 restarted" || ok

# configure timeout: the change is undone on request (or when the timer runs out).
write_conf "$dir/c.conf" 77 "route 100.64.0.0/16 blackhole; route 100.65.0.0/16 blackhole;"
out=$(b configure \"$dir/c.conf\" timeout 60); echo "$out" | grep -q "Undo scheduled in 60 s" && ok || bad "configure timeout: $out"
wait_for 5 has_route "blackhole 100.65.0.0/16" && ok || bad "timeout config not applied"
out=$(b configure status); echo "$out" | grep -q "Configuration unconfirmed, undo in" && ok || bad "configure status: $out"
out=$(b configure undo); echo "$out" | grep -q "Undo requested" && ok || bad "configure undo: $out"
wait_for 5 sh -c "! ip -n $ns route show table 100 | grep -q 100.65.0.0" && ok || bad "undo left the route"
has_route "blackhole 100.64.0.0/16" && ok || bad "undo lost the previous config's route"
out=$(b configure confirm); echo "$out" | grep -q "Nothing to do" && ok || bad "confirm after undo: $out"

# configure soft: the new import filter of stf applies to new routes only;
# `reload in` then runs the old ones through it.
stf_imported() { b show protocols all stf | grep -Eq "Routes: +$1 imported"; }
stf_imported 1 && ok || bad "stf before soft: $(b show protocols all stf)"
write_conf "$dir/d.conf" 77 "route 100.64.0.0/16 blackhole;" "100.80.0.0/15+"
out=$(b configure soft \"$dir/d.conf\"); echo "$out" | grep -q "Reconfigured" && ok || bad "configure soft: $out"
stf_imported 1 && ok || bad "configure soft reloaded stf: $(b show protocols all stf)"
out=$(b reload in stf); echo "$out" | grep -q "stf: reloading" && ok || bad "reload in stf: $out"
wait_for 5 stf_imported 2 && ok || bad "reload in after soft: $(b show protocols all stf)"

# SIGHUP re-reads the file given with -c.
write_conf "$dir/a.conf" 77 "route 100.66.0.0/16 blackhole;"
kill -HUP "$(cat "$dir/pid")"
wait_for 5 has_route "blackhole 100.66.0.0/16" && ok || bad "SIGHUP did not reconfigure"

# Shutdown removes our routes (no `persist`).
kill "$(cat "$dir/pid")"
wait_for 10 sh -c "! ip -n $ns route show table 100 | grep -q 'proto bird'" && ok || bad "routes left after shutdown"
# Graceful restart recovery (-R): the kernel protocol with `graceful
# restart` keeps the previous run's routes until every protocol is up, then
# syncs: the stale route of ours goes, the configured ones come.
ip -n "$ns" route add 100.99.0.0/24 dev d0 proto bird table 100 metric 77
sed 's/  merge paths on;/  merge paths on;\n  graceful restart on;\n  persist on;/' "$dir/a.conf" > "$dir/gr.conf"
rm -f "$dir/pid"
ip netns exec "$ns" "$ternd" -R -c "$dir/gr.conf" -s "$dir/ctl" -P "$dir/pid" || bad "ternd -R did not start"
wait_for 10 grep -q "Graceful restart done (all protocols up)" "$dir/log" && ok || bad "recovery did not end"
wait_for 10 sh -c "! ip -n $ns route show table 100 | grep -q 100.99.0.0" && ok || bad "stale route kept after recovery"
wait_for 10 has_route "blackhole 198.51.100.0/24 proto bird" && ok || bad "routes not synced after recovery"
# persist: the routes stay after ternd exits.
pid=$(cat "$dir/pid"); kill "$pid"
wait_for 10 sh -c "! kill -0 $pid 2>/dev/null" && ok || bad "ternd did not exit"
has_route "blackhole 198.51.100.0/24 proto bird" && ok || bad "persist: routes removed at exit"

lab_done
