/*
 * proto/perf/perf.h: the perf protocol (BIRD 2's benchmarking protocol).
 */
#ifndef TERN_PROTO_PERF_H
#define TERN_PROTO_PERF_H

#include <time.h>

#include "nest/protocol.h"
#include "nest/iface.h"
#include "conf/conf.h"
#include "sysdep/unix/io.h"
#include "proto/perf/gen.h"

enum perf_mode { PERF_MODE_IMPORT = 0, PERF_MODE_EXPORT };

/* Largest exponent we accept: 2^24 routes already take gigabytes. */
#define PERF_EXP_MAX 24

struct perf_config {
  struct proto_config c;
  btime threshold_min, threshold_max;   /* microseconds */
  uint from, to;                        /* exponents: 2^from .. 2^to routes */
  uint repeat;                          /* runs per exponent / feeds */
  uint attrs_per_rte;                   /* 0: an attribute set per route */
  u8 keep;                              /* do not withdraw */
  u8 mode;                              /* enum perf_mode */
  cf_loc exp_loc;                       /* where `exp from/to` was written */
};

/* One measured run: nanoseconds for the whole batch of 2^exp routes. */
struct perf_sample {
  u64 gen, update, withdraw;
};

/* Runs at one exponent (import mode). */
struct perf_exp_stats {
  uint runs;
  struct perf_sample *s;                /* repeat entries */
};

/* One feed (export mode). */
struct perf_feed {
  u64 routes, ns;
};

/* Everything generated for one run; arrays of 2^exp entries. */
struct perf_batch {
  uint n;
  net_addr *nets;
  rte *rtes;
  rta *attrs;                           /* 1 + n / attrs_per_rte temporaries */
  rta **cached;                         /* interned refs when attrs_per_rte */
  uint n_attrs, n_cached;
};

struct perf_proto {
  struct proto p;
  struct ifa *ifa;                      /* import mode: where next hops live */
  event loop;                           /* one (exp, run) step per event */
  event refeed;                         /* export mode: next feed */
  struct perf_rng rng;
  uint exp, run;
  u8 stop;                              /* every run so far >= threshold max */
  u8 done;
  u8 announce;                          /* log `starting` on the next step */
  struct perf_batch batch;
  struct perf_exp_stats *stats;         /* indexed by exp - from */
  /* export mode */
  struct timespec feed_begin;
  u64 notified;                         /* rt_notify calls since feed_begin */
  uint feeds;
  u8 feeding;                           /* a feed we started is running */
  struct perf_feed *feed;               /* repeat entries */
};

static inline struct perf_config *perf_cf(struct perf_proto *p)
{
  return (struct perf_config *) p->p.cf;
}

extern struct protocol proto_perf;

struct cli;
void perf_show(struct cli *c, const char *name);

#endif
