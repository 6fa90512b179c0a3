/*
 * proto/static/static.c: the static protocol.
 *
 * Each configured route is announced when it can be: blackhole,
 * unreachable, prohibit and ROA entries at once; `via <ip>` when the
 * gateway is on a connected network (a neighbour, re-checked on interface
 * changes); `via "iface"` when the interface is up; multipath with the
 * next hops that resolve; `recursive <ip>` through the IGP table, looked up
 * again whenever that table changes. Reconfiguration diffs the route list
 * in place, so changing one route does not restart the protocol.
 */
#include <stdlib.h>
#include <string.h>

#include "proto/static/static.h"
#include "nest/cli.h"
#include "nest/nest.h"
#include "conf/conf.h"
#include "filter/filter.h"
#include "lib/printf.h"
#include "sysdep/unix/io.h"


static struct channel *static_channel_for(struct proto *p, const net_addr *n)
{
  struct channel *c;
  WALK_LIST(c, p->channels)
    if (c->net_type == n->type)
      return c;
  return NULL;
}

static void static_withdraw(struct proto *p, struct static_route *r)
{
  struct channel *c = static_channel_for(p, r->net);
  if (c && r->active)
    rte_withdraw(c, r->net, rt_get_source(p, 0));
  r->active = 0;
}

static int static_resolve_nhs(struct proto *p, struct static_route *r, rta *a)
{
  struct static_config *cf = (void *) p->cf;
  struct nexthop *last = NULL;
  int count = 0;
  for (struct static_nh *nh = r->nhs; nh; nh = nh->next) {
    neighbor *n = nh->neigh;
    if (!n || !n->iface || !(n->iface->flags & IF_UP))
      continue;
    if (cf->check_link && !(n->iface->flags & IF_LINK_UP))
      continue;
    struct nexthop *x = last ? tmp_allocz(sizeof(*x)) : &a->nh;
    x->gw = nh->via;
    x->iface = n->iface;
    x->weight = nh->weight - 1;
    x->flags = nh->onlink ? RNF_ONLINK : 0;
    if (last)
      last->next = x;
    last = x;
    count++;
  }
  nexthop_sort(&a->nh);
  return count;
}

static int static_resolve_recursive(struct static_proto *sp, struct static_route *r, rta *a)
{
  rtable *t = sp->igp_table[ipa_is_ip4(r->rec_via) ? 0 : 1];
  if (!t)
    return 0;
  net_addr host;
  net_fill_ip_host(&host, r->rec_via);
  net *n = net_route(t, &host);
  if (!n || n->routes->attrs->dest != RTD_UNICAST)
    return 0;
  const rta *ia = n->routes->attrs;
  a->nh = ia->nh;
  if (ipa_zero(a->nh.gw))
    a->nh.gw = r->rec_via;   /* directly connected: the gateway itself */
  a->igp_metric = ia->igp_metric;
  return 1;
}

/* The route's own commands, as BIRD runs them: on the route before the
   channel's import filter. As in BIRD, their verdict does not matter:
   `accept` or `reject` only ends them, and the route is announced with
   what they set until then (a run-time error is logged). */
static void static_run_cmds(struct static_route *r, rte **e)
{
  net *n = tmp_allocz(offsetof(net, n) + r->net->length);
  net_copy(&n->n, r->net);
  (*e)->net = n;
  f_run(r->cmds, e, tmp_linpool, FF_COMMANDS);
  (*e)->net = NULL;
}

static void static_announce(struct proto *p, struct static_route *r)
{
  struct channel *c = static_channel_for(p, r->net);
  if (!c || c->channel_state != CS_UP)
    return;
  rta a = { .source = RTS_STATIC, .scope = SCOPE_UNIVERSE, .dest = r->dest };
  int ok = 1;
  if (r->dest == RTD_UNICAST) {
    if (r->device) {
      struct iface *i = if_find_by_name(r->ifname);
      ok = i && (i->flags & IF_UP);
      if (ok)
        a.nh.iface = i;
    } else if (r->recursive) {
      ok = static_resolve_recursive((struct static_proto *) p, r, &a);
    } else {
      ok = static_resolve_nhs(p, r, &a) > 0;
    }
  }
  if (!ok) {
    static_withdraw(p, r);
    return;
  }
  if (r->net->type == NET_ASPA) {
    eattr ea = { .id = ea_aspa_providers.id, .type = T_CLIST, .u.ptr = r->aspa_providers };
    a.eattrs = ea_set(tmp_linpool, NULL, &ea);
  }
  rte *e = rte_get_temp(&a, rt_get_source(p, 0));
  if (r->cmds)
    static_run_cmds(r, &e);
  rte_update(c, r->net, e, rt_get_source(p, 0));
  r->active = 1;
}

static void static_add_route(struct proto *p, struct static_route *r)
{
  for (struct static_nh *nh = r->nhs; nh; nh = nh->next) {
    struct iface *i = nh->ifname ? if_find_by_name(nh->ifname) : NULL;
    nh->neigh = neigh_find(p, nh->via, i, NEF_STICKY | (nh->onlink ? NEF_ONLINK : 0));
  }
  static_announce(p, r);
}

/* Neighbours are shared by every route through the same gateway. */
static void static_neigh_notify(neighbor *n)
{
  struct static_config *cf = (void *) n->proto->cf;
  struct static_route *r;
  WALK_LIST(r, cf->routes)
    for (struct static_nh *nh = r->nhs; nh; nh = nh->next)
      if (nh->neigh == n) {
        static_announce(n->proto, r);
        break;
      }
}

static void static_if_notify(struct proto *p, uint flags, struct iface *i)
{
  struct static_config *cf = (void *) p->cf;
  struct static_route *r;
  WALK_LIST(r, cf->routes)
    if (r->device && !strcmp(r->ifname, i->name))
      static_announce(p, r);
}

static void static_igp_changed(struct rt_subscription *s, const net_addr *n)
{
  struct proto *p = s->data;
  struct static_config *cf = (void *) p->cf;
  struct static_route *r;
  WALK_LIST(r, cf->routes)
    if (r->recursive)
      static_announce(p, r);
}

static void static_subscribe(struct static_proto *sp)
{
  struct static_config *cf = (void *) sp->p.cf;
  struct rtable_config *tc[2] = { cf->igp_table_ip4, cf->igp_table_ip6 };
  for (int i = 0; i < 2; i++) {
    if (!tc[i])
      tc[i] = config->def_tables[i ? NET_IP6 : NET_IP4];
    sp->igp_table[i] = tc[i] ? tc[i]->table : NULL;
    if (!sp->igp_table[i])
      continue;
    sp->igp_sub[i].hook = static_igp_changed;
    sp->igp_sub[i].data = sp;
    rt_lock_table(sp->igp_table[i]);
    add_tail(&sp->igp_table[i]->subscribers, &sp->igp_sub[i].n);
  }
}

static void static_unsubscribe(struct static_proto *sp)
{
  for (int i = 0; i < 2; i++) {
    if (!sp->igp_table[i])
      continue;
    rem_node(&sp->igp_sub[i].n);
    rt_unlock_table(sp->igp_table[i]);
    sp->igp_table[i] = NULL;
  }
}

static int static_has_recursive(struct static_config *cf)
{
  struct static_route *r;
  WALK_LIST(r, cf->routes)
    if (r->recursive)
      return 1;
  return 0;
}

static int static_start(struct proto *p)
{
  return PS_UP;
}

/* Called once channels are up (feed_end of the channel is too late for
   routes that do not depend on the table; do it when the state is up). */
static void static_channels_up(struct proto *p)
{
  struct static_proto *sp = (void *) p;
  struct static_config *cf = (void *) p->cf;
  if (static_has_recursive(cf))
    static_subscribe(sp);
  struct static_route *r;
  WALK_LIST(r, cf->routes)
    static_add_route(p, r);
}

static void static_feed_end(struct channel *c)
{
  struct proto *p = c->proto;
  /* Start announcing when the last channel is up and fed. */
  struct channel *x;
  WALK_LIST(x, p->channels)
    if (x->channel_state != CS_UP || x->export_state != ES_READY)
      return;
  if (!p->reconfiguring) {
    p->reconfiguring = 1;
    static_channels_up(p);
  }
}

static int static_shutdown(struct proto *p)
{
  struct static_config *cf = (void *) p->cf;
  struct static_route *r;
  WALK_LIST(r, cf->routes)
    r->active = 0;
  static_unsubscribe((struct static_proto *) p);
  p->reconfiguring = 0;
  return PS_DOWN;
}

/* `reload`: announce every route again (unchanged ones are ignored). */
static void static_reload_routes(struct channel *c)
{
  struct static_config *cf = (void *) c->proto->cf;
  struct static_route *r;
  WALK_LIST(r, cf->routes)
    static_announce(c->proto, r);
}

static struct proto *static_init(struct proto_config *pc)
{
  struct proto *p = proto_new(pc);
  p->reload_routes = static_reload_routes;
  p->neigh_notify = static_neigh_notify;
  p->if_notify = static_if_notify;
  p->feed_end = static_feed_end;
  return p;
}

static int static_nh_same(const struct static_nh *a, const struct static_nh *b)
{
  for (; a && b; a = a->next, b = b->next)
    if (!ipa_equal(a->via, b->via) || a->weight != b->weight || a->onlink != b->onlink ||
        !!a->ifname != !!b->ifname || (a->ifname && strcmp(a->ifname, b->ifname)))
      return 0;
  return !a && !b;
}

static int static_route_same(const struct static_route *a, const struct static_route *b)
{
  if (!!a->aspa_providers != !!b->aspa_providers || (a->aspa_providers &&
      (a->aspa_providers->length != b->aspa_providers->length ||
       memcmp(a->aspa_providers->data, b->aspa_providers->data, a->aspa_providers->length))))
    return 0;
  if (!!a->cmds != !!b->cmds || (a->cmds && !filter_same(a->cmds, b->cmds)))
    return 0;
  return net_equal(a->net, b->net) && a->dest == b->dest && a->recursive == b->recursive &&
    a->device == b->device && ipa_equal(a->rec_via, b->rec_via) &&
    (!a->device || !strcmp(a->ifname, b->ifname)) && static_nh_same(a->nhs, b->nhs);
}

/* An index of a config's routes by net, for diffing two configs. */
struct static_index {
  struct static_route **slot;
  uint mask;
};

static void static_index_build(struct static_index *ix, struct static_config *cf)
{
  uint n = list_length(&cf->routes), size = 16;
  while (size < 2 * n)
    size *= 2;
  ix->slot = xmalloc(size * sizeof(*ix->slot));
  memset(ix->slot, 0, size * sizeof(*ix->slot));
  ix->mask = size - 1;
  struct static_route *r;
  WALK_LIST(r, cf->routes) {
    uint i = net_hash(r->net) & ix->mask;
    while (ix->slot[i])
      i = (i + 1) & ix->mask;
    ix->slot[i] = r;
  }
}

static struct static_route *static_index_find(struct static_index *ix, const net_addr *n)
{
  for (uint i = net_hash(n) & ix->mask; ix->slot[i]; i = (i + 1) & ix->mask)
    if (net_equal(ix->slot[i]->net, n))
      return ix->slot[i];
  return NULL;
}

/* Diff the routes: withdraw what is gone, announce what is new or changed. */
static int static_reconfigure(struct proto *p, struct proto_config *new)
{
  struct static_config *o = (void *) p->cf, *n = (void *) new;
  if (o->igp_table_ip4 != n->igp_table_ip4 && (!o->igp_table_ip4 || !n->igp_table_ip4 ||
      strcmp(o->igp_table_ip4->name, n->igp_table_ip4->name)))
    return 0;
  if (o->check_link != n->check_link || static_has_recursive(o) != static_has_recursive(n))
    return 0;
  if (p->proto_state != PS_UP)
    return 1;
  struct static_index oi, ni;
  static_index_build(&oi, o);
  static_index_build(&ni, n);
  struct static_route *r;
  WALK_LIST(r, o->routes)
    if (!static_index_find(&ni, r->net))
      static_withdraw(p, r);
  neigh_prune(p);
  p->cf = new;
  WALK_LIST(r, n->routes) {
    struct static_route *or = static_index_find(&oi, r->net);
    r->active = or ? or->active : 0;
    if (or && static_route_same(or, r) && !r->nhs && !r->recursive && !r->device)
      continue;   /* nothing to resolve, nothing changed */
    static_add_route(p, r);
  }
  xfree(oi.slot);
  xfree(ni.slot);
  return 1;
}

static void static_copy_config(struct proto_config *dest, const struct proto_config *src)
{
  struct static_config *d = (void *) dest;
  init_list(&d->routes);   /* routes are not inherited from templates */
}

void static_check_route(struct cf_ctx *ctx, struct static_route *r, const void *vloc)
{
  const cf_loc *loc = vloc;
  r->loc_file = loc->file;
  r->loc_line = loc->first_line;
  r->loc_col = loc->first_column;
  int nodest = !static_net_has_dest(r->net);
  int has_nh = r->nhs || r->device || r->recursive;
  if ((nodest && (r->dest != RTD_NONE || has_nh)) ||
      (!nodest && (r->dest == RTD_NONE || (r->dest == RTD_UNICAST && !has_nh)))) {
    cf_error(ctx, loc, "Unexpected or missing nexthop/type");
    return;
  }
  for (struct static_nh *nh = r->nhs; nh; nh = nh->next) {
    if (ipa_is_ip4(nh->via) != net_is_ip4(r->net))
      cf_error(ctx, loc, "Gateway address family does not match the route");
    for (struct static_nh *x = nh->next; x; x = x->next)
      if (ipa_equal(x->via, nh->via))
        cf_error(ctx, loc, "Duplicate next hop %I", nh->via);
  }
}

static int u32_cmp(const void *a, const void *b)
{
  u32 x = *(const u32 *) a, y = *(const u32 *) b;
  return (x > y) - (x < y);
}

/* Providers are kept sorted and unique, so that two configs listing them
   in another order are the same route. */
void static_aspa_add(struct cf_ctx *ctx, struct static_route *r, u32 asn, const void *loc)
{
  const struct adata *old = r->aspa_providers;
  uint n = old ? old->length / 4 : 0;
  if (!loc) {                   /* transit: an empty list */
    r->aspa_providers = cf_alloc(ctx, sizeof(struct adata));
    return;
  }
  /* AS0 alone means no providers (as in an RPKI ASPA object); with other
     providers it is an error. `old` is an empty list after an AS0. */
  if (!asn || (old && !n)) {
    if (old)
      cf_error(ctx, loc, "AS 0 must be the only provider");
    else
      r->aspa_providers = cf_alloc(ctx, sizeof(struct adata));
    return;
  }
  u32 *v = (u32 *) (old ? old->data : NULL);
  for (uint i = 0; i < n; i++)
    if (v[i] == asn) {
      cf_error(ctx, loc, "Duplicate provider AS%u", asn);
      return;
    }
  struct adata *ad = cf_alloc(ctx, sizeof(struct adata) + 4 * (n + 1));
  ad->length = 4 * (n + 1);
  if (n)
    memcpy(ad->data, old->data, 4 * n);
  ((u32 *) ad->data)[n] = asn;
  qsort(ad->data, n + 1, 4, u32_cmp);
  r->aspa_providers = ad;
}

static int static_route_cmp(const void *a, const void *b)
{
  const struct static_route *x = *(const struct static_route **) a, *y = *(const struct static_route **) b;
  int c = net_compare(x->net, y->net);
  return c ? c : (x->loc_line > y->loc_line) - (x->loc_line < y->loc_line);
}

/* Duplicates, found by sorting: checking each route against all others
   while parsing would be quadratic in the size of a big static table. */
static void static_check_duplicates(struct static_config *cf, struct cf_ctx *ctx)
{
  uint n = list_length(&cf->routes), i = 0;
  if (n < 2)
    return;
  struct static_route **v = xmalloc(n * sizeof(*v)), *r;
  WALK_LIST(r, cf->routes)
    v[i++] = r;
  qsort(v, n, sizeof(*v), static_route_cmp);
  for (i = 1; i < n; i++)
    if (net_equal(v[i]->net, v[i - 1]->net)) {
      cf_loc loc = { v[i]->loc_file, v[i]->loc_line, v[i]->loc_col, v[i]->loc_line, v[i]->loc_col };
      cf_error(ctx, &loc, "Duplicate route %N", v[i]->net);
    }
  xfree(v);
}

static void static_check_types(struct static_config *cf, struct cf_ctx *ctx)
{
  struct channel_config *cc = proto_cf_main_channel(&cf->c);
  struct static_route *r;
  if (!cc)
    return;
  WALK_LIST(r, cf->routes)
    if (r->net->type != cc->net_type) {
      cf_loc loc = { r->loc_file, r->loc_line, r->loc_col, r->loc_line, r->loc_col };
      cf_error(ctx, &loc, "Route %N incompatible with channel type", r->net);
    }
}

static void static_postconfig(struct proto_config *pc, struct cf_ctx *ctx)
{
  static_check_duplicates((struct static_config *) pc, ctx);
  static_check_types((struct static_config *) pc, ctx);
}

static void static_show_one(struct cli *c, struct proto *p)
{
  struct static_config *cf = (void *) p->cf;
  struct static_route *r;
  WALK_LIST(r, cf->routes) {
    const char *dormant = r->active ? "" : " (dormant)";
    if (r->dest == RTD_UNICAST && r->device) {
      cli_msg(c, -1009, "%N", r->net);
      cli_msg(c, -1009, "\tdev %s%s", r->ifname, dormant);
    } else if (r->dest == RTD_UNICAST && r->recursive) {
      cli_msg(c, -1009, "%N", r->net);
      cli_msg(c, -1009, "\trecursive %I%s", r->rec_via, dormant);
    } else if (r->dest == RTD_UNICAST) {
      cli_msg(c, -1009, "%N", r->net);
      int multi = r->nhs && r->nhs->next;
      for (struct static_nh *nh = r->nhs; nh; nh = nh->next) {
        char w[32] = "";
        if (multi)
          bsnprintf(w, sizeof(w), " weight %u", nh->weight);
        cli_msg(c, -1009, "\tvia %I%s%s%s", nh->via, nh->onlink ? " onlink" : "", w,
                nh->neigh && nh->neigh->iface ? "" : " (dormant)");
      }
    } else if (r->dest == RTD_NONE && r->aspa_providers) {
      char buf[256] = "";
      uint n = r->aspa_providers->length / 4, len = 0;
      for (uint i = 0; i < n && len < sizeof(buf) - 16; i++)
        len += bsnprintf(buf + len, sizeof(buf) - len, " %u", ((const u32 *) r->aspa_providers->data)[i]);
      cli_msg(c, -1009, "%N\t%s%s", r->net, n ? "providers" : "transit", buf);
    } else if (r->dest == RTD_NONE) {
      cli_msg(c, -1009, "%N", r->net);
    } else {
      cli_msg(c, -1009, "%N\t%s", r->net, rta_dest_name(r->dest));
    }
  }
  cli_msg(c, -1009, "");
}

void static_show(struct cli *c, const char *name)
{
  struct proto *p;
  int found = 0;
  WALK_LIST(p, proto_list) {
    if (p->proto != &proto_static || p->deleting || (name && strcmp(p->name, name)))
      continue;
    found = 1;
    if (p->proto_state != PS_UP) {
      if (name) {
        cli_msg(c, 8005, "Protocol is down");
        return;
      }
      continue;
    }
    static_show_one(c, p);
  }
  if (!found)
    cli_msg(c, 8003, name ? "%s: not a static protocol" : "No protocols match", name);
  else
    cli_msg(c, 0, "");
}

struct protocol proto_static = {
  .name = "Static",
  .template = "static%d",
  .class = PROTOCOL_STATIC,
  .channel_mask = NB_IP | NB_ROA | NB_VPN | NB_FLOW | NB_SADR | NB_ASPA,
  .max_channels = 1,
  .proto_size = sizeof(struct static_proto),
  .config_size = sizeof(struct static_config),
  .postconfig = static_postconfig,
  .needs_channel = 1,
  .init = static_init,
  .start = static_start,
  .shutdown = static_shutdown,
  .reconfigure = static_reconfigure,
  .copy_config = static_copy_config,
};
