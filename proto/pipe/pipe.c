/*
 * proto/pipe/pipe.c: the pipe protocol.
 *
 * A pipe joins two tables of one type through two channels of its own:
 * `pri` on the primary table and `sec` on the peer table. Each channel
 * exports from its table and the pipe imports what it gets through the
 * other channel:
 *
 *     t1 --pri export (filter `export`)--> pipe --sec import--> t2
 *     t2 --sec export (filter `import`)--> pipe --pri import--> t1
 *
 * Both channels import everything: each direction is filtered once, on
 * the way out. As in BIRD 2 the channels are in RA_ANY mode, so every
 * route of a net goes through, not only the best one, and a piped route
 * keeps its source (protocol and path id), attributes and preference: in
 * t2 it shows as `[static1 ...]`.
 *
 * Loops. A pipe never exports a route it imported itself, so a route
 * piped from t1 to t2 does not come back through the same pipe. And, as
 * in BIRD, a table holds one copy of a source's route per net: a pipe
 * bringing a route whose source already has a route in the target table
 * from someone else drops it ("pipe collision"). Any ring of pipes ends
 * where it began, since the route is already there. A bound on nested
 * pipe updates stays as a last guard.
 */
#include <string.h>

#include "proto/pipe/pipe.h"
#include "nest/cli.h"
#include "conf/conf.h"
#include "filter/filter.h"
#include "lib/printf.h"
#include "sysdep/unix/log.h"

#define PIPE_MAX_DEPTH 64

static uint pipe_depth;         /* pipes nested in the current update */
static struct log_rate pipe_collision_rl = LOG_RATE_INIT(1000000, 5);
static struct log_rate pipe_loop_rl = LOG_RATE_INIT(1000000, 5);

/* Does the target table hold a route of this source from another sender? */
static int pipe_collides(struct channel *dst, const net_addr *n, struct rte_src *src)
{
  net *x = net_find(dst->table, n);
  for (rte *r = x ? x->routes : NULL; r; r = r->next)
    if (r->src == src && r->sender != dst)
      return 1;
  return 0;
}

static void pipe_rt_notify(struct proto *P, struct channel *from, net *n, rte *new, rte *old)
{
  struct pipe_proto *p = (void *) P;
  struct channel *dst = from == p->pri ? p->sec : p->pri;
  if (!new && !old)
    return;
  if (pipe_depth >= PIPE_MAX_DEPTH) {
    log_rl(&pipe_loop_rl, L_ERR "Pipe loop detected when sending %N to table %s", &n->n,
           dst->table->name);
    return;
  }
  struct rte_src *src = new ? new->src : old->src;
  rte *e = NULL;
  if (new) {
    if (pipe_collides(dst, &n->n, src)) {
      log_rl(&pipe_collision_rl, L_ERR "Pipe collision detected when sending %N to table %s",
             &n->n, dst->table->name);
      return;
    }
    e = rte_get_temp(new->attrs, src);
    e->pref = new->pref;
    e->pflags = new->pflags;
    e->u = new->u;
  }
  net_addr_union a;             /* n may go while the update runs round a ring */
  net_copy(&a.n, &n->n);
  pipe_depth++;
  rte_update(dst, &a.n, e, src);
  pipe_depth--;
}

/* What came in through this pipe does not go back out of it. */
static int pipe_preexport(struct channel *c, rte *e)
{
  return e->sender->proto == c->proto ? -1 : 0;
}

/* Reloading one side is feeding the other side again. */
static void pipe_reload_routes(struct channel *c)
{
  struct pipe_proto *p = (void *) c->proto;
  channel_request_feeding(c == p->pri ? p->sec : p->pri);
}

static int pipe_start(struct proto *P)
{
  struct pipe_proto *p = (void *) P;
  p->pri = proto_find_channel_by_name(P, "pri");
  p->sec = proto_find_channel_by_name(P, "sec");
  return p->pri && p->sec ? PS_UP : PS_DOWN;
}

static void pipe_cleanup(struct proto *P)
{
  struct pipe_proto *p = (void *) P;
  p->pri = p->sec = NULL;      /* nest frees the channels */
}

/* Tables, limits and filters are compared by nest (channel by channel);
   a changed filter refeeds the channel. A direction switched to `none`
   needs one more step: nest then forgets what the channel exported, and
   the routes the pipe put into the other table have to go too. */
static int pipe_reconfigure(struct proto *P, struct proto_config *new)
{
  struct pipe_proto *p = (void *) P;
  struct pipe_config *n = (void *) new;
  if (P->proto_state != PS_UP || !p->pri || !p->sec)
    return 1;
  if (n->out_filter == FILTER_REJECT && p->pri->out_filter != FILTER_REJECT)
    rt_flush_channel(p->sec);
  if (n->in_filter == FILTER_REJECT && p->sec->out_filter != FILTER_REJECT)
    rt_flush_channel(p->pri);
  return 1;
}

static void pipe_get_status(struct proto *P, char *buf, size_t len)
{
  struct pipe_config *cf = (void *) P->cf;
  bsnprintf(buf, len, "%s <=> %s", cf->table->name, cf->peer->name);
}

static void pipe_show_limit(struct cli *c, const char *name, const struct channel_limit *l)
{
  static const char *const act[] = { "", "warn", "block", "restart", "disable" };
  if (!l->action)
    return;
  cli_msg(c, -1006, "    %-16s%u%s", name, l->limit, l->state == PLS_BLOCKED ? " [HIT]" : "");
  cli_msg(c, -1006, "      Action:       %s", act[l->action]);
}

/* BIRD's view: routes going from the primary table to the peer table are
   exported, the others imported. Each direction is one channel's export
   followed by the other channel's import, so the figures of a direction
   come from both channels (pri's stats have the user's polarity, sec's
   the opposite one). */
static void pipe_show_stats(struct cli *c, struct pipe_proto *p)
{
  const struct proto_stats *s1 = &p->pri->stats, *s2 = &p->sec->stats;
  cli_msg(c, -1006, "  Routes:         %u imported, %u exported", s1->imp_routes, s2->imp_routes);
  cli_msg(c, -1006, "  Route change stats:     received   rejected   filtered    ignored   accepted");
  cli_msg(c, -1006, "    Import updates:     %10u %10u %10u %10u %10u",
          s2->exp_updates_received, s2->exp_updates_rejected + s1->imp_updates_invalid,
          s2->exp_updates_filtered, s1->imp_updates_ignored, s1->imp_updates_accepted);
  cli_msg(c, -1006, "    Import withdraws:   %10u %10u        --- %10u %10u",
          s2->exp_withdraws_received, s1->imp_withdraws_invalid, s1->imp_withdraws_ignored,
          s1->imp_withdraws_accepted);
  cli_msg(c, -1006, "    Export updates:     %10u %10u %10u %10u %10u",
          s1->exp_updates_received, s1->exp_updates_rejected + s2->imp_updates_invalid,
          s1->exp_updates_filtered, s2->imp_updates_ignored, s2->imp_updates_accepted);
  cli_msg(c, -1006, "    Export withdraws:   %10u %10u        --- %10u %10u",
          s1->exp_withdraws_received, s2->imp_withdraws_invalid, s2->imp_withdraws_ignored,
          s2->imp_withdraws_accepted);
}

static const char *pipe_feed_state(const struct channel *c)
{
  if (!c)
    return "down";
  switch (c->export_state) {
  case ES_FEEDING: return "feed";
  case ES_READY: return "up";
  default: return "down";
  }
}

/* `show protocols all`: BIRD 2.0.12 shows a pipe as one channel "main". */
static void pipe_show_proto_info(struct proto *P, struct cli *c)
{
  struct pipe_proto *p = (void *) P;
  struct pipe_config *cf = (void *) P->cf;
  cli_msg(c, -1006, "  Channel main");
  cli_msg(c, -1006, "    Table:          %s", cf->table->name);
  cli_msg(c, -1006, "    Peer table:     %s", cf->peer->name);
  cli_msg(c, -1006, "    Import state:   %s", pipe_feed_state(p->sec));
  cli_msg(c, -1006, "    Export state:   %s", pipe_feed_state(p->pri));
  cli_msg(c, -1006, "    Import filter:  %s", filter_name(p->sec ? p->sec->out_filter : cf->in_filter));
  cli_msg(c, -1006, "    Export filter:  %s", filter_name(p->pri ? p->pri->out_filter : cf->out_filter));
  pipe_show_limit(c, "Import limit:", p->pri ? &p->pri->in_limit : &cf->in_limit);
  pipe_show_limit(c, "Export limit:", p->sec ? &p->sec->in_limit : &cf->out_limit);
  if (P->proto_state != PS_DOWN && p->pri && p->sec)
    pipe_show_stats(c, p);
}

static struct proto *pipe_init(struct proto_config *pc)
{
  struct proto *P = proto_new(pc);
  P->rt_notify = pipe_rt_notify;
  P->preexport = pipe_preexport;
  P->reload_routes = pipe_reload_routes;
  return P;
}

static void pipe_channel(struct cf_ctx *ctx, const char *name, struct rtable_config *t,
                         const struct filter *out, const struct channel_limit *limit)
{
  struct channel_config *cc = channel_config_get(ctx, name, t->addr_type, ctx->this_proto);
  cc->table = t;
  cc->net_type = t->addr_type;
  cc->in_filter = FILTER_ACCEPT;
  cc->out_filter = out;
  cc->in_limit = *limit;
  cc->ra_mode = RA_ANY;
}

/* At the end of the block (where BIRD reports these errors too): check
   the tables and make the two channels. Templates may leave the tables
   to the protocols made from them. */
void pipe_finish_config(struct cf_ctx *ctx, const void *vloc)
{
  const cf_loc *loc = vloc;
  struct pipe_config *cf = (void *) ctx->this_proto;
  if (!cf || cf->c.is_template)
    return;
  if (!cf->table)
    cf_error(ctx, loc, "Primary routing table not specified");
  else if (!cf->peer)
    cf_error(ctx, loc, "Secondary routing table not specified");
  else if (cf->table == cf->peer)
    cf_error(ctx, loc, "Primary table and peer table must be different");
  else if (cf->table->addr_type != cf->peer->addr_type)
    cf_error(ctx, loc, "Primary table and peer table must have the same type");
  else {
    pipe_channel(ctx, "pri", cf->table, cf->out_filter, &cf->in_limit);
    pipe_channel(ctx, "sec", cf->peer, cf->in_filter, &cf->out_limit);
  }
}

struct protocol proto_pipe = {
  .name = "Pipe",
  .template = "pipe%d",
  .class = PROTOCOL_PIPE,
  .channel_mask = 0,            /* no `ipv4 { }` blocks: channels come from the tables */
  .max_channels = 2,
  .proto_size = sizeof(struct pipe_proto),
  .config_size = sizeof(struct pipe_config),
  .init = pipe_init,
  .start = pipe_start,
  .cleanup = pipe_cleanup,
  .reconfigure = pipe_reconfigure,
  .get_status = pipe_get_status,
  .show_proto_info = pipe_show_proto_info,
};
