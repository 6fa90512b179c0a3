/*
 * fib/build.c: Poptrie construction and incremental update (writer only).
 *
 * A Poptrie node at bit offset `off` is built from the shadow node that
 * mirrors it (fib/shadow.c): each of its 64 chunk values resolves either to
 * a child (the shadow node has one there) or to a leaf holding the longest
 * match at length <= off + 6. A route change rebuilds only the lowest node
 * whose chunk range it touches, copies its sibling block, and publishes it
 * with one release store into the parent's child-block index (or into the
 * direct array for a node directly below it).
 *
 * Subtrees are kept whenever they cannot have changed: children outside
 * the touched chunk range, and children whose default (the longest match
 * above them, remembered per shadow node) is what they were built with. So
 * a changed /19 rebuilds the /24-level nodes below it that inherit it, not
 * those under a more specific route; a changed /8 rebuilds only the dir
 * entries and subtrees that actually inherit it.
 *
 * Nothing reachable is written in place but that one index (base1, which
 * readers load once); every replaced block is retired to the limbo list
 * once the change is published (never freed in place).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "fib/internal.h"

#define DEF_UNKNOWN UINT32_MAX

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
  t->chg = malloc(nd * sizeof *t->chg);
  if (!t->chg || shadow_init(&t->sh, t->keybits, t->s) < 0 ||
      buddy_init(&t->nb, t->th->node_cap) < 0 || buddy_init(&t->lb, t->th->leaf_cap) < 0)
    return -1;
  return 0;
}

void ptrie_fini(struct ptrie *t)
{
  free(t->chg);
  shadow_fini(&t->sh);
  buddy_fini(&t->nb);
  buddy_fini(&t->lb);
}

/* Retire every block below node n (not n itself: it lives in its parent's
 * block, retired by whoever retires that). `later`: after publication. */
static void retire_below(struct fib_writer *w, struct ptrie *t, const struct fib_node *n, int later)
{
  void (*retire)(struct fib_writer *, int, int, uint32_t, unsigned) = later ? wr_retire_later : wr_retire;
  unsigned nl = (unsigned)__builtin_popcountll(n->leafvec);
  unsigned nc = (unsigned)__builtin_popcountll(n->vector);
  if (nl)
    retire(w, t->fam, POOL_LEAF, n->base0, buddy_order(nl));
  for (unsigned i = 0; i < nc; i++)
    retire_below(w, t, &t->nodes[n->base1 + i], later);
  if (nc)
    retire(w, t->fam, POOL_NODE, n->base1, buddy_order(nc));
}

/*
 * Write the leaf runs of shadow node sn under default def into a fresh
 * leaf block and set n's vector and leafvec. A run can start only at a
 * leaf position where a route's range starts or ends, or right after a
 * child; between two such positions every leaf has the same value. So
 * only those candidates are resolved, not all 64 chunk values.
 */
static int make_leaves(struct fib_writer *w, struct ptrie *t, const struct snode *sn,
                       uint32_t def, struct fib_node *n)
{
  uint64_t vec = sn->cmap, lv = 0;
  uint64_t cand = ~vec & (snode_edges(sn) | (vec << 1));
  fib_leaf_t run[64];
  unsigned nl = 0;
  for (; cand; cand &= cand - 1) {
    unsigned v = (unsigned)__builtin_ctzll(cand);
    fib_leaf_t x = (fib_leaf_t)snode_match(sn, v, def);
    if (!nl || run[nl - 1] != x) {
      lv |= 1ULL << v;
      run[nl++] = x;
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

static const struct fib_node *old_child(const struct ptrie *t, const struct fib_node *old, unsigned v)
{
  if (!old || !((old->vector >> v) & 1))
    return NULL;
  return &t->nodes[old->base1 + fib_popcnt_upto(old->vector, v) - 1];
}

/*
 * Build into *dst the node for shadow node sn at offset off under default
 * def. old is the Poptrie node it replaces (NULL: a new subtree). An old
 * child is kept as it is if its chunk value lies outside [lo, hi], or if
 * the default it was built with is still its default; otherwise it is
 * rebuilt the same way (its own children may still be kept). Blocks of old
 * the new node no longer uses are retired once the change is published.
 */
static int make_node(struct fib_writer *w, struct ptrie *t, struct fib_node *dst, uint32_t sn,
                     unsigned off, uint32_t def, const struct fib_node *old, unsigned lo, unsigned hi)
{
  const struct snode *s = &t->sh.n[sn];
  struct fib_node n;
  if (make_leaves(w, t, s, def, &n) < 0)
    return -ENOMEM;
  n.base1 = 0;
  unsigned nc = (unsigned)__builtin_popcountll(n.vector);
  int64_t b = nc ? wr_alloc(w, t, POOL_NODE, nc) : 0;
  if (b < 0)
    return -ENOMEM;
  n.base1 = (uint32_t)b;
  wr_note_def(w, t, sn, def, n.base1);
  if (nc) {
    unsigned i = 0;
    for (uint64_t m = n.vector; m; m &= m - 1, i++) {
      unsigned v = (unsigned)__builtin_ctzll(m);
      struct fib_node *c = &t->nodes[n.base1 + i];
      const struct fib_node *oc = old_child(t, old, v);
      if (oc && (v < lo || v > hi)) {
        *c = *oc;
        continue;
      }
      uint32_t kid = snode_kids(s)[i], kdef = snode_match(s, v, def);
      if (oc && t->sh.n[kid].def == kdef)
        *c = *oc;
      else if (make_node(w, t, c, kid, off + FIB_STRIDE, kdef, oc, 0, 63) < 0)
        return -ENOMEM;
    }
  }
  if (old) {
    unsigned onl = (unsigned)__builtin_popcountll(old->leafvec);
    unsigned onc = (unsigned)__builtin_popcountll(old->vector);
    if (onl)
      wr_retire_later(w, t->fam, POOL_LEAF, old->base0, buddy_order(onl));
    for (uint64_t m = old->vector & ~n.vector; m; m &= m - 1)
      retire_below(w, t, old_child(t, old, (unsigned)__builtin_ctzll(m)), 1);
    if (onc)
      wr_retire_later(w, t->fam, POOL_NODE, old->base1, buddy_order(onc));
  }
  *dst = n;
  return 0;
}

static void retire_root(struct fib_writer *w, struct ptrie *t, uint32_t idx)
{
  retire_below(w, t, &t->nodes[idx], 0);
  wr_retire(w, t->fam, POOL_NODE, idx, 0);
}

/*
 * A change of a route no longer than s: the dir entries of its range may
 * change. An entry with longer routes below is rebuilt only if its default
 * changed (or `force`: a bulk load changed what is below), reusing what it
 * can. Build everything first, then store, then retire, so a failure
 * leaves the published trie untouched.
 */
static int update_top(struct fib_writer *w, struct ptrie *t, fib_u128 k, unsigned len, int force)
{
  unsigned s = t->s;
  uint32_t v = len ? (uint32_t)(k >> (128 - len)) : 0;
  uint32_t lo = v << (s - len), n = 1u << (s - len), nchg = 0;
  uint32_t above = shadow_best_short(&t->sh, k, len);
  for (uint32_t d = lo; d < lo + n; d++) {
    uint32_t nh = shadow_inherit(&t->sh, d, len, above);
    uint32_t sn = t->sh.top[d], old = t->dir[d], val;
    uint32_t incremental = 0;
    if (sn) {
      const struct fib_node *on = (old & FIB_DIR_LEAF) || force ? NULL : &t->nodes[old];
      if (on && t->sh.n[sn].def == nh)
        continue;
      int64_t r = wr_alloc(w, t, POOL_NODE, 1);
      if (r < 0 || make_node(w, t, &t->nodes[r], sn, s, nh, on, 0, 63) < 0)
        return -ENOMEM;
      val = (uint32_t)r;
      incremental = on != NULL;
    } else {
      val = FIB_DIR_LEAF | nh;
      if (val == old)
        continue;
    }
    t->chg[nchg++] = (struct dchange){ d, val, incremental, old };
  }
  for (uint32_t i = 0; i < nchg; i++)
    __atomic_store_n(&t->dir[t->chg[i].d], t->chg[i].val, __ATOMIC_RELEASE);
  for (uint32_t i = 0; i < nchg; i++) {
    uint32_t old = t->chg[i].old;
    if (old & FIB_DIR_LEAF)
      continue;
    if (t->chg[i].def)          /* incremental: make_node retired what it replaced */
      wr_retire(w, t->fam, POOL_NODE, old, 0);
    else
      retire_root(w, t, old);
  }
  return 0;
}

struct pathel { uint32_t node, bn, def; unsigned off; };

/*
 * Publish nn, rebuilt from the node at depth i of path p below dir entry d.
 * The root (i == 0) gets a fresh one-node block stored into dir[d]. Below
 * it, only nn's sibling block is copied, with nn in place, and published
 * with one release store into its parent's base1: the parent's vector,
 * and so the meaning of the block, does not change, and a reader reads
 * base1 once (fib_base1), so it walks either the old block or the new.
 * The ancestors above the parent are not copied at all.
 */
static int publish_path(struct fib_writer *w, struct ptrie *t, uint32_t d,
                        const struct pathel *p, unsigned i, struct fib_node nn)
{
  if (i == 0) {
    int64_t r = wr_alloc(w, t, POOL_NODE, 1);
    if (r < 0)
      return -ENOMEM;
    t->nodes[r] = nn;
    __atomic_store_n(&t->dir[d], (uint32_t)r, __ATOMIC_RELEASE);
    wr_retire(w, t->fam, POOL_NODE, p[0].node, 0);
    return 0;
  }
  struct fib_node *par = &t->nodes[p[i - 1].node];
  unsigned nc = (unsigned)__builtin_popcountll(par->vector);
  uint32_t old = par->base1;
  int64_t b = wr_alloc(w, t, POOL_NODE, nc);
  if (b < 0)
    return -ENOMEM;
  memcpy(&t->nodes[b], &t->nodes[old], nc * sizeof(struct fib_node));
  t->nodes[b + (p[i].node - old)] = nn;
  __atomic_store_n(&par->base1, (uint32_t)b, __ATOMIC_RELEASE);
  t->sh.n[p[i - 1].bn].kbase = (uint32_t)b;
  wr_retire(w, t->fam, POOL_NODE, old, buddy_order(nc));
  return 0;
}

/* A change of a route longer than s, below dir entry d. */
static int update_deep(struct fib_writer *w, struct ptrie *t, fib_u128 k, unsigned len)
{
  unsigned s = t->s;
  uint32_t d = (uint32_t)(k >> (128 - s));
  uint32_t sn = t->sh.top[d], old = t->dir[d];
  if (!sn || (old & FIB_DIR_LEAF))
    return update_top(w, t, k, s, 0);
  uint32_t def = t->sh.n[sn].def;
  if (def == DEF_UNKNOWN)
    def = shadow_inherit(&t->sh, d, s, shadow_best_short(&t->sh, k, s));

  /*
   * Walk down in the shadow only: a node whose default is known has a
   * Poptrie node with base1 == kbase and vector == cmap, but for the bit
   * of this change's own path (a child it just added or pruned), so the
   * Poptrie child's index follows without reading the Poptrie path. A
   * child with an unknown default (new, or its note failed) ends the
   * walk: the node above is rebuilt instead, which is always correct.
   */
  struct pathel p[24];
  unsigned i = 0;
  p[0] = (struct pathel){ old, sn, def, s };
  while (len > p[i].off + FIB_STRIDE && t->sh.n[p[i].bn].def != DEF_UNKNOWN) {
    const struct snode *sp = &t->sh.n[p[i].bn];
    unsigned v = chunk(k, p[i].off);
    uint32_t cs = snode_kid(sp, v);
    if (!cs || t->sh.n[cs].def == DEF_UNKNOWN)
      break;
    p[i + 1] = (struct pathel){ sp->kbase + (unsigned)__builtin_popcountll(sp->cmap & ((1ULL << v) - 1)),
                                cs, t->sh.n[cs].def, p[i].off + FIB_STRIDE };
    i++;
  }
  unsigned off = p[i].off, lo, hi;
  lo = hi = chunk(k, off);
  if (len <= off + FIB_STRIDE) {
    unsigned span = 1u << (off + FIB_STRIDE - len);
    lo &= ~(span - 1);
    hi = lo + span - 1;
  }
  struct fib_node nn;
  if (make_node(w, t, &nn, p[i].bn, off, p[i].def, &t->nodes[p[i].node], lo, hi) < 0)
    return -ENOMEM;
  return publish_path(w, t, d, p, i, nn);
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
