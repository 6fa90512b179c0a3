/*
 * proto/perf/perf.c: the perf protocol, BIRD 2's route benchmark.
 *
 * Import mode measures what one route costs on its way into a table. Once
 * the first non-secondary IPv4 address shows up (so `protocol device` is
 * needed), the protocol logs `starting` and runs one step per event, so the
 * daemon keeps answering the CLI in between. A step, for N = 2^exp:
 *
 *   gen       N random IPv4 prefixes (lengths /24 with probability 1/2,
 *             /23 with 1/4 ... as BIRD draws them) with one random next hop
 *             inside the interface's prefix, and their temporary routes;
 *   update    rte_update() for all N: import filter, table insert, best
 *             route selection and export to every other channel of the table;
 *   withdraw  rte_update(NULL) for all N, unless `keep`.
 *
 * Each phase is timed with CLOCK_MONOTONIC in nanoseconds. An exponent is
 * run `repeat` times, or once if the update took less than `threshold min`;
 * the protocol stops after `exp to`, or earlier when every run at an
 * exponent took `threshold max` or more. This is BIRD 2.0.12's schedule,
 * and the log lines have BIRD's exact format, so existing parsers work.
 *
 * Export mode measures the export path: each feed of the channel counts the
 * rt_notify calls and logs its duration; `repeat` feeds in total.
 *
 * Beyond BIRD: every run is kept, and `show perf` prints ns per route
 * (median and minimum over the runs) per exponent. Also unlike BIRD, the
 * prefixes of one batch are distinct, so with `keep on` a batch leaves
 * exactly N routes in the table.
 */
#include <string.h>
#include <stdlib.h>
#include <time.h>

#include "config.h"
#include "proto/perf/perf.h"
#include "proto/perf/gen.h"
#include "nest/cli.h"
#include "nest/nest.h"
#include "filter/filter.h"
#include "lib/printf.h"
#include "sysdep/unix/log.h"

#define PLOG(p, fmt, ...) \
  log_msg(L_INFO "Perf %s %s " fmt, BIRD_COMPAT_VERSION, (p)->p.name, ##__VA_ARGS__)

static u64 perf_now_ns(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (u64) ts.tv_sec * 1000000000ULL + (u64) ts.tv_nsec;
}

/*
 *  Import mode
 */

static void perf_batch_free(struct perf_proto *p)
{
  struct perf_batch *b = &p->batch;
  for (uint i = 0; i < b->n_cached; i++)
    rta_free(b->cached[i]);
  mb_free(b->nets);
  mb_free(b->rtes);
  mb_free(b->attrs);
  mb_free(b->cached);
  memset(b, 0, sizeof(*b));
}

static void perf_batch_alloc(struct perf_proto *p, uint n)
{
  struct perf_batch *b = &p->batch;
  uint k = perf_cf(p)->attrs_per_rte;
  b->n = n;
  b->n_attrs = k ? (n + k - 1) / k : n;
  b->nets = mb_alloc(p->p.pool, sizeof(net_addr) * n);
  b->rtes = mb_alloc(p->p.pool, sizeof(rte) * n);
  b->attrs = mb_alloc(p->p.pool, sizeof(rta) * b->n_attrs);
  b->cached = k ? mb_alloc(p->p.pool, sizeof(rta *) * b->n_attrs) : NULL;
  b->n_cached = 0;
}

/* gen: prefixes, attribute sets and temporary routes for one run. */
static void perf_generate(struct perf_proto *p, struct rte_src *src)
{
  struct perf_batch *b = &p->batch;
  uint k = perf_cf(p)->attrs_per_rte;
  ip_addr gw = perf_random_gw(&p->rng, &p->ifa->prefix);
  perf_random_nets(&p->rng, b->nets, b->n);

  for (uint i = 0; i < b->n_cached; i++)
    rta_free(b->cached[i]);
  b->n_cached = 0;

  rta *a = NULL;
  for (uint i = 0; i < b->n; i++) {
    if (!k || !(i % k)) {
      a = &b->attrs[k ? i / k : i];
      memset(a, 0, sizeof(*a));
      a->source = RTS_PERF;
      a->scope = SCOPE_UNIVERSE;
      a->dest = RTD_UNICAST;
      a->nh.iface = p->ifa->iface;
      a->nh.gw = gw;
      if (k)
        a = b->cached[b->n_cached++] = rta_lookup(a);
    }
    rte *e = &b->rtes[i];
    memset(e, 0, sizeof(*e));
    e->attrs = a;
    e->src = src;
    e->flags = REF_DISCARD;     /* temporary: nest may modify it in place */
  }
}

/* Announce (e = rtes) or withdraw (e = NULL) the whole batch. Filters
   allocate in the temporary arena; give it back after every route as
   BIRD does with its update pool. */
static void perf_push(struct perf_proto *p, struct channel *c, struct rte_src *src, int announce)
{
  struct perf_batch *b = &p->batch;
  struct lp_state st;
  lp_save(tmp_linpool, &st);
  for (uint i = 0; i < b->n; i++) {
    rte_update(c, &b->nets[i], announce ? &b->rtes[i] : NULL, src);
    lp_restore(tmp_linpool, &st);
  }
}

static void perf_record(struct perf_proto *p, const struct perf_sample *s)
{
  struct perf_config *cf = perf_cf(p);
  struct perf_exp_stats *st = &p->stats[p->exp - cf->from];
  if (!st->s)
    st->s = mb_allocz(p->p.pool, sizeof(struct perf_sample) * cf->repeat);
  if (st->runs < cf->repeat)
    st->s[st->runs++] = *s;
}

/* One (exp, run) step; reschedules itself until done. */
static void perf_loop(void *data)
{
  struct perf_proto *p = data;
  struct perf_config *cf = perf_cf(p);
  struct channel *c = p->p.main_channel;
  if (!p->ifa || p->done || !c || c->channel_state != CS_UP)
    return;
  if (p->announce) {
    /* Logged here rather than in the address hook: during the first
       commit, protocols start before the log files are opened. */
    PLOG(p, "starting");
    p->announce = 0;
  }

  if (!p->run) {
    perf_batch_free(p);
    perf_batch_alloc(p, 1U << p->exp);
    p->stop = 1;
  }
  struct rte_src *src = rt_get_source(&p->p, 0);

  struct perf_sample s;
  u64 t0 = perf_now_ns();
  perf_generate(p, src);
  u64 t1 = perf_now_ns();
  perf_push(p, c, src, 1);
  u64 t2 = perf_now_ns();
  if (!cf->keep)
    perf_push(p, c, src, 0);
  u64 t3 = perf_now_ns();
  s.gen = t1 - t0;
  s.update = t2 - t1;
  s.withdraw = t3 - t2;
  perf_record(p, &s);

  btime update_us = (btime) (s.update / 1000);
  if (update_us >= cf->threshold_min)
    PLOG(p, "exp=%u times: gen=%lu update=%lu withdraw=%lu", p->exp,
         (unsigned long) s.gen, (unsigned long) s.update, (unsigned long) s.withdraw);
  if (update_us < cf->threshold_max)
    p->stop = 0;

  if (update_us < cf->threshold_min || ++p->run == cf->repeat) {
    perf_batch_free(p);
    if (p->stop || p->exp >= cf->to) {
      PLOG(p, "done with exp=%u", p->exp);
      p->done = 1;
      return;
    }
    p->run = 0;
    p->exp++;
  }
  ev_schedule(&p->loop);
}

/* Start on the first primary IPv4 address; pause if it goes away. */
static void perf_ifa_notify(struct proto *P, uint flags, struct ifa *a)
{
  struct perf_proto *p = (struct perf_proto *) P;
  if ((a->flags & IA_SECONDARY) || a->prefix.type != NET_IP4)
    return;
  if (p->ifa == a && (flags & IF_CHANGE_DOWN)) {
    p->ifa = NULL;
    ev_cancel(&p->loop);
    return;
  }
  if (!p->ifa && (flags & IF_CHANGE_UP) && !p->done) {
    p->ifa = a;
    p->announce = 1;
    ev_schedule(&p->loop);
  }
}

/*
 *  Export mode
 */

static void perf_rt_notify(struct proto *P, struct channel *c, net *n, rte *new, rte *old)
{
  ((struct perf_proto *) P)->notified++;
}

static void perf_feed_begin(struct perf_proto *p)
{
  p->feeds++;
  p->notified = 0;
  p->feeding = 1;
  clock_gettime(CLOCK_MONOTONIC, &p->feed_begin);
}

/* The feed is over: keep its numbers; the refeed event logs them (during
   the first commit the log files are not open yet) and goes on. */
static void perf_feed_end(struct channel *c)
{
  struct perf_proto *p = (struct perf_proto *) c->proto;
  if (!p->feeding)
    return;                     /* a refeed nest asked for, not ours */
  u64 begin = (u64) p->feed_begin.tv_sec * 1000000000ULL + (u64) p->feed_begin.tv_nsec;
  p->feeding = 0;
  if (p->feeds <= perf_cf(p)->repeat)
    p->feed[p->feeds - 1] = (struct perf_feed) { p->notified, perf_now_ns() - begin };
  ev_schedule(&p->refeed);
}

static void perf_refeed(void *data)
{
  struct perf_proto *p = data;
  struct channel *c = p->p.main_channel;
  if (p->done || p->feeding || !p->feeds)
    return;
  struct perf_feed *f = &p->feed[p->feeds - 1];
  PLOG(p, "feed n=%lu time=%lu", (unsigned long) f->routes, (unsigned long) f->ns);
  if (p->feeds >= perf_cf(p)->repeat) {
    PLOG(p, "feed done");
    p->done = 1;
    return;
  }
  if (!c || c->channel_state != CS_UP)
    return;
  perf_feed_begin(p);
  int rejects = c->out_filter == FILTER_REJECT;
  channel_request_feeding(c);
  if (rejects)
    perf_feed_end(c);           /* nest does not feed a channel exporting nothing */
}

/*
 *  Protocol glue
 */

static int perf_start(struct proto *P)
{
  struct perf_proto *p = (struct perf_proto *) P;
  struct perf_config *cf = perf_cf(p);
  p->ifa = NULL;
  p->exp = cf->from;
  p->run = 0;
  p->stop = p->done = p->feeding = p->announce = 0;
  p->feeds = 0;
  p->notified = 0;
  memset(&p->batch, 0, sizeof(p->batch));
  p->rng.s = perf_now_ns() ^ ((u64) (uintptr_t) p << 16);
  uint nexp = cf->to - cf->from + 1;
  p->stats = mb_allocz(P->pool, sizeof(*p->stats) * nexp);
  p->feed = mb_allocz(P->pool, sizeof(*p->feed) * cf->repeat);
  if (cf->mode == PERF_MODE_IMPORT)
    if_feed_proto(P);           /* addresses that exist already */
  else
    perf_feed_begin(p);         /* the channel is fed as it comes up */
  return PS_UP;
}

static int perf_shutdown(struct proto *P)
{
  struct perf_proto *p = (struct perf_proto *) P;
  ev_cancel(&p->loop);
  ev_cancel(&p->refeed);
  perf_batch_free(p);
  p->ifa = NULL;
  p->stats = NULL;              /* freed with the pool */
  p->feed = NULL;
  return PS_DOWN;
}

static struct proto *perf_init(struct proto_config *pc)
{
  struct perf_proto *p = proto_new(pc);
  struct perf_config *cf = (void *) pc;
  ev_init(&p->loop, perf_loop, p);
  ev_init(&p->refeed, perf_refeed, p);
  if (cf->mode == PERF_MODE_IMPORT)
    p->p.ifa_notify = perf_ifa_notify;
  else {
    p->p.rt_notify = perf_rt_notify;
    p->p.feed_end = perf_feed_end;
  }
  return &p->p;
}

static int perf_config_same(const struct perf_config *a, const struct perf_config *b)
{
  return a->mode == b->mode && a->from == b->from && a->to == b->to &&
    a->repeat == b->repeat && a->keep == b->keep && a->attrs_per_rte == b->attrs_per_rte &&
    a->threshold_min == b->threshold_min && a->threshold_max == b->threshold_max;
}

/* BIRD restarts perf on every reconfiguration; we keep it (and its
   results) when nothing of its own changed. */
static int perf_reconfigure(struct proto *P, struct proto_config *new)
{
  return perf_config_same((void *) P->cf, (void *) new);
}

static void perf_postconfig(struct proto_config *pc, struct cf_ctx *ctx)
{
  struct perf_config *cf = (void *) pc;
  cf_loc loc = { pc->loc_file, pc->loc_line, 1, pc->loc_line, 1 };
  struct channel_config *cc = proto_cf_main_channel(pc);
  if (!cc)
    cf_error(ctx, &loc, "Perf protocol %s: channel not specified", pc->name);
  else if (cc->net_type != NET_IP4)
    cf_error(ctx, &loc, "Perf protocol %s: only an ipv4 channel is supported", pc->name);
  if (cf->from > cf->to)
    cf_error(ctx, &cf->exp_loc, "Perf protocol %s: exp from (%u) is greater than exp to (%u)",
             pc->name, cf->from, cf->to);
}

static void perf_get_status(struct proto *P, char *buf, size_t len)
{
  struct perf_proto *p = (struct perf_proto *) P;
  struct perf_config *cf = perf_cf(p);
  if (P->proto_state != PS_UP)
    buf[0] = 0;
  else if (p->done)
    bsnprintf(buf, (int) len, "done");
  else if (cf->mode == PERF_MODE_EXPORT)
    bsnprintf(buf, (int) len, "feed %u/%u", p->feeds, cf->repeat);
  else if (!p->ifa)
    bsnprintf(buf, (int) len, "waiting for an address");
  else
    bsnprintf(buf, (int) len, "exp=%u run %u/%u", p->exp, p->run + 1, cf->repeat);
}

struct protocol proto_perf = {
  .name = "Perf",
  .template = "perf%d",
  .class = PROTOCOL_PERF,
  .channel_mask = NB_IP,
  .max_channels = 1,
  .proto_size = sizeof(struct perf_proto),
  .config_size = sizeof(struct perf_config),
  .postconfig = perf_postconfig,
  .init = perf_init,
  .start = perf_start,
  .shutdown = perf_shutdown,
  .reconfigure = perf_reconfigure,
  .get_status = perf_get_status,
};
