/*
 * fib/testdata.h: helpers shared by the FIB tests and tools/bench/fib-bench:
 * loading the 2024 DFZ table, assigning gateways, and a deliberately naive
 * reference (a pointer binary trie, written independently of fib/shadow.c).
 */
#ifndef TERN_FIB_TESTDATA_H
#define TERN_FIB_TESTDATA_H

#include <stddef.h>
#include <stdint.h>
#include "fib/fib.h"

struct td_pfx { fib_u128 key; uint8_t len; uint8_t fam; }; /* key left-aligned */

/* Load "addr/len" lines from a gzip file; -1 with a message if unreadable. */
int td_load(const char *path, struct td_pfx **v4, size_t *n4, struct td_pfx **v6, size_t *n6);
const char *td_dfz_path(void);
/* One "addr/len" (IPv4 or IPv6); 0 or -1. */
int td_parse_line(const char *line, struct td_pfx *p);   /* SHARED_DATA_DIR/dfz-2024-prefixes.txt.gz */

/* Gateway for a prefix: a hash into ngw gateways (1..ngw). */
uint32_t td_gateway(const struct td_pfx *p, uint32_t ngw);

/* Next hops for n gateways (index i -> acquired fib index, gw[0] unused). */
int td_make_gateways(struct fib_writer *w, uint32_t n, uint32_t *gw);

/* xorshift64* */
static inline uint64_t td_rand(uint64_t *s)
{
  *s ^= *s >> 12; *s ^= *s << 25; *s ^= *s >> 27;
  return *s * 2685821657736338717ULL;
}

/* Reference: binary trie over left-aligned keys. */
struct td_ref;
struct td_ref *td_ref_new(void);
void td_ref_free(struct td_ref *r);
void td_ref_set(struct td_ref *r, fib_u128 k, unsigned len, uint32_t nh); /* nh 0 deletes */
uint32_t td_ref_lookup(const struct td_ref *r, fib_u128 k);

static inline uint32_t td_v4(fib_u128 k) { return (uint32_t)(k >> 96); }
static inline void td_v6(fib_u128 k, uint8_t a[16])
{
  for (int i = 15; i >= 0; i--, k >>= 8)
    a[i] = (uint8_t)k;
}
/* First and last address of a prefix. */
static inline fib_u128 td_first(fib_u128 k, unsigned len)
{
  return len ? k & ~(((fib_u128)1 << (128 - len)) - 1) : 0;
}
static inline fib_u128 td_last(fib_u128 k, unsigned len, unsigned keybits)
{
  fib_u128 host = len ? (((fib_u128)1 << (128 - len)) - 1) : ~(fib_u128)0;
  fib_u128 pad = keybits == 128 ? 0 : (((fib_u128)1 << (128 - keybits)) - 1);
  return (td_first(k, len) | host) & ~pad;
}

#endif
