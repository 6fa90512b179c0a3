/*
 * fib/shadow.c: the writer's copy of the routes, shaped like the Poptrie
 * it feeds (never shared).
 *
 * Routes no longer than s (the direct-pointing width) live in `shortr`, a
 * heap over the top s bits: prefix P/L is shortr[(1 << L) + P]. Longer
 * routes live in stride nodes that mirror Poptrie nodes one to one: the
 * node for dir entry d (offset s) holds routes of length s+1..s+6 below
 * d, its child for chunk value v (offset s+6) those of length s+7..s+12,
 * and so on. Inside a node a route of relative length r (1..6) and
 * relative prefix p sits at heap position (1 << r) + p; positions and
 * children are bitmaps with popcount-indexed arrays, so a node is a few
 * cache lines however many routes it has. An update touches one node per
 * 6 bits instead of one binary-trie node per bit, and the longest match of
 * a chunk value inside a node is at most six bit tests (snode_match).
 *
 * Each node also remembers the default (longest match above it) its
 * Poptrie node was built with, so a rebuild can keep subtrees whose
 * default did not change (fib/build.c). Nodes exist only while they hold
 * routes or children: deletion prunes.
 */
#include <stdlib.h>
#include <string.h>
#include "fib/internal.h"

int shadow_init(struct shadow *s, unsigned keybits, unsigned dir_bits)
{
  memset(s, 0, sizeof *s);
  s->keybits = keybits;
  s->s = dir_bits;
  s->cap = 1024;
  s->n = aligned_alloc(64, s->cap * sizeof *s->n);
  s->shortr = calloc((size_t)2 << dir_bits, sizeof *s->shortr);
  s->top = calloc((size_t)1 << dir_bits, sizeof *s->top);
  if (!s->n || !s->shortr || !s->top)
    return -1;
  memset(&s->n[0], 0, sizeof s->n[0]);
  s->used = 1; /* 0 = null */
  return 0;
}

void shadow_fini(struct shadow *s)
{
  for (uint32_t i = 1; s->n && i < s->used; i++) {
    if (!SARR_INLINE(snode_nkids(&s->n[i]), 4))
      free(s->n[i].kids.p);
    if (!SARR_INLINE(snode_nroutes(&s->n[i]), 2))
      free(s->n[i].vals.p);
  }
  free(s->n);
  free(s->shortr);
  free(s->top);
  memset(s, 0, sizeof *s);
}

static uint32_t node_new(struct shadow *s)
{
  uint32_t i;
  if (s->free_head) {
    i = s->free_head;
    s->free_head = s->n[i].next_free;
  } else {
    if (s->used == s->cap) {
      /* no aligned realloc: copy */
      struct snode *nn = aligned_alloc(64, (size_t)s->cap * 2 * sizeof *nn);
      if (!nn)
        return 0;
      memcpy(nn, s->n, (size_t)s->used * sizeof *nn);
      free(s->n);
      s->n = nn;
      s->cap *= 2;
    }
    i = s->used++;
  }
  memset(&s->n[i], 0, sizeof s->n[i]);
  s->n[i].def = UINT32_MAX;   /* not built yet: never matches */
  return i;
}

static void node_free(struct shadow *s, uint32_t i)
{
  /* pruned: no routes, no children, so both arrays are inline */
  memset(&s->n[i], 0, sizeof s->n[i]);
  s->n[i].next_free = s->free_head;
  s->free_head = i;
}

static inline unsigned pcnt_below(uint64_t m, unsigned i)
{
  return (unsigned)__builtin_popcountll(m & ((1ULL << i) - 1));
}


uint32_t snode_kid(const struct snode *n, unsigned v)
{
  return ((n->cmap >> v) & 1) ? snode_kids(n)[pcnt_below(n->cmap, v)] : 0;
}

/* Insert x at rank r into an array of count elements, moving it out of
 * line when it outgrows 8 bytes. */
static int arr_insert(union sarr *a, size_t esz, unsigned count, unsigned r, const void *x)
{
  uint8_t *src = SARR_INLINE(count, esz) ? a->in : a->p, *dst;
  if (SARR_INLINE(count + 1, esz)) {
    dst = a->in;
  } else if (SARR_INLINE(count, esz)) {
    if (!(dst = malloc((count + 1) * esz)))
      return -1;
    memcpy(dst, src, r * esz);
  } else {
    if (!(dst = realloc(src, (count + 1) * esz)))
      return -1;
    src = dst;
  }
  memmove(dst + (r + 1) * esz, src + r * esz, (count - r) * esz);
  memcpy(dst + r * esz, x, esz);
  if (!SARR_INLINE(count + 1, esz))
    a->p = dst;
  return 0;
}

/* Remove rank r, moving the array back inline once it fits. */
static void arr_remove(union sarr *a, size_t esz, unsigned count, unsigned r)
{
  if (SARR_INLINE(count, esz)) {
    memmove(a->in + r * esz, a->in + (r + 1) * esz, (count - r - 1) * esz);
    return;
  }
  uint8_t *p = a->p;
  memmove(p + r * esz, p + (r + 1) * esz, (count - r - 1) * esz);
  if (SARR_INLINE(count - 1, esz)) {
    memcpy(a->in, p, (count - 1) * esz);
    free(p);
  }
}

static int kid_add(struct snode *n, unsigned v, uint32_t kid)
{
  unsigned c = (unsigned)__builtin_popcountll(n->cmap);
  if (arr_insert(&n->kids, sizeof kid, c, pcnt_below(n->cmap, v), &kid) < 0)
    return -1;
  n->cmap |= 1ULL << v;
  return 0;
}

static void kid_remove(struct snode *n, unsigned v)
{
  unsigned c = (unsigned)__builtin_popcountll(n->cmap);
  arr_remove(&n->kids, sizeof(uint32_t), c, pcnt_below(n->cmap, v));
  n->cmap &= ~(1ULL << v);
}

static inline unsigned node_routes(const struct snode *n)
{
  return (unsigned)(__builtin_popcountll(n->pmap[0]) + __builtin_popcountll(n->pmap[1]));
}

/* Top-level index and heap slot of a short route. */
static inline size_t short_slot(const struct shadow *s, fib_u128 k, unsigned len)
{
  return ((size_t)1 << len) + (len ? (size_t)(k >> (128 - len)) : 0);
}

static inline uint32_t dir_of(const struct shadow *s, fib_u128 k)
{
  return (uint32_t)(k >> (128 - s->s));
}

/* Where a long route lives: heap position in the node at offset *off. */
static inline unsigned route_pos(fib_u128 k, unsigned len, unsigned off)
{
  unsigned r = len - off;
  return (1u << r) + (fib_chunk6(k, off) >> (FIB_STRIDE - r));
}

uint32_t shadow_get(const struct shadow *s, fib_u128 k, unsigned len)
{
  if (len <= s->s)
    return s->shortr[short_slot(s, k, len)];
  uint32_t i = s->top[dir_of(s, k)];
  unsigned off = s->s;
  while (i && len > off + FIB_STRIDE) {
    i = snode_kid(&s->n[i], fib_chunk6(k, off));
    off += FIB_STRIDE;
  }
  if (!i)
    return 0;
  const struct snode *n = &s->n[i];
  unsigned pos = route_pos(k, len, off);
  return snode_has(n, pos) ? snode_vals(n)[snode_rank(n, pos)] : 0;
}

/* Set (k, len) to nh; returns the old value or -1 (out of memory, nothing
 * changed but possibly an empty node, which the next delete prunes). */
int64_t shadow_set(struct shadow *s, fib_u128 k, unsigned len, uint32_t nh)
{
  if (len <= s->s) {
    size_t sl = short_slot(s, k, len);
    uint32_t old = s->shortr[sl];
    s->shortr[sl] = (uint16_t)nh;
    return old;
  }
  uint32_t d = dir_of(s, k);
  if (!s->top[d] && !(s->top[d] = node_new(s)))
    return -1;
  uint32_t i = s->top[d];
  unsigned off = s->s;
  while (len > off + FIB_STRIDE) {
    unsigned v = fib_chunk6(k, off);
    uint32_t c = snode_kid(&s->n[i], v);
    if (!c) {
      c = node_new(s);
      if (!c || kid_add(&s->n[i], v, c) < 0)
        return -1;
    }
    i = c;
    off += FIB_STRIDE;
  }
  struct snode *n = &s->n[i];
  unsigned pos = route_pos(k, len, off), r = snode_rank(n, pos);
  if (snode_has(n, pos)) {
    uint16_t *vals = snode_vals(n);
    uint32_t old = vals[r];
    vals[r] = (uint16_t)nh;
    return old;
  }
  uint16_t v16 = (uint16_t)nh;
  if (arr_insert(&n->vals, sizeof v16, node_routes(n), r, &v16) < 0)
    return -1;
  n->pmap[pos >> 6] |= 1ULL << (pos & 63);
  return 0;
}

uint32_t shadow_del(struct shadow *s, fib_u128 k, unsigned len)
{
  if (len <= s->s) {
    size_t sl = short_slot(s, k, len);
    uint32_t old = s->shortr[sl];
    s->shortr[sl] = 0;
    return old;
  }
  uint32_t path[24];
  unsigned chunkv[24], depth = 0, off = s->s;
  uint32_t d = dir_of(s, k), i = s->top[d];
  while (i && len > off + FIB_STRIDE) {
    path[depth] = i;
    chunkv[depth++] = fib_chunk6(k, off);
    i = snode_kid(&s->n[i], fib_chunk6(k, off));
    off += FIB_STRIDE;
  }
  if (!i)
    return 0;
  struct snode *n = &s->n[i];
  unsigned pos = route_pos(k, len, off);
  if (!snode_has(n, pos))
    return 0;
  unsigned r = snode_rank(n, pos);
  uint32_t old = snode_vals(n)[r];
  arr_remove(&n->vals, sizeof(uint16_t), node_routes(n), r);
  n->pmap[pos >> 6] &= ~(1ULL << (pos & 63));
  /* prune the now useless tail of the path */
  while (!node_routes(&s->n[i]) && !s->n[i].cmap) {
    node_free(s, i);
    if (!depth) {
      s->top[d] = 0;
      break;
    }
    depth--;
    i = path[depth];
    kid_remove(&s->n[i], chunkv[depth]);
  }
  return old;
}

uint32_t shadow_inherit(const struct shadow *s, uint32_t d, unsigned from, uint32_t above)
{
  for (unsigned l = s->s; l > from; l--) {
    uint32_t v = s->shortr[((size_t)1 << l) + (d >> (s->s - l))];
    if (v)
      return v;
  }
  return above;
}

uint32_t shadow_best_short(const struct shadow *s, fib_u128 k, unsigned len)
{
  for (unsigned l = len + 1; l-- > 0;) {
    uint32_t v = s->shortr[short_slot(s, k, l)];
    if (v)
      return v;
  }
  return 0;
}
