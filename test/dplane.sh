#!/usr/bin/env bash
# Integration test: `protocol dplane` writes the shared-memory FIB and a
# separate reader process (test/fib_reader, standing in for ternfwd)
# looks addresses up in it.
#
#   [ netns tern-dplane-$$ ]
#     veth d0 10.88.0.1/24, 2001:db8:88::1/64  <->  d1
#     ternd: device, static st (gw, blackhole, unreachable, multipath,
#            device route, IPv6) -> master4/master6 -> dplane dp
#                                                       |
#                         /dev/shm/tern-dplane-test-$$  v  (region)
#     fib_reader -i (coproc, registered)  +  one-shot fib_readers
#
# Checks: next hops of every kind as the reader sees them; `show dplane`
# (text and `ternc -j`) lists routes, next hops and the registered reader;
# reconfiguration (route removed, gateway changed, IPv6 export none -> all)
# reaches the attached reader without a restart; a new region path
# restarts the protocol; `restart` and a new ternd supersede the old
# region and the reader re-attaches; a reader killed while registered is
# reported once; after ternd stops, the region still answers with the
# last FIB.
set -u
. "$(dirname "$0")/lib.sh"
command -v birdc >/dev/null || { echo "FAIL: birdc missing"; exit 1; }
ternd=$PWD/ternd
ternc=$PWD/client/ternc
reader=$PWD/test/fib_reader
[ -x "$reader" ] || make test/fib_reader >/dev/null || { echo "FAIL: no fib_reader"; exit 1; }
region=/tern-dplane-test-$$
shm=/dev/shm$region
lab_init dplane
region2=$dir/fib2
lab_cleanup() {
  [ -n "${COPROC_PID:-}" ] && kill "$COPROC_PID" 2>/dev/null
  [ -n "${KEEP:-}" ] && cp "$dir/log" /tmp/dplane-test.log
  [ -n "${KEEP:-}" ] || rm -rf "$shm" "$shm".*
}
mark=0
logmark() { mark=$(wc -l < "$dir/log"); }       # newlog: what ternd logged since
newlog() { tail -n +$((mark + 1)) "$dir/log"; }
t() { "$ternc" -s "$dir/ctl" "$@"; }   # birdc refuses commands it does not know

ip -n "$ns" link add d0 type veth peer name d1
ip -n "$ns" addr add 10.88.0.1/24 dev d0
ip -n "$ns" addr add 2001:db8:88::1/64 dev d0 nodad
ip -n "$ns" link set d0 up; ip -n "$ns" link set d1 up
port=$(ip netns exec "$ns" cat /sys/class/net/d0/ifindex)

write_conf() {  # write_conf FILE REGION GW_OF_10.200 EXTRA_ROUTE EXPORT
  cat > "$1" <<CONF
router id 10.88.0.1;
log "$dir/log" all;
protocol device { }
protocol static st {
  ipv4;
  route 192.0.2.0/24 via 10.88.0.2;
  route 192.0.2.128/25 blackhole;
  route 198.51.100.0/24 prohibit;
  route 203.0.113.0/24 unreachable;
  route 100.64.0.0/16 via 10.88.0.2 via 10.88.0.3;
  route 10.200.0.0/16 via $3;
  route 10.202.0.0/16 via "d0";
  route 10.203.0.0/16 via 10.88.0.4;
  $4
}
protocol static st6 {
  ipv6;
  route 2001:db8:1::/48 via 2001:db8:88::2;
  route 2001:db8:2::/48 blackhole;
}
protocol dplane dp {
  ipv4 { table master4; export all; };
  ipv6 { export $5; };
  region "$2";
}
CONF
}
write_conf "$dir/a.conf" "$region" 10.88.0.2 "route 10.201.0.0/16 via 10.88.0.2;" none
ip netns exec "$ns" "$ternd" -c "$dir/a.conf" -s "$dir/ctl" -P "$dir/pid" || { bad "ternd did not start"; exit 1; }
wait_for 10 test -S "$dir/ctl" || bad "no control socket"
wait_for 10 sh -c "b() { birdc -s '$dir/ctl' \"\$@\"; }; b show protocols | grep -Eq '^dp +Dplane +--- +up '" \
  && ok || bad "dp not up: $(b show protocols)"

# --- the FIB as a reader sees it -------------------------------------------
fwd="forward port $port"
expect() {  # expect ADDR ANSWER [REGION]: a fresh one-shot reader agrees
  local got
  got=$("$reader" "${3:-$shm}" "$1" 2>&1)
  [ "$got" = "$1 $2" ] && ok || bad "lookup $1: want '$2', got '$got'"
}
wait_for 10 sh -c "'$reader' '$shm' 10.201.1.1 | grep -q forward" || bad "region not loaded"
expect 192.0.2.5 "$fwd via 10.88.0.2"
expect 192.0.2.200 drop                    # longest match: the /25 blackhole
expect 198.51.100.1 drop                   # prohibit
expect 203.0.113.9 drop                    # unreachable (no ICMP from the data plane yet)
expect 100.64.3.4 "$fwd via 10.88.0.2"     # multipath: the first next hop
expect 10.200.0.1 "$fwd via 10.88.0.2"
expect 10.201.255.255 "$fwd via 10.88.0.2"
expect 10.202.7.7 "$fwd"                   # device route: no gateway
expect 10.203.0.1 "$fwd via 10.88.0.4"
expect 8.8.8.8 none
expect 2001:db8:1::42 none                # IPv6 channel: export none for now

# --- a long-lived registered reader ----------------------------------------
coproc "$reader" -i "$shm"
ask() {  # ask COMMAND: one answer line from the coproc reader
  echo "$1" >&"${COPROC[1]}"
  local line
  read -r -t 10 line <&"${COPROC[0]}" || line="(no answer)"
  echo "$line"
}
rpid=$COPROC_PID
slot=$(ask register)
[ "${slot#slot }" != "$slot" ] && [ "${slot#slot }" -ge 0 ] && ok || bad "register: $slot"
slot=${slot#slot }
[ "$(ask "lookup 192.0.2.5")" = "192.0.2.5 $fwd via 10.88.0.2" ] && ok || bad "coproc lookup"

out=$(t show dplane dp)
echo "$out" | grep -q "Region: $shm" && ok || bad "show dplane region: $out"
echo "$out" | grep -q "IPv4 routes: 9$" && ok || bad "show dplane IPv4 routes: $out"
echo "$out" | grep -q "IPv6 routes: 0$" && ok || bad "show dplane IPv6 routes: $out"
# gateways .2 and .4, the device next hop and drop: 4 shared entries
echo "$out" | grep -q "Next hops: 4$" && ok || bad "show dplane next hops: $out"
echo "$out" | grep -q "Reader: slot $slot pid $rpid tid [0-9]* epoch [0-9]* lag [0-9]*" && ok \
  || bad "show dplane reader: $out"
echo "$out" | grep -q "Next hop: [0-9]* forward port $port via 10.88.0.2 refs 4" && ok \
  || bad "show dplane shared next hop: $out"
json=$("$ternc" -s "$dir/ctl" -j show dplane)
python3 - "$json" "$rpid" "$shm" <<'PY' && ok || bad "ternc -j show dplane: $json"
import json, sys
d = json.loads(sys.argv[1])["dplane"][0]
assert d["protocol"] == "dp" and d["region"] == sys.argv[3], d
assert d["ipv4_routes"] == 9 and d["ipv6_routes"] == 0 and d["next_hops"] == 4, d
assert any(r["pid"] == int(sys.argv[2]) and r["online"] for r in d["readers"]), d
nh = [n for n in d["nexthops"] if n["kind"] == "forward" and n.get("via") == "10.88.0.2"]
assert len(nh) == 1 and nh[0]["refs"] == 4, d
PY
out=$(t show dplane nosuch); echo "$out" | grep -q "not a running dplane protocol" && ok || bad "show dplane nosuch: $out"

# --- reconfiguration reaches the attached reader -----------------------------
gen0=$(ask status)
write_conf "$dir/b.conf" "$region" 10.88.0.3 "" all
logmark
out=$(b configure \"$dir/b.conf\"); echo "$out" | grep -q "Reconfigured" && ok || bad "configure: $out"
coproc_is() { [ "$(ask "lookup $1")" = "$1 $2" ]; }
wait_for 10 coproc_is 10.201.0.1 none && ok || bad "removed route still seen: $(ask "lookup 10.201.0.1")"
wait_for 10 coproc_is 10.200.0.1 "$fwd via 10.88.0.3" && ok || bad "gateway change not seen: $(ask "lookup 10.200.0.1")"
wait_for 10 coproc_is 2001:db8:1::42 "$fwd via 2001:db8:88::2" && ok || bad "export filter change not seen: $(ask "lookup 2001:db8:1::42")"
coproc_is 2001:db8:2:ffff::1 drop && ok || bad "IPv6 blackhole"
coproc_is 2001:db8:3::1 none && ok || bad "IPv6 no route"
coproc_is 192.0.2.5 "$fwd via 10.88.0.2" && ok || bad "unchanged route lost"
[ "$(ask status)" != "$gen0" ] && ok || bad "generation did not move: $gen0"
newlog | grep -q "Restarting protocol dp" && bad "dp restarted on a filter/route change" || ok
newlog | grep -q "Refeeding protocol dp.ipv6" && ok || bad "export filter change not refed: $(newlog)"

# --- a reader that dies while registered is reported once --------------------
mkfifo "$dir/victim.in"
"$reader" -i "$shm" > "$dir/victim.out" < "$dir/victim.in" &
victim=$!
exec 7> "$dir/victim.in"
echo register >&7
wait_for 10 grep -q "^slot" "$dir/victim.out" || bad "victim did not register"
kill -9 "$victim"; wait "$victim" 2>/dev/null; exec 7>&-
# withdrawals leave blocks in limbo that the dead reader holds back
b disable st6 >/dev/null
wait_for 10 coproc_is 2001:db8:1::42 none && ok || bad "disabled protocol's routes still seen"
dead_logged() { ask status >/dev/null; grep -q "FIB reader process $victim died" "$dir/log"; }
wait_for 10 dead_logged && ok || bad "dead reader not logged"
b enable st6 >/dev/null
wait_for 10 coproc_is 2001:db8:1::42 "$fwd via 2001:db8:88::2" && ok || bad "re-enabled routes not seen"
# once limbo drains, every reclaim since the death has run: still one report
drained() { ask status >/dev/null; t show dplane | grep -q "Limbo blocks: 0$"; }
wait_for 10 drained || bad "limbo does not drain: $(t show dplane)"
[ "$(grep -c "FIB reader process $victim died" "$dir/log")" = 1 ] && ok || bad "dead reader logged more than once"
t show dplane | grep -q "Dead readers: 1$" && ok || bad "dead reader count: $(t show dplane)"

# --- restart: a new region replaces the old one, readers switch ----------------
b restart dp >/dev/null
sup() { local s; s=$(ask status); [[ $s == *"superseded 1"* ]]; }
wait_for 10 sup && ok || bad "old region not superseded after restart: $(ask status)"
[ "$(ask reattach)" = reattached ] && ok || bad "reattach"
[ "$(ask register)" != "slot -1" ] && ok || bad "register on the new region"
coproc_is 10.200.0.1 "$fwd via 10.88.0.3" && ok || bad "new region content"
t show dplane | grep -q "Reader: slot [0-9]* pid $rpid " && ok || bad "reader in the new region"

# --- ternd gone: the region still holds the last FIB ---------------------------
stop_ternd() {
  local pid; pid=$(cat "$dir/pid")
  kill "$pid"
  wait_for 10 sh -c "! kill -0 $pid 2>/dev/null" || bad "ternd did not stop"
  rm -f "$dir/pid"
}
stop_ternd
coproc_is 192.0.2.200 drop && ok || bad "attached reader lost the FIB after ternd stopped"
coproc_is 2001:db8:1::42 "$fwd via 2001:db8:88::2" && ok || bad "attached reader lost IPv6 after ternd stopped"
expect 10.200.0.1 "$fwd via 10.88.0.3"        # a fresh reader attaches to the file
st=$(ask status); [[ $st == *"superseded 0"* ]] && ok || bad "superseded without a writer"

# --- a new ternd: loads a new region, then tells the old one's readers ---------
# (one reconfiguration per ternd run: see the note in doc/dplane.md)
write_conf "$dir/d.conf" "$region" 10.88.0.4 "" all
ip netns exec "$ns" "$ternd" -c "$dir/d.conf" -s "$dir/ctl" -P "$dir/pid" || bad "ternd 2 did not start"
wait_for 10 sup && ok || bad "old region not superseded by the new ternd: $(ask status)"
coproc_is 10.200.0.1 "$fwd via 10.88.0.3" && ok || bad "superseded region changed under the reader"
[ "$(ask reattach)" = reattached ] && ok || bad "reattach to ternd 2's region"
coproc_is 10.200.0.1 "$fwd via 10.88.0.4" && ok || bad "ternd 2's region content: $(ask "lookup 10.200.0.1")"

# --- a new region path restarts the protocol ---------------------------------
write_conf "$dir/e.conf" "$region2" 10.88.0.4 "" all
logmark
out=$(b configure \"$dir/e.conf\"); echo "$out" | grep -q "Reconfigured" && ok || bad "configure e: $out"
restarted() { newlog | grep -q "Restarting protocol dp"; }
wait_for 10 restarted && ok || bad "region change did not restart dp"
loaded2() { "$reader" "$region2" 10.200.0.1 | grep -q forward; }
wait_for 10 loaded2 || bad "no region at $region2"
expect 10.200.0.1 "$fwd via 10.88.0.4" "$region2"
expect 2001:db8:2::1 drop "$region2"
t show dplane | grep -q "Region: $region2$" && ok || bad "show dplane after region change"
cat > "$dir/bad.conf" <<CONF
protocol dplane { ipv4; region "tern-fib"; }
CONF
out=$(b -v configure check \"$dir/bad.conf\")
echo "$out" | grep -q "bad.conf:1:32: Invalid region \"tern-fib\"" && ok || bad "relative region accepted: $out"
stop_ternd
expect 10.200.0.1 "$fwd via 10.88.0.4" "$region2"
echo quit >&"${COPROC[1]}"
lab_done
