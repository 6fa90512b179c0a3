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
 * or one node below it. Passes over the burst: direct entries, first node,
 * then the leaves found there, then whatever goes deeper, with a prefetch
 * of what the next pass reads at the end of each; within a pass the lanes
 * are independent, so the CPU overlaps their misses.
 */
void fib_lookup4_bulk(const struct fib_region *r, const uint32_t *addr, uint32_t *nh, unsigned n)
{
  const struct fib_trie_view *t = &r->t4;
  unsigned sh = 32 - t->dir_bits, off = t->dir_bits;
  for (unsigned base = 0; base < n; base += LANES) {
    unsigned m = n - base < LANES ? n - base : LANES;
    uint32_t cur[LANES];
    const uint32_t *a = addr + base;
    uint32_t *o = nh + base;
    for (unsigned i = 0; i < m; i++)
      __builtin_prefetch(&t->dir[a[i] >> sh]);
    for (unsigned i = 0; i < m; i++) {
      cur[i] = __atomic_load_n(&t->dir[a[i] >> sh], __ATOMIC_ACQUIRE);
      __builtin_prefetch(&t->nodes[cur[i] & ~FIB_DIR_LEAF]);
    }
    uint32_t deep = 0, leaf = 0;
    for (unsigned i = 0; i < m; i++) {
      uint32_t e = cur[i];
      if (e & FIB_DIR_LEAF) {
        o[i] = e & ~FIB_DIR_LEAF;
        continue;
      }
      const struct fib_node *nd = &t->nodes[e];
      unsigned v = (unsigned)(((uint64_t)a[i] << 32) >> (58 - off)) & 63;
      if ((nd->vector >> v) & 1) {
        cur[i] = nd->base1 + fib_popcnt_upto(nd->vector, v) - 1;
        __builtin_prefetch(&t->nodes[cur[i]]);
        deep |= 1u << i;
      } else {
        cur[i] = nd->base0 + fib_popcnt_upto(nd->leafvec, v) - 1;
        __builtin_prefetch(&t->leaves[cur[i]]);
        leaf |= 1u << i;
      }
    }
    for (; leaf; leaf &= leaf - 1) {
      unsigned i = (unsigned)__builtin_ctz(leaf);
      o[i] = t->leaves[cur[i]];
    }
    while (deep) {
      unsigned i = (unsigned)__builtin_ctz(deep);
      deep &= deep - 1;
      o[i] = fib_walk4(t, cur[i], (uint64_t)a[i] << 32, off + FIB_STRIDE);
    }
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
          next = nd->base1 + fib_popcnt_upto(nd->vector, v) - 1;
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
