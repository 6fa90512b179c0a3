/*
 * fib/fib.h: the shared-memory FIB. One writer (ternd's dplane protocol)
 * builds IPv4 and IPv6 Poptries (Asai & Ohara, SIGCOMM 2015) in a region
 * under /dev/shm; any number of readers (ternfwd lcores, another process)
 * look addresses up without locks.
 *
 * Readers see every route change atomically: the writer rebuilds the touched
 * subtree copy-on-write and publishes it with one release store (into a
 * direct entry, or the child-block index of the node above it). Replaced
 * memory is reused only after every registered reader has reported a
 * quiescent point past the change (fib_reader_quiescent). See doc/fib.md.
 *
 * Plain C (gnu11), libc only: nothing else in the tree is included.
 */
#ifndef TERN_FIB_FIB_H
#define TERN_FIB_FIB_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "fib/layout.h"

/* ---- region view (both sides) ------------------------------------------ */

struct fib_trie_view {
  const uint32_t *dir;
  const struct fib_node *nodes;
  const fib_leaf_t *leaves;
  unsigned dir_bits;
};

struct fib_region {
  struct fib_header *hdr;        /* read-write: reader slots live here */
  const uint8_t *base;           /* the whole region (read-only for readers) */
  size_t size;
  struct fib_trie_view t4, t6;
  const struct fib_nh *nh;
  const uint8_t *sa;
  int writer;                    /* owned by a fib_writer: do not detach */
};

/* Check a header image (at least sizeof(struct fib_header) bytes of size
 * `len`): 0 if it is a layout this build knows, else -1 and a message. */
int fib_region_check(const struct fib_header *h, size_t len, char *err, size_t errlen);

/* Map an existing region for reading. NULL with a message on error, e.g. an
 * unknown layout version. */
struct fib_region *fib_attach(const char *path, char *err, size_t errlen);
void fib_detach(struct fib_region *r);

/* True once a newer region has replaced this one at the same path: the
 * reader should attach the new one and detach this. */
int fib_superseded(const struct fib_region *r);

/* ---- reader quiescence -------------------------------------------------- */

/* Take a reader slot (one per lookup thread); -1 if all are taken. The slot
 * starts online. */
int fib_reader_register(struct fib_region *r);
void fib_reader_unregister(struct fib_region *r, int slot);

/* Between bursts: the reader holds nothing it looked up before this call. */
static inline void fib_reader_quiescent(struct fib_region *r, int slot)
{
  uint64_t g = __atomic_load_n(&r->hdr->generation, __ATOMIC_ACQUIRE);
  __atomic_store_n(&r->hdr->readers[slot].epoch, g, __ATOMIC_RELEASE);
}

/* An idle reader goes offline so that it does not hold reclamation back. */
static inline void fib_reader_offline(struct fib_region *r, int slot)
{
  __atomic_store_n(&r->hdr->readers[slot].epoch, 0, __ATOMIC_RELEASE);
}
static inline void fib_reader_online(struct fib_region *r, int slot)
{
  fib_reader_quiescent(r, slot);
  /* a full fence: the epoch must be visible before we read the trie */
  __atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* ---- lookups ------------------------------------------------------------ */

/* Popcount of the bits of v at positions 0..i, inclusive. */
static inline unsigned fib_popcnt_upto(uint64_t v, unsigned i)
{
  return (unsigned)__builtin_popcountll(v & ((2ULL << i) - 1));
}

/* A node's base1 is the one field the writer stores into a reachable node
 * (a release store publishing a copied child block, fib/build.c): read it
 * once, with acquire (a plain load on x86), like the direct entries. */
static inline uint32_t fib_base1(const struct fib_node *n)
{
  return __atomic_load_n(&n->base1, __ATOMIC_ACQUIRE);
}

/* Walk down from a node until a leaf: k is the key left-aligned in 64 bits
 * (IPv4) and off the bit offset of the next chunk. */
static inline uint32_t fib_walk4(const struct fib_trie_view *t, uint32_t idx, uint64_t k, unsigned off)
{
  const struct fib_node *n = &t->nodes[idx];
  for (;;) {
    unsigned v = (unsigned)(k >> (58 - off)) & 63;
    if (!((n->vector >> v) & 1))
      return t->leaves[n->base0 + fib_popcnt_upto(n->leafvec, v) - 1];
    n = &t->nodes[fib_base1(n) + fib_popcnt_upto(n->vector, v) - 1];
    off += FIB_STRIDE;
  }
}

/* IPv4 address in host byte order -> next-hop index (0: no route). */
static inline uint32_t fib_lookup4(const struct fib_region *r, uint32_t addr)
{
  const struct fib_trie_view *t = &r->t4;
  uint32_t e = __atomic_load_n(&t->dir[addr >> (32 - t->dir_bits)], __ATOMIC_ACQUIRE);
  if (e & FIB_DIR_LEAF)
    return e & ~FIB_DIR_LEAF;
  return fib_walk4(t, e, (uint64_t)addr << 32, t->dir_bits);
}

typedef unsigned __int128 fib_u128;

/* Network-order bytes -> a 128-bit key, as two big-endian 64-bit loads. */
static inline fib_u128 fib_load6(const uint8_t a[16])
{
  uint64_t hi, lo;
  __builtin_memcpy(&hi, a, 8);
  __builtin_memcpy(&lo, a + 8, 8);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  hi = __builtin_bswap64(hi);
  lo = __builtin_bswap64(lo);
#endif
  return ((fib_u128)hi << 64) | lo;
}

static inline unsigned fib_chunk6(fib_u128 k, unsigned off)
{
  return off <= 122 ? (unsigned)(k >> (122 - off)) & 63 : (unsigned)(k << (off - 122)) & 63;
}

static inline uint32_t fib_walk6(const struct fib_trie_view *t, uint32_t idx, fib_u128 k, unsigned off)
{
  const struct fib_node *n = &t->nodes[idx];
  for (;;) {
    unsigned v = fib_chunk6(k, off);
    if (!((n->vector >> v) & 1))
      return t->leaves[n->base0 + fib_popcnt_upto(n->leafvec, v) - 1];
    n = &t->nodes[fib_base1(n) + fib_popcnt_upto(n->vector, v) - 1];
    off += FIB_STRIDE;
  }
}

/* IPv6 address in network byte order -> next-hop index (0: no route). */
static inline uint32_t fib_lookup6(const struct fib_region *r, const uint8_t addr[16])
{
  const struct fib_trie_view *t = &r->t6;
  fib_u128 k = fib_load6(addr);
  uint32_t e = __atomic_load_n(&t->dir[(unsigned)(k >> (128 - t->dir_bits))], __ATOMIC_ACQUIRE);
  if (e & FIB_DIR_LEAF)
    return e & ~FIB_DIR_LEAF;
  return fib_walk6(t, e, k, t->dir_bits);
}

/* Bursts: software-pipelined with prefetches across the burst (any n). */
void fib_lookup4_bulk(const struct fib_region *r, const uint32_t *addr, uint32_t *nh, unsigned n);
void fib_lookup6_bulk(const struct fib_region *r, const uint8_t (*addr)[16], uint32_t *nh, unsigned n);

static inline const struct fib_nh *fib_nexthop(const struct fib_region *r, uint32_t idx)
{
  return &r->nh[idx];
}

/* ---- writer -------------------------------------------------------------- */

struct fib_config {
  const char *path;            /* default /dev/shm/tern-fib */
  uint32_t nh_cap;             /* <= FIB_NH_MAX */
  uint32_t sa_cap, sa_size;
  unsigned dir_bits4, dir_bits6;
  uint32_t nodes4, leaves4, nodes6, leaves6;
};

void fib_config_default(struct fib_config *c);

struct fib_writer;

/* Create a fresh region (mode 0600) and atomically rename it over path. A
 * reader of a previous region there keeps using it until fib_writer_announce
 * marks it superseded. NULL with a message on error. */
struct fib_writer *fib_writer_create(const struct fib_config *c, char *err, size_t errlen);
/* Tell readers of the region this one replaced to switch (after the initial
 * load, so they never see an empty table). */
void fib_writer_announce(struct fib_writer *w);
/* Unmap and free; the region file stays for the readers. */
void fib_writer_destroy(struct fib_writer *w);
struct fib_region *fib_writer_region(struct fib_writer *w);

/* Next hops are shared and reference-counted: acquire finds an identical
 * entry or adds one, returns its index (>= 1) or -errno; every route holds
 * a reference of its own. Index 0 is "no route". */
int fib_nh_acquire(struct fib_writer *w, const struct fib_nh *nh);
void fib_nh_release(struct fib_writer *w, uint32_t idx);
uint32_t fib_nh_refcount(const struct fib_writer *w, uint32_t idx);

/* Route changes, one at a time, each published atomically. Addresses as in
 * the lookups. 0 or -EEXIST (insert), -ENOENT (replace, delete), -EINVAL,
 * -ENOMEM (region full; the change is not applied). */
int fib_insert4(struct fib_writer *w, uint32_t addr, unsigned len, uint32_t nh);
int fib_replace4(struct fib_writer *w, uint32_t addr, unsigned len, uint32_t nh);
int fib_delete4(struct fib_writer *w, uint32_t addr, unsigned len);
int fib_insert6(struct fib_writer *w, const uint8_t addr[16], unsigned len, uint32_t nh);
int fib_replace6(struct fib_writer *w, const uint8_t addr[16], unsigned len, uint32_t nh);
int fib_delete6(struct fib_writer *w, const uint8_t addr[16], unsigned len);

/* Bulk load: add or replace every route, then rebuild the trie once. */
struct fib_route4 { uint32_t addr; uint8_t len; uint32_t nh; };
struct fib_route6 { uint8_t addr[16]; uint8_t len; uint32_t nh; };
int fib_bulk4(struct fib_writer *w, const struct fib_route4 *rt, size_t n);
int fib_bulk6(struct fib_writer *w, const struct fib_route6 *rt, size_t n);

/* Free what every live reader has finished with; returns the number of
 * blocks still waiting. Called by every update too. */
size_t fib_writer_reclaim(struct fib_writer *w);

/* Readers found dead (kill(pid, 0) == ESRCH) while they held reclamation
 * back: their slots were freed. Returns how many were reported since the
 * last call, and up to max of their pids. */
int fib_writer_dead_readers(struct fib_writer *w, pid_t *pids, int max);

struct fib_stats {
  uint64_t routes4, routes6, nexthops;
  uint64_t bytes4, bytes6;       /* direct array + used nodes + used leaves */
  uint64_t nodes4, leaves4, nodes6, leaves6;
  uint64_t limbo;                /* blocks waiting for readers */
  uint64_t generation;
};
void fib_writer_stats(const struct fib_writer *w, struct fib_stats *s);

#endif
