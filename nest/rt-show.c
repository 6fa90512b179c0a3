/*
 * nest/rt-show.c: the `show route` command.
 *
 * The output is BIRD 2.0.12's: a "Table X:" line (1007), one line per
 * route ("net dest [proto time from X] * (pref) info"), "via"/"dev" lines
 * for next hops, and with `all` the Type line (1008) and attributes (1012).
 * Long tables are produced a chunk of nets at a time from the CLI's
 * continuation hook, so the daemon keeps routing while a client reads.
 */
#include <string.h>

#include "nest/rt-show.h"
#include "nest/cli.h"
#include "nest/iface.h"
#include "nest/nest.h"
#include "filter/filter.h"
#include "lib/printf.h"
#include "sysdep/unix/io.h"

#define RT_SHOW_CHUNK 64

struct rt_show_data *rt_show_args_new(struct cf_ctx *ctx)
{
  struct rt_show_data *d = cf_alloc(ctx, sizeof(*d));
  init_list(&d->tables);
  d->filter = FILTER_ACCEPT;
  return d;
}

void rt_show_add_table(struct cf_ctx *ctx, struct rt_show_data *d, rtable *t)
{
  struct rt_show_table *st = cf_alloc(ctx, sizeof(*st));
  st->table = t;
  st->label = t->name;
  add_tail(&d->tables, &st->n);
  d->tables_defined_by = 1;
}

static void rte_dest_lines(struct cli *c, const rta *a)
{
  if (a->dest != RTD_UNICAST)
    return;
  int multi = a->nh.next != NULL;
  for (const struct nexthop *nh = &a->nh; nh; nh = nh->next) {
    char w[32] = "";
    if (multi)
      bsnprintf(w, sizeof(w), " weight %d", nh->weight + 1);
    const char *ifname = nh->iface ? nh->iface->name : "???";
    if (ipa_nonzero(nh->gw))
      cli_msg(c, -1007, "\tvia %I on %s%s%s", nh->gw, ifname,
              (nh->flags & RNF_ONLINK) ? " onlink" : "", w);
    else
      cli_msg(c, -1007, "\tdev %s%s", ifname, w);
  }
}

void rte_show_line(struct cli *c, const rte *e, const net_addr *n, int show_net, int all)
{
  char netbuf[NET_BUFSIZE] = "", tm[64], from[64] = "", info[256];
  const rta *a = e->attrs;
  if (show_net)
    net_format(n, netbuf, sizeof(netbuf));
  tm_format_real(tm, sizeof(tm), &config->tf[TF_ROUTE], e->lastmod);
  if (ipa_nonzero(a->from) && (!ipa_equal(a->from, a->nh.gw) || a->dest != RTD_UNICAST))
    bsnprintf(from, sizeof(from), " from %I", a->from);
  struct proto *p = e->src->proto;
  if (p->proto->get_route_info)
    p->proto->get_route_info(e, info, sizeof(info));
  else
    bsnprintf(info, sizeof(info), " (%u)", e->pref);
  int primary = e->net && e->net->routes == e && rte_is_valid(e);
  /* Routes without a destination (ROA, flowspec, ASPA) keep the empty
     dest field: two spaces before '[', as BIRD prints them. */
  const char *dest = a->dest == RTD_NONE ? "" : rta_dest_name(a->dest);
  cli_msg(c, -1007, "%-20s %s [%s %s%s]%s%s", netbuf, dest, p->name, tm, from,
          primary ? " *" : "", info);
  rte_dest_lines(c, a);
  if (all)
    rta_show(c, (rta *) a);
}

/* Does route e pass the export checks of the selected protocol? */
static int rt_show_export_ok(struct rt_show_data *d, rte *e, rte **out)
{
  struct channel *ch = d->export_channel;
  if (!ch) {
    struct channel *x;
    WALK_LIST(x, d->export_protocol->channels)
      if (x->table == e->net->routes->sender->table || x->table == d->current->table)
        ch = x;
  }
  if (!ch || ch->channel_state != CS_UP)
    return d->export_mode == RSEM_NOEXPORT;
  /* A channel in RA_ANY mode (a pipe) is offered every route, not only
     the best one. */
  int candidate = rte_is_valid(e) && (e->net->routes == e || ch->ra_mode == RA_ANY);
  if (d->export_mode == RSEM_EXPORTED) {
    return candidate && channel_exported(ch, e);
  }
  if (!candidate)
    return 0;
  struct proto *p = ch->proto;
  int v = p->preexport ? p->preexport(ch, e) : 0;
  int ok;
  if (v < 0)
    ok = 0;
  else if (v > 0 || d->export_mode == RSEM_PREEXPORT || ch->out_filter == FILTER_ACCEPT)
    ok = 1;
  else if (ch->out_filter == FILTER_REJECT)
    ok = 0;
  else
    ok = f_run(ch->out_filter, out, tmp_linpool, FF_SILENT) <= F_ACCEPT;
  return d->export_mode == RSEM_NOEXPORT ? !ok : ok;
}

static void rt_show_net(struct cli *c, net *n, struct rt_show_data *d)
{
  int first = 1;
  struct rt_show_table *t = d->current;
  int counted_net = 0;
  for (rte *e = n->routes; e; e = e->next) {
    if (!!rte_is_filtered(e) != d->filtered)
      continue;
    d->total_routes++;
    t->routes++;
    if (d->primary_only && (e != n->routes || !rte_is_valid(e)))
      continue;
    if (d->show_protocol && e->src->proto != d->show_protocol)
      continue;
    rte *shown = e;
    if (d->export_mode && !rt_show_export_ok(d, e, &shown))
      continue;
    if (d->filter != FILTER_ACCEPT) {
      if (d->filter == FILTER_REJECT)
        continue;
      if (f_run(d->filter, &shown, tmp_linpool, FF_SILENT) > F_ACCEPT)
        continue;
    }
    t->primary++;
    if (!counted_net) {
      t->networks++;
      counted_net = 1;
    }
    if (d->stats)
      continue;
    if (!d->table_open) {
      if (d->have_any)
        cli_msg(c, -1007, "");   /* BIRD separates tables by an empty line */
      cli_msg(c, -1007, "Table %s:", t->label);
      d->table_open = 1;
    }
    rte_show_line(c, shown, &n->n, first, d->verbose);
    first = 0;
    d->have_any = 1;
  }
}

static void rt_show_table_done(struct cli *c, struct rt_show_data *d)
{
  struct rt_show_table *t = d->current;
  if (d->stats)
    cli_msg(c, -1007, "%u of %u routes for %u networks in table %s",
            t->primary, t->routes, t->networks, t->label);
  d->total_primary += t->primary;
  d->total_networks += t->networks;
  d->table_count++;
}

static void rt_show_finish(struct cli *c, struct rt_show_data *d)
{
  if (d->stats) {
    if (d->tables_defined_by || d->table_count == 1)
      cli_msg(c, 0, "");
    else
      cli_msg(c, 14, "Total: %u of %u routes for %u networks in %u tables",
              d->total_primary, d->total_routes, d->total_networks, d->table_count);
  } else if (!d->have_any && d->addr_mode) {
    cli_msg(c, 8001, "Network not found");
  } else {
    cli_msg(c, 0, "");
  }
}

static void rt_show_cont(struct cli *c)
{
  struct rt_show_data *d = c->rover;
  for (uint i = 0; i < RT_SHOW_CHUNK; i++) {
    if (!d->iterating) {
      node *nx = d->current ? d->current->n.next : d->tables.head.next;
      if (nx == &d->tables.head) {
        c->cont = NULL;
        c->cleanup = NULL;
        rt_show_finish(c, d);
        return;
      }
      d->current = (struct rt_show_table *) nx;
      d->table_open = 0;
      rt_iter_init(&d->it, d->current->table);
      d->iterating = 1;
    }
    net *n = rt_iter_next(&d->it);
    if (!n) {
      rt_iter_stop(&d->it);
      d->iterating = 0;
      rt_show_table_done(c, d);
      continue;
    }
    if (d->addr_mode == RSD_ADDR_IN && !net_in_netx(&n->n, &d->addr))
      continue;
    rt_show_net(c, n, d);
    tmp_flush();
  }
}

static void rt_show_cleanup(struct cli *c)
{
  struct rt_show_data *d = c->rover;
  if (d && d->iterating)
    rt_iter_stop(&d->it);
}

/* Default tables: the first table of each type, in the order of the
   types (ipv4, ipv6, vpn4, vpn6, roa4, ...), as BIRD lists them. */
static void rt_show_default_tables(struct rt_show_data *d, pool *p)
{
  for (uint type = 1; type < NET_MAX; type++) {
    struct rtable_config *tc = config->def_tables[type];
    if (!tc || !tc->table)
      continue;
    if (d->addr_mode && tc->addr_type != d->addr.type &&
        !(d->addr.type == NET_IP4 && tc->addr_type == NET_ROA4) &&
        !(d->addr.type == NET_IP6 && tc->addr_type == NET_ROA6))
      continue;
    struct rt_show_table *st = mb_allocz(p, sizeof(*st));
    st->table = tc->table;
    st->label = tc->table->name;
    add_tail(&d->tables, &st->n);
  }
}

static int rt_show_import_table(struct cli *c, struct rt_show_data *d, pool *p)
{
  struct symbol *s = d->import_proto_sym;
  struct proto *pr = s->class == SYM_PROTO ? proto_find_by_name(s->name) : NULL;
  struct channel *ch = pr ? proto_find_channel_by_name(pr, d->import_channel_name) : NULL;
  if (!ch) {
    cli_msg(c, 9001, "%s.%s is not a channel", s->name, d->import_channel_name);
    return 0;
  }
  rtable *t = d->import_table_kind == 1 ? ch->in_table : ch->out_table;
  if (!t) {
    cli_msg(c, 8005, "No %s table in channel %s.%s",
            d->import_table_kind == 1 ? "import" : "export", s->name, ch->name);
    return 0;
  }
  struct rt_show_table *st = mb_allocz(p, sizeof(*st));
  st->table = t;
  st->label = d->import_table_kind == 1 ? "import" : "export";
  add_tail(&d->tables, &st->n);
  d->tables_defined_by = 1;
  return 1;
}

/* `show route for X` / `show route X`: one net per table, no iteration. */
static void rt_show_one(struct cli *c, struct rt_show_data *d)
{
  struct rt_show_table *t;
  WALK_LIST(t, d->tables) {
    d->current = t;
    d->table_open = 0;
    net *n;
    if (d->addr_mode == RSD_ADDR_FOR)
      n = net_route(t->table, &d->addr);
    else
      n = net_find(t->table, &d->addr);
    if (n)
      rt_show_net(c, n, d);
    rt_show_table_done(c, d);
  }
  rt_show_finish(c, d);
}

void rt_show(struct cli *c, struct rt_show_data *d)
{
  pool *p = c->cmd_pool;
  if (d->import_table_kind && !rt_show_import_table(c, d, p))
    return;
  if (EMPTY_LIST(d->tables)) {
    if (d->export_channel) {
      struct rt_show_table *st = mb_allocz(p, sizeof(*st));
      st->table = d->export_channel->table;
      st->label = st->table->name;
      add_tail(&d->tables, &st->n);
      d->tables_defined_by = 1;
    } else if (d->export_protocol && d->export_protocol->main_channel) {
      struct rt_show_table *st = mb_allocz(p, sizeof(*st));
      st->table = d->export_protocol->main_channel->table;
      st->label = st->table->name;
      add_tail(&d->tables, &st->n);
      d->tables_defined_by = 1;
    } else if (d->show_protocol && d->show_protocol->main_channel) {
      struct rt_show_table *st = mb_allocz(p, sizeof(*st));
      st->table = d->show_protocol->main_channel->table;
      st->label = st->table->name;
      add_tail(&d->tables, &st->n);
      d->tables_defined_by = 1;
    } else {
      rt_show_default_tables(d, p);
    }
  }
  if (d->addr_mode == RSD_ADDR_EQUAL || d->addr_mode == RSD_ADDR_FOR) {
    rt_show_one(c, d);
    return;
  }
  c->rover = d;
  c->cont = rt_show_cont;
  c->cleanup = rt_show_cleanup;
}
