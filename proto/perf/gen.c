/*
 * proto/perf/gen.c: random prefixes and next hops for the perf protocol,
 * and the statistics `show perf` prints. See gen.h.
 */
#include <stdlib.h>
#include <string.h>

#include "proto/perf/gen.h"

int perf_prefix_ok(u32 a)
{
  uint o = a >> 24;
  return o != 0 && o != 127 && o < 224 && (a >> 16) != 0xa9fe;
}

static uint log2_floor(u32 x)
{
  return x ? 31 - (uint) __builtin_clz(x) : 0;
}

/* BIRD's distribution: 20 random bits x, length floor(log2(x)) + 5. */
void perf_random_net(struct perf_rng *r, net_addr *n)
{
  for (;;) {
    u64 x = perf_rng_next(r);
    uint len = log2_floor((u32) (x & 0xfffff)) + 5;
    u32 a = (u32) (x >> 32) & ip4_to_u32(ip4_mkmask(len));
    if (perf_prefix_ok(a)) {
      net_fill_ip4(n, ip4_from_u32(a), len);
      return;
    }
  }
}

/* Distinctness through an open-addressing set of (prefix, length) keys
   with at least twice as many slots as prefixes. */
static int perf_set_add(u64 *slot, u64 mask, const net_addr *n)
{
  u64 key = ((u64) ip4_to_u32(net4_prefix(n)) << 8 | n->pxlen) + 1;   /* 0 = empty */
  for (u64 i = (key * 0x9e3779b97f4a7c15ULL) >> 24;; i++) {
    u64 *e = &slot[i & mask];
    if (!*e) {
      *e = key;
      return 1;
    }
    if (*e == key)
      return 0;
  }
}

void perf_random_nets(struct perf_rng *r, net_addr *nets, uint n)
{
  u64 size = 2;
  while (size < 2ULL * n)
    size <<= 1;
  u64 *slot = xmalloc(size * sizeof(u64));
  memset(slot, 0, size * sizeof(u64));
  for (uint i = 0; i < n; i++)
    do
      perf_random_net(r, &nets[i]);
    while (!perf_set_add(slot, size - 1, &nets[i]));
  xfree(slot);
}

ip_addr perf_random_gw(struct perf_rng *r, const net_addr *px)
{
  u32 mask = ip4_to_u32(ip4_mkmask(px->pxlen));
  u32 a = (ip4_to_u32(net4_prefix(px)) & mask) | ((u32) perf_rng_next(r) & ~mask);
  return ipa_from_ip4(ip4_from_u32(a));
}

static int u64_cmp(const void *a, const void *b)
{
  u64 x = *(const u64 *) a, y = *(const u64 *) b;
  return x < y ? -1 : x > y;
}

void perf_median_min(u64 *v, uint n, u64 *median2, u64 *min)
{
  qsort(v, n, sizeof(*v), u64_cmp);
  *median2 = v[(n - 1) / 2] + v[n / 2];
  *min = v[0];
}
