/*
 * filter/tree.c: constant scalar sets (see tree.h).
 *
 * Representation: items sorted by `from` (stable, so equal starts keep
 * the order the user wrote them, which is how BIRD prints them), plus
 * three parallel key arrays. Every element type maps to an unsigned
 * 128-bit key whose integer order is the value order, so lookups never
 * call val_compare(). maxhi[i] is the largest upper bound among items
 * 0..i; it is non-decreasing, which makes "is v inside any item" two
 * binary searches regardless of overlaps.
 */
#include <string.h>

#include "filter/tree.h"
#include "filter/data.h"
#include "lib/buffer.h"

static ft_key key_ip(ip_addr a)
{
  return ((ft_key) a.addr[0] << 96) | ((ft_key) a.addr[1] << 64) |
         ((ft_key) a.addr[2] << 32) | a.addr[3];
}

/* Returns 0 if the type cannot be a set element. */
static int ft_key_of(const struct f_val *v, ft_key *k)
{
  switch (v->type)
  {
  case T_INT: case T_PAIR: case T_QUAD: case T_BOOL:
    *k = v->val.i;
    return 1;
  case T_EC: *k = v->val.ec; return 1;
  case T_RD: *k = v->val.rd; return 1;
  case T_LC:
    *k = ((ft_key) v->val.lc.asn << 64) | ((ft_key) v->val.lc.ldp1 << 32) | v->val.lc.ldp2;
    return 1;
  case T_IP: *k = key_ip(v->val.ip); return 1;
  default:
    if (f_type_is_enum(v->type))
    {
      *k = v->val.i;
      return 1;
    }
    return 0;
  }
}

static int item_cmp_from(const struct f_tree_item *a, const struct f_tree_item *b)
{
  ft_key ka, kb;
  ft_key_of(&a->from, &ka);
  ft_key_of(&b->from, &kb);
  return (ka > kb) - (ka < kb);
}

/* Stable merge sort; sets are built once per config so simplicity wins. */
static void sort_items(struct f_tree_item *a, struct f_tree_item *tmp, uint n)
{
  if (n < 2)
    return;
  uint h = n / 2;
  sort_items(a, tmp, h);
  sort_items(a + h, tmp, n - h);
  uint i = 0, j = h, k = 0;
  while (i < h && j < n)
    tmp[k++] = (item_cmp_from(&a[j], &a[i]) < 0) ? a[j++] : a[i++];
  while (i < h)
    tmp[k++] = a[i++];
  while (j < n)
    tmp[k++] = a[j++];
  memcpy(a, tmp, n * sizeof(*a));
}

static int items_valid(const struct f_tree_item *items, uint n)
{
  for (uint i = 0; i < n; i++)
  {
    ft_key lo, hi;
    if (items[i].from.type != items[0].from.type || items[i].to.type != items[0].from.type)
      return 0;
    if (!ft_key_of(&items[i].from, &lo) || !ft_key_of(&items[i].to, &hi) || lo > hi)
      return 0;
  }
  return 1;
}

/* The union of the items as disjoint ranges: items are sorted by lo, so
   an item either extends the last range or starts a new one. */
static void build_runs(linpool *lp, struct f_tree *t)
{
  u32 *rlo = lp_alloc(lp, t->count * sizeof(u32));
  u32 *rhi = lp_alloc(lp, t->count * sizeof(u32));
  uint k = 0;
  for (uint i = 0; i < t->count; i++)
  {
    u32 a = (u32) t->lo[i], b = (u32) t->hi[i];
    if (k && (u64) a <= (u64) rhi[k - 1] + 1)
    {
      if (b > rhi[k - 1])
        rhi[k - 1] = b;
      continue;
    }
    rlo[k] = a;
    rhi[k] = b;
    k++;
  }
  t->nruns = k;
  t->run_lo = rlo;
  t->run_hi = rhi;
}

struct f_tree *ft_build(linpool *lp, const struct f_tree_item *items, uint n)
{
  if (!items_valid(items, n))
    return NULL;

  struct f_tree *t = lp_allocz(lp, sizeof(*t));
  struct f_tree_item *it = lp_alloc(lp, (n + 1) * sizeof(*it));
  struct f_tree_item *tmp = lp_alloc(lp, (n + 1) * sizeof(*tmp));
  ft_key *lo = lp_alloc(lp, (n + 1) * sizeof(ft_key));
  ft_key *hi = lp_alloc(lp, (n + 1) * sizeof(ft_key));
  ft_key *mx = lp_alloc(lp, (n + 1) * sizeof(ft_key));

  if (n)
    memcpy(it, items, n * sizeof(*it));
  sort_items(it, tmp, n);
  for (uint i = 0; i < n; i++)
  {
    ft_key_of(&it[i].from, &lo[i]);
    ft_key_of(&it[i].to, &hi[i]);
    mx[i] = (i && mx[i - 1] > hi[i]) ? mx[i - 1] : hi[i];
  }

  t->count = n;
  t->type = n ? it[0].from.type : T_VOID;
  t->items = it;
  t->lo = lo;
  t->hi = hi;
  t->maxhi = mx;
  if (n && mx[n - 1] <= 0xffffffffu)
    build_runs(lp, t);
  return t;
}

/* Index of the first item containing k, or -1. */
static int ft_find_key(const struct f_tree *t, ft_key k)
{
  if (!t || !t->count)
    return -1;

  /* last item with lo <= k */
  uint a = 0, b = t->count;
  while (a < b)
  {
    uint m = (a + b) / 2;
    if (t->lo[m] <= k) a = m + 1; else b = m;
  }
  if (!a)
    return -1;
  uint last = a - 1;

  /* first item with maxhi >= k; its own hi is that maximum */
  a = 0, b = last + 1;
  while (a < b)
  {
    uint m = (a + b) / 2;
    if (t->maxhi[m] >= k) b = m; else a = m + 1;
  }
  return (a <= last) ? (int) a : -1;
}

const struct f_tree_item *ft_find(const struct f_tree *t, const struct f_val *v)
{
  ft_key k;
  if (!t || !t->count)
    return NULL;

  struct f_val conv = *v;
  if (v->type == T_QUAD && t->type == T_IP)
    conv = f_val_ip(ipa_from_ip4(ip4_from_u32(v->val.i)));
  else if (v->type != t->type)
    return NULL;

  if (!ft_key_of(&conv, &k))
    return NULL;
  int i = ft_find_key(t, k);
  return (i < 0) ? NULL : &t->items[i];
}

int ft_contains_u32_slow(const struct f_tree *t, u32 v)
{
  if (!t || !t->run_lo)
    return ft_find_key(t, v) >= 0;
  const u32 *lo = t->run_lo, *hi = t->run_hi;
  uint a = 0, b = t->nruns;
  /* last run with lo <= v: bisect down to a few, then scan */
  while (b - a > 8)
  {
    uint m = (a + b) / 2;
    if (lo[m] <= v) a = m; else b = m;
  }
  for (; a < b && lo[a] <= v; a++)
    if (v <= hi[a])
      return 1;
  return 0;
}
int ft_contains_u64(const struct f_tree *t, u64 v) { return ft_find_key(t, v) >= 0; }

int ft_contains_lc(const struct f_tree *t, struct lcomm v)
{
  return ft_find_key(t, ((ft_key) v.asn << 64) | ((ft_key) v.ldp1 << 32) | v.ldp2) >= 0;
}

int ft_same(const struct f_tree *a, const struct f_tree *b)
{
  uint na = ft_count(a), nb = ft_count(b);
  if (na != nb)
    return 0;
  if (!na)
    return 1;
  if (a->type != b->type)
    return 0;
  for (uint i = 0; i < na; i++)
    if (a->lo[i] != b->lo[i] || a->hi[i] != b->hi[i] || a->items[i].data != b->items[i].data)
      return 0;
  return 1;
}

/* BIRD prints "[a, b..c]" in sorted order. */
void ft_format(const struct f_tree *t, struct strbuf *sb)
{
  sb_puts(sb, "[");
  for (uint i = 0; i < ft_count(t); i++)
  {
    if (i)
      sb_puts(sb, ", ");
    val_format(&t->items[i].from, sb);
    if (t->lo[i] != t->hi[i])
    {
      sb_puts(sb, "..");
      val_format(&t->items[i].to, sb);
    }
  }
  sb_puts(sb, "]");
}

static int push(struct f_tree_item *out, uint cap, uint *n, struct f_val a, struct f_val b)
{
  if (*n >= cap)
    return 0;
  out[(*n)++] = ft_item_range(a, b);
  return 1;
}

/*
 * (a1..a2, b1..b2): when b covers the whole 16-bit range the pairs form
 * one contiguous block; otherwise each ASN gets its own range, as BIRD
 * prints [(1..3, 2..5)] as three items.
 */
int ft_pair_range(struct f_tree_item *out, uint cap, u32 a1, u32 a2, u32 b1, u32 b2)
{
  uint n = 0;
  if (a1 > a2 || b1 > b2 || a2 > 0xffff || b2 > 0xffff)
    return -1;
  if (b1 == 0 && b2 == 0xffff)
    return push(out, cap, &n, f_val_pair(a1, 0), f_val_pair(a2, 0xffff)) ? 1 : -1;
  for (u32 a = a1; a <= a2; a++)
    if (!push(out, cap, &n, f_val_pair(a, b1), f_val_pair(a, b2)))
      return -1;
  return n;
}

int ft_lc_range(struct f_tree_item *out, uint cap, u32 a, u32 b1, u32 b2, u32 c1, u32 c2)
{
  uint n = 0;
  if (b1 > b2 || c1 > c2)
    return -1;
  if (c1 == 0 && c2 == 0xffffffffu)
    return push(out, cap, &n, f_val_lc(a, b1, 0), f_val_lc(a, b2, c2)) ? 1 : -1;
  for (u64 b = b1; b <= b2; b++)
    if (!push(out, cap, &n, f_val_lc(a, b, c1), f_val_lc(a, b, c2)))
      return -1;
  return n;
}
