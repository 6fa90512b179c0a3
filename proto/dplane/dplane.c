/*
 * proto/dplane/dplane.c: the data-plane protocol. It exports a table into
 * the shared-memory Poptrie FIB (fib/) that ternfwd's lcores read.
 *
 * Routes: each exported route becomes one FIB route. Its first next hop
 * maps to a shared FIB next hop (fib_nh_acquire finds or adds it; the FIB
 * route holds its own reference, so a million routes via one gateway cost
 * one entry): gateway + interface -> forward (port = interface index,
 * neighbour = gateway); blackhole, prohibit and unreachable -> drop;
 * anything without a resolved interface -> punt to the control plane.
 *
 * Loading: start creates a fresh region and renames it over the path; the
 * channels' first feed is buffered and loaded with fib_bulk4/6 (one trie
 * build instead of a rebuild per route); once every channel has loaded, the
 * readers of the previous region are told to switch (fib_writer_announce),
 * so a restart never shows them an empty table. After that every rt_notify
 * is one fib_insert/replace/delete, published atomically.
 *
 * Shutdown unmaps the region but leaves the file, and the withdrawals
 * that a daemon shutdown sends are ignored: ternfwd keeps forwarding with
 * the last FIB while ternd is down or restarting.
 */
#include <errno.h>
#include <string.h>

#include "proto/dplane/dplane.h"
#include "conf/conf.h"
#include "nest/cli.h"
#include "nest/iface.h"
#include "nest/nest.h"
#include "lib/printf.h"
#include "sysdep/unix/log.h"

static int fam_of(const struct channel *c)
{
  return c->net_type == NET_IP6;
}

/* ---- next hops ----------------------------------------------------------- */

static void dplane_put_gw(struct fib_nh *x, ip_addr gw)
{
  if (!ipa_nonzero(gw))
    return;                     /* a device route: the neighbour is the destination */
  if (ipa_is_ip4(gw)) {
    x->family = 4;
    ip4_put(x->addr, ipa_to_ip4(gw));
  } else {
    x->family = 6;
    ip6_put(x->addr, gw);
  }
}

/* The FIB next hop for a route: see the top of the file. */
static void dplane_fill_nh(struct fib_nh *x, const rta *a)
{
  memset(x, 0, sizeof(*x));
  switch (a->dest) {
  case RTD_BLACKHOLE:
  case RTD_PROHIBIT:
  case RTD_UNREACHABLE:         /* no ICMP from the data plane yet: drop */
    x->kind = FIB_NH_DROP;
    return;
  case RTD_UNICAST:
    if (a->nh.iface && a->nh.iface->index <= 0xffff) {
      x->kind = FIB_NH_FORWARD;
      x->port = (u16) a->nh.iface->index;
      dplane_put_gw(x, a->nh.gw);
      return;
    }
    x->kind = FIB_NH_PUNT;      /* no resolved next hop */
    return;
  default:
    x->kind = FIB_NH_PUNT;
  }
}

static int dplane_acquire(struct dplane_proto *d, const rte *e)
{
  struct fib_nh x;
  dplane_fill_nh(&x, e->attrs);
  return fib_nh_acquire(d->w, &x);
}

/* ---- route changes --------------------------------------------------------- */

static void dplane_error(struct dplane_proto *d, const net *n, const char *what, int err)
{
  /* Logged at most once per second of errors would be nicer; errors here
     mean the region is full, which the operator must see. */
  if (d->errors++ < 10)
    log_msg(L_ERR "%s: FIB %s %N failed: %s", d->p.name, what, &n->n, strerror(-err));
}

static int dplane_set(struct dplane_proto *d, const net *n, uint32_t nh)
{
  uint len = net_pxlen(&n->n);
  int r;
  if (n->n.type == NET_IP4) {
    uint32_t a = ip4_to_u32(net4_prefix(&n->n));
    r = fib_insert4(d->w, a, len, nh);
    if (r == -EEXIST)
      r = fib_replace4(d->w, a, len, nh);
  } else {
    u8 a[16];
    ip6_put(a, net_prefix(&n->n));
    r = fib_insert6(d->w, a, len, nh);
    if (r == -EEXIST)
      r = fib_replace6(d->w, a, len, nh);
  }
  return r;
}

static int dplane_del(struct dplane_proto *d, const net *n)
{
  uint len = net_pxlen(&n->n);
  if (n->n.type == NET_IP4)
    return fib_delete4(d->w, ip4_to_u32(net4_prefix(&n->n)), len);
  u8 a[16];
  ip6_put(a, net_prefix(&n->n));
  return fib_delete6(d->w, a, len);
}

/* Buffer a route of the first feed; it keeps the reference acquired for it
   until the bulk load has taken its own. */
static void dplane_buffer(struct dplane_load *l, const net *n, uint32_t nh)
{
  if (l->n == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 4096;
    if (n->n.type == NET_IP4)
      l->r4 = xrealloc(l->r4, l->cap * sizeof(*l->r4));
    else
      l->r6 = xrealloc(l->r6, l->cap * sizeof(*l->r6));
  }
  u8 len = (u8) net_pxlen(&n->n);
  if (n->n.type == NET_IP4)
    l->r4[l->n++] = (struct fib_route4) { ip4_to_u32(net4_prefix(&n->n)), len, nh };
  else {
    struct fib_route6 *r = &l->r6[l->n++];
    ip6_put(r->addr, net_prefix(&n->n));
    r->len = len;
    r->nh = nh;
  }
}

static void dplane_rt_notify(struct proto *p, struct channel *c, net *n, rte *new, rte *old)
{
  struct dplane_proto *d = (void *) p;
  struct dplane_load *l = &d->load[fam_of(c)];
  /* On shutdown the other protocols withdraw everything: the data plane
     keeps forwarding with the last FIB instead (as BIRD's kernel protocol
     leaves the kernel's routes alone then). */
  if (!d->w || shutting_down)
    return;
  if (!new) {
    int r = dplane_del(d, n);
    if (r < 0 && r != -ENOENT)
      dplane_error(d, n, "delete", r);
    else
      d->updates++;
    return;
  }
  int nh = dplane_acquire(d, new);
  if (nh < 0) {
    dplane_error(d, n, "next hop for", nh);
    if (old)                    /* do not leave the old next hop in place */
      dplane_del(d, n);
    return;
  }
  if (l->active) {
    dplane_buffer(l, n, (uint32_t) nh);
    return;
  }
  int r = dplane_set(d, n, (uint32_t) nh);
  fib_nh_release(d->w, (uint32_t) nh);
  if (r < 0)
    dplane_error(d, n, "update", r);
  else
    d->updates++;
}

/* End of a feed: the first one of a family goes in with the bulk loader. */
static void dplane_load_finish(struct dplane_proto *d, int fam)
{
  struct dplane_load *l = &d->load[fam];
  int r = fam ? fib_bulk6(d->w, l->r6, l->n) : fib_bulk4(d->w, l->r4, l->n);
  if (r < 0)
    log_msg(L_ERR "%s: FIB bulk load of %zu IPv%d routes failed: %s", d->p.name, l->n,
            fam ? 6 : 4, strerror(-r));
  else
    d->updates += l->n;
  for (size_t i = 0; i < l->n; i++)
    fib_nh_release(d->w, fam ? l->r6[i].nh : l->r4[i].nh);
  xfree(l->r4);
  xfree(l->r6);
  memset(l, 0, sizeof(*l));
}

static void dplane_feed_end(struct channel *c)
{
  struct dplane_proto *d = (void *) c->proto;
  if (!d->w)
    return;
  if (d->load[fam_of(c)].active)
    dplane_load_finish(d, fam_of(c));
  if (d->announced)
    return;
  struct channel *x;
  WALK_LIST(x, d->p.channels)
    if (x->channel_state != CS_UP || x->export_state != ES_READY || d->load[fam_of(x)].active)
      return;
  fib_writer_announce(d->w);
  d->announced = 1;
  proto_trace(&d->p, D_EVENTS, "initial FIB load done, readers of the old region told");
}

/* Only routes with somewhere to go: skip what the table merely carries. */
static int dplane_preexport(struct channel *c, rte *e)
{
  if (e->src->proto == c->proto)
    return -1;
  return e->attrs->dest == RTD_NONE ? -1 : 0;
}

/* ---- reclamation ------------------------------------------------------------ */

static void dplane_reclaim(timer *t)
{
  struct dplane_proto *d = t->data;
  pid_t pids[16];
  fib_writer_reclaim(d->w);
  int n = fib_writer_dead_readers(d->w, pids, 16);
  for (int i = 0; i < n && i < 16; i++)
    log_msg(L_WARN "%s: FIB reader process %d died without unregistering; slot freed",
            d->p.name, (int) pids[i]);
  if (n > 16)
    log_msg(L_WARN "%s: %d more dead FIB readers", d->p.name, n - 16);
  d->dead_readers += (uint) n;
}

/* ---- lifecycle ----------------------------------------------------------------- */

static int dplane_start(struct proto *p)
{
  struct dplane_proto *d = (void *) p;
  struct dplane_config *cf = (void *) p->cf;
  struct fib_config fc;
  char err[256];
  fib_config_default(&fc);
  fc.path = cf->path;
  d->w = fib_writer_create(&fc, err, sizeof(err));
  if (!d->w) {
    log_msg(L_ERR "%s: %s", p->name, err);
    proto_set_message(p, err);
    return PS_DOWN;
  }
  d->announced = 0;
  d->updates = 0;
  d->errors = 0;
  memset(d->load, 0, sizeof(d->load));
  struct channel *c;
  WALK_LIST(c, p->channels)
    d->load[fam_of(c)].active = 1;
  tm_init(&d->reclaim_timer, dplane_reclaim, d);
  d->reclaim_timer.recurrent = DPLANE_RECLAIM_TIME;
  tm_start(&d->reclaim_timer, DPLANE_RECLAIM_TIME);
  return PS_UP;
}

static int dplane_shutdown(struct proto *p)
{
  struct dplane_proto *d = (void *) p;
  tm_stop(&d->reclaim_timer);
  for (int f = 0; f < 2; f++) {
    struct dplane_load *l = &d->load[f];
    for (size_t i = 0; d->w && i < l->n; i++)
      fib_nh_release(d->w, f ? l->r6[i].nh : l->r4[i].nh);
    xfree(l->r4);
    xfree(l->r6);
    memset(l, 0, sizeof(*l));
  }
  /* The region file stays: readers keep the last FIB. */
  fib_writer_destroy(d->w);
  d->w = NULL;
  return PS_DOWN;
}

/* A new region path needs a new region: restart. Filter changes are the
   channels' business (nest refeeds them). */
static int dplane_reconfigure(struct proto *p, struct proto_config *new)
{
  struct dplane_config *o = (void *) p->cf, *n = (void *) new;
  return !strcmp(o->path, n->path);
}

static void dplane_get_status(struct proto *p, char *buf, size_t len)
{
  struct dplane_proto *d = (void *) p;
  if (d->errors)
    bsnprintf(buf, len, "%u FIB errors", d->errors);
}

static struct proto *dplane_init(struct proto_config *pc)
{
  struct proto *p = proto_new(pc);
  p->rt_notify = dplane_rt_notify;
  p->preexport = dplane_preexport;
  p->feed_end = dplane_feed_end;
  return p;
}

const char *dplane_region_path(struct cf_ctx *ctx, const char *region, const char **why)
{
  size_t len = strlen(region);
  if (region[0] != '/') {
    *why = "must start with '/' (\"/name\" is " DPLANE_SHM_DIR "/name, or give an absolute path)";
    return NULL;
  }
  if (len < 2 || region[len - 1] == '/') {
    *why = "names a directory, not a file";
    return NULL;
  }
  if (strchr(region + 1, '/'))
    return region;              /* an absolute path, used as it is */
  char *path = cf_alloc(ctx, sizeof(DPLANE_SHM_DIR) + len);
  memcpy(path, DPLANE_SHM_DIR, sizeof(DPLANE_SHM_DIR) - 1);
  memcpy(path + sizeof(DPLANE_SHM_DIR) - 1, region, len + 1);
  return path;
}

static void dplane_postconfig(struct proto_config *pc, struct cf_ctx *ctx)
{
  struct dplane_config *cf = (void *) pc;
  cf_loc loc = { pc->loc_file, pc->loc_line, 1, pc->loc_line, 1 };
  struct proto_config *x;
  WALK_LIST(x, ctx->conf->protos) {
    if (x == pc)
      break;
    if (x->protocol == &proto_dplane && !x->is_template && !pc->is_template &&
        !strcmp(((struct dplane_config *) x)->path, cf->path))
      cf_error(ctx, &loc, "Dplane protocols %s and %s write the same region %s",
               x->name, pc->name, cf->path);
  }
}

/* ---- show dplane ------------------------------------------------------------------ */

#define SHOW_NH_MAX 1000        /* next-hop lines per protocol */

static void show_nh(struct cli *c, const struct fib_nh *x, uint32_t idx, uint32_t refs)
{
  static const char *kinds[] = { "none", "drop", "punt", "forward", "tunnel" };
  const char *k = x->kind < 5 ? kinds[x->kind] : "unknown";
  char via[64] = "";
  if (x->family == 4)
    bsnprintf(via, sizeof(via), " via %I4", ip4_get(x->addr));
  else if (x->family == 6)
    bsnprintf(via, sizeof(via), " via %I6", ip6_get(x->addr));
  if (x->kind == FIB_NH_FORWARD)
    cli_msg(c, -DPLANE_SHOW_CODE, "  Next hop: %u %s port %u%s refs %u", idx, k, x->port, via, refs);
  else if (x->kind == FIB_NH_TUNNEL)
    cli_msg(c, -DPLANE_SHOW_CODE, "  Next hop: %u %s sa %u refs %u", idx, k, x->sa, refs);
  else
    cli_msg(c, -DPLANE_SHOW_CODE, "  Next hop: %u %s refs %u", idx, k, refs);
}

static void show_readers(struct cli *c, struct fib_region *r, uint64_t gen)
{
  uint n = 0;
  for (int i = 0; i < FIB_MAX_READERS; i++)
    n += __atomic_load_n(&r->hdr->readers[i].pid, __ATOMIC_ACQUIRE) != 0;
  cli_msg(c, -DPLANE_SHOW_CODE, "  Readers: %u", n);
  for (int i = 0; i < FIB_MAX_READERS; i++) {
    const struct fib_reader_slot *s = &r->hdr->readers[i];
    uint32_t pid = __atomic_load_n(&s->pid, __ATOMIC_ACQUIRE);
    uint64_t e = __atomic_load_n(&s->epoch, __ATOMIC_ACQUIRE);
    if (!pid)
      continue;
    if (!e)
      cli_msg(c, -DPLANE_SHOW_CODE, "  Reader: slot %d pid %u tid %u offline", i, pid, s->tid);
    else
      cli_msg(c, -DPLANE_SHOW_CODE, "  Reader: slot %d pid %u tid %u epoch %lu lag %lu", i, pid,
              s->tid, (unsigned long) e, (unsigned long) (gen > e ? gen - e : 0));
  }
}

static void dplane_show_one(struct cli *c, struct dplane_proto *d)
{
  struct dplane_config *cf = (void *) d->p.cf;
  struct fib_region *r = fib_writer_region(d->w);
  struct fib_stats st;
  fib_writer_stats(d->w, &st);
  cli_msg(c, -DPLANE_SHOW_CODE, "Protocol: %s", d->p.name);
  cli_msg(c, -DPLANE_SHOW_CODE, "  Region: %s", cf->path);
  cli_msg(c, -DPLANE_SHOW_CODE, "  Region size: %lu", (unsigned long) r->size);
  cli_msg(c, -DPLANE_SHOW_CODE, "  Layout version: %u", r->hdr->version);
  cli_msg(c, -DPLANE_SHOW_CODE, "  Generation: %lu", (unsigned long) st.generation);
  cli_msg(c, -DPLANE_SHOW_CODE, "  IPv4 routes: %lu", (unsigned long) st.routes4);
  cli_msg(c, -DPLANE_SHOW_CODE, "  IPv4 memory: %lu", (unsigned long) st.bytes4);
  cli_msg(c, -DPLANE_SHOW_CODE, "  IPv6 routes: %lu", (unsigned long) st.routes6);
  cli_msg(c, -DPLANE_SHOW_CODE, "  IPv6 memory: %lu", (unsigned long) st.bytes6);
  cli_msg(c, -DPLANE_SHOW_CODE, "  Next hops: %lu", (unsigned long) st.nexthops);
  cli_msg(c, -DPLANE_SHOW_CODE, "  Limbo blocks: %lu", (unsigned long) st.limbo);
  cli_msg(c, -DPLANE_SHOW_CODE, "  Updates: %lu", (unsigned long) d->updates);
  cli_msg(c, -DPLANE_SHOW_CODE, "  Errors: %u", d->errors);
  cli_msg(c, -DPLANE_SHOW_CODE, "  Dead readers: %u", d->dead_readers);
  show_readers(c, r, st.generation);
  uint shown = 0;
  for (uint32_t i = 1; i < r->hdr->nh_cap && shown < SHOW_NH_MAX; i++) {
    uint32_t refs = fib_nh_refcount(d->w, i);
    if (refs) {
      show_nh(c, fib_nexthop(r, i), i, refs);
      shown++;
    }
  }
  if (shown < st.nexthops)
    cli_msg(c, -DPLANE_SHOW_CODE, "  Next hops not shown: %lu", (unsigned long) (st.nexthops - shown));
}

void dplane_show(struct cli *c, const char *name)
{
  struct proto *p;
  uint found = 0;
  WALK_LIST(p, proto_list) {
    if (p->proto != &proto_dplane || p->deleting || (name && !patmatch(name, p->name)))
      continue;
    struct dplane_proto *d = (void *) p;
    if (p->proto_state != PS_UP || !d->w) {
      if (name && !found && !strcmp(name, p->name)) {
        cli_msg(c, 8005, "Protocol is down");
        return;
      }
      continue;
    }
    dplane_show_one(c, d);
    found++;
  }
  if (!found) {
    cli_msg(c, 8005, name ? "%s: not a running dplane protocol" : "There is no running dplane protocol", name);
    return;
  }
  cli_msg(c, 0, "");
}

struct protocol proto_dplane = {
  .name = "Dplane",
  .template = "dplane%d",
  .class = PROTOCOL_DPLANE,
  .channel_mask = NB_IP,
  .max_channels = 2,
  .proto_size = sizeof(struct dplane_proto),
  .config_size = sizeof(struct dplane_config),
  .postconfig = dplane_postconfig,
  .needs_channel = 1,
  .init = dplane_init,
  .start = dplane_start,
  .shutdown = dplane_shutdown,
  .reconfigure = dplane_reconfigure,
  .get_status = dplane_get_status,
};
