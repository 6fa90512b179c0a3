/*
 * fib/lookup.c: burst lookups. A burst is walked level by level across all
 * its addresses, prefetching the next node or leaf of each one before
 * touching any of them, so the cache misses of a burst overlap instead of
 * adding up (the per-address walk is in fib.h).
 */
#include "fib/fib.h"

#define LANES 32
#define PEND  0x80000000u   /* lane state: cur is a leaf index to read */

/*
 * IPv4: with an 18-bit direct array most addresses end at the direct entry
 * (about three in four random ones) or one node below it. Pass 1 reads
 * every direct entry, stores it as the answer, and appends the lanes that
 * point to a node to a list without branching (prefetching that node);
 * pass 2 reads those nodes and prefetches the leaf each one selects;
 * pass 3 reads the leaves. The loads of a pass are independent, so the
 * CPU overlaps their misses; the rare lanes that go deeper walk on after.
 */
static inline __attribute__((always_inline)) void
burst4(const struct fib_trie_view *t, const uint32_t *a, uint32_t *o, unsigned m, unsigned off)
{
  const uint32_t *dir = t->dir;
  const struct fib_node *nodes = t->nodes;
  const fib_leaf_t *leaves = t->leaves;
  unsigned sh = 32 - off, nn = 0;
  uint32_t cur[LANES];
  uint8_t lane[LANES];
  for (unsigned i = 0; i < m; i++)
    __builtin_prefetch(&dir[a[i] >> sh]);
  for (unsigned i = 0; i < m; i++) {
    uint32_t e = __atomic_load_n(&dir[a[i] >> sh], __ATOMIC_ACQUIRE);
    o[i] = e & ~FIB_DIR_LEAF;
    __builtin_prefetch(&nodes[e & ~FIB_DIR_LEAF]);
    cur[nn] = e;
    lane[nn] = (uint8_t)i;
    nn += !(e & FIB_DIR_LEAF);
  }
  uint32_t deep = 0;
  for (unsigned j = 0; j < nn; j++) {
    const struct fib_node *nd = &nodes[cur[j]];
    unsigned v = (unsigned)(a[lane[j]] >> (26 - off)) & 63;
    if ((nd->vector >> v) & 1) {
      cur[j] = fib_base1(nd) + fib_popcnt_upto(nd->vector, v) - 1;
      deep |= 1u << j;
    } else {
      cur[j] = nd->base0 + fib_popcnt_upto(nd->leafvec, v) - 1;
      __builtin_prefetch(&leaves[cur[j]]);
    }
  }
  for (unsigned j = 0; j < nn; j++)
    if (!((deep >> j) & 1))
      o[lane[j]] = leaves[cur[j]];
  for (; deep; deep &= deep - 1) {
    unsigned j = (unsigned)__builtin_ctz(deep), i = lane[j];
    o[i] = fib_walk4(t, cur[j], (uint64_t)a[i] << 32, off + FIB_STRIDE);
  }
}

/* The default width gets its own copy with constant shifts. */
void fib_lookup4_bulk(const struct fib_region *r, const uint32_t *addr, uint32_t *nh, unsigned n)
{
  const struct fib_trie_view *t = &r->t4;
  for (unsigned base = 0; base < n; base += LANES) {
    unsigned m = n - base < LANES ? n - base : LANES;
    if (t->dir_bits == 18)
      burst4(t, addr + base, nh + base, m, 18);
    else
      burst4(t, addr + base, nh + base, m, t->dir_bits);
  }
}

void fib_lookup6_bulk(const struct fib_region *r, const uint8_t (*addr)[16], uint32_t *nh, unsigned n)
{
  const struct fib_trie_view *t = &r->t6;
  unsigned sh = 128 - t->dir_bits;
  for (unsigned base = 0; base < n; base += LANES) {
    unsigned m = n - base < LANES ? n - base : LANES, na = 0;
    uint32_t cur[LANES];
    uint8_t lane[LANES], off[LANES];
    fib_u128 k[LANES];
    for (unsigned i = 0; i < m; i++) {
      k[i] = fib_load6(addr[base + i]);
      __builtin_prefetch(&t->dir[(unsigned)(k[i] >> sh)]);
    }
    for (unsigned i = 0; i < m; i++) {
      uint32_t e = __atomic_load_n(&t->dir[(unsigned)(k[i] >> sh)], __ATOMIC_ACQUIRE);
      if (e & FIB_DIR_LEAF) {
        nh[base + i] = e & ~FIB_DIR_LEAF;
        continue;
      }
      __builtin_prefetch(&t->nodes[e]);
      cur[na] = e;
      off[na] = (uint8_t)t->dir_bits;
      lane[na++] = (uint8_t)i;
    }
    while (na) {
      unsigned kk = 0;
      for (unsigned j = 0; j < na; j++) {
        unsigned i = lane[j];
        if (cur[j] & PEND) {
          nh[base + i] = t->leaves[cur[j] & ~PEND];
          continue;
        }
        const struct fib_node *nd = &t->nodes[cur[j]];
        unsigned v = fib_chunk6(k[i], off[j]);
        uint32_t next;
        if ((nd->vector >> v) & 1) {
          next = fib_base1(nd) + fib_popcnt_upto(nd->vector, v) - 1;
          __builtin_prefetch(&t->nodes[next]);
        } else {
          next = nd->base0 + fib_popcnt_upto(nd->leafvec, v) - 1;
          __builtin_prefetch(&t->leaves[next]);
          next |= PEND;
        }
        cur[kk] = next;
        off[kk] = (uint8_t)(off[j] + FIB_STRIDE);
        lane[kk++] = (uint8_t)i;
      }
      na = kk;
    }
  }
}
