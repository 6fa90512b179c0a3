#!/usr/bin/env bash
# Integration test: the RPKI protocol (RPKI-RTR over TCP) against stayrtr,
# an independent RTR cache fed from a VRP JSON file.
#
#   [ netns tern-rpki-$$ ]  (everything on 127.0.0.1)
#     $dir/vrps.json --> stayrtr 127.0.0.1:8323 (metrics 127.0.0.1:9847)
#                          |  RTR (TCP), Serial Notify after SIGHUP
#                          v
#     ternd: rpki rtr1 --> roa4 table r4, roa6 table r6
#            static cust --> t4, import only roa_check(r4, net, 65001) valid
#
# Checks: config errors (no remote, port out of range); rtr1 reaches
# Established; r4/r6 hold the VRPs and print as BIRD does (`show route`,
# `all`, `ternc -j`); roa_check() in eval; `show protocols all rtr1` has
# BIRD's fields. A HUP of stayrtr after rewriting the file (5000 more VRPs,
# one removed) reaches r4 with a higher serial. cust is re-filtered when
# ROAs change (rpki reload), without a restart. Killing stayrtr leaves
# Established but keeps the ROAs; a new stayrtr brings a resync. A changed
# refresh interval is applied without a restart; disable withdraws the
# ROAs and enable brings them back. Over SSH, a cache with the host key in
# `remote public key` serves the ROAs, and one with another key is refused.
set -u
. "$(dirname "$0")/lib.sh"
ternd=$PWD/ternd
ternc=$PWD/client/ternc
command -v stayrtr >/dev/null || { echo "SKIP: stayrtr missing (tools/deps)"; exit 77; }
lab_init rpki
lab_cleanup() { [ -n "${rtr_pid:-}" ] && kill "$rtr_pid" 2>/dev/null; }

has() {  # has WHAT TEXT CMD...: CMD's output contains TEXT
  local what=$1 text=$2; shift 2
  local out; out=$("$@" 2>&1)
  if printf '%s\n' "$out" | grep -qF -- "$text"; then ok; else bad "$what: no '$text' in: $out"; fi
}
has_re() {  # has_re WHAT ERE CMD...: a line of CMD's output matches ERE
  local what=$1 re=$2; shift 2
  local out; out=$("$@" 2>&1)
  if printf '%s\n' "$out" | grep -qE -- "$re"; then ok; else bad "$what: no /$re/ in: $out"; fi
}

# --- VRPs and the cache ---------------------------------------------------
# roas: "PREFIX MAXLEN ASN"; extra: how many 10.x.y.0/24 VRPs (AS100000+i).
roas=("192.0.2.0/24 24 65001" "198.51.100.0/22 24 65002" "100.64.0.0/16 20 65005"
      "2001:db8::/32 48 65003" "2001:db8:1000::/36 48 65006")
extra=0
publish() {  # write $dir/vrps.json atomically; a running stayrtr reloads on HUP
  python3 - "$dir/vrps.json" "$extra" "${roas[@]}" <<'PY'
import datetime, json, os, sys
out, extra, specs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
roas = [{"prefix": p, "maxLength": int(m), "asn": int(a), "ta": "test"}
        for p, m, a in (s.split() for s in specs)]
roas += [{"prefix": "10.%d.%d.0/24" % (i >> 8, i & 255), "maxLength": 24,
          "asn": 100000 + i, "ta": "test"} for i in range(extra)]
now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
with open(out + ".tmp", "w") as f:
    json.dump({"metadata": {"buildtime": now, "vrps": len(roas)}, "roas": roas}, f)
os.replace(out + ".tmp", out)
PY
  if [ -n "${rtr_pid:-}" ]; then kill -HUP "$rtr_pid"; fi
}
roa_del() {  # roa_del SPEC: drop one entry of roas
  local r keep=()
  for r in "${roas[@]}"; do [ "$r" = "$1" ] || keep+=("$r"); done
  roas=("${keep[@]}")
}
rtr_listening() { ip netns exec "$ns" ss -Hltn | grep -qF 127.0.0.1:8323; }
rtr_closed() { ! rtr_listening; }
rtr_start() {
  ip netns exec "$ns" stayrtr -cache "$dir/vrps.json" -bind 127.0.0.1:8323 \
    -metrics.addr 127.0.0.1:9847 -refresh 5 >>"$dir/stayrtr.log" 2>&1 &
  rtr_pid=$!
  wait_for 10 rtr_listening || bad "stayrtr not listening: $(cat "$dir/stayrtr.log")"
}
rtr_stop() {
  kill "$rtr_pid"; wait "$rtr_pid" 2>/dev/null; rtr_pid=
  wait_for 10 rtr_closed
}

# --- Observing rtr1 -------------------------------------------------------
status() { b show protocols all rtr1 | sed -n 's/^  Status: *//p'; }
established() { [ "$(status)" = Established ]; }
not_established() { local s; s=$(status); [ -n "$s" ] && [ "$s" != Established ]; }
serial() { b show protocols all rtr1 | sed -n 's/^  Serial number: *\([0-9][0-9]*\)$/\1/p'; }
serial_above() { local s; s=$(serial); [ -n "$s" ] && [ "$s" -gt "$1" ]; }
since() { b show protocols "$1" | awk -v p="$1" '$1 == p { print $5 }'; }
count_is() {  # count_is TABLE N
  b show route table "$1" count | grep -qx "$2 of $2 routes for $2 networks in table $1"
}
in_t4() { b show route table t4 | grep -q "^$1 "; }
not_in_t4() { ! in_t4 "$1"; }
counts_are() { count_is r4 "$1" && count_is r6 "$2"; }
roa_is() {  # roa_is NET ASN RESULT: eval roa_check(r4|r6, ...) prints (enum 35)RESULT
  local t=r4; case $1 in *:*) t=r6;; esac
  b eval "roa_check($t, $1, $2)" | grep -qxF "(enum 35)$3"
}
counts() { echo "r4: $(b show route table r4 count | grep ' in table '); r6: $(b show route table r6 count | grep ' in table ')"; }

# --- Config errors (ternd -p: parse only) ---------------------------------
perr() {  # perr NAME ERE BODY: rejected, and the message matches ERE
  printf 'router id 10.0.0.1;\nroa4 table r4;\n%s\n' "$3" > "$dir/$1.conf"
  local out rc
  out=$(timeout 20 "$ternd" -p -c "$dir/$1.conf" 2>&1); rc=$?
  [ $rc -ne 0 ] && printf '%s\n' "$out" | grep -qiE -- "$2" && ok || bad "config error $1: rc=$rc, got: $out"
}
perr noremote 'remote' 'protocol rpki { roa4 { table r4; }; }'
perr port 'range|65535|port' 'protocol rpki { roa4 { table r4; }; remote 127.0.0.1 port 70000; }'

# --- Start ------------------------------------------------------------------
conf() {  # conf REFRESH
cat > "$dir/a.conf" <<CONF
router id 10.0.0.1;
log "$dir/log" all;
roa4 table r4;
roa6 table r6;
ipv4 table t4;

protocol rpki rtr1 {
  roa4 { table r4; };
  roa6 { table r6; };
  remote 127.0.0.1 port 8323;
  retry keep 5;
  refresh keep $1;
  expire keep 600;
}
protocol static cust {
  ipv4 { table t4; import where roa_check(r4, net, 65001) = ROA_VALID; };
  route 192.0.2.0/24 blackhole;
  route 203.0.113.0/24 blackhole;
}
CONF
}
conf 30
out=$(timeout 20 "$ternd" -p -c "$dir/a.conf" 2>&1) && ok || bad "ternd -p rejects the config: $out"
publish
rtr_start
ip netns exec "$ns" "$ternd" -c "$dir/a.conf" -s "$dir/ctl" -P "$dir/pid" || { bad "ternd did not start"; exit 1; }

# --- 1. Established, the ROA tables, roa_check ------------------------------
wait_for 30 established && ok || bad "rtr1 not Established: $(b show protocols all rtr1)"
has_re "show protocols row" '^rtr1 +RPKI +--- +up +[0-9:.]+ +Established *$' b show protocols
wait_for 10 count_is r4 3 && ok || bad "r4 count (want 3): $(b show route table r4 count)"
wait_for 10 count_is r6 2 && ok || bad "r6 count (want 2): $(b show route table r6 count)"
has_re "roa4 row" '^192\.0\.2\.0/24-24 +AS65001 +\[rtr1 [0-9:.]+\] \* \(100\)$' b show route table r4
has_re "roa4 row maxlen" '^198\.51\.100\.0/22-24 +AS65002 +\[rtr1 [0-9:.]+\] \* \(100\)$' b show route table r4
has_re "roa6 row" '^2001:db8::/32-48 +AS65003 +\[rtr1 [0-9:.]+\] \* \(100\)$' b show route table r6
has "roa type" "$(printf '\tType: RPKI univ')" b show route table r4 all
has "eval valid" "(enum 35)1" b eval "roa_check(r4, 198.51.100.0/24, 65002)"
has "eval invalid" "(enum 35)2" b eval "roa_check(r4, 198.51.100.0/25, 65002)"
has "eval unknown" "(enum 35)0" b eval "roa_check(r4, 172.16.0.0/24, 65002)"
has "eval valid v6" "(enum 35)1" b eval "roa_check(r6, 2001:db8:1000::/48, 65006)"
all=$(b show protocols all rtr1)
for l in "  Cache server:     127.0.0.1" "  Cache port:       8323" "  Status:           Established" \
         "  Transport:        Unprotected over TCP" "  Protocol version: 1" "  Channel roa4" "  Channel roa6"; do
  printf '%s\n' "$all" | grep -qxF -- "$l" || { bad "show protocols all rtr1: no '$l' in: $all"; continue; }
  ok
done
printf '%s\n' "$all" | grep -qE '^  Session ID: +[0-9]+$' && printf '%s\n' "$all" | grep -qE '^  Serial number: +[0-9]+$' \
  && printf '%s\n' "$all" | grep -qE '^  Last update: +before ' \
  && [ "$(printf '%s\n' "$all" | grep -cE '^  (Refresh timer   |Retry timer     |Expire timer    ): ')" = 3 ] \
  && [ "$(printf '%s\n' "$all" | grep -c '^    State: *UP$')" = 2 ] && ok \
  || bad "show protocols all rtr1 fields: $all"
# The same as JSON.
"$ternc" -s "$dir/ctl" -j show protocols all rtr1 | python3 -c '
import json, sys
p = json.load(sys.stdin)["protocols"][0]
assert p["name"] == "rtr1" and p["proto"] == "RPKI" and p["status"] == "Established", p
assert p["cache_server"] == "127.0.0.1" and int(p["cache_port"]) == 8323, p
int(p["serial_number"]); int(p["session_id"])
assert sorted(c["name"] for c in p["channels"]) == ["roa4", "roa6"], p
' && ok || bad "ternc -j show protocols all rtr1: $("$ternc" -s "$dir/ctl" -j show protocols all rtr1 2>&1)"
"$ternc" -s "$dir/ctl" -j show route table r4 | python3 -c '
import json, sys
t = json.load(sys.stdin)["tables"][0]
got = sorted(r["prefix"] for r in t["routes"])
want = ["100.64.0.0/16-20 AS65005", "192.0.2.0/24-24 AS65001", "198.51.100.0/22-24 AS65002"]
assert t["name"] == "r4" and got == want, got
' && ok || bad "ternc -j show route table r4: $("$ternc" -s "$dir/ctl" -j show route table r4 2>&1)"

# --- 3a. cust imports only what a ROA makes valid -----------------------------
wait_for 30 in_t4 192.0.2.0/24 && ok || bad "valid 192.0.2.0/24 not in t4: $(b show route table t4)"
in_t4 203.0.113.0/24 && bad "unknown 203.0.113.0/24 imported: $(b show route table t4)" || ok

# --- 2. An update: 5000 more VRPs, 100.64.0.0/16 removed, HUP -----------------
s0=$(serial)
roa_del "100.64.0.0/16 20 65005"
extra=5000
publish
wait_for 30 count_is r4 5002 && ok || bad "r4 after the update (want 5002): $(counts)"
count_is r6 2 && ok || bad "r6 changed by an IPv4 update: $(counts)"
roa_is 100.64.0.0/16 65005 0 && ok || bad "removed ROA still there: $(b eval 'roa_check(r4, 100.64.0.0/16, 65005)')"
roa_is 10.19.135.0/24 104999 1 && ok || bad "new ROA not valid: $(b eval 'roa_check(r4, 10.19.135.0/24, 104999)')"
wait_for 10 serial_above "${s0:-2147483647}" && ok || bad "serial did not increase from '$s0': $(b show protocols all rtr1)"

# --- 3b. rpki reload: cust follows the ROAs without a restart -------------------
cust_since=$(since cust)
roas+=("203.0.113.0/24 24 65001")
publish
wait_for 30 in_t4 203.0.113.0/24 && ok || bad "203.0.113.0/24 not imported after its ROA: $(b show route table t4); $(counts)"
roa_del "192.0.2.0/24 24 65001"
publish
wait_for 30 not_in_t4 192.0.2.0/24 && ok \
  || bad "192.0.2.0/24 kept after its ROA left: $(b show route table t4); $(counts)"
[ -n "$cust_since" ] && [ "$(since cust)" = "$cust_since" ] && ok \
  || bad "cust restarted on a ROA change: since $cust_since -> $(since cust)"

# --- 4. The cache goes away and comes back ----------------------------------------
# The new stayrtr has a new session ID and answers the old session's Serial
# Query with Error Report "Corrupt Data" (not Cache Reset). RFC 8210 5.1:
# the router then flushes that cache's data and starts over (Reset Query).
# BIRD 2.0.12 and RTRlib 0.8.0 as such resend the Serial Query until
# `expire`; Tern must resync within a retry interval.
n4=5002
wait_for 10 counts_are $n4 2 || bad "r4 after 3b (want $n4): $(counts)"
rtr_stop
wait_for 30 not_established && ok || bad "rtr1 still Established without a cache: $(b show protocols all rtr1)"
! b show protocols | grep -qE '^rtr1 .*Established' && ok || bad "show protocols still Established: $(b show protocols)"
counts_are $n4 2 && ok || bad "ROAs dropped before expire: $(counts)"
roas+=("2001:db8:2000::/36 48 65007")
publish
rtr_start
wait_for 30 established && ok || bad "rtr1 not Established after stayrtr came back: $(b show protocols all rtr1)"
wait_for 20 counts_are $n4 3 && ok || bad "counts after the resync (want r4 $n4, r6 3): $(counts)"

# --- 5. Reconfiguration, disable, enable ----------------------------------------
# BIRD applies new timers in place (it may reconnect the session, so the
# protocol's `since` can move); a restart would reset the channel counters.
imports() { b show protocols all rtr1 | grep -E '^ +Import (updates|withdraws):'; }
imp0=$(imports)
c5=$(counts)
loglines=$(wc -l < "$dir/log")
conf 40
out=$(b configure 2>&1)
printf '%s\n' "$out" | grep -q "Reconfigur" && ok || bad "configure: $out"
wait_for 20 established && ok || bad "rtr1 not Established after configure: $(b show protocols all rtr1)"
[ -n "$imp0" ] && [ "$(imports)" = "$imp0" ] && ok \
  || bad "rtr1 restarted by a new refresh interval: import stats '$imp0' -> '$(imports)'"
tail -n +$((loglines + 1)) "$dir/log" | grep -iqE 'restart.*rtr1|rtr1.*restart' \
  && bad "rtr1 restart logged: $(tail -n +$((loglines + 1)) "$dir/log")" || ok
[ "$(counts)" = "$c5" ] && ok || bad "ROAs changed by the reconfiguration: $c5 -> $(counts)"
b disable rtr1 >/dev/null
wait_for 20 counts_are 0 0 && ok \
  || bad "disable rtr1 kept ROAs: $(counts)"
# a disabled protocol has no channels to show (this once read freed memory)
has "show protocols all of a disabled rpki" "Cache server:" b show protocols all rtr1
b enable rtr1 >/dev/null
wait_for 30 established && wait_for 20 counts_are $n4 3 && ok \
  || bad "enable rtr1: $(b show protocols all rtr1); $(counts)"

# --- 6. SSH transport ------------------------------------------------------
# stayrtr serves the same VRPs over SSH (key authentication). rtr2 knows the
# cache's host key and gets the ROAs into its own tables; rtr3 has another
# host key in its known_hosts file and must not connect.
ssh-keygen -q -t rsa -b 2048 -m PEM -N "" -f "$dir/hostkey" >/dev/null
ssh-keygen -q -t rsa -b 2048 -m PEM -N "" -f "$dir/clientkey" >/dev/null
ssh-keygen -q -t rsa -b 2048 -m PEM -N "" -f "$dir/otherkey" >/dev/null
echo "[127.0.0.1]:8322 $(cut -d' ' -f1,2 "$dir/hostkey.pub")" > "$dir/known_hosts"
echo "[127.0.0.1]:8322 $(cut -d' ' -f1,2 "$dir/otherkey.pub")" > "$dir/known_hosts_other"
ssh_listening() { ip netns exec "$ns" ss -Hltn | grep -qF 127.0.0.1:8322; }
ip netns exec "$ns" stayrtr -cache "$dir/vrps.json" -bind 127.0.0.1:8324 -metrics.addr 127.0.0.1:9848 \
  -ssh.bind 127.0.0.1:8322 -ssh.key "$dir/hostkey" -ssh.method.key -ssh.auth.key.file "$dir/clientkey.pub" \
  -ssh.auth.user rpki -refresh 5 >>"$dir/stayrtr-ssh.log" 2>&1 &
ssh_pid=$!
lab_cleanup() { for p in ${rtr_pid:-} ${ssh_pid:-}; do kill "$p" 2>/dev/null; done; }
wait_for 10 ssh_listening || bad "stayrtr not listening for SSH: $(cat "$dir/stayrtr-ssh.log")"
conf 40
cat >> "$dir/a.conf" <<CONF
roa4 table r4s;
roa4 table r4x;
protocol rpki rtr2 {
  roa4 { table r4s; };
  remote "127.0.0.1" port 8322;
  transport ssh { bird private key "$dir/clientkey"; remote public key "$dir/known_hosts"; user "rpki"; };
  retry keep 5; refresh keep 30; expire keep 600;
}
protocol rpki rtr3 {
  roa4 { table r4x; };
  remote "127.0.0.1" port 8322;
  transport ssh { bird private key "$dir/clientkey"; remote public key "$dir/known_hosts_other"; user "rpki"; };
  retry keep 5; refresh keep 30; expire keep 600;
}
CONF
b configure >/dev/null
ssh_up() { b show protocols all rtr2 | grep -qx '  Status:           Established'; }
wait_for 30 ssh_up && ok || bad "rtr2 not Established over SSH: $(b show protocols all rtr2); $(tail -5 "$dir/stayrtr-ssh.log")"
has "rtr2 transport" "  Transport:        SSHv2" b show protocols all rtr2
wait_for 20 count_is r4s $n4 && ok || bad "rtr2 ROAs: $(b show route table r4s count)"
wait_for 20 sh -c "birdc -s $dir/ctl show protocols | grep -qE '^rtr3 .* start .* (Transport-Error|Error-Fatal|Connecting)'" && ok \
  || bad "rtr3 (unknown host key) not refused: $(b show protocols)"
count_is r4x 0 && ok || bad "rtr3 got ROAs from a cache with an unknown host key: $(b show route table r4x count)"
# BIRD's look of a protocol that never synchronised: no table in the row,
# the channel DOWN and without statistics
has_re "rtr3 row" '^rtr3 +RPKI +--- +start ' b show protocols rtr3
has "rtr3 channel down" "    State:          DOWN" b show protocols all rtr3
b show protocols all rtr3 | grep -q "Routes:" && bad "rtr3 channel shows statistics: $(b show protocols all rtr3)" || ok
# --- 7. A cache without data ---------------------------------------------
# It answers every query with No Data Available; RTRlib then sleeps out the
# retry interval (5 min here) in a thread that cannot be cancelled. Taking
# the protocol down must not wait for that in the daemon's loop.
ip netns exec "$ns" python3 - >>"$dir/nodata.log" 2>&1 <<'PY' &
import socket, struct, sys, threading
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 8329)); s.listen(5)
def serve(c):
    while True:
        d = c.recv(8)
        if not d: return
        c.sendall(bytes([d[0], 10, 0, 2]) + struct.pack("!III", 16, 0, 0))   # Error Report: No Data Available
        print("answered", flush=True)
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
PY
nodata_pid=$!
lab_cleanup() { for p in ${rtr_pid:-} ${ssh_pid:-} ${nodata_pid:-}; do kill "$p" 2>/dev/null; done; }
nodata_listening() { ip netns exec "$ns" ss -Hltn | grep -qF 127.0.0.1:8329; }
wait_for 10 nodata_listening || bad "fake cache not listening: $(cat "$dir/nodata.log")"
conf 40
cat >> "$dir/a.conf" <<CONF
roa4 table r4n;
protocol rpki rtr4 { roa4 { table r4n; }; remote 127.0.0.1 port 8329; retry 300; refresh 600; expire 7200; }
CONF
b configure >/dev/null
# After the answer RTRlib goes back to Reset and sleeps out `retry`.
nodata() { grep -q answered "$dir/nodata.log" && b show protocols | grep -qE '^rtr4 .*Reset'; }
wait_for 10 nodata && ok || bad "rtr4 did not get the cache's answer: $(b show protocols); $(cat "$dir/nodata.log")"
t0=$(date +%s%N)
timeout 10 birdc -s "$dir/ctl" disable rtr4 >/dev/null
timeout 10 birdc -s "$dir/ctl" show status >/dev/null
t1=$(date +%s%N)
[ $(( (t1 - t0) / 1000000 )) -lt 3000 ] && ok || bad "disable rtr4 stalled the daemon for $(( (t1 - t0) / 1000000 )) ms"
has "rtr1 still served during rtr4's stop" "Established" b show protocols rtr1
lab_done
