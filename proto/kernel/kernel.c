/*
 * proto/kernel/kernel.c: the kernel protocol over rtnetlink.
 *
 * Export: each change of an exported route becomes an RTM_NEWROUTE
 * (replace) or RTM_DELROUTE in a pipelined netlink batch, sent at the end
 * of the event-loop pass, so a full table goes to the kernel in a few
 * large writes instead of one round trip per route. Routes carry protocol
 * RTPROT_BIRD (12), which is how we recognise ours in scans.
 *
 * Scan (every `scan time`): routes of ours that the kernel lost are put
 * back, routes of ours we no longer export are removed, and with `learn`
 * the other routes of the table are imported. On shutdown our routes are
 * removed unless `persist` is set.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <linux/rtnetlink.h>

#include "proto/kernel/kernel.h"
#include "nest/nest.h"
#include "conf/conf.h"
#include "filter/filter.h"
#include "nest/iface.h"
#include "lib/printf.h"
#include "sysdep/unix/log.h"

#define RTPROT_TERN 12          /* RTPROT_BIRD: what bird uses too */

static void krt_put_ip(uint8_t *dst, ip_addr a)
{
  if (ipa_is_ip4(a))
    ip4_put(dst, ipa_to_ip4(a));
  else
    ip6_put(dst, a);
}

static void krt_fill_prefix(struct nl_prefix *p, const net_addr *n)
{
  memset(p, 0, sizeof(*p));
  p->family = n->type == NET_IP4 ? AF_INET : AF_INET6;
  krt_put_ip(p->addr, net_prefix(n));
  p->pxlen = net_pxlen(n);
}

/* Append one next hop of ours to a netlink route. */
static void krt_add_nh(struct nl_route *r, const struct nexthop *nh)
{
  struct nl_nexthop *x = &r->nh[r->nh_count++];
  memset(x, 0, sizeof(*x));
  x->family = r->dst.family;
  x->ifindex = nh->iface ? (int) nh->iface->index : 0;
  x->weight = nh->weight + 1;
  x->flags = (nh->flags & RNF_ONLINK) ? RTNH_F_ONLINK : 0;
  if (ipa_nonzero(nh->gw)) {
    krt_put_ip(x->gw, nh->gw);
    x->has_gw = 1;
  }
}

static void krt_fill_route(struct krt_proto *k, struct nl_route *r, const net_addr *n, const rte *e)
{
  struct krt_config *cf = (void *) k->p.cf;
  memset(r, 0, sizeof(*r));
  krt_fill_prefix(&r->dst, n);
  r->table = cf->table_id;
  r->protocol = RTPROT_TERN;
  r->metric = cf->metric;
  r->scope = RT_SCOPE_UNIVERSE;
  if (!e) {
    r->type = RTN_UNICAST;
    return;
  }
  const rta *a = e->attrs;
  switch (a->dest) {
  case RTD_BLACKHOLE: r->type = RTN_BLACKHOLE; return;
  case RTD_UNREACHABLE: r->type = RTN_UNREACHABLE; return;
  case RTD_PROHIBIT: r->type = RTN_PROHIBIT; return;
  default: r->type = RTN_UNICAST;
  }
  /* A multipath route goes out whole; `merge paths` (several routes into
     one ECMP route) is krt_fill_merged(). */
  for (const struct nexthop *nh = &a->nh; nh && r->nh_count < NL_MAX_NEXTHOPS; nh = nh->next)
    krt_add_nh(r, nh);
  if (r->nh_count && !r->nh[0].has_gw)
    r->scope = RT_SCOPE_LINK;
}

static void krt_done(void *ctx, int err, const char *msg)
{
  struct krt_proto *k = ctx;
  k->pending--;
  if (err && err != -ESRCH) {
    k->errors++;
    log_msg(L_ERR "%s: kernel route change failed: %s%s%s", k->p.name, strerror(-err),
            msg && *msg ? ": " : "", msg ? msg : "");
  }
}

static void krt_flush(void *data)
{
  struct krt_proto *k = data;
  if (k->batch)
    nl_batch_flush(k->batch);
}

static void krt_queue(struct krt_proto *k, const struct nl_route *r, int op)
{
  k->pending++;
  if (nl_batch_route(k->batch, r, op, k) == -EINVAL)
    k->pending--;
  if (!ev_active(&k->flush_event))
    ev_schedule(&k->flush_event);
}

static int krt_nh_present(const struct nl_route *r, const struct nexthop *nh, int family)
{
  uint8_t gw[16] = { 0 };
  if (ipa_nonzero(nh->gw))
    krt_put_ip(gw, nh->gw);
  for (int i = 0; i < r->nh_count; i++)
    if (r->nh[i].ifindex == (int) (nh->iface ? nh->iface->index : 0) &&
        !memcmp(r->nh[i].gw, gw, family == AF_INET ? 4 : 16))
      return 1;
  return 0;
}

/* `merge paths`: the best exported route of the net, plus the next hops of
   the other exported routes BIRD would merge with it (same preference, same
   IGP metric, both unicast), as one ECMP route of at most `limit` hops.
   Returns 0 when nothing of the net is exported. */
static int krt_fill_merged(struct krt_proto *k, struct channel *c, net *n, struct nl_route *r)
{
  struct krt_config *cf = (void *) k->p.cf;
  rte *best = NULL;
  for (rte *e = n->routes; e && !best; e = e->next)
    if (rte_is_valid(e) && channel_exported(c, e))
      best = e;
  if (!best)
    return 0;
  krt_fill_route(k, r, &n->n, best);
  if (best->attrs->dest != RTD_UNICAST)
    return 1;
  uint limit = MIN(cf->merge_limit, NL_MAX_NEXTHOPS);
  for (rte *e = best->next; e; e = e->next) {
    if (!rte_is_valid(e) || !channel_exported(c, e) || e->pref != best->pref ||
        e->attrs->dest != RTD_UNICAST || e->attrs->igp_metric != best->attrs->igp_metric)
      continue;
    for (const struct nexthop *nh = &e->attrs->nh; nh && (uint) r->nh_count < limit; nh = nh->next) {
      if (!krt_nh_present(r, nh, r->dst.family))
        krt_add_nh(r, nh);
    }
  }
  return 1;
}

static void krt_rt_notify(struct proto *p, struct channel *c, net *n, rte *new, rte *old)
{
  struct krt_config *cf = (void *) p->cf;
  if (p->gr_recovery)
    return;   /* graceful restart: the previous run's routes stay for now */
  if (cf->merge_paths) {
    /* The channel sees every route (RA_ANY); the kernel gets the merge. */
    struct krt_proto *k = (void *) p;
    struct nl_route r;
    if (!k->batch)
      return;
    if (krt_fill_merged(k, c, n, &r)) {
      krt_queue(k, &r, NL_REPLACE);
    } else {
      krt_fill_route(k, &r, &n->n, NULL);
      krt_queue(k, &r, NL_DELETE);
    }
    return;
  }

  struct krt_proto *k = (void *) p;
  struct nl_route r;
  if (!k->batch)
    return;   /* stopped: the shutdown hook has already cleaned up */
  if (new) {
    krt_fill_route(k, &r, &n->n, new);
    krt_queue(k, &r, NL_REPLACE);
  } else if (old) {
    krt_fill_route(k, &r, &n->n, NULL);
    krt_queue(k, &r, NL_DELETE);
  }
}

/* Don't send back what we learned from the kernel. */
static int krt_preexport(struct channel *c, rte *e)
{
  if (e->src->proto == c->proto)
    return -1;
  if (e->attrs->dest == RTD_UNICAST && !e->attrs->nh.iface)
    return -1;   /* unresolved next hop */
  return 0;
}

struct krt_scan_ctx {
  struct krt_proto *k;
  struct channel *c;
  int family;
  struct htable seen;           /* our routes found in the kernel */
};

struct krt_seen {
  struct hnode hn;
  net_addr n;
};

static net_addr krt_net_of(const struct nl_route *r)
{
  net_addr n;
  if (r->dst.family == AF_INET)
    net_fill_ip4(&n, ip4_get(r->dst.addr), r->dst.pxlen);
  else
    net_fill_ip6(&n, ip6_get(r->dst.addr), r->dst.pxlen);
  return n;
}

static int krt_exported(struct channel *c, net *x)
{
  return x && rte_is_valid(x->routes) && channel_exported(c, x->routes);
}

static int krt_seen_has(struct htable *h, const net_addr *n)
{
  for (struct hnode *x = ht_first(h, net_hash(n)); x; x = ht_next_same(x))
    if (net_equal(&SKIP_BACK(struct krt_seen, hn, x)->n, n))
      return 1;
  return 0;
}

/* Ours and still exported: remember it. Ours and not exported: remove.
   Someone else's: learn it if asked to. */
static int krt_scan_route(const struct nl_route *r, void *arg)
{
  struct krt_scan_ctx *s = arg;
  struct krt_proto *k = s->k;
  net_addr n = krt_net_of(r);
  if (r->protocol == RTPROT_TERN) {
    if (krt_exported(s->c, net_find(s->c->table, &n))) {
      struct krt_seen *x = tmp_alloc(sizeof(*x));
      net_copy(&x->n, &n);
      ht_insert(&s->seen, &x->hn, net_hash(&n));
    } else {
      krt_queue(k, r, NL_DELETE);
    }
    return 0;
  }
  struct krt_config *cf = (void *) k->p.cf;
  if (!cf->learn || r->type != RTN_UNICAST || r->protocol == RTPROT_KERNEL)
    return 0;
  rta a = { .source = RTS_INHERIT, .scope = SCOPE_UNIVERSE, .dest = RTD_UNICAST };
  if (r->nh_count) {
    a.nh.iface = if_find_by_index(r->nh[0].ifindex);
    if (r->nh[0].has_gw)
      a.nh.gw = r->dst.family == AF_INET ? ipa_from_ip4(ip4_get(r->nh[0].gw)) : ip6_get(r->nh[0].gw);
  }
  if (!a.nh.iface)
    return 0;
  rte *e = rte_get_temp(&a, rt_get_source(&k->p, 0));
  e->u.krt.metric = r->metric;
  rte_update(s->c, &n, e, rt_get_source(&k->p, 0));
  return 0;
}

/* Exported routes the kernel lost (someone ran `ip route flush`) go back. */
static void krt_restore_missing(struct krt_scan_ctx *s)
{
  struct rt_iter it;
  rt_iter_init(&it, s->c->table);
  net *n;
  while ((n = rt_iter_next(&it))) {
    if (!krt_exported(s->c, n) || krt_seen_has(&s->seen, &n->n))
      continue;
    struct nl_route r;
    struct krt_config *cf = (void *) s->k->p.cf;
    if (cf->merge_paths)
      krt_fill_merged(s->k, s->c, n, &r);
    else
      krt_fill_route(s->k, &r, &n->n, n->routes);
    krt_queue(s->k, &r, NL_REPLACE);
  }
  rt_iter_stop(&it);
}

static void krt_scan(struct krt_proto *k)
{
  struct krt_config *cf = (void *) k->p.cf;
  struct channel *c;
  krt_flush(k);   /* the kernel must see our pending changes first */
  WALK_LIST(c, k->p.channels) {
    if (c->channel_state != CS_UP)
      continue;
    pool *p = rp_new(k->p.pool, "Kernel scan");
    struct krt_scan_ctx s = { k, c, c->net_type == NET_IP4 ? AF_INET : AF_INET6 };
    ht_init(&s.seen, p, 10);
    if (nl_dump_routes(&k->sk, s.family, cf->table_id, krt_scan_route, &s) == 0)
      krt_restore_missing(&s);
    rp_free(p);
  }
  krt_flush(k);
}

static void krt_scan_timer(timer *t)
{
  struct krt_proto *k = t->data;
  if (!k->p.gr_recovery)
    krt_scan(k);
}

static void krt_feed_end(struct channel *c)
{
  struct krt_proto *k = (void *) c->proto;
  if (k->p.gr_recovery)
    return;
  krt_flush(k);
  krt_scan(k);
}

static int krt_start(struct proto *p)
{
  struct krt_proto *k = (void *) p;
  struct krt_config *cf = (void *) p->cf;
  if (nl_open(&k->sk, 0) < 0 || nl_open(&k->bsk, 0) < 0) {
    log_msg(L_ERR "%s: cannot open netlink: %m", p->name);
    nl_close(&k->sk);
    return PS_DOWN;
  }
  k->batch = mb_alloc(p->pool, sizeof(struct nl_batch));
  nl_batch_init(k->batch, &k->bsk, krt_done);
  ev_init(&k->flush_event, krt_flush, k);
  tm_init(&k->scan_timer, krt_scan_timer, k);
  k->scan_timer.recurrent = cf->scan_time;
  tm_start(&k->scan_timer, cf->scan_time);
  k->p.gr_recovery = gr_recovery && cf->graceful_restart;
  return PS_UP;
}

/* Our routes found by the shutdown dump. They are deleted after the dump:
   deleting routes while the kernel is still dumping the same table makes
   it resume the dump over and over. Deletes match on the key only. */
struct krt_doomed {
  struct nl_prefix *v;
  unsigned *metric;
  size_t n, size;
};

static int krt_collect_ours(const struct nl_route *r, void *arg)
{
  struct krt_doomed *d = arg;
  if (r->protocol != RTPROT_TERN)
    return 0;
  if (d->n == d->size) {
    d->size = d->size ? 2 * d->size : 1024;
    d->v = xrealloc(d->v, d->size * sizeof(*d->v));
    d->metric = xrealloc(d->metric, d->size * sizeof(*d->metric));
  }
  d->v[d->n] = r->dst;
  d->metric[d->n++] = r->metric;
  return 0;
}

static void krt_remove_ours(struct krt_proto *k, int family, unsigned table)
{
  struct krt_doomed d = { 0 };
  nl_dump_routes(&k->sk, family, table, krt_collect_ours, &d);
  struct nl_route r;
  memset(&r, 0, sizeof(r));
  r.table = table;
  r.protocol = RTPROT_TERN;
  r.type = RTN_UNICAST;
  /* Backwards: the kernel's trie does much more work (update_suffix) when
     a table is emptied in ascending order, the order of its dump. */
  for (size_t i = d.n; i-- > 0;) {
    r.dst = d.v[i];
    r.metric = d.metric[i];
    krt_queue(k, &r, NL_DELETE);
  }
  xfree(d.v);
  xfree(d.metric);
}

static int krt_shutdown(struct proto *p)
{
  struct krt_proto *k = (void *) p;
  struct krt_config *cf = (void *) p->cf;
  tm_stop(&k->scan_timer);
  ev_cancel(&k->flush_event);
  if (k->batch) {
    nl_batch_flush(k->batch);
    if (!cf->persist) {
      struct channel *c;
      WALK_LIST(c, p->channels)
        krt_remove_ours(k, c->net_type == NET_IP4 ? AF_INET : AF_INET6, cf->table_id);
      nl_batch_flush(k->batch);
    }
  }
  nl_close(&k->sk);
  nl_close(&k->bsk);
  k->batch = NULL;
  return PS_DOWN;
}

static int krt_reconfigure(struct proto *p, struct proto_config *new)
{
  struct krt_config *o = (void *) p->cf, *n = (void *) new;
  if (o->table_id != n->table_id || o->metric != n->metric || o->learn != n->learn ||
      o->merge_paths != n->merge_paths || o->merge_limit != n->merge_limit ||
      o->device_routes != n->device_routes)
    return 0;
  struct krt_proto *k = (void *) p;
  if (o->scan_time != n->scan_time && p->proto_state == PS_UP) {
    k->scan_timer.recurrent = n->scan_time;
    tm_start(&k->scan_timer, n->scan_time);
  }
  return 1;
}

static void krt_get_status(struct proto *p, char *buf, size_t len)
{
  struct krt_proto *k = (void *) p;
  if (k->errors)
    bsnprintf(buf, len, "%u kernel errors", k->errors);
}

/* `reload in`: scan the kernel table now (learns, removes stale routes). */
static void krt_reload_routes(struct channel *c)
{
  krt_scan((struct krt_proto *) c->proto);
}

static struct proto *krt_init(struct proto_config *pc)
{
  struct proto *p = proto_new(pc);
  p->reload_routes = krt_reload_routes;
  p->rt_notify = krt_rt_notify;
  p->preexport = krt_preexport;
  p->feed_end = krt_feed_end;
  return p;
}

/* With `merge paths` the channel must see every route, not only the best. */
static void krt_postconfig(struct proto_config *pc, struct cf_ctx *ctx)
{
  struct krt_config *cf = (void *) pc;
  struct channel_config *cc;
  WALK_LIST(cc, pc->channels)
    cc->ra_mode = cf->merge_paths ? RA_ANY : RA_OPTIMAL;
}

struct protocol proto_kernel = {
  .name = "Kernel",
  .template = "kernel%d",
  .class = PROTOCOL_KERNEL,
  .channel_mask = NB_IP,
  .max_channels = 1,
  .proto_size = sizeof(struct krt_proto),
  .config_size = sizeof(struct krt_config),
  .needs_channel = 1,
  .postconfig = krt_postconfig,
  .init = krt_init,
  .start = krt_start,
  .shutdown = krt_shutdown,
  .reconfigure = krt_reconfigure,
  .get_status = krt_get_status,
};
