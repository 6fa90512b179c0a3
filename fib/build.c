/*
 * fib/build.c: Poptrie construction and incremental update (writer only).
 *
 * A node at bit offset `off` is built from the shadow: each of its 64 chunk
 * values resolves either to a child (more specific routes exist below
 * off + 6) or to a leaf holding the longest match at length <= off + 6.
 * A route change rebuilds only the lowest node whose chunk range it touches
 * (reusing untouched children as they are), copies the path above it, and
 * publishes the new path with one release store into the direct array.
 * Everything replaced is retired to the limbo list, never freed in place.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "fib/internal.h"

static inline unsigned chunk(fib_u128 k, unsigned off)
{
  return fib_chunk6(k, off);
}

int ptrie_init(struct ptrie *t, struct fib_header *h, uint8_t *base, int fam)
{
  memset(t, 0, sizeof *t);
  t->fam = fam;
  t->th = &h->trie[fam];
  t->keybits = t->th->key_bits;
  t->s = t->th->dir_bits;
  t->dir = (uint32_t *)(base + t->th->dir_off);
  t->nodes = (struct fib_node *)(base + t->th->node_off);
  t->leaves = (fib_leaf_t *)(base + t->th->leaf_off);
  size_t nd = (size_t)1 << t->s;
  for (size_t d = 0; d < nd; d++)
    t->dir[d] = FIB_DIR_LEAF;
  t->dirdef = calloc(nd, sizeof *t->dirdef);
  t->top = malloc(nd * sizeof *t->top);
  t->chg = malloc(nd * sizeof *t->chg);
  if (!t->dirdef || !t->top || !t->chg || shadow_init(&t->sh) < 0 ||
      buddy_init(&t->nb, t->th->node_cap) < 0 || buddy_init(&t->lb, t->th->leaf_cap) < 0)
    return -1;
  return 0;
}

void ptrie_fini(struct ptrie *t)
{
  free(t->dirdef);
  free(t->top);
  free(t->chg);
  shadow_fini(&t->sh);
  buddy_fini(&t->nb);
  buddy_fini(&t->lb);
}

static void fill_leaves(struct dent *e, uint32_t from, uint32_t n, uint32_t nh)
{
  for (uint32_t i = 0; i < n; i++)
    e[from + i] = (struct dent){ 0, nh, 0 };
}

/* Resolve the chunk values under bn (at depth `depth`, `rel` bits into a
 * stride of `stride` bits, chunk prefix v) into e[]. */
static void fill(const struct ptrie *t, uint32_t bn, unsigned depth, unsigned rel,
                 unsigned stride, uint32_t v, uint32_t best, struct dent *e)
{
  if (!bn) {
    fill_leaves(e, v << (stride - rel), 1u << (stride - rel), best);
    return;
  }
  const struct bnode *b = &t->sh.n[bn];
  if (b->nh)
    best = b->nh;
  if (rel == stride) {
    e[v] = (struct dent){ bn, best, (b->c[0] | b->c[1]) != 0 };
    return;
  }
  if (depth == t->keybits) {
    fill_leaves(e, v << (stride - rel), 1u << (stride - rel), best);
    return;
  }
  fill(t, b->c[0], depth + 1, rel + 1, stride, v * 2, best, e);
  fill(t, b->c[1], depth + 1, rel + 1, stride, v * 2 + 1, best, e);
}

/* Retire every block below node n (not n itself: it lives in its parent's
 * block, retired by whoever retires that). */
static void retire_below(struct fib_writer *w, struct ptrie *t, const struct fib_node *n)
{
  unsigned nl = (unsigned)__builtin_popcountll(n->leafvec);
  unsigned nc = (unsigned)__builtin_popcountll(n->vector);
  if (nl)
    wr_retire(w, t->fam, POOL_LEAF, n->base0, buddy_order(nl));
  for (unsigned i = 0; i < nc; i++)
    retire_below(w, t, &t->nodes[n->base1 + i]);
  if (nc)
    wr_retire(w, t->fam, POOL_NODE, n->base1, buddy_order(nc));
}

static int build_node(struct fib_writer *w, struct ptrie *t, struct fib_node *dst,
                      uint32_t bn, unsigned off, uint32_t def);

/* Write the leaf runs of e[] into a fresh leaf block. */
static int make_leaves(struct fib_writer *w, struct ptrie *t, const struct dent *e,
                       struct fib_node *n)
{
  uint64_t lv = 0, vec = 0;
  fib_leaf_t run[64];
  unsigned nl = 0;
  for (unsigned v = 0; v < 64; v++) {
    if (e[v].internal) {
      vec |= 1ULL << v;
    } else if (!nl || run[nl - 1] != e[v].nh) {
      lv |= 1ULL << v;
      run[nl++] = (fib_leaf_t)e[v].nh;
    }
  }
  n->vector = vec;
  n->leafvec = lv;
  n->base0 = 0;
  if (nl) {
    int64_t b = wr_alloc(w, t, POOL_LEAF, nl);
    if (b < 0)
      return -ENOMEM;
    memcpy(&t->leaves[b], run, nl * sizeof run[0]);
    n->base0 = (uint32_t)b;
  }
  return 0;
}

/* Build node content into *dst from e[]. Children with chunk values outside
 * [lo, hi] are copied from `old` (their subtrees are shared, unchanged). */
static int make_node(struct fib_writer *w, struct ptrie *t, struct fib_node *dst,
                     const struct dent *e, unsigned off, const struct fib_node *old,
                     unsigned lo, unsigned hi)
{
  struct fib_node n;
  if (make_leaves(w, t, e, &n) < 0)
    return -ENOMEM;
  n.base1 = 0;
  unsigned nc = (unsigned)__builtin_popcountll(n.vector);
  if (nc) {
    int64_t b = wr_alloc(w, t, POOL_NODE, nc);
    if (b < 0)
      return -ENOMEM;
    n.base1 = (uint32_t)b;
    unsigned i = 0;
    for (unsigned v = 0; v < 64; v++) {
      if (!e[v].internal)
        continue;
      struct fib_node *c = &t->nodes[n.base1 + i++];
      if (old && (v < lo || v > hi) && ((old->vector >> v) & 1))
        *c = t->nodes[old->base1 + fib_popcnt_upto(old->vector, v) - 1];
      else if (build_node(w, t, c, e[v].bn, off + FIB_STRIDE, e[v].nh) < 0)
        return -ENOMEM;
    }
  }
  *dst = n;
  return 0;
}

static int build_node(struct fib_writer *w, struct ptrie *t, struct fib_node *dst,
                      uint32_t bn, unsigned off, uint32_t def)
{
  struct dent e[64];
  fill(t, bn, off, 0, FIB_STRIDE, 0, def, e);
  return make_node(w, t, dst, e, off, NULL, 0, 0);
}

/* A fresh one-node block holding the subtree for dir entry built from bn. */
static int64_t build_root(struct fib_writer *w, struct ptrie *t, uint32_t bn, uint32_t def)
{
  int64_t r = wr_alloc(w, t, POOL_NODE, 1);
  if (r < 0 || build_node(w, t, &t->nodes[r], bn, t->s, def) < 0)
    return -ENOMEM;
  return r;
}

static void retire_root(struct fib_writer *w, struct ptrie *t, uint32_t idx)
{
  retire_below(w, t, &t->nodes[idx]);
  wr_retire(w, t->fam, POOL_NODE, idx, 0);
}

/*
 * A change of a route no longer than s: the dir entries of its range may
 * change. Build everything first, then store, then retire, so a failure
 * leaves the published trie untouched. `force` rebuilds subtrees even if
 * their default is the same (bulk loads changed what is below).
 */
static int update_top(struct fib_writer *w, struct ptrie *t, fib_u128 k, unsigned len, int force)
{
  unsigned s = t->s;
  uint32_t best = 0;
  uint32_t bn = shadow_advance(&t->sh, SHADOW_ROOT, k, 0, len, &best);
  uint32_t v = len ? (uint32_t)(k >> (128 - len)) : 0;
  uint32_t lo = v << (s - len), n = 1u << (s - len), nchg = 0;
  fill(t, bn, len, len, s, v, best, t->top);
  for (uint32_t d = lo; d < lo + n; d++) {
    const struct dent *e = &t->top[d];
    uint32_t old = t->dir[d];
    uint32_t val = FIB_DIR_LEAF | e->nh;
    if (e->internal) {
      if (!force && !(old & FIB_DIR_LEAF) && t->dirdef[d] == e->nh)
        continue;
      int64_t r = build_root(w, t, e->bn, e->nh);
      if (r < 0)
        return -ENOMEM;
      val = (uint32_t)r;
    } else if (val == old) {
      continue;
    }
    t->chg[nchg++] = (struct dchange){ d, val, e->nh, old };
  }
  for (uint32_t i = 0; i < nchg; i++)
    __atomic_store_n(&t->dir[t->chg[i].d], t->chg[i].val, __ATOMIC_RELEASE);
  for (uint32_t i = 0; i < nchg; i++) {
    t->dirdef[t->chg[i].d] = t->chg[i].def;
    if (!(t->chg[i].old & FIB_DIR_LEAF))
      retire_root(w, t, t->chg[i].old);
  }
  return 0;
}

struct pathel { uint32_t node, bn, def; unsigned off; };

/* Copy the path above the rebuilt node nn (at depth i of path p), publish
 * the new root into dir[d], and retire the old path blocks. */
static int publish_path(struct fib_writer *w, struct ptrie *t, uint32_t d,
                        const struct pathel *p, unsigned i, struct fib_node nn)
{
  uint32_t blk[24];
  for (unsigned j = i; j > 0; j--) {
    const struct fib_node *par = &t->nodes[p[j - 1].node];
    unsigned nc = (unsigned)__builtin_popcountll(par->vector);
    int64_t b = wr_alloc(w, t, POOL_NODE, nc);
    if (b < 0)
      return -ENOMEM;
    memcpy(&t->nodes[b], &t->nodes[par->base1], nc * sizeof(struct fib_node));
    t->nodes[b + (p[j].node - par->base1)] = nn;
    blk[j - 1] = (uint32_t)b;
    nn = *par;
    nn.base1 = (uint32_t)b;
  }
  int64_t r = wr_alloc(w, t, POOL_NODE, 1);
  if (r < 0)
    return -ENOMEM;
  t->nodes[r] = nn;
  __atomic_store_n(&t->dir[d], (uint32_t)r, __ATOMIC_RELEASE);
  wr_retire(w, t->fam, POOL_NODE, p[0].node, 0);
  for (unsigned j = i; j > 0; j--) {
    const struct fib_node *par = &t->nodes[p[j - 1].node];
    wr_retire(w, t->fam, POOL_NODE, par->base1, buddy_order((unsigned)__builtin_popcountll(par->vector)));
  }
  (void)blk;
  return 0;
}

/* Retire what the rebuilt target replaced: its blocks and the subtrees of
 * the children in the affected range (the others were copied over). */
static void retire_target(struct fib_writer *w, struct ptrie *t, const struct fib_node *o,
                          unsigned lo, unsigned hi)
{
  unsigned nl = (unsigned)__builtin_popcountll(o->leafvec);
  unsigned nc = (unsigned)__builtin_popcountll(o->vector);
  if (nl)
    wr_retire(w, t->fam, POOL_LEAF, o->base0, buddy_order(nl));
  for (unsigned v = lo; v <= hi; v++)
    if ((o->vector >> v) & 1)
      retire_below(w, t, &t->nodes[o->base1 + fib_popcnt_upto(o->vector, v) - 1]);
  if (nc)
    wr_retire(w, t->fam, POOL_NODE, o->base1, buddy_order(nc));
}

/* A change of a route longer than s, below dir entry d. */
static int update_deep(struct fib_writer *w, struct ptrie *t, fib_u128 k, unsigned len)
{
  unsigned s = t->s;
  uint32_t d = (uint32_t)(k >> (128 - s));
  uint32_t best = 0;
  uint32_t bn = shadow_advance(&t->sh, SHADOW_ROOT, k, 0, s, &best);
  uint32_t old = t->dir[d];
  if (!shadow_has_children(&t->sh, bn) || (old & FIB_DIR_LEAF))
    return update_top(w, t, k, s, 1);

  struct pathel p[24];
  unsigned i = 0;
  p[0] = (struct pathel){ old, bn, best, s };
  while (len > p[i].off + FIB_STRIDE) {
    const struct fib_node *n = &t->nodes[p[i].node];
    unsigned v = chunk(k, p[i].off);
    if (!((n->vector >> v) & 1))
      break;
    uint32_t nb = p[i].def;
    uint32_t cb = shadow_advance(&t->sh, p[i].bn, k, p[i].off, p[i].off + FIB_STRIDE, &nb);
    if (!shadow_has_children(&t->sh, cb))
      break;
    p[i + 1] = (struct pathel){ n->base1 + fib_popcnt_upto(n->vector, v) - 1, cb, nb,
                                p[i].off + FIB_STRIDE };
    i++;
  }
  unsigned off = p[i].off, lo, hi;
  lo = hi = chunk(k, off);
  if (len <= off + FIB_STRIDE) {
    unsigned span = 1u << (off + FIB_STRIDE - len);
    lo &= ~(span - 1);
    hi = lo + span - 1;
  }
  struct dent e[64];
  struct fib_node nn;
  const struct fib_node *o = &t->nodes[p[i].node];
  fill(t, p[i].bn, off, 0, FIB_STRIDE, 0, p[i].def, e);
  if (make_node(w, t, &nn, e, off, o, lo, hi) < 0)
    return -ENOMEM;
  struct fib_node oldt = *o;
  if (publish_path(w, t, d, p, i, nn) < 0)
    return -ENOMEM;
  retire_target(w, t, &oldt, lo, hi);
  return 0;
}

int ptrie_update(struct fib_writer *w, struct ptrie *t, fib_u128 k, unsigned len)
{
  if (len <= t->s)
    return update_top(w, t, k, len, 0);
  return update_deep(w, t, k, len);
}

int ptrie_rebuild(struct fib_writer *w, struct ptrie *t)
{
  return update_top(w, t, 0, 0, 1);
}
