/*
 * nest/proto.c: protocol instances, channels and their life cycle.
 *
 * Reconfiguration pairs running protocols with the new config by name.
 * A protocol whose new config it can absorb (same class, same channels'
 * tables, protocol's reconfigure hook agrees) keeps running; a changed
 * filter only reloads the channel. Anything else restarts just that
 * protocol. Protocols gone from the config shut down.
 */
#include <string.h>

#include "nest/protocol.h"
#include "nest/route.h"
#include "nest/cli.h"
#include "nest/iface.h"
#include "nest/nest.h"
#include "filter/filter.h"
#include "lib/printf.h"
#include "sysdep/unix/io.h"
#include "sysdep/unix/log.h"

list proto_list;
static list protocol_classes;
static pool *proto_pool;

rtable *rt_new_private(pool *p, const char *name, uint addr_type);
static void proto_start(struct proto *p);
static void proto_shutdown(struct proto *p);

void proto_register(struct protocol *pr)
{
  if (!protocol_classes.head.next)
    init_list(&protocol_classes);
  add_tail(&protocol_classes, &pr->n);
}

struct protocol *proto_class_find(const char *name)
{
  struct protocol *pr;
  WALK_LIST(pr, protocol_classes)
    if (!strcasecmp(pr->name, name))
      return pr;
  return NULL;
}

/* Limits hit while routes flow (`action restart|disable`) act from an
   event, outside the import path that noticed them. */
static event proto_down_event;

static void proto_do_scheduled_downs(void *data)
{
  struct proto *p, *nxt;
  WALK_LIST_DELSAFE(p, nxt, proto_list) {
    if (!p->down_sched || p->proto_state != PS_UP)
      continue;
    log_msg(L_INFO "%s protocol %s (%s)", p->down_sched == PDS_DISABLE ? "Disabling" : "Restarting",
            p->name, p->message ? p->message : "scheduled");
    if (p->down_sched == PDS_DISABLE)
      p->disabled = 1;
    proto_shutdown(p);
  }
}

void proto_schedule_down(struct proto *p, int code)
{
  p->down_sched = code;
  ev_schedule(&proto_down_event);
}

void protos_preconfig(struct config *c)
{
  if (!proto_list.head.next) {
    init_list(&proto_list);
    proto_pool = rp_new(&root_pool, "Protocols");
    ev_init(&proto_down_event, proto_do_scheduled_downs, NULL);
  }
  struct protocol *pr;
  WALK_LIST(pr, protocol_classes)
    if (pr->preconfig)
      pr->preconfig(pr, c);
}

struct proto_config *proto_config_new(struct protocol *pr, struct cf_ctx *ctx, const char *loc_file, int loc_line)
{
  struct proto_config *pc = cf_alloc(ctx, pr->config_size);
  pc->global = ctx->conf;
  pc->protocol = pr;
  pc->debug = ctx->conf->proto_default_debug;
  pc->mrtdump = ctx->conf->proto_default_mrtdump;
  pc->loc_file = loc_file;
  pc->loc_line = loc_line;
  init_list(&pc->channels);
  return pc;
}

/* `protocol x from template`: copy the template's options and channels. */
void proto_copy_config(struct proto_config *dest, const struct proto_config *src)
{
  struct protocol *pr = dest->protocol;
  size_t hdr = sizeof(struct proto_config);
  memcpy((byte *) dest + hdr, (const byte *) src + hdr, pr->config_size - hdr);
  dest->dsc = src->dsc;
  dest->debug = src->debug;
  dest->mrtdump = src->mrtdump;
  dest->router_id = src->router_id;
  dest->disabled = src->disabled;
  struct channel_config *cc;
  WALK_LIST(cc, src->channels) {
    struct channel_config *n = lp_alloc(dest->global->mem, sizeof(*n));
    *n = *cc;
    n->parent = dest;
    n->explicit = 0;   /* inherited: the protocol may still redefine it */
    add_tail(&dest->channels, &n->n);
  }
  if (pr->copy_config)
    pr->copy_config(dest, src);
}

struct channel_config *channel_config_new(struct cf_ctx *ctx, const char *name, uint net_type,
                                          struct proto_config *proto)
{
  struct channel_config *cf = cf_alloc(ctx, sizeof(*cf));
  cf->name = name;
  cf->parent = proto;
  cf->net_type = net_type;
  cf->ra_mode = RA_OPTIMAL;
  cf->preference = 0;
  cf->in_filter = FILTER_ACCEPT;
  cf->out_filter = FILTER_REJECT;
  cf->rpki_reload = 1;
  add_tail(&proto->channels, &cf->n);
  return cf;
}

struct channel_config *channel_config_get(struct cf_ctx *ctx, const char *name, uint net_type,
                                          struct proto_config *proto)
{
  struct channel_config *cf;
  WALK_LIST(cf, proto->channels)
    if (!strcmp(cf->name, name))
      return cf;
  return channel_config_new(ctx, name, net_type, proto);
}

int channel_config_same(const struct channel_config *a, const struct channel_config *b)
{
  return a->table->sym && b->table->sym && !strcmp(a->table->name, b->table->name) &&
    a->net_type == b->net_type && a->ra_mode == b->ra_mode &&
    a->import_table == b->import_table && a->export_table == b->export_table &&
    a->in_keep_filtered == b->in_keep_filtered;
}

/* Protocol instances */

void *proto_new(struct proto_config *cf)
{
  struct proto *p = mb_allocz(proto_pool, cf->protocol->proto_size);
  p->cf = cf;
  p->proto = cf->protocol;
  p->name = cf->name;
  p->debug = cf->debug;
  p->disabled = cf->disabled;
  p->last_state_change = current_time();
  init_list(&p->channels);
  return p;
}

static uint default_preference(struct proto *p)
{
  switch (p->proto->class) {
  case PROTOCOL_DIRECT: return 240;
  case PROTOCOL_STATIC: return 200;
  case PROTOCOL_RPKI: return 100;
  case PROTOCOL_BGP: return 100;
  case PROTOCOL_KERNEL: return 10;
  default: return 100;
  }
}

/* The options a channel takes from its config, at start and on reconfigure. */
static void channel_apply_config(struct channel *c, struct channel_config *cf)
{
  c->config = cf;
  c->name = cf->name;
  c->table = cf->table->table;
  c->in_filter = cf->in_filter;
  c->out_filter = cf->out_filter;
  c->rx_limit = cf->rx_limit;
  c->in_limit = cf->in_limit;
  c->out_limit = cf->out_limit;
  c->in_keep_filtered = cf->in_keep_filtered;
  c->rpki_reload = cf->rpki_reload;
  c->preference = cf->preference ? cf->preference : default_preference(c->proto);
}

struct channel *proto_add_channel(struct proto *p, struct channel_config *cf)
{
  struct channel *c = mb_allocz(proto_pool, sizeof(*c));
  c->proto = p;
  channel_apply_config(c, cf);
  c->net_type = cf->net_type;
  c->ra_mode = cf->ra_mode;
  c->channel_state = CS_DOWN;
  c->last_state_change = current_time();
  add_tail(&p->channels, &c->n);
  return c;
}

struct channel *proto_find_channel_by_table(struct proto *p, rtable *t)
{
  struct channel *c;
  WALK_LIST(c, p->channels)
    if (c->table == t)
      return c;
  return NULL;
}

struct channel *proto_find_channel_by_name(struct proto *p, const char *n)
{
  struct channel *c;
  WALK_LIST(c, p->channels)
    if (!strcmp(c->name, n))
      return c;
  return NULL;
}

static void channel_free(struct channel *c)
{
  rem_node(&c->n);
  xfree(c->export_map);
  mb_free(c);
}

/* `rpki reload` (on by default, as in BIRD): a channel whose import
   filter calls roa_check() re-runs it when one of those ROA tables changes.
   Changes are coalesced by an event: an RTR update touching thousands of
   ROAs costs one reload. */
static void channel_roa_reload(void *data)
{
  struct channel *c = data;
  if (c->channel_state != CS_UP)
    return;
  if (!c->in_table && !c->proto->reload_routes) {
    log_msg(L_WARN "%s.%s: ROAs changed, but the channel cannot reload (no import table)",
            c->proto->name, c->name);
    return;
  }
  proto_trace(c->proto, D_EVENTS, "ROAs changed, reloading %s", c->name);
  channel_request_reload(c);
}

static void channel_roa_changed(struct rt_subscription *s, const net_addr *n)
{
  struct channel *c = s->data;
  ev_schedule(&c->roa_reload);
}

static void channel_roa_subscribe(struct channel *c)
{
  if (!c->rpki_reload)
    return;
  rtable *t[4];
  int n = filter_uses_roa(c->in_filter, t, 4);
  ev_init(&c->roa_reload, channel_roa_reload, c);
  for (int i = 0; i < n && i < 4; i++) {
    c->roa_sub[i].hook = channel_roa_changed;
    c->roa_sub[i].data = c;
    c->roa_table[i] = t[i];
    rt_lock_table(t[i]);
    add_tail(&t[i]->subscribers, &c->roa_sub[i].n);
    c->roa_subscribed++;
  }
}

static void channel_roa_unsubscribe(struct channel *c)
{
  for (uint i = 0; i < c->roa_subscribed; i++) {
    rem_node(&c->roa_sub[i].n);
    rt_unlock_table(c->roa_table[i]);
  }
  c->roa_subscribed = 0;
  ev_cancel(&c->roa_reload);
}

static void channel_go_up(struct channel *c)
{
  struct proto *p = c->proto;
  rt_lock_table(c->table);
  add_tail(&c->table->channels, &c->table_node);
  if (c->config->import_table) {
    c->in_table = rt_new_private(proto_pool, "import", c->table->addr_type);
    c->reloadable = 1;
  }
  if (c->config->export_table)
    c->out_table = rt_new_private(proto_pool, "export", c->table->addr_type);
  c->in_limit.state = PLS_INITIAL;
  c->channel_state = CS_UP;
  c->last_state_change = current_time();
  p->active_channels++;
  channel_roa_subscribe(c);
  if (c->out_filter != FILTER_REJECT)
    rt_feed_channel(c);
  else {
    c->export_state = ES_READY;
    if (p->feed_end)
      p->feed_end(c);
  }
}

static void channel_go_down(struct channel *c)
{
  if (c->channel_state == CS_UP) {
    channel_roa_unsubscribe(c);
    c->channel_state = CS_FLUSHING;
    rt_unfeed_channel(c);
    rt_flush_channel(c);
    rem_node(&c->table_node);
    rt_unlock_table(c->table);
    c->proto->active_channels--;
  }
  c->channel_state = CS_DOWN;
  c->last_state_change = current_time();
}

void channel_set_state(struct channel *c, uint state)
{
  if (state == c->channel_state)
    return;
  if (state == CS_UP)
    channel_go_up(c);
  else if (state == CS_DOWN || state == CS_FLUSHING)
    channel_go_down(c);
  else {
    /* Statistics restart when the protocol starts, not when the channel
       goes up: a pipe imports through one of its channels while that
       channel is still starting (the other one feeds it first). */
    if (state == CS_START)
      memset(&c->stats, 0, sizeof(c->stats));
    c->channel_state = state;
    c->last_state_change = current_time();
  }
}

void channel_request_reload(struct channel *c)
{
  if (c->in_table)
    rt_refresh_channel(c);
  else if (c->proto->reload_routes)
    c->proto->reload_routes(c);
}

/* Refeed: routes already exported are passed as old, so ones the export
   filter now rejects are withdrawn. */
void channel_request_feeding(struct channel *c)
{
  if (c->channel_state != CS_UP)
    return;
  if (c->out_filter == FILTER_REJECT) {
    rt_unfeed_channel(c);
    c->export_state = ES_READY;
    return;
  }
  extern void rt_refeed_channel(struct channel *c);
  rt_refeed_channel(c);
}

/* `configure soft`: new filters apply to routes from now on; the routes
   already in the tables are not run through them again. */
static int reconfigure_soft;

int channel_reconfigure(struct channel *c, struct channel_config *cf)
{
  if (!channel_config_same(c->config, cf))
    return 0;
  int import_changed = !reconfigure_soft && !filter_same(c->in_filter, cf->in_filter);
  int export_changed = !reconfigure_soft && !filter_same(c->out_filter, cf->out_filter);
  int pref_changed = c->preference != (cf->preference ? cf->preference : default_preference(c->proto));
  if ((import_changed || pref_changed) && c->channel_state == CS_UP && !c->in_table &&
      !c->proto->reload_routes)
    return 0;  /* cannot re-import without a restart */
  channel_apply_config(c, cf);
  if (c->channel_state != CS_UP)
    return 1;
  /* The new filter may read other tables. A reload already asked for by
     a change earlier in this reconfiguration (an ASPA or ROA protocol
     reconfigured first) must survive the resubscription. */
  int reload_pending = ev_active(&c->roa_reload);
  channel_roa_unsubscribe(c);
  channel_roa_subscribe(c);
  if (reload_pending && c->roa_subscribed)
    ev_schedule(&c->roa_reload);
  if (import_changed || pref_changed) {
    log_msg(L_INFO "Reloading protocol %s.%s", c->proto->name, c->name);
    channel_request_reload(c);
  }
  if (export_changed) {
    log_msg(L_INFO "Refeeding protocol %s.%s", c->proto->name, c->name);
    channel_request_feeding(c);
  }
  return 1;
}

void proto_set_message(struct proto *p, const char *msg)
{
  mb_free(p->message);
  p->message = NULL;
  if (msg && *msg) {
    p->message = mb_strdup(proto_pool, msg);
  }
}

void proto_trace(struct proto *p, uint mask, const char *fmt, ...)
{
  if (!(p->debug & mask))
    return;
  char buf[512];
  va_list args;
  va_start(args, fmt);
  bvsnprintf(buf, sizeof(buf), fmt, args);
  va_end(args);
  log_msg(L_TRACE "%s: %s", p->name, buf);
}

static void proto_free(struct proto *p)
{
  struct channel *c, *nxt;
  WALK_LIST_DELSAFE(c, nxt, p->channels)
    channel_free(c);
  neigh_prune(p);
  if (p->pool)
    rp_free(p->pool);
  p->pool = NULL;
  p->main_channel = NULL;
}

void proto_notify_state(struct proto *p, uint state)
{
  uint old = p->proto_state;
  if (state == old)
    return;
  p->proto_state = state;
  p->last_state_change = current_time();
  struct channel *c;
  switch (state) {
  case PS_START:
    WALK_LIST(c, p->channels)
      channel_set_state(c, CS_START);
    break;
  case PS_UP:
    proto_trace(p, D_STATES, "State changed to up");
    WALK_LIST(c, p->channels)
      channel_set_state(c, CS_UP);
    gr_recovery_check();
    break;
  case PS_STOP:
    proto_trace(p, D_STATES, "State changed to stop");
    WALK_LIST(c, p->channels)
      channel_set_state(c, CS_FLUSHING);
    break;
  case PS_DOWN:
    proto_trace(p, D_STATES, "State changed to down");
    WALK_LIST(c, p->channels)
      channel_set_state(c, CS_DOWN);
    if (p->proto->cleanup)
      p->proto->cleanup(p);
    proto_free(p);
    if (p->deleting) {
      rem_node(&p->n);
      mb_free(p->message);
      mb_free(p);
      return;
    }
    if (p->cf_new) {
      /* Restart with the new config. */
      p->cf = p->cf_new;
      p->cf_new = NULL;
      p->name = p->cf->name;
      p->debug = p->cf->debug;
    }
    if (p->down_sched == PDS_RESTART || (!p->disabled && p->down_sched != PDS_DISABLE)) {
      p->down_sched = 0;
      proto_start(p);
    } else {
      p->down_sched = 0;
    }
    break;
  }
}

static void proto_start(struct proto *p)
{
  if (p->disabled)
    return;
  p->pool = rp_new(proto_pool, p->name);
  struct channel_config *cc;
  WALK_LIST(cc, p->cf->channels)
    proto_add_channel(p, cc);
  if (!p->main_channel && !EMPTY_LIST(p->channels) && list_length(&p->channels) == 1 &&
      p->proto->class != PROTOCOL_BGP)
    p->main_channel = (struct channel *) HEAD(p->channels);
  p->router_id = p->cf->router_id ? p->cf->router_id : config->router_id;
  proto_notify_state(p, PS_START);
  int ps = p->proto->start ? p->proto->start(p) : PS_UP;
  proto_notify_state(p, ps);
}

static void proto_shutdown(struct proto *p)
{
  if (p->proto_state == PS_DOWN && !p->pool) {
    if (p->deleting) {
      rem_node(&p->n);
      mb_free(p->message);
      mb_free(p);
    } else if (p->cf_new) {
      p->cf = p->cf_new;
      p->cf_new = NULL;
    }
    return;
  }
  if (p->proto_state == PS_STOP)
    return;
  proto_notify_state(p, PS_STOP);
  int ps = p->proto->shutdown ? p->proto->shutdown(p) : PS_DOWN;
  if (ps == PS_DOWN)
    proto_notify_state(p, PS_DOWN);
}

/* Reconfiguration */

static struct proto_config *find_new_config(struct config *new, struct proto *p)
{
  struct proto_config *pc;
  WALK_LIST(pc, new->protos)
    if (!strcmp(pc->name, p->name))
      return pc;
  return NULL;
}

static int proto_try_reconfigure(struct proto *p, struct proto_config *nc)
{
  if (nc->protocol != p->proto)
    return 0;
  if (p->proto_state == PS_DOWN || p->proto_state == PS_STOP) {
    p->cf = nc;
    p->name = nc->name;
    return 1;
  }
  /* Channels must correspond one to one. */
  if (list_length(&nc->channels) != list_length(&p->channels))
    return 0;
  struct channel_config *cc;
  WALK_LIST(cc, nc->channels) {
    struct channel *c = proto_find_channel_by_name(p, cc->name);
    if (!c || !channel_config_same(c->config, cc))
      return 0;
  }
  if (p->proto->reconfigure && !p->proto->reconfigure(p, nc))
    return 0;
  if (!p->proto->reconfigure && p->proto->same_config && !p->proto->same_config(p->cf, nc))
    return 0;
  WALK_LIST(cc, nc->channels) {
    struct channel *c = proto_find_channel_by_name(p, cc->name);
    if (!channel_reconfigure(c, cc))
      return 0;
  }
  /* Everything that pointed into the old config must move: the old one is
     freed after the next reconfiguration. */
  p->cf = nc;
  p->name = nc->name;
  p->debug = nc->debug;
  return 1;
}

void protos_commit(struct config *new, struct config *old, int type)
{
  struct proto *p, *nxt;
  int force_restart = 0;
  reconfigure_soft = type == RECONFIG_SOFT;
  WALK_LIST_DELSAFE(p, nxt, proto_list) {
    struct proto_config *nc = find_new_config(new, p);
    if (nc && !force_restart && nc->disabled == p->cf->disabled && proto_try_reconfigure(p, nc)) {
      nc->protocol = p->proto;
      continue;
    }
    if (nc && nc->protocol == p->proto) {
      log_msg(L_INFO "Restarting protocol %s", p->name);
      p->cf_new = nc;
      p->disabled = nc->disabled;
      if (p->proto_state == PS_DOWN && !p->pool) {
        p->cf = nc;
        p->cf_new = NULL;
        proto_start(p);
      } else {
        p->down_sched = nc->disabled ? PDS_DISABLE : PDS_RESTART;
        proto_shutdown(p);
      }
      continue;
    }
    log_msg(L_INFO "Removing protocol %s", p->name);
    p->deleting = 1;
    proto_shutdown(p);
  }
  struct proto_config *pc;
  WALK_LIST(pc, new->protos) {
    if (proto_find_by_name(pc->name))
      continue;
    struct proto *np = pc->protocol->init(pc);
    add_tail(&proto_list, &np->n);
    if (old)
      log_msg(L_INFO "Adding protocol %s", np->name);
    proto_start(np);
  }
  reconfigure_soft = 0;
}

struct proto *proto_find_by_name(const char *name)
{
  struct proto *p;
  WALK_LIST(p, proto_list)
    if (!p->deleting && !strcmp(p->name, name))
      return p;
  return NULL;
}

/* Post-parse checks: channels need a table of their type. */
void protos_postconfig(struct cf_ctx *ctx)
{
  struct proto_config *pc;
  WALK_LIST(pc, ctx->conf->protos) {
    struct channel_config *cc;
    WALK_LIST(cc, pc->channels) {
      if (!cc->table)
        cc->table = ctx->conf->def_tables[cc->net_type];
      if (!cc->table) {
        cf_loc loc = { pc->loc_file, pc->loc_line, 1, pc->loc_line, 1 };
        cf_error(ctx, &loc, "Protocol %s: no %s table for channel %s", pc->name,
                 net_label[cc->net_type], cc->name);
      }
    }
    if (pc->protocol->needs_channel && EMPTY_LIST(pc->channels)) {
      cf_loc loc = { pc->loc_file, pc->loc_line, 1, pc->loc_line, 1 };
      cf_error(ctx, &loc, "%s protocol %s: channel not specified", pc->protocol->name, pc->name);
    }
    if (pc->protocol->postconfig)
      pc->protocol->postconfig(pc, ctx);
  }
}

/* CLI */

const char *proto_state_name(const struct proto *p)
{
  switch (p->proto_state) {
  case PS_DOWN: return p->active_channels ? "flush" : "down";
  case PS_START: return "start";
  case PS_UP: return p->shows_start ? "start" : "up";
  case PS_STOP: return "stop";
  default: return "???";
  }
}

const char *channel_state_name(uint state)
{
  static const char *const n[] = { "DOWN", "START", "UP", "FLUSHING" };
  return state < ARRAY_SIZE(n) ? n[state] : "???";
}

void proto_show_basic_info(struct proto *p, struct cli *c)
{
  if (p->cf->dsc)
    cli_msg(c, -1006, "  Description:    %s", p->cf->dsc);
}

static void proto_show_row(struct proto *p, struct cli *c)
{
  char since[64], info[256] = "";
  tm_format_real(since, sizeof(since), &config->tf[TF_PROTO], p->last_state_change);
  if (p->proto->get_status)
    p->proto->get_status(p, info, sizeof(info));
  else if (p->message && p->proto_state == PS_DOWN)
    bsnprintf(info, sizeof(info), "%s", p->message);
  /* A stopped protocol has no channels, but BIRD still names its table. */
  const char *table = "---";
  if (p->proto->class == PROTOCOL_RPKI)
    ;                           /* BIRD names no table for RPKI, even with one channel */
  else if (p->main_channel)
    table = p->main_channel->table->name;
  else if (list_length(&p->cf->channels) == 1 && p->proto->class != PROTOCOL_BGP &&
           proto_cf_main_channel(p->cf)->table)
    table = proto_cf_main_channel(p->cf)->table->name;
  cli_msg(c, -1002, "%-10s %-10s %-10s %-6s %-12s  %s", p->name, p->proto->name, table,
          proto_state_name(p), since, info);
}

static void channel_show_limit(struct cli *c, const char *name, struct channel_limit *l)
{
  static const char *const act[] = { "", "warn", "block", "restart", "disable" };
  if (!l->action)
    return;
  cli_msg(c, -1006, "    %-16s%u%s", name, l->limit, l->state == PLS_BLOCKED ? " [HIT]" : "");
  cli_msg(c, -1006, "      Action:       %s", act[l->action]);
}

void channel_show_info(struct channel *ch, struct cli *c)
{
  channel_show_info_as(ch, c, ch->channel_state);
}

void channel_show_info_as(struct channel *ch, struct cli *c, uint state)
{
  struct proto_stats *s = &ch->stats;
  cli_msg(c, -1006, "  Channel %s", ch->name);
  cli_msg(c, -1006, "    State:          %s", channel_state_name(state));
  cli_msg(c, -1006, "    Table:          %s", ch->table->name);
  cli_msg(c, -1006, "    Preference:     %u", ch->preference);
  cli_msg(c, -1006, "    Input filter:   %s", filter_name(ch->in_filter));
  cli_msg(c, -1006, "    Output filter:  %s", filter_name(ch->out_filter));
  channel_show_limit(c, "Receive limit:", &ch->rx_limit);
  channel_show_limit(c, "Import limit:", &ch->in_limit);
  channel_show_limit(c, "Export limit:", &ch->out_limit);
  if (state == CS_DOWN)
    return;
  if (ch->in_keep_filtered)
    cli_msg(c, -1006, "    Routes:         %u imported, %u filtered, %u exported, %u preferred",
            s->imp_routes, s->filt_routes, s->exp_routes, s->pref_routes);
  else
    cli_msg(c, -1006, "    Routes:         %u imported, %u exported, %u preferred",
            s->imp_routes, s->exp_routes, s->pref_routes);
  cli_msg(c, -1006, "    Route change stats:     received   rejected   filtered    ignored   accepted");
  cli_msg(c, -1006, "      Import updates:     %10u %10u %10u %10u %10u",
          s->imp_updates_received, s->imp_updates_invalid, s->imp_updates_filtered,
          s->imp_updates_ignored, s->imp_updates_accepted);
  cli_msg(c, -1006, "      Import withdraws:   %10u %10u        --- %10u %10u",
          s->imp_withdraws_received, s->imp_withdraws_invalid, s->imp_withdraws_ignored,
          s->imp_withdraws_accepted);
  cli_msg(c, -1006, "      Export updates:     %10u %10u %10u        --- %10u",
          s->exp_updates_received, s->exp_updates_rejected, s->exp_updates_filtered,
          s->exp_updates_accepted);
  cli_msg(c, -1006, "      Export withdraws:   %10u        ---        ---        --- %10u",
          s->exp_withdraws_received, s->exp_withdraws_accepted);
}

static void proto_show_details(struct proto *p, struct cli *c)
{
  proto_show_basic_info(p, c);
  if (p->proto->show_proto_info)
    p->proto->show_proto_info(p, c);
  else {
    struct channel *ch;
    WALK_LIST(ch, p->channels)
      channel_show_info(ch, c);
  }
  cli_msg(c, -1006, "");
}

void proto_cmd_show(struct cli *c, const char *pattern, int verbose)
{
  int found = 0;
  struct proto *p;
  WALK_LIST(p, proto_list) {
    if (p->deleting || (pattern && !patmatch(pattern, p->name)))
      continue;
    if (!found)
      cli_msg(c, -2002, "%-10s %-10s %-10s %-6s %-12s  %s", "Name", "Proto", "Table", "State",
              "Since", "Info");
    found = 1;
    proto_show_row(p, c);
    if (verbose)
      proto_show_details(p, c);
  }
  if (!found)
    cli_msg(c, 8003, "No protocols match");
  else
    cli_msg(c, 0, "");
}

void proto_apply_cmd(struct cli *c, const char *pattern, int all,
                     void (*cmd)(struct proto *p, uintptr_t arg, struct cli *c), uintptr_t arg)
{
  if (cli_access_restricted(c))
    return;
  int found = 0;
  struct proto *p, *nxt;
  WALK_LIST_DELSAFE(p, nxt, proto_list) {
    if (p->deleting || (!all && !patmatch(pattern, p->name)))
      continue;
    found = 1;
    cmd(p, arg, c);
  }
  if (!found)
    cli_msg(c, 8003, "No protocols match");
  else
    cli_msg(c, 0, "");
}

void proto_cmd_disable(struct proto *p, uintptr_t arg, struct cli *c)
{
  if (p->disabled) {
    cli_msg(c, -8, "%s: already disabled", p->name);
    return;
  }
  log_msg(L_INFO "Disabling protocol %s", p->name);
  p->disabled = 1;
  proto_set_message(p, (const char *) arg);
  p->down_sched = PDS_DISABLE;
  proto_shutdown(p);
  cli_msg(c, -9, "%s: disabled", p->name);
}

void proto_cmd_enable(struct proto *p, uintptr_t arg, struct cli *c)
{
  if (!p->disabled) {
    cli_msg(c, -10, "%s: already enabled", p->name);
    return;
  }
  log_msg(L_INFO "Enabling protocol %s", p->name);
  p->disabled = 0;
  proto_set_message(p, NULL);
  proto_start(p);
  cli_msg(c, -11, "%s: enabled", p->name);
}

void proto_cmd_restart(struct proto *p, uintptr_t arg, struct cli *c)
{
  if (p->disabled) {
    cli_msg(c, -8, "%s: already disabled", p->name);
    return;
  }
  log_msg(L_INFO "Restarting protocol %s", p->name);
  proto_set_message(p, (const char *) arg);
  p->down_sched = PDS_RESTART;
  proto_shutdown(p);
  cli_msg(c, -12, "%s: restarted", p->name);
}

/* dir: 0 both, 1 in, 2 out */
void proto_cmd_reload(struct proto *p, uintptr_t dir, struct cli *c)
{
  if (p->disabled || p->proto_state != PS_UP) {
    cli_msg(c, -8, "%s: already disabled", p->name);
    return;
  }
  struct channel *ch;
  if (dir != 2)
    WALK_LIST(ch, p->channels)
      if (!ch->in_table && !p->reload_routes) {
        cli_msg(c, -8006, "%s: reload failed", p->name);
        return;
      }
  log_msg(L_INFO "Reloading protocol %s", p->name);
  WALK_LIST(ch, p->channels) {
    if (dir != 2)
      channel_request_reload(ch);
    if (dir != 1)
      channel_request_feeding(ch);
  }
  cli_msg(c, -15, "%s: reloading", p->name);
}

void proto_cmd_debug(struct proto *p, uintptr_t mask, struct cli *c)
{
  p->debug = mask;
}
