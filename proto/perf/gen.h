/*
 * proto/perf/gen.h: what the perf protocol generates, with no routing
 * knowledge (lib only), so that it is unit-tested on its own: a PRNG,
 * random prefixes with BIRD's length distribution, distinct batches of
 * them, next hops inside a prefix, and the median/minimum of run times.
 */
#ifndef TERN_PROTO_PERF_GEN_H
#define TERN_PROTO_PERF_GEN_H

#include "lib/tern.h"
#include "lib/ip.h"
#include "lib/net.h"

/* splitmix64: fast, and good enough to scatter prefixes. */
struct perf_rng {
  u64 s;
};

static inline u64 perf_rng_next(struct perf_rng *r)
{
  u64 z = (r->s += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/* Could the prefix address a host route: not 0/8, 127/8, 169.254/16 or 224/3. */
int perf_prefix_ok(u32 a);
/* One IPv4 prefix: /24 with probability 1/2, /23 with 1/4, ... /5. */
void perf_random_net(struct perf_rng *r, net_addr *n);
/* n distinct prefixes of that distribution. */
void perf_random_nets(struct perf_rng *r, net_addr *nets, uint n);
/* A random address inside the IPv4 prefix px (host bits random). */
ip_addr perf_random_gw(struct perf_rng *r, const net_addr *px);
/* Sorts v[0..n-1] (n >= 1); twice the median (exact for even n) and the minimum. */
void perf_median_min(u64 *v, uint n, u64 *median2, u64 *min);

#endif
