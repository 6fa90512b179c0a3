/*
 * filter/tree.h: constant sets of scalar values with ranges.
 *
 * A set literal like [1, 5..10, (65000,*)] becomes a list of (from, to)
 * items. The parser expands wildcards into ranges (ft_pair_range and
 * friends below), ft_build() sorts the items and adds a running maximum
 * of the upper bounds, so membership is two binary searches even when
 * ranges overlap. Items keep a `data` pointer so `case` can reuse sets
 * as its dispatch table.
 *
 * Element types: int, pair, quad, enum, ip, ec, lc, rd. Items of one set
 * share a type (the type checker enforces it; ft_build() refuses mixes).
 */
#ifndef TERN_FILTER_TREE_H
#define TERN_FILTER_TREE_H

#include "filter/data.h"

struct f_tree_item {
  struct f_val from, to;        /* inclusive; from == to for single values */
  const void *data;             /* user payload, e.g. a case branch */
};

typedef unsigned __int128 ft_key;

struct f_tree {
  uint count;
  enum f_type type;             /* element type */
  const struct f_tree_item *items;   /* sorted by from (stable) */
  const ft_key *lo, *hi, *maxhi;     /* keys of items; running max of hi */
  /* Sets of 32-bit values (int, pair, quad, enum) also keep their items
     merged into disjoint sorted ranges of plain u32s, for the membership
     tests filters run per route (ft_contains_u32). */
  uint nruns;
  const u32 *run_lo, *run_hi;
};

/* Builds a set from n items (copied). Returns NULL if the element types
 * are mixed or unsupported, or a range has from > to. n == 0 gives an
 * empty set. */
struct f_tree *ft_build(linpool *lp, const struct f_tree_item *items, uint n);

/* The first item (in sorted order) containing v, or NULL. A quad also
 * finds IPv4 addresses, as in BIRD. */
const struct f_tree_item *ft_find(const struct f_tree *t, const struct f_val *v);

/* Fast typed membership for the list and path code paths. */
int ft_contains_u32_slow(const struct f_tree *t, u32 v);
/* Inline for sets of a few runs (the bogon ASN check of a route server
   tests every ASN of every path). */
static inline int ft_contains_u32(const struct f_tree *t, u32 v)
{
  if (!t || !t->run_lo || t->nruns > 8)
    return ft_contains_u32_slow(t, v);
  for (uint a = 0; a < t->nruns && t->run_lo[a] <= v; a++)
    if (v <= t->run_hi[a])
      return 1;
  return 0;
}
int ft_contains_u64(const struct f_tree *t, u64 v);
int ft_contains_lc(const struct f_tree *t, struct lcomm v);

int ft_same(const struct f_tree *a, const struct f_tree *b);
void ft_format(const struct f_tree *t, struct strbuf *sb);
static inline uint ft_count(const struct f_tree *t) { return t ? t->count : 0; }
static inline const struct f_tree_item *ft_item(const struct f_tree *t, uint i)
{ return &t->items[i]; }

/* Set-literal helpers. They append to out[] (capacity cap) and return the
 * number of items written, or -1 if it would not fit / is invalid.
 * (a1..a2, b1..b2): pairs; a wildcard is the full 0..65535 range. A
 * contiguous block becomes one item, otherwise one item per ASN. */
int ft_pair_range(struct f_tree_item *out, uint cap, u32 a1, u32 a2, u32 b1, u32 b2);
/* (a, b1..b2, c1..c2) with a fixed; same rules. */
int ft_lc_range(struct f_tree_item *out, uint cap, u32 a, u32 b1, u32 b2, u32 c1, u32 c2);
/* Extended community wildcards (rt, 70000, *) are plain ranges: build the
 * bounds with ec_as2/ec_as4/ec_ip4 and ec_value_max() from filter/aset.h. */

/* A single-value or range item. */
static inline struct f_tree_item ft_item_range(struct f_val from, struct f_val to)
{ return (struct f_tree_item) { .from = from, .to = to }; }
static inline struct f_tree_item ft_item_one(struct f_val v)
{ return (struct f_tree_item) { .from = v, .to = v }; }

#endif
