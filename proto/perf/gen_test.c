/*
 * proto/perf/gen_test.c: the perf protocol's random prefixes, next hops
 * and run statistics.
 */
#include <stdlib.h>

#include "proto/perf/gen.h"
#include "test/unit.h"

#define N (1u << 16)

static int key_cmp(const void *a, const void *b)
{
  u64 x = *(const u64 *) a, y = *(const u64 *) b;
  return x < y ? -1 : x > y;
}

static u64 key_of(const net_addr *n)
{
  return (u64) ip4_to_u32(net4_prefix(n)) << 8 | n->pxlen;
}

static void test_prefix_ok(void)
{
  static const struct { u32 a; int ok; } t[] = {
    { 0x00000000, 0 }, { 0x00ffff00, 0 }, { 0x01000000, 1 }, { 0x0a000000, 1 },
    { 0x7f000000, 0 }, { 0x7fffff00, 0 }, { 0x80000000, 1 }, { 0xa9fe0000, 0 },
    { 0xa9fd0000, 1 }, { 0xa9ff0000, 1 }, { 0xdfffff00, 1 }, { 0xe0000000, 0 },
    { 0xf0000000, 0 }, { 0xffffffff, 0 },
  };
  for (size_t i = 0; i < ARRAY_SIZE(t); i++)
    CHECK_INT(perf_prefix_ok(t[i].a), t[i].ok);
}

/* Lengths follow 2^-(25 - len) for /24 down to /6 (and /5 takes x = 0 too),
   host bits are zero, addresses are usable, and a batch has no repeats. */
static void test_batch(void)
{
  struct perf_rng r = { 42 };
  net_addr *nets = xmalloc(N * sizeof(*nets));
  perf_random_nets(&r, nets, N);
  uint by_len[33] = { 0 };
  int ok = 1;
  u64 *keys = xmalloc(N * sizeof(*keys));
  for (uint i = 0; i < N; i++) {
    const net_addr *n = &nets[i];
    u32 a = ip4_to_u32(net4_prefix(n));
    if (n->type != NET_IP4 || n->pxlen < 5 || n->pxlen > 24 || !perf_prefix_ok(a) ||
        (a & ~ip4_to_u32(ip4_mkmask(n->pxlen))))
      ok = 0;
    by_len[n->pxlen]++;
    keys[i] = key_of(n);
  }
  CHECK(ok);
  /* Expected share of /24: 1/2, /23: 1/4, /22: 1/8 (binomial sd ~ 0.002). */
  CHECK(by_len[24] > N * 0.48 && by_len[24] < N * 0.52);
  CHECK(by_len[23] > N * 0.23 && by_len[23] < N * 0.27);
  CHECK(by_len[22] > N * 0.11 && by_len[22] < N * 0.14);
  CHECK(by_len[20] + by_len[21] + by_len[22] + by_len[23] + by_len[24] > N * 0.95);
  qsort(keys, N, sizeof(*keys), key_cmp);
  uint dup = 0;
  for (uint i = 1; i < N; i++)
    dup += keys[i] == keys[i - 1];
  CHECK_INT(dup, 0);
  xfree(keys);
  xfree(nets);
}

/* The same seed gives the same batch; another seed another one. */
static void test_seed(void)
{
  struct perf_rng a = { 7 }, b = { 7 }, c = { 8 };
  net_addr x[64], y[64], z[64];
  perf_random_nets(&a, x, 64);
  perf_random_nets(&b, y, 64);
  perf_random_nets(&c, z, 64);
  int equal = 0, same = 0;
  for (int i = 0; i < 64; i++) {
    equal += key_of(&x[i]) == key_of(&y[i]);
    same += key_of(&x[i]) == key_of(&z[i]);
  }
  CHECK_INT(equal, 64);
  CHECK(same < 4);
}

static void test_gw(void)
{
  struct perf_rng r = { 1 };
  net_addr px;
  net_fill_ip4(&px, ip4_from_u32(0x0a010200), 24);   /* 10.1.2.0/24 */
  u32 seen = 0, all = 1;
  for (int i = 0; i < 256; i++) {
    ip_addr g = perf_random_gw(&r, &px);
    u32 a = ip4_to_u32(ipa_to_ip4(g));
    all &= ipa_is_ip4(g) && (a & 0xffffff00) == 0x0a010200;
    seen |= 1u << (a & 31);
  }
  CHECK(all);
  CHECK(seen == 0xffffffff);    /* host bits do vary */
  net_fill_ip4(&px, ip4_from_u32(0xc0000201), 32);   /* 192.0.2.1/32 */
  CHECK_INT(ip4_to_u32(ipa_to_ip4(perf_random_gw(&r, &px))), 0xc0000201);
}

static void test_median(void)
{
  u64 m2, lo;
  u64 a[] = { 5, 1, 3 };
  perf_median_min(a, 3, &m2, &lo);
  CHECK_INT(m2, 6);
  CHECK_INT(lo, 1);
  u64 b[] = { 40, 10, 30, 20 };
  perf_median_min(b, 4, &m2, &lo);
  CHECK_INT(m2, 50);            /* (20 + 30) */
  CHECK_INT(lo, 10);
  u64 c[] = { 7 };
  perf_median_min(c, 1, &m2, &lo);
  CHECK_INT(m2, 14);
  CHECK_INT(lo, 7);
  u64 d[] = { 3000000000ULL, 1, 3000000000ULL, 2, 3000000000ULL };
  perf_median_min(d, 5, &m2, &lo);
  CHECK_INT(m2, 6000000000LL);
  CHECK_INT(lo, 1);
}

int main(void)
{
  test_prefix_ok();
  test_batch();
  test_seed();
  test_gw();
  test_median();
  return unit_done("perf gen_test");
}
