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

/* The writer's shadow: a plain binary trie of the routes, index 0 = null. */
struct bnode { uint32_t c[2]; uint32_t nh; };
struct shadow {
  struct bnode *n;
  uint32_t cap, used, free_head;
};
#define SHADOW_ROOT 1
int shadow_init(struct shadow *s);
void shadow_fini(struct shadow *s);
static inline unsigned key_bit(fib_u128 k, unsigned i) { return (unsigned)(k >> (127 - i)) & 1; }
uint32_t shadow_get(const struct shadow *s, fib_u128 k, unsigned len);
int shadow_set(struct shadow *s, fib_u128 k, unsigned len, uint32_t nh);
uint32_t shadow_del(struct shadow *s, fib_u128 k, unsigned len);
/* Descend from bn at depth `from` to depth `to` along k; *best tracks the
 * longest route seen (including bn's own and the final node's). */
uint32_t shadow_advance(const struct shadow *s, uint32_t bn, fib_u128 k,
                        unsigned from, unsigned to, uint32_t *best);
static inline int shadow_has_children(const struct shadow *s, uint32_t bn)
{
  return bn && (s->n[bn].c[0] | s->n[bn].c[1]);
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
  uint32_t *dirdef;                 /* default each internal dir entry was built with */
  struct dent *top;                 /* scratch: 1 << s entries */
  struct dchange *chg;              /* scratch: pending dir stores */
};

/* What a chunk value resolves to while a node is being built. */
struct dent { uint32_t bn, nh; uint32_t internal; };
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
void wr_publish_done(struct fib_writer *w);

/* nexthop.c */
int nht_init(struct nhtab *t, uint32_t cap);
void nht_fini(struct nhtab *t);
void nh_ref(struct fib_writer *w, uint32_t idx);
void nh_unref(struct fib_writer *w, uint32_t idx);
void nh_reuse(struct fib_writer *w, uint32_t idx);

#endif
