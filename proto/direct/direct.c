/*
 * proto/direct/direct.c: the direct protocol.
 *
 * One device route (RTS_DEVICE, `dev <iface>`, no gateway) for the prefix
 * of each qualifying interface address, following the interface and
 * address changes nest reports (if_notify/ifa_notify). An address
 * qualifies, as in BIRD, when its interface is up (and has link, with
 * `check link`), it is not secondary, its scope is wider than link, the
 * protocol has a channel of its type, and the `interface` patterns accept
 * it (no patterns = every interface). A host address gives a /32 or /128
 * route; a point-to-point address gives the route for its peer's prefix
 * (the device protocol stores that as the address's prefix).
 *
 * The protocol keeps the set of routes it announced, keyed by (interface
 * index, prefix); every event re-checks just the keys it touches and
 * announces or withdraws the difference. A reconfiguration that changes
 * only patterns or `check link` re-checks everything in place.
 */
#include <string.h>

#include "proto/direct/direct.h"
#include "conf/conf.h"
#include "lib/printf.h"
#include "sysdep/unix/log.h"

static struct channel *direct_channel(struct proto *p, uint type)
{
  struct channel *c;
  WALK_LIST(c, p->channels)
    if (c->net_type == type)
      return c;
  return NULL;
}

static int direct_ifa_ok(struct direct_proto *d, struct ifa *a)
{
  struct direct_config *cf = (void *) d->p.cf;
  struct iface *i = a->iface;
  if (!(i->flags & IF_UP) || (cf->check_link && !(i->flags & IF_LINK_UP)))
    return 0;
  if ((a->flags & IA_SECONDARY) || a->scope <= SCOPE_LINK)
    return 0;
  struct channel *c = direct_channel(&d->p, a->prefix.type);
  if (!c || c->channel_state != CS_UP)
    return 0;
  return iface_patt_match(&cf->iface_list, i, a);
}

/* Several addresses of one interface may share a prefix: the route stays
   while any of them qualifies. */
static int direct_wanted(struct direct_proto *d, struct iface *i, const net_addr *n)
{
  struct ifa *a;
  WALK_LIST(a, i->addrs)
    if (net_equal(&a->prefix, n) && direct_ifa_ok(d, a))
      return 1;
  return 0;
}

static u32 direct_hash(uint ifindex, const net_addr *n)
{
  return hash_mix(u32_hash(ifindex), net_hash(n));
}

static struct direct_route *direct_find(struct direct_proto *d, uint ifindex, const net_addr *n)
{
  for (struct hnode *x = ht_first(&d->routes, direct_hash(ifindex, n)); x; x = ht_next_same(x)) {
    struct direct_route *r = SKIP_BACK(struct direct_route, hn, x);
    if (r->ifindex == ifindex && net_equal(&r->net, n))
      return r;
  }
  return NULL;
}

static void direct_announce(struct direct_proto *d, struct iface *i, const net_addr *n)
{
  struct channel *c = direct_channel(&d->p, n->type);
  rta a = { .source = RTS_DEVICE, .scope = SCOPE_UNIVERSE, .dest = RTD_UNICAST };
  a.nh.iface = i;
  struct rte_src *src = rt_get_source(&d->p, i->index);
  proto_trace(&d->p, D_ROUTES, "Announcing %N dev %s", n, i->name);
  rte_update(c, n, rte_get_temp(&a, src), src);
}

/* Make the route (ifindex, n) agree with the interface's addresses. */
static void direct_sync(struct direct_proto *d, uint ifindex, const net_addr *n)
{
  struct iface *i = if_find_by_index(ifindex);
  int want = i && direct_wanted(d, i, n);
  struct direct_route *r = direct_find(d, ifindex, n);
  if (want && !r) {
    r = sl_alloc(d->route_slab);
    r->ifindex = ifindex;
    net_copy(&r->net, n);
    ht_insert(&d->routes, &r->hn, direct_hash(ifindex, n));
    direct_announce(d, i, n);
  } else if (!want && r) {
    proto_trace(&d->p, D_ROUTES, "Withdrawing %N (interface index %u)", n, ifindex);
    ht_remove(&d->routes, &r->hn);
    struct channel *c = direct_channel(&d->p, n->type);
    if (c)
      rte_withdraw(c, n, rt_get_source(&d->p, ifindex));
    sl_free(d->route_slab, r);
  }
}

/* The keys of the announced routes (of one interface, or all when
   ifindex is 0), copied out so that syncing may change the set. */
static struct direct_route *direct_snapshot(struct direct_proto *d, uint ifindex, uint *count)
{
  struct direct_route *keys = tmp_alloc((d->routes.count + 1) * sizeof(*keys));
  uint k = 0;
  struct hnode *x;
  HT_WALK(&d->routes, x) {
    struct direct_route *r = SKIP_BACK(struct direct_route, hn, x);
    if (!ifindex || r->ifindex == ifindex)
      keys[k++] = *r;
  }
  *count = k;
  return keys;
}

static void direct_sync_iface(struct direct_proto *d, struct iface *i)
{
  uint count;
  struct direct_route *keys = direct_snapshot(d, i->index, &count);
  for (uint k = 0; k < count; k++)
    direct_sync(d, keys[k].ifindex, &keys[k].net);
  struct ifa *a;
  WALK_LIST(a, i->addrs)
    direct_sync(d, i->index, &a->prefix);
}

static void direct_sync_all(struct direct_proto *d)
{
  uint count;
  struct direct_route *keys = direct_snapshot(d, 0, &count);
  for (uint k = 0; k < count; k++)
    direct_sync(d, keys[k].ifindex, &keys[k].net);
  struct iface *i;
  WALK_LIST(i, iface_list) {
    struct ifa *a;
    WALK_LIST(a, i->addrs)
      direct_sync(d, i->index, &a->prefix);
  }
}

static void direct_ifa_notify(struct proto *p, uint flags, struct ifa *a)
{
  struct direct_proto *d = (void *) p;
  if (d->running)
    direct_sync(d, a->iface->index, &a->prefix);
}

static void direct_if_notify(struct proto *p, uint flags, struct iface *i)
{
  struct direct_proto *d = (void *) p;
  if (d->running && (flags & (IF_CHANGE_UP | IF_CHANGE_DOWN | IF_CHANGE_LINK | IF_CHANGE_CREATE)))
    direct_sync_iface(d, i);
}

/* Routes qualify only on channels that are up: each channel reaching the
   end of its (empty) feed lets its routes in. */
static void direct_feed_end(struct channel *c)
{
  struct direct_proto *d = (void *) c->proto;
  if (d->running)
    direct_sync_all(d);
}

/* `reload in`, or a new import filter or preference: offer every route
   again. */
static void direct_reload_routes(struct channel *c)
{
  struct direct_proto *d = (void *) c->proto;
  if (!d->running)
    return;
  uint count;
  struct direct_route *keys = direct_snapshot(d, 0, &count);
  for (uint k = 0; k < count; k++) {
    struct iface *i = if_find_by_index(keys[k].ifindex);
    if (i && keys[k].net.type == c->net_type)
      direct_announce(d, i, &keys[k].net);
  }
}

static int direct_start(struct proto *p)
{
  struct direct_proto *d = (void *) p;
  ht_init(&d->routes, p->pool, 6);
  d->route_slab = sl_new(p->pool, sizeof(struct direct_route));
  d->running = 1;
  return PS_UP;
}

/* The channels have flushed our routes by now; the set lives in the
   protocol's pool, which goes with it. */
static int direct_shutdown(struct proto *p)
{
  struct direct_proto *d = (void *) p;
  d->running = 0;
  return PS_DOWN;
}

static int direct_reconfigure(struct proto *p, struct proto_config *new)
{
  struct direct_proto *d = (void *) p;
  p->cf = new;
  if (d->running)
    direct_sync_all(d);
  return 1;
}

static struct proto *direct_init(struct proto_config *pc)
{
  struct proto *p = proto_new(pc);
  p->if_notify = direct_if_notify;
  p->ifa_notify = direct_ifa_notify;
  p->feed_end = direct_feed_end;
  p->reload_routes = direct_reload_routes;
  return p;
}

static void direct_copy_config(struct proto_config *dest, const struct proto_config *src)
{
  struct direct_config *d = (void *) dest;
  const struct direct_config *s = (const void *) src;
  init_list(&d->iface_list);
  struct iface_patt_node *n;
  WALK_LIST(n, s->iface_list) {
    struct iface_patt_node *c = lp_alloc(dest->global->mem, sizeof(*c));
    *c = *n;
    add_tail(&d->iface_list, &c->n);
  }
}

struct iface_patt_node *direct_patt_new(struct cf_ctx *ctx, int positive, const char *pattern,
                                        const net_addr *prefix)
{
  struct iface_patt_node *n = cf_alloc(ctx, sizeof(*n));
  n->positive = positive;
  n->pattern = pattern;
  if (prefix) {
    net_copy(&n->prefix, prefix);
    n->has_prefix = 1;
  }
  add_tail(&((struct direct_config *) ctx->this_proto)->iface_list, &n->n);
  return n;
}

struct protocol proto_direct = {
  .name = "Direct",
  .template = "direct%d",
  .class = PROTOCOL_DIRECT,
  .channel_mask = NB_IP,
  .max_channels = 2,
  .proto_size = sizeof(struct direct_proto),
  .config_size = sizeof(struct direct_config),
  .init = direct_init,
  .start = direct_start,
  .shutdown = direct_shutdown,
  .reconfigure = direct_reconfigure,
  .copy_config = direct_copy_config,
};
