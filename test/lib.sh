# test/lib.sh: what every integration test script shares. Source it after
# setting `set -u`; then call lab_init NAME.
#
#   lab_init NAME   skip unless root; make $ns (a network namespace named
#                   tern-NAME-<pid>) and $dir (a temporary directory), both
#                   removed on exit together with the ternd of $dir/pid
#                   (define lab_cleanup for more, it runs first)
#   ok / bad MSG    count an assertion; bad prints "FAIL: MSG"
#   check MSG CMD   run CMD as one assertion
#   wait_for S CMD  poll CMD every 50 ms for up to S seconds (no fixed sleeps)
#   b ARGS          the real birdc on $dir/ctl
#   lab_done        print "N passed, N failed" and exit with the verdict

fails=0; passes=0
ok() { passes=$((passes + 1)); }
bad() { fails=$((fails + 1)); echo "FAIL: $*"; }
check() {
  local what=$1; shift
  if "$@"; then ok; else bad "$what"; fi
}
wait_for() {
  local t=$1; shift
  for _ in $(seq $((t * 20))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.05; done
  return 1
}
b() { birdc -s "$dir/ctl" "$@"; }

lab_exit() {
  if declare -F lab_cleanup >/dev/null; then lab_cleanup; fi
  [ -f "$dir/pid" ] && kill "$(cat "$dir/pid")" 2>/dev/null
  ip netns del "$ns" 2>/dev/null
  if [ -n "${KEEP:-}" ]; then echo "kept $dir"; else rm -rf "$dir"; fi
}

lab_init() {
  [ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
  ns=tern-$1-$$
  dir=$(mktemp -d "/tmp/tern-$1.XXXXXX")
  trap lab_exit EXIT
  ip netns add "$ns" || { echo "FAIL: cannot create namespace $ns"; exit 1; }
  ip -n "$ns" link set lo up
}

lab_done() {
  echo "$passes passed, $fails failed"
  [ "$fails" = 0 ]
  exit $?
}
