/*
 * sysdep/linux/netlink_test.c: the rtnetlink layer against the real kernel.
 *
 * The test moves itself into a fresh network namespace (unshare), so it needs
 * root and leaves nothing behind; without either it exits 77 (SKIP). Links are
 * made with iproute2 via system(); `ip` is also the independent party that
 * checks what we installed and that makes changes we must be notified of.
 * No packet leaves the namespace.
 *
 *   +------------------------- private netns ---------------------------+
 *   |  lo   127.0.0.1/8                                                  |
 *   |  d0   10.1.0.1/24 2001:db8:1::1/64  (dummy, or veth d0 <-> d0p)   |
 *   |  e0   10.2.0.1/24 2001:db8:2::1/64  veth e0 <-> e0p               |
 *   |  br0  bridge, master of e0p (if the bridge type is available)     |
 *   +--------------------------------------------------------------------+
 */
#include "sysdep/linux/netlink.h"
#include "test/unit.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define RTPROT_TEST 200
#define BULK 100000

static struct nl_sock req;
static int has_bridge;

static int sh(const char *fmt, ...)
{
  char cmd[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(cmd, sizeof cmd, fmt, ap);
  va_end(ap);
  int st = system(cmd);
  if (st != 0)
    fprintf(stderr, "command failed (%d): %s\n", st, cmd);
  return st;
}

/* `ip` output, for cross-checking what we installed. */
static int ip_output_has(const char *cmd, const char *needle)
{
  char line[512];
  int found = 0;
  FILE *f = popen(cmd, "r");
  if (!f)
    return 0;
  while (fgets(line, sizeof line, f))
    found |= strstr(line, needle) != NULL;
  pclose(f);
  return found;
}

static double now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void setup_namespace(void)
{
  if (geteuid() != 0) {
    printf("SKIP: needs root to create a network namespace\n");
    exit(77);
  }
  if (unshare(CLONE_NEWNET) < 0) {
    printf("SKIP: unshare(CLONE_NEWNET): %s\n", strerror(errno));
    exit(77);
  }
  /* The dummy module may be missing; a veth pair behaves the same here. */
  if (system("ip link add d0 type dummy 2>/dev/null") != 0) {
    CHECK_INT(sh("ip link add d0 type veth peer name d0p"), 0);
    CHECK_INT(sh("ip link set d0p up"), 0);
  }
  CHECK_INT(sh("ip link add e0 type veth peer name e0p"), 0);
  has_bridge = system("ip link add br0 type bridge 2>/dev/null") == 0;
  if (has_bridge)
    CHECK_INT(sh("ip link set e0p master br0"), 0);
  CHECK_INT(sh("ip link set lo up && ip link set d0 mtu 1500 up && "
               "ip link set e0 up && ip link set e0p up"), 0);
  CHECK_INT(sh("ip addr add 10.1.0.1/24 brd + dev d0 && ip addr add 10.2.0.1/24 dev e0"), 0);
  CHECK_INT(sh("ip -6 addr add 2001:db8:1::1/64 dev d0 nodad && "
               "ip -6 addr add 2001:db8:2::1/64 dev e0 nodad"), 0);
  CHECK_INT(sh("ip addr add 10.9.0.1 peer 10.9.0.2/32 dev d0"), 0);
}

static void addr_of(const char *s, uint8_t *out)
{
  int ok = inet_pton(strchr(s, ':') ? AF_INET6 : AF_INET, s, out);
  if (ok != 1) {
    fprintf(stderr, "bad address in test: %s\n", s);
    abort();
  }
}

/* ---- helpers (format) ---------------------------------------------------- */

static void test_prefix_helpers(void)
{
  struct nl_prefix p;
  char buf[64];
  CHECK_INT(nl_prefix_parse("10.1.2.0/24", &p), 0);
  CHECK_INT(p.family, AF_INET);
  CHECK_INT(p.pxlen, 24);
  CHECK(nl_prefix_format(&p, buf, sizeof buf) > 0);
  CHECK_STR(buf, "10.1.2.0/24");
  CHECK_INT(nl_prefix_parse("2001:db8::/32", &p), 0);
  CHECK_INT(p.family, AF_INET6);
  CHECK(nl_prefix_format(&p, buf, sizeof buf) > 0);
  CHECK_STR(buf, "2001:db8::/32");
  CHECK_INT(nl_prefix_parse("10.1.2.1/24", &p), -EINVAL);     /* host bits */
  CHECK_INT(nl_prefix_parse("10.1.2.0/33", &p), -EINVAL);
  CHECK_INT(nl_prefix_parse("10.1.2.0/", &p), -EINVAL);
  CHECK_INT(nl_prefix_parse("nonsense/8", &p), -EINVAL);
  CHECK_INT(nl_prefix_parse("2001:db8::1", &p), 0);
  CHECK_INT(p.pxlen, 128);
  CHECK_INT(nl_prefix_format(&p, buf, 5), -ENOSPC);
}

/* ---- links ------------------------------------------------------------- */

struct link_seen {
  struct nl_link lo, d0, e0p;
  int n;
};

static int collect_link(const struct nl_link *l, void *arg)
{
  struct link_seen *s = arg;
  s->n++;
  if (!strcmp(l->name, "lo")) s->lo = *l;
  if (!strcmp(l->name, "d0")) s->d0 = *l;
  if (!strcmp(l->name, "e0p")) s->e0p = *l;
  return 0;
}

static int collect_stop(const struct nl_link *l, void *arg)
{
  return 42;
}

static void test_links(void)
{
  struct link_seen s = { 0 };
  CHECK_INT(nl_dump_links(&req, collect_link, &s), 0);
  CHECK(s.n >= 4);
  CHECK_INT(s.lo.index, 1);
  CHECK(s.lo.flags & IFF_LOOPBACK);
  CHECK(s.lo.flags & IFF_UP);
  CHECK_INT(s.lo.mtu, 65536);
  CHECK_INT(s.d0.index, nl_ifindex("d0"));
  CHECK(s.d0.index > 1);
  CHECK(s.d0.flags & IFF_UP);
  CHECK_INT(s.d0.mtu, 1500);
  CHECK_INT(s.d0.mac_len, 6);
  CHECK_INT(s.d0.master, 0);
  CHECK_INT(s.d0.deleted, 0);
  if (has_bridge)
    CHECK_INT(s.e0p.master, nl_ifindex("br0"));
  CHECK_INT(nl_ifindex("no-such-if"), 0);

  /* A callback's nonzero result stops the walk and is returned. */
  CHECK_INT(nl_dump_links(&req, collect_stop, NULL), 42);
  /* The socket is still in sync after the early stop. */
  memset(&s, 0, sizeof s);
  CHECK_INT(nl_dump_links(&req, collect_link, &s), 0);
  CHECK_INT(s.lo.index, 1);
}

/* ---- addresses ----------------------------------------------------------- */

struct addr_seen {
  struct nl_ifaddr v4, v6, lo4, ptp;
  int n;
};

static int same_addr(const struct nl_ifaddr *a, const char *s)
{
  uint8_t b[16] = { 0 };
  addr_of(s, b);
  return !memcmp(a->addr, b, a->family == AF_INET ? 4 : 16);
}

static int collect_addr(const struct nl_ifaddr *a, void *arg)
{
  struct addr_seen *s = arg;
  s->n++;
  if (same_addr(a, "10.1.0.1")) s->v4 = *a;
  if (a->family == AF_INET6 && same_addr(a, "2001:db8:1::1")) s->v6 = *a;
  if (same_addr(a, "127.0.0.1")) s->lo4 = *a;
  if (same_addr(a, "10.9.0.1")) s->ptp = *a;
  return 0;
}

static void test_addrs(void)
{
  struct addr_seen s = { 0 };
  uint8_t want[16];
  int d0 = nl_ifindex("d0");
  CHECK_INT(nl_dump_addrs(&req, AF_UNSPEC, collect_addr, &s), 0);
  CHECK(s.n >= 6);
  CHECK_INT(s.v4.family, AF_INET);
  CHECK_INT(s.v4.ifindex, d0);
  CHECK_INT(s.v4.pxlen, 24);
  CHECK_INT(s.v4.scope, RT_SCOPE_UNIVERSE);
  CHECK_INT(s.v4.has_peer, 0);
  CHECK_INT(s.v4.has_brd, 1);
  addr_of("10.1.0.255", want);
  CHECK(!memcmp(s.v4.brd, want, 4));
  CHECK_INT(s.v6.family, AF_INET6);
  CHECK_INT(s.v6.ifindex, d0);
  CHECK_INT(s.v6.pxlen, 64);
  CHECK(s.v6.flags & IFA_F_NODAD);          /* only in IFA_FLAGS' upper bits */
  CHECK_INT(s.lo4.ifindex, 1);
  CHECK_INT(s.lo4.pxlen, 8);
  CHECK_INT(s.lo4.scope, RT_SCOPE_HOST);
  CHECK_INT(s.ptp.has_peer, 1);
  CHECK_INT(s.ptp.pxlen, 32);
  addr_of("10.9.0.2", want);
  CHECK(!memcmp(s.ptp.peer, want, 4));

  /* Family filter. */
  memset(&s, 0, sizeof s);
  CHECK_INT(nl_dump_addrs(&req, AF_INET6, collect_addr, &s), 0);
  CHECK_INT(s.v4.family, 0);
  CHECK_INT(s.v6.family, AF_INET6);
}

/* ---- routes: a table of cases ------------------------------------------ */

struct nh_case { const char *gw; const char *dev; unsigned weight, flags; };
struct route_case {
  const char *name, *dst;
  unsigned table, metric, type, scope;
  struct nh_case nh[3];
  const char *prefsrc;
  unsigned realm;
};

static const struct route_case route_cases[] = {
  { "v4 via gw", "10.20.0.0/16", 100, 10, RTN_UNICAST, RT_SCOPE_UNIVERSE, { { "10.1.0.2", NULL, 1, 0 } } },
  { "v4 via gw+dev", "10.20.1.0/24", 100, 0, RTN_UNICAST, RT_SCOPE_UNIVERSE, { { "10.2.0.2", "e0", 1, 0 } } },
  { "v4 dev", "10.21.0.0/16", 100, 20, RTN_UNICAST, RT_SCOPE_LINK, { { NULL, "d0", 1, 0 } } },
  { "v4 blackhole", "10.22.0.0/16", 100, 0, RTN_BLACKHOLE, RT_SCOPE_UNIVERSE, { { 0 } } },
  { "v4 unreachable", "10.23.0.0/16", 100, 0, RTN_UNREACHABLE, RT_SCOPE_UNIVERSE, { { 0 } } },
  { "v4 prohibit", "10.24.0.0/16", 100, 0, RTN_PROHIBIT, RT_SCOPE_UNIVERSE, { { 0 } } },
  { "v4 ecmp", "10.25.0.0/16", 100, 5, RTN_UNICAST, RT_SCOPE_UNIVERSE,
    { { "10.1.0.2", "d0", 1, 0 }, { "10.1.0.3", "d0", 3, 0 }, { "10.2.0.2", "e0", 200, 0 } } },
  { "v4 table 1000 prefsrc", "10.26.0.0/24", 1000, 500, RTN_UNICAST, RT_SCOPE_UNIVERSE,
    { { "10.1.0.2", NULL, 1, 0 } }, "10.1.0.1" },
  { "v4 onlink", "10.27.0.0/24", 100, 0, RTN_UNICAST, RT_SCOPE_UNIVERSE, { { "192.0.2.1", "d0", 1, RTNH_F_ONLINK } } },
  { "v4 realm", "10.28.0.0/24", 100, 0, RTN_UNICAST, RT_SCOPE_UNIVERSE, { { "10.1.0.2", NULL, 1, 0 } }, NULL, 7 },
  { "v4 default", "0.0.0.0/0", 1000, 0, RTN_UNICAST, RT_SCOPE_UNIVERSE, { { "10.1.0.2", NULL, 1, 0 } } },
  { "v4 host", "10.29.1.1/32", 100, 0, RTN_UNICAST, RT_SCOPE_UNIVERSE, { { "10.1.0.2", NULL, 1, 0 } } },
  { "v6 via gw", "2001:db8:20::/48", 100, 10, RTN_UNICAST, RT_SCOPE_UNIVERSE, { { "2001:db8:1::2", NULL, 1, 0 } } },
  { "v6 dev", "2001:db8:21::/48", 100, 1024, RTN_UNICAST, RT_SCOPE_UNIVERSE, { { NULL, "d0", 1, 0 } } },
  { "v6 blackhole", "2001:db8:22::/48", 100, 1024, RTN_BLACKHOLE, RT_SCOPE_UNIVERSE, { { 0 } } },
  { "v6 unreachable", "2001:db8:23::/48", 100, 1024, RTN_UNREACHABLE, RT_SCOPE_UNIVERSE, { { 0 } } },
  { "v6 prohibit", "2001:db8:24::/48", 100, 1024, RTN_PROHIBIT, RT_SCOPE_UNIVERSE, { { 0 } } },
  { "v6 ecmp", "2001:db8:25::/48", 100, 50, RTN_UNICAST, RT_SCOPE_UNIVERSE,
    { { "2001:db8:1::2", "d0", 2, 0 }, { "2001:db8:2::2", "e0", 7, 0 } } },
  { "v6 table 1000 prefsrc", "2001:db8:26::/48", 1000, 300, RTN_UNICAST, RT_SCOPE_UNIVERSE,
    { { "2001:db8:1::2", "d0", 1, 0 } }, "2001:db8:1::1" },
  { "v6 default", "::/0", 1000, 1024, RTN_UNICAST, RT_SCOPE_UNIVERSE, { { "2001:db8:2::2", "e0", 1, 0 } } },
};
#define N_CASES (sizeof route_cases / sizeof route_cases[0])

static struct nl_route route_from_case(const struct route_case *c)
{
  struct nl_route r;
  memset(&r, 0, sizeof r);
  if (nl_prefix_parse(c->dst, &r.dst) < 0)
    abort();
  r.table = c->table;
  r.protocol = RTPROT_TEST;
  r.metric = c->metric;
  r.type = c->type;
  r.scope = c->scope;
  r.realm = c->realm;
  for (int i = 0; i < 3 && (c->nh[i].gw || c->nh[i].dev); i++) {
    struct nl_nexthop *nh = &r.nh[r.nh_count++];
    nh->family = r.dst.family;
    if (c->nh[i].gw) {
      addr_of(c->nh[i].gw, nh->gw);
      nh->has_gw = 1;
    }
    nh->ifindex = c->nh[i].dev ? nl_ifindex(c->nh[i].dev) : 0;
    nh->weight = c->nh[i].weight;
    nh->flags = c->nh[i].flags;
  }
  if (c->prefsrc) {
    addr_of(c->prefsrc, r.prefsrc);
    r.has_prefsrc = 1;
  }
  return r;
}

struct route_find {
  const struct nl_route *want;
  struct nl_route got;
  int found;
  unsigned count;           /* routes in the dump with RTPROT_TEST */
};

static int same_prefix(const struct nl_prefix *a, const struct nl_prefix *b)
{
  return a->family == b->family && a->pxlen == b->pxlen && !memcmp(a->addr, b->addr, 16);
}

static int find_cb(const struct nl_route *r, void *arg)
{
  struct route_find *f = arg;
  if (r->protocol == RTPROT_TEST)
    f->count++;
  if (f->want && same_prefix(&r->dst, &f->want->dst) && r->metric == f->want->metric) {
    f->got = *r;
    f->found++;
  }
  return 0;
}

static int find_route(const struct nl_route *want, struct nl_route *got)
{
  struct route_find f = { .want = want };
  int e = nl_dump_routes(&req, want->dst.family, want->table, find_cb, &f);
  CHECK_INT(e, 0);
  if (f.found)
    *got = f.got;
  return f.found;
}

/* The kernel resolves a gateway-only nexthop to its interface. */
static int expected_ifindex(const struct nl_route *want, int i)
{
  const struct nl_nexthop *nh = &want->nh[i];
  if (nh->ifindex)
    return nh->ifindex;
  const uint8_t *g = nh->gw;
  if (want->dst.family == AF_INET)
    return g[0] == 10 && g[1] == 2 ? nl_ifindex("e0") : nl_ifindex("d0");
  return g[7] == 2 ? nl_ifindex("e0") : nl_ifindex("d0");
}

static void compare_route(const char *name, const struct nl_route *want, const struct nl_route *got)
{
  unsigned before = unit_failed;
  size_t alen = want->dst.family == AF_INET ? 4 : 16;
  CHECK(same_prefix(&got->dst, &want->dst));
  CHECK_INT(got->table, want->table);
  CHECK_INT(got->protocol, want->protocol);
  CHECK_INT(got->metric, want->metric);
  CHECK_INT(got->type, want->type);
  CHECK_INT(got->scope, want->scope);
  CHECK_INT(got->nh_count, want->nh_count);
  CHECK_INT(got->nh_truncated, 0);
  for (int i = 0; i < want->nh_count && i < got->nh_count; i++) {
    const struct nl_nexthop *w = &want->nh[i], *g = &got->nh[i];
    CHECK_INT(g->family, want->dst.family);
    CHECK_INT(g->has_gw, w->has_gw);
    CHECK(!w->has_gw || !memcmp(g->gw, w->gw, alen));
    CHECK_INT(g->ifindex, expected_ifindex(want, i));
    CHECK_INT(g->weight, w->weight);
    CHECK_INT(g->flags & RTNH_F_ONLINK, w->flags);
  }
  CHECK_INT(got->has_prefsrc, want->has_prefsrc);
  CHECK(!want->has_prefsrc || !memcmp(got->prefsrc, want->prefsrc, alen));
  CHECK_INT(got->realm, want->realm);
  CHECK_INT(got->deleted, 0);
  if (unit_failed != before)
    fprintf(stderr, "  ... in route case \"%s\"\n", name);
}

static void test_route_cases(void)
{
  char err[256];
  for (size_t i = 0; i < N_CASES; i++) {
    const struct route_case *c = &route_cases[i];
    struct nl_route want = route_from_case(c), got;
    int e = nl_route_change(&req, &want, NL_ADD, err, sizeof err);
    if (e)
      fprintf(stderr, "add %s: %s (%s)\n", c->name, strerror(-e), err);
    CHECK_INT(e, 0);
    CHECK_INT(find_route(&want, &got), 1);
    compare_route(c->name, &want, &got);
  }

  /* iproute2 reads back what we wrote. */
  CHECK(ip_output_has("ip route show table 1000", "10.26.0.0/24 via 10.1.0.2 dev d0 proto 200 src 10.1.0.1 metric 500"));
  CHECK(ip_output_has("ip route show table 100", "blackhole 10.22.0.0/16 proto 200"));
  CHECK(ip_output_has("ip route show table 100", "nexthop via 10.1.0.3 dev d0 weight 3"));
  CHECK(ip_output_has("ip -6 route show table 100", "nexthop via 2001:db8:2::2 dev e0 weight 7"));

  /* Every case sits in its own table, and only there. */
  struct route_find f = { 0 };
  CHECK_INT(nl_dump_routes(&req, AF_UNSPEC, 1000, find_cb, &f), 0);
  CHECK_INT(f.count, 4);
  memset(&f, 0, sizeof f);
  CHECK_INT(nl_dump_routes(&req, AF_INET, 100, find_cb, &f), 0);
  CHECK_INT(f.count, 10);
  memset(&f, 0, sizeof f);
  CHECK_INT(nl_dump_routes(&req, AF_UNSPEC, 0, find_cb, &f), 0);
  CHECK_INT(f.count, N_CASES);
  memset(&f, 0, sizeof f);
  CHECK_INT(nl_dump_routes(&req, AF_INET, 4242, find_cb, &f), 0);   /* no such table */
  CHECK_INT(f.count, 0);
}

static void test_route_replace(void)
{
  char err[256];
  struct nl_route r = route_from_case(&route_cases[0]), got;   /* v4 via gw */
  /* Single path -> multipath with weights. */
  r.nh_count = 2;
  r.nh[1] = r.nh[0];
  addr_of("10.2.0.2", r.nh[1].gw);
  r.nh[1].weight = 9;
  CHECK_INT(nl_route_change(&req, &r, NL_REPLACE, err, sizeof err), 0);
  CHECK_INT(find_route(&r, &got), 1);
  compare_route("replace to ecmp", &r, &got);
  /* Unicast -> blackhole in place. */
  r.type = RTN_BLACKHOLE;
  r.nh_count = 0;
  CHECK_INT(nl_route_change(&req, &r, NL_REPLACE, err, sizeof err), 0);
  CHECK_INT(find_route(&r, &got), 1);
  compare_route("replace to blackhole", &r, &got);

  struct nl_route r6 = route_from_case(&route_cases[12]);      /* v6 via gw */
  addr_of("2001:db8:1::3", r6.nh[0].gw);
  CHECK_INT(nl_route_change(&req, &r6, NL_REPLACE, err, sizeof err), 0);
  CHECK_INT(find_route(&r6, &got), 1);
  compare_route("v6 replace gw", &r6, &got);
  r6.type = RTN_UNREACHABLE;
  r6.nh_count = 0;
  CHECK_INT(nl_route_change(&req, &r6, NL_REPLACE, err, sizeof err), 0);
  CHECK_INT(find_route(&r6, &got), 1);
  compare_route("v6 replace to unreachable", &r6, &got);

  /* REPLACE creates a route that is not there yet. */
  CHECK_INT(nl_prefix_parse("10.31.0.0/16", &r.dst), 0);
  CHECK_INT(nl_route_change(&req, &r, NL_REPLACE, err, sizeof err), 0);
  CHECK_INT(find_route(&r, &got), 1);
}

static void test_route_delete(void)
{
  char err[256];
  for (size_t i = 0; i < N_CASES; i++) {
    struct nl_route r = route_from_case(&route_cases[i]), got;
    /* Delete by key: type and nexthops are not part of it (the replace test
     * turned some of these into reject routes). */
    r.type = RTN_UNICAST;
    r.nh_count = 0;
    int e = nl_route_change(&req, &r, NL_DELETE, err, sizeof err);
    if (e)
      fprintf(stderr, "delete %s: %s (%s)\n", route_cases[i].name, strerror(-e), err);
    CHECK_INT(e, 0);
    CHECK_INT(find_route(&r, &got), 0);
  }
  struct route_find f = { 0 };
  CHECK_INT(nl_dump_routes(&req, AF_UNSPEC, 0, find_cb, &f), 0);
  CHECK_INT(f.count, 1);                    /* the route REPLACE created */
  struct nl_route r = route_from_case(&route_cases[0]);
  CHECK_INT(nl_prefix_parse("10.31.0.0/16", &r.dst), 0);
  CHECK_INT(nl_route_change(&req, &r, NL_DELETE, err, sizeof err), 0);
  CHECK_INT(nl_route_change(&req, &r, NL_DELETE, err, sizeof err), -ESRCH);
}

static void test_route_errors(void)
{
  char err[256];
  struct nl_route r = route_from_case(&route_cases[0]);
  CHECK_INT(nl_prefix_parse("10.30.0.0/24", &r.dst), 0);
  addr_of("10.99.0.1", r.nh[0].gw);         /* no route to the gateway */
  CHECK_INT(nl_route_change(&req, &r, NL_ADD, err, sizeof err), -ENETUNREACH);
  CHECK_STR(err, "Nexthop has invalid gateway");

  CHECK_INT(nl_route_change(&req, &r, NL_DELETE, err, sizeof err), -ESRCH);
  struct nl_route r6 = route_from_case(&route_cases[12]);
  CHECK_INT(nl_route_change(&req, &r6, NL_DELETE, err, sizeof err), -ESRCH);
  addr_of("2001:db8:99::1", r6.nh[0].gw);
  CHECK_INT(nl_route_change(&req, &r6, NL_ADD, err, sizeof err), -EHOSTUNREACH);

  /* ADD refuses to overwrite. */
  r = route_from_case(&route_cases[3]);     /* blackhole */
  CHECK_INT(nl_route_change(&req, &r, NL_ADD, err, sizeof err), 0);
  CHECK_INT(nl_route_change(&req, &r, NL_ADD, err, sizeof err), -EEXIST);
  CHECK_INT(nl_route_change(&req, &r, NL_DELETE, NULL, 0), 0);

  /* Rejected before reaching the kernel. */
  r = route_from_case(&route_cases[0]);
  r.nh_count = 0;
  CHECK_INT(nl_route_change(&req, &r, NL_ADD, err, sizeof err), -EINVAL);
  r = route_from_case(&route_cases[3]);
  r.nh_count = 1;
  CHECK_INT(nl_route_change(&req, &r, NL_ADD, err, sizeof err), -EINVAL);
  r.dst.pxlen = 33;
  CHECK_INT(nl_route_change(&req, &r, NL_DELETE, err, sizeof err), -EINVAL);
}

/* Routes that ip(8) installs are read back with every field. */
static void test_route_from_ip(void)
{
  CHECK_INT(sh("ip route add 10.40.0.0/16 table 1000 metric 7 proto %d "
               "nexthop via 10.1.0.2 weight 2 nexthop via 10.2.0.2 dev e0 weight 4",
               RTPROT_TEST), 0);
  static const struct route_case c = { "ip ecmp", "10.40.0.0/16", 1000, 7, RTN_UNICAST,
    RT_SCOPE_UNIVERSE, { { "10.1.0.2", "d0", 2, 0 }, { "10.2.0.2", "e0", 4, 0 } } };
  struct nl_route want = route_from_case(&c), got;
  CHECK_INT(find_route(&want, &got), 1);
  compare_route(c.name, &want, &got);
  CHECK_INT(nl_route_change(&req, &want, NL_DELETE, NULL, 0), 0);
}

/* ---- batches ------------------------------------------------------------ */

struct done_log {
  unsigned calls, ok;
  long next;                /* ctx of the next expected call, -1 = unordered */
  int order_ok;
  int err[32];
  char msg[32][128];
};

static struct done_log *batch_log;

static void done_cb(void *ctx, int err, const char *msg)
{
  struct done_log *d = batch_log;
  long i = (long)(intptr_t)ctx;
  d->calls++;
  d->ok += !err;
  if (i != d->next)
    d->order_ok = 0;
  d->next = i + 1;
  if (i >= 0 && i < 32) {
    d->err[i] = err;
    snprintf(d->msg[i], sizeof d->msg[i], "%s", msg ? msg : "(null)");
  }
}

static struct nl_route bulk_route(unsigned i, unsigned table)
{
  struct nl_route r;
  memset(&r, 0, sizeof r);
  r.dst.family = AF_INET;
  uint32_t a = htonl((11u << 24) + (i << 8));
  memcpy(r.dst.addr, &a, 4);
  r.dst.pxlen = 24;
  r.table = table;
  r.protocol = RTPROT_TEST;
  r.type = RTN_UNICAST;
  r.nh_count = 1;
  r.nh[0].family = AF_INET;
  addr_of("10.1.0.2", r.nh[0].gw);
  r.nh[0].has_gw = 1;
  r.nh[0].weight = 1;
  return r;
}

static unsigned count_table(int family, unsigned table)
{
  struct route_find f = { 0 };
  CHECK_INT(nl_dump_routes(&req, family, table, find_cb, &f), 0);
  return f.count;
}

static double batch_all(struct nl_batch *b, unsigned table, int op)
{
  double t0 = now();
  for (unsigned i = 0; i < BULK; i++) {
    struct nl_route r = bulk_route(i, table);
    if (nl_batch_route(b, &r, op, (void *)(intptr_t)i) != 0) {
      CHECK(!"nl_batch_route failed");
      break;
    }
  }
  CHECK_INT(nl_batch_flush(b), 0);
  return now() - t0;
}

static void test_batch_bulk(void)
{
  static struct nl_batch b;
  static struct done_log log;

  batch_log = &log;
  memset(&log, 0, sizeof log);
  log.order_ok = 1;
  nl_batch_init(&b, &req, done_cb);
  CHECK(b.limit >= 8 && b.limit <= NL_BATCH_MAX);
  double t_add = batch_all(&b, 100, NL_ADD);
  CHECK_INT(log.calls, BULK);
  CHECK_INT(log.ok, BULK);
  CHECK_INT(log.order_ok, 1);
  CHECK_INT(b.failures, 0);
  CHECK_INT(count_table(AF_INET, 100), BULK);
  unsigned long windows = b.windows;

  /* The BIRD way, same run, same conditions: one request, one ack each. */
  double t0 = now();
  unsigned seq_ok = 0;
  for (unsigned i = 0; i < BULK; i++) {
    struct nl_route r = bulk_route(i, 101);
    seq_ok += nl_route_change(&req, &r, NL_ADD, NULL, 0) == 0;
  }
  double t_seq = now() - t0;
  CHECK_INT(seq_ok, BULK);
  CHECK_INT(count_table(AF_INET, 101), BULK);

  /* A listener that does not keep up must be told it lost messages. */
  struct nl_sock async;
  CHECK_INT(nl_open(&async, NL_GROUPS_ALL), 0);
  memset(&log, 0, sizeof log);
  log.order_ok = 1;
  double t_del = batch_all(&b, 100, NL_DELETE);
  CHECK_INT(log.ok, BULK);
  CHECK_INT(log.order_ok, 1);
  CHECK_INT(count_table(AF_INET, 100), 0);
  CHECK_INT(count_table(AF_INET, 101), BULK);   /* untouched */
  CHECK_INT(nl_async_read(&async, &(struct nl_async_ops){ 0 }, NULL), -ENOBUFS);
  CHECK(nl_async_read(&async, &(struct nl_async_ops){ 0 }, NULL) >= 0);
  nl_close(&async);

  printf("batch: %d IPv4 routes added in %.3f s (%.0f/s, %lu windows of <= %u)\n",
         BULK, t_add, BULK / t_add, windows, b.limit);
  printf("one request+ack per route (BIRD style): %.3f s (%.0f/s); batch speedup %.2fx\n",
         t_seq, BULK / t_seq, t_seq / t_add);
  printf("batch delete of %d routes with a notification listener: %.3f s\n", BULK, t_del);
}

/* Requests 5, 9, 13 and 17 fail; windows of 3 put failures at every
 * position of a window. */
static void test_batch_failures(void)
{
  static struct nl_batch b;
  static struct done_log log;
  batch_log = &log;
  memset(&log, 0, sizeof log);
  log.order_ok = 1;
  nl_batch_init(&b, &req, done_cb);
  b.limit = 3;
  for (unsigned i = 0; i < 20; i++) {
    struct nl_route r = bulk_route(i, 200);
    int op = NL_ADD;
    if (i == 5)
      addr_of("10.99.0.1", r.nh[0].gw);
    if (i == 9) {
      r = bulk_route(500, 200);
      op = NL_DELETE;
    }
    if (i == 13)
      r = bulk_route(2, 200);               /* duplicate of request 2 */
    if (i == 17) {
      static const struct route_case c6 = { "", "2001:db8:50::/48", 200, 1, RTN_UNICAST,
        RT_SCOPE_UNIVERSE, { { "2001:db8:99::1", NULL, 1, 0 } } };
      r = route_from_case(&c6);
    }
    CHECK_INT(nl_batch_route(&b, &r, op, (void *)(intptr_t)i), 0);
    if (i == 10) {
      /* A single change in between must not confuse the window. */
      struct nl_route x = bulk_route(900, 201);
      CHECK_INT(nl_route_change(&req, &x, NL_ADD, NULL, 0), 0);
    }
  }
  CHECK_INT(nl_batch_flush(&b), 0);
  CHECK_INT(nl_batch_flush(&b), 0);         /* nothing pending */
  CHECK_INT(log.calls, 20);
  CHECK_INT(log.order_ok, 1);
  CHECK_INT(b.failures, 4);
  for (int i = 0; i < 20; i++) {
    int want = i == 5 ? -ENETUNREACH : i == 9 ? -ESRCH : i == 13 ? -EEXIST
             : i == 17 ? -EHOSTUNREACH : 0;
    CHECK_INT(log.err[i], want);
  }
  CHECK_STR(log.msg[5], "Nexthop has invalid gateway");
  CHECK_STR(log.msg[0], "");
  CHECK_INT(count_table(AF_INET, 200), 16);
  CHECK_INT(count_table(AF_INET, 201), 1);

  /* Unencodable requests are refused up front, without a done call. */
  struct nl_route bad = bulk_route(1, 200);
  bad.nh_count = 0;
  CHECK_INT(nl_batch_route(&b, &bad, NL_ADD, (void *)(intptr_t)31), -EINVAL);
  CHECK_INT(nl_batch_flush(&b), 0);
  CHECK_INT(log.calls, 20);
}

/* Forced ack overflow: a tiny receive buffer and a window far larger than
 * it can hold. Every request still gets exactly one done call; those whose
 * ack was dropped say -ENOBUFS (outcome unknown), and the socket recovers. */
static void test_batch_overflow(void)
{
  static struct nl_batch b;
  static struct done_log log;
  struct nl_sock s;
  enum { N = 500 };
  CHECK_INT(nl_open(&s, 0), 0);
  int small = 4096;
  CHECK_INT(setsockopt(nl_fd(&s), SOL_SOCKET, SO_RCVBUFFORCE, &small, sizeof small), 0);
  batch_log = &log;
  memset(&log, 0, sizeof log);
  log.order_ok = 1;
  nl_batch_init(&b, &s, done_cb);
  b.limit = NL_BATCH_MAX;                   /* defeat the safety bound */
  for (unsigned i = 0; i < N; i++) {
    struct nl_route r = bulk_route(i, 300);
    CHECK_INT(nl_batch_route(&b, &r, NL_ADD, (void *)(intptr_t)i), 0);
  }
  CHECK_INT(b.count, N);                    /* all in one window */
  CHECK_INT(nl_batch_flush(&b), -ENOBUFS);
  CHECK_INT(log.calls, N);
  CHECK(log.ok > 0 && log.ok < N);
  CHECK_INT(b.failures, N - log.ok);
  CHECK_INT(count_table(AF_INET, 300), N);  /* the kernel did them all */
  struct route_find f = { 0 };
  CHECK_INT(nl_dump_routes(&s, AF_INET, 300, find_cb, &f), 0);
  CHECK_INT(f.count, N);
  nl_close(&s);
}

/* ---- async notifications ---------------------------------------------- */

struct watch {
  const char *prefix;       /* address or route as "addr/len" */
  const char *link;
  unsigned table, mtu;
  int deleted;
  int found;
  struct nl_route route;
};

static int watch_addr(const struct nl_ifaddr *a, void *arg)
{
  struct watch *w = arg;
  struct nl_prefix p = { .family = a->family, .pxlen = a->pxlen };
  char buf[64];
  memcpy(p.addr, a->addr, 16);
  if (w->prefix && nl_prefix_format(&p, buf, sizeof buf) > 0 &&
      !strcmp(buf, w->prefix) && a->deleted == w->deleted && !w->table)
    w->found = 1;
  return 0;
}

static int watch_route(const struct nl_route *r, void *arg)
{
  struct watch *w = arg;
  char buf[64];
  if (w->prefix && w->table && nl_prefix_format(&r->dst, buf, sizeof buf) > 0 &&
      !strcmp(buf, w->prefix) && r->table == w->table && r->deleted == w->deleted) {
    w->found = 1;
    w->route = *r;
  }
  return 0;
}

static int watch_link(const struct nl_link *l, void *arg)
{
  struct watch *w = arg;
  if (w->link && !strcmp(l->name, w->link) && l->mtu == w->mtu && !l->deleted)
    w->found = 1;
  return 0;
}

static const struct nl_async_ops watch_ops = { watch_link, watch_addr, watch_route };

/* Waits for the event with a generous bound; never a fixed sleep. */
static int wait_event(struct nl_sock *a, struct watch *w)
{
  double deadline = now() + 10;
  while (!w->found && now() < deadline) {
    struct pollfd pfd = { .fd = nl_fd(a), .events = POLLIN };
    poll(&pfd, 1, 100);
    int n = nl_async_read(a, &watch_ops, w);
    CHECK(n >= 0);
  }
  return w->found;
}

static void test_async(void)
{
  struct nl_sock a;
  CHECK_INT(nl_open(&a, NL_GROUPS_ALL), 0);
  CHECK(nl_fd(&a) >= 0);
  CHECK_INT(nl_async_read(&a, &watch_ops, &(struct watch){ 0 }), 0);   /* quiet */

  struct watch w = { .prefix = "10.5.0.1/24" };
  CHECK_INT(sh("ip addr add 10.5.0.1/24 dev d0"), 0);
  CHECK(wait_event(&a, &w));
  w = (struct watch){ .prefix = "10.5.0.1/24", .deleted = 1 };
  CHECK_INT(sh("ip addr del 10.5.0.1/24 dev d0"), 0);
  CHECK(wait_event(&a, &w));

  w = (struct watch){ .prefix = "2001:db8:5::1/64" };
  CHECK_INT(sh("ip -6 addr add 2001:db8:5::1/64 dev e0 nodad"), 0);
  CHECK(wait_event(&a, &w));

  w = (struct watch){ .prefix = "10.60.0.0/16", .table = 100 };
  CHECK_INT(sh("ip route add 10.60.0.0/16 via 10.1.0.2 table 100 metric 33 proto 77"), 0);
  CHECK(wait_event(&a, &w));
  CHECK_INT(w.route.metric, 33);
  CHECK_INT(w.route.protocol, 77);
  CHECK_INT(w.route.nh_count, 1);
  CHECK_INT(w.route.nh[0].ifindex, nl_ifindex("d0"));
  w = (struct watch){ .prefix = "10.60.0.0/16", .table = 100, .deleted = 1 };
  CHECK_INT(sh("ip route del 10.60.0.0/16 table 100"), 0);
  CHECK(wait_event(&a, &w));

  w = (struct watch){ .prefix = "2001:db8:60::/48", .table = 1000 };
  CHECK_INT(sh("ip -6 route add 2001:db8:60::/48 via 2001:db8:1::2 table 1000"), 0);
  CHECK(wait_event(&a, &w));
  CHECK_INT(w.route.metric, 1024);
  w = (struct watch){ .prefix = "2001:db8:60::/48", .table = 1000, .deleted = 1 };
  CHECK_INT(sh("ip -6 route del 2001:db8:60::/48 table 1000"), 0);
  CHECK(wait_event(&a, &w));

  w = (struct watch){ .link = "d0", .mtu = 1400 };
  CHECK_INT(sh("ip link set d0 mtu 1400"), 0);
  CHECK(wait_event(&a, &w));
  nl_close(&a);
}

int main(void)
{
  test_prefix_helpers();
  setup_namespace();
  int e = nl_open(&req, 0);
  CHECK_INT(e, 0);
  if (e)
    return unit_done("netlink");
  test_links();
  test_addrs();
  test_route_cases();
  test_route_replace();
  test_route_delete();
  test_route_errors();
  test_route_from_ip();
  test_batch_failures();
  test_batch_overflow();
  test_async();
  test_batch_bulk();
  nl_close(&req);
  return unit_done("netlink");
}
