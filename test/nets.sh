#!/usr/bin/env bash
# Integration test: tables of the other net types (VPN, SADR, flowspec,
# ASPA), their static routes in `show route`, and aspa_check() following
# the ASPA table (`rpki reload`).
#
#   [ netns tern-nets-$$ ]  (no traffic; a namespace for isolation only)
#     static vpn4s/vpn6s/sadrs/flows4/flows6 --> v4, v6, s6, f4, f6
#     static aspas --> at (ASPA table)
#     static cust (ipv4, import filter sets bgp_path, rejects ASPA invalid)
#
# Checks: `show route table X` prints each net as BIRD does; `show route
# table at all` shows the providers; aspa_check_upstream() in cust's
# import filter keeps 192.0.2.0/24 (path 65003 65001, 65001 attests 65003)
# and drops 198.51.100.0/24 (path 65004 65001); after a reconfiguration
# that makes 65004 a provider of 65001, the ASPA table changes and cust's
# routes are re-filtered without restarting cust; `eval` of the new
# methods; `show static` of ASPA routes; `ternc -j show route` of them.
set -u
. "$(dirname "$0")/lib.sh"
ternd=$PWD/ternd
lab_init nets

conf() {  # conf PROVIDERS-OF-65001 [MED]
cat > "$dir/a.conf" <<CONF
router id 10.0.0.1;
log "$dir/log" all;
vpn4 table v4;
vpn6 table v6;
ipv6 sadr table s6;
flow4 table f4;
flow6 table f6;
aspa table at;
ipv4 table t4;

protocol device {}
protocol static vpn4s { vpn4 { table v4; }; route 100:200 10.0.0.0/8 blackhole; route 10.1.1.1:5 192.0.2.0/24 unreachable; }
protocol static vpn6s { vpn6 { table v6; }; route 65536:7 2001:db8::/32 prohibit; }
protocol static sadrs { ipv6 sadr { table s6; }; route 2001:db8:1::/48 from 2001:db8:2::/48 blackhole; }
protocol static flows4 { flow4 { table f4; }; route flow4 { dst 10.0.0.0/8; proto 6; dport 80, 443; }; }
protocol static flows6 { flow6 { table f6; }; route flow6 { dst 2001:db8::/32; next header 17; }; }
protocol static aspas {
  aspa { table at; };
  route aspa 65001 providers $1;
  route aspa 65003 transit;
  route aspa 65005 provider 0;
}
filter cust_in {
  if net = 192.0.2.0/24 then bgp_path = prepend(prepend(+empty+, 65001), 65003);
  if net = 198.51.100.0/24 then bgp_path = prepend(prepend(+empty+, 65001), 65004);
  if aspa_check_upstream(at) = ASPA_INVALID then reject;
  accept;
}
protocol static cust {
  ipv4 { table t4; import filter cust_in; };
  route 192.0.2.0/24 blackhole;
  route 198.51.100.0/24 blackhole;
}
# per-route commands (BIRD's static "filter expressions")
protocol static cmds {
  ipv4 { table t4; };
  route 203.0.113.0/24 blackhole { bgp_med = ${2:-10}; bgp_community.add((65000, 1)); };
  route 203.0.113.128/25 blackhole { int x = 4; bgp_local_pref = x * 25; reject; };
  route 198.18.1.0/24 blackhole { gw = 10.77.0.2; };
  route 198.18.2.0/24 blackhole { gw = 192.0.2.99; };
}
protocol device {}
CONF
}
conf "65002, 65003"
ip -n "$ns" link add dummy0 type veth peer name dummy1
ip -n "$ns" addr add 10.77.0.1/24 dev dummy0
ip -n "$ns" link set dummy0 up
ip -n "$ns" link set dummy1 up
ip netns exec "$ns" "$ternd" -c "$dir/a.conf" -s "$dir/ctl" -P "$dir/pid" || { bad "ternd did not start"; exit 1; }
wait_for 10 sh -c "birdc -s $dir/ctl show protocols | grep -q 'cust .*up'" || bad "cust did not come up"

has() {  # has WHAT TEXT CMD...: CMD's output contains TEXT
  local what=$1 text=$2; shift 2
  local out; out=$("$@" 2>&1)
  if printf '%s\n' "$out" | grep -qF -- "$text"; then ok; else bad "$what: no '$text' in: $out"; fi
}
has "vpn4 net" "100:200 10.0.0.0/8" b show route table v4
has "vpn4 type 1 rd" "10.1.1.1:5 192.0.2.0/24" b show route table v4
has "vpn6 net" "65536:7 2001:db8::/32" b show route table v6
has "sadr net" "2001:db8:1::/48 from 2001:db8:2::/48" b show route table s6
has "flow4 net" "flow4 { dst 10.0.0.0/8; proto 6; dport 80,443; }" b show route table f4
has "flow6 net" "flow6 { dst 2001:db8::/32; next header 17; }" b show route table f6
has "aspa net" "65001                 [aspas" b show route table at
has "aspa providers" "aspa_providers: 65002 65003" b show route table at all
has "aspa transit" "aspa_providers: 0" b show route table at all
has "vpn show route for" "100:200 10.0.0.0/8" b show route 100:200 10.0.0.0/8 table v4
has "show static aspa" "providers 65002 65003" b show static aspas
has "eval rd" "100:200" b eval "(100:200 10.0.0.0/8).rd"
has "eval sadr src" "2001:db8:2::/48" b eval "(2001:db8:1::/48 from 2001:db8:2::/48).src"
has "eval aspa_check" "(enum 3a)1" b eval "aspa_check(at, prepend(prepend(+empty+, 65001), 65003), true)"
has "eval aspa_check invalid" "(enum 3a)2" b eval "aspa_check(at, prepend(prepend(+empty+, 65001), 65004), true)"

# ternc -j keeps the nets whole (they contain spaces)
ternc=$PWD/client/ternc
jnet() { "$ternc" -s "$dir/ctl" -j show route table "$1" all | python3 -c 'import json,sys; d=json.load(sys.stdin); r=d["tables"][0]["routes"]; print(r[0]["prefix"], "|", r[0]["attributes"].get("aspa_providers", ""))'; }
has "json flow4" "flow4 { dst 10.0.0.0/8; proto 6; dport 80,443; } |" jnet f4
has "json sadr" "2001:db8:1::/48 from 2001:db8:2::/48 |" jnet s6
has "json aspa" "65001 | 65002 65003" jnet at

# aspa_check in an import filter, and the reload when the ASPA table changes
has "valid path imported" "192.0.2.0/24" b show route table t4
out=$(b show route table t4)
printf '%s\n' "$out" | grep -qF 198.51.100.0/24 && bad "ASPA-invalid route imported: $out" || ok
conf "65002, 65003, 65004"
b configure >/dev/null
wait_for 10 sh -c "birdc -s $dir/ctl show route table t4 | grep -qF 198.51.100.0/24" && ok \
  || bad "route not re-filtered after the ASPA change: $(b show route table t4)"
has "aspa providers changed" "aspa_providers: 65002 65003 65004" b show route table at all
has "cust not restarted" "cust" b show protocols
grep -q "cust.*\(Reconfigured\|restart\)" "$dir/log" && bad "cust restarted: $(grep cust "$dir/log")" || ok
conf "65002"
b configure >/dev/null
wait_for 10 sh -c "! birdc -s $dir/ctl show route table t4 | grep -qF 192.0.2.0/24" && ok \
  || bad "route kept after its provider left the ASPA: $(b show route table t4)"
# per-route commands: attributes set, `reject` only ends them (as BIRD),
# and a changed command list re-announces the route without a restart
has "route cmds med" "BGP.med: 10" b show route 203.0.113.0/24 table t4 all
has "route cmds community" "BGP.community: (65000,1)" b show route 203.0.113.0/24 table t4 all
has "route cmds reject ends" "BGP.local_pref: 100" b show route 203.0.113.128/25 table t4 all
# `gw =` takes a neighbour only (as BIRD): on dummy0's network (a veth) it makes the
# route unicast via it; elsewhere it is a run-time error and the route
# stays as it was
wait_for 10 sh -c "birdc -s $dir/ctl show route 198.18.1.0/24 table t4 | grep -q 'via 10.77.0.2 on dummy0'" && ok \
  || bad "gw = 10.77.0.2: $(b show route 198.18.1.0/24 table t4 all)"
has "gw off-link refused" "blackhole" b show route 198.18.2.0/24 table t4
grep -q "Invalid gw address" "$dir/log" && ok || bad "no 'Invalid gw address' in the log"
conf "65002" 20
b configure >/dev/null
wait_for 10 sh -c "birdc -s $dir/ctl show route 203.0.113.0/24 table t4 all | grep -q 'BGP.med: 20'" && ok \
  || bad "changed route commands not applied: $(b show route 203.0.113.0/24 table t4 all)"
grep -q "cmds.*\(Reconfigured\|restart\|Restart\)" "$dir/log" && bad "cmds restarted: $(grep cmds "$dir/log")" || ok
lab_done
