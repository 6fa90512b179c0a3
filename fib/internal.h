/*
 * fib/internal.h: writer-side state, private to libfib. Nothing here lives
 * in the shared region except through the pointers in struct ptrie.
 */
#ifndef TERN_FIB_INTERNAL_H
#define TERN_FIB_INTERNAL_H

#include "fib/fib.h"

/* A u32 stack that grows. */
struct u32vec { uint32_t *v; size_t n, cap; };
int u32vec_push(struct u32vec *s, uint32_t x);

/*
 * Buddy allocator over one array of the region (nodes or leaves), in units
 * of one element. Blocks are 1..64 units (orders 0..6). Its bookkeeping is
 * private: free lists are stacks checked lazily against state[] (the order
 * of the free block starting at a unit, or BUDDY_NONE).
 */
#define BUDDY_ORDERS 7
#define BUDDY_NONE   0xff
struct buddy {
  uint32_t cap, bump;
  uint8_t *state;
  struct u32vec fl[BUDDY_ORDERS];
  uint64_t used;              /* units handed out */
};
int buddy_init(struct buddy *b, uint32_t cap);
void buddy_fini(struct buddy *b);
int64_t buddy_alloc(struct buddy *b, unsigned order);
void buddy_free(struct buddy *b, uint32_t idx, unsigned order);
static inline unsigned buddy_order(unsigned n)
{
  return n <= 1 ? 0 : 32 - (unsigned)__builtin_clz(n - 1);
}

/* The writer's shadow (fib/shadow.c): short routes in a heap over the top
 * s bits, longer ones in stride nodes mirroring the Poptrie's. */
/* A popcount-indexed array, kept inline while it fits in 8 bytes (up to
 * 2 children, 4 routes): sparse nodes, most of the deep IPv6 ones, cost
 * one cache miss per level instead of two or three. */
union sarr { void *p; uint8_t in[8]; };
#define SARR_INLINE(count, esz) ((count) * (esz) <= 8)

/* One cache line each (the array is 64-byte aligned). */
struct snode {
  uint64_t cmap;                /* chunk values with a child node */
  uint64_t pmap[2];             /* heap positions 2..127 holding a route */
  union sarr kids;              /* uint32_t: popcount(cmap)-indexed child nodes */
  union sarr vals;              /* uint16_t: next hops of the routes, in position order */
  uint32_t def;                 /* default its Poptrie node was built with */
  uint32_t kbase;               /* its Poptrie node's base1 (valid while def is known) */
  uint32_t next_free;
} __attribute__((aligned(64)));

static inline unsigned snode_nkids(const struct snode *n)
{
  return (unsigned)__builtin_popcountll(n->cmap);
}
static inline unsigned snode_nroutes(const struct snode *n)
{
  return (unsigned)(__builtin_popcountll(n->pmap[0]) + __builtin_popcountll(n->pmap[1]));
}
static inline const uint32_t *snode_kids(const struct snode *n)
{
  return SARR_INLINE(snode_nkids(n), 4) ? (const uint32_t *)n->kids.in : n->kids.p;
}
static inline uint16_t *snode_vals(const struct snode *n)
{
  return SARR_INLINE(snode_nroutes(n), 2) ? (uint16_t *)n->vals.in : n->vals.p;
}
struct shadow {
  unsigned keybits, s;
  uint16_t *shortr;             /* [(1 << len) + prefix], len <= s */
  uint32_t *top;                /* [1 << s]: node of routes longer than s */
  struct snode *n;              /* index 0 = null */
  uint32_t cap, used, free_head;
};
int shadow_init(struct shadow *s, unsigned keybits, unsigned dir_bits);
void shadow_fini(struct shadow *s);
uint32_t shadow_get(const struct shadow *s, fib_u128 k, unsigned len);
int64_t shadow_set(struct shadow *s, fib_u128 k, unsigned len, uint32_t nh);
uint32_t shadow_del(struct shadow *s, fib_u128 k, unsigned len);
uint32_t snode_kid(const struct snode *n, unsigned v);
/* Longest short route of dir entry d among lengths (from, s], else above. */
uint32_t shadow_inherit(const struct shadow *s, uint32_t d, unsigned from, uint32_t above);
/* Longest short route covering k of length <= len (<= s). */
uint32_t shadow_best_short(const struct shadow *s, fib_u128 k, unsigned len);

/* Is heap position pos (2..127) of a node a route; its index in vals. */
static inline int snode_has(const struct snode *n, unsigned pos)
{
  return (n->pmap[pos >> 6] >> (pos & 63)) & 1;
}
static inline unsigned snode_rank(const struct snode *n, unsigned pos)
{
  return pos < 64 ? (unsigned)__builtin_popcountll(n->pmap[0] & ((1ULL << pos) - 1))
                  : (unsigned)__builtin_popcountll(n->pmap[0]) +
                    (unsigned)__builtin_popcountll(n->pmap[1] & ((1ULL << (pos - 64)) - 1));
}

/* The longest route of node n covering chunk value v, else def. Relative
 * lengths 1..5 sit at heap positions 2..63 in pmap[0], longer ones above
 * shorter ones, so the highest covering bit there is the longest. */
static inline uint32_t snode_match(const struct snode *n, unsigned v, uint32_t def)
{
  if ((n->pmap[1] >> v) & 1)
    return snode_vals(n)[snode_rank(n, 64 + v)];
  if (!n->pmap[0])
    return def;
  uint64_t cover = 1ULL << (2 + (v >> 5)) | 1ULL << (4 + (v >> 4)) | 1ULL << (8 + (v >> 3)) |
                   1ULL << (16 + (v >> 2)) | 1ULL << (32 + (v >> 1));
  uint64_t hit = n->pmap[0] & cover;
  if (!hit)
    return def;
  unsigned pos = 63 - (unsigned)__builtin_clzll(hit);
  return snode_vals(n)[__builtin_popcountll(n->pmap[0] & ((1ULL << pos) - 1))];
}

/* Chunk values where the longest match inside n can differ from the value
 * before: 0, and where each route's range starts and ends (routes of
 * relative length 6 cover one value each: all of them at once). */
static inline uint64_t snode_edges(const struct snode *n)
{
  uint64_t e = 1 | n->pmap[1] | (n->pmap[1] << 1);
  for (uint64_t m = n->pmap[0]; m; m &= m - 1) {
    unsigned pos = (unsigned)__builtin_ctzll(m);
    unsigned r = 31 - (unsigned)__builtin_clz(pos), sh = FIB_STRIDE - r;
    unsigned from = (pos - (1u << r)) << sh, end = from + (1u << sh);
    e |= (1ULL << from) | (end < 64 ? 1ULL << end : 0);
  }
  return e;
}

/* One family's Poptrie, writer side. */
struct ptrie {
  int fam;                          /* 0 IPv4, 1 IPv6 */
  unsigned keybits, s;
  struct fib_trie_hdr *th;
  uint32_t *dir;
  struct fib_node *nodes;
  fib_leaf_t *leaves;
  struct buddy nb, lb;
  struct shadow sh;
  struct dchange *chg;              /* scratch: pending dir stores */
};

struct dchange { uint32_t d, val, def, old; };

/* Something to free once readers are past generation gen. */
enum { POOL_NODE = 0, POOL_LEAF = 1, POOL_NH = 2 };
struct limbo { uint64_t gen; uint32_t idx; uint8_t fam, pool, order; };
struct limbovec { struct limbo *v; size_t head, n, cap; };

struct nhtab {
  uint32_t cap;
  uint32_t *ref;                    /* references per index */
  uint32_t *hash; uint32_t hmask;   /* open addressing, 0 = empty */
  struct u32vec free;               /* indices ready for reuse */
  uint32_t next;                    /* never used so far: next..cap-1 */
  uint64_t live;
};

struct fib_writer {
  struct fib_region reg;
  int fd;
  char *path;
  void *old_hdr; size_t old_len;    /* region we replaced, for announce */
  struct ptrie t[2];
  struct fib_nh *nh;                /* writable view of the table */
  struct nhtab nht;
  struct limbovec limbo;
  struct limbovec journal;          /* blocks allocated by the pending change */
  struct limbovec retiring;         /* blocks the pending change replaces */
  struct u32vec newdef;             /* (node, default, base1) it built */
  unsigned since_reclaim;
  pid_t dead[16]; int ndead, dead_total;
};

/* build.c */
int ptrie_init(struct ptrie *t, struct fib_header *h, uint8_t *base, int fam);
void ptrie_fini(struct ptrie *t);
int ptrie_update(struct fib_writer *w, struct ptrie *t, fib_u128 k, unsigned len);
int ptrie_rebuild(struct fib_writer *w, struct ptrie *t);

/* writer.c */
int64_t wr_alloc(struct fib_writer *w, struct ptrie *t, int pool, unsigned n);
void wr_retire(struct fib_writer *w, int fam, int pool, uint32_t idx, unsigned order);
void wr_publish_done(struct fib_writer *w, struct ptrie *t);
/* Retire after publication (dropped if the change fails). */
void wr_retire_later(struct fib_writer *w, int fam, int pool, uint32_t idx, unsigned order);
void wr_note_def(struct fib_writer *w, struct ptrie *t, uint32_t node, uint32_t def, uint32_t kbase);

/* nexthop.c */
int nht_init(struct nhtab *t, uint32_t cap);
void nht_fini(struct nhtab *t);
void nh_ref(struct fib_writer *w, uint32_t idx);
void nh_unref(struct fib_writer *w, uint32_t idx);
void nh_reuse(struct fib_writer *w, uint32_t idx);

int fib_fail(char *err, size_t errlen, const char *fmt, ...)
  __attribute__((format(printf, 3, 4)));

#endif
