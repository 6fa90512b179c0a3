/*
 * filter/aset.c: community lists (see aset.h).
 *
 * The three list kinds differ only in how many u32 words one community
 * takes (1, 2 or 3), so the list mechanics are written once over a
 * "width" and the typed functions are thin wrappers. Hot paths for route
 * filters (add, delete by set) allocate at most one result per call and
 * return the input unchanged when nothing would change.
 */
#include <stdio.h>
#include <string.h>

#include "filter/aset.h"
#include "filter/tree.h"
#include "lib/buffer.h"

static inline uint words(const struct adata *l) { return l ? l->length / 4 : 0; }
static inline const u32 *wp(const struct adata *l) { return (const u32 *) l->data; }

static struct adata *list_alloc(linpool *lp, uint nwords)
{
  struct adata *r = lp_alloc(lp, sizeof(*r) + 4 * nwords);
  r->length = 4 * nwords;
  return r;
}

static int list_find(const struct adata *l, uint w, const u32 *v)
{
  uint n = words(l);
  const u32 *d = l ? wp(l) : NULL;
  for (uint i = 0; i + w <= n; i += w)
    if (d[i] == v[0] && (w < 2 || d[i + 1] == v[1]) && (w < 3 || d[i + 2] == v[2]))
      return 1;
  return 0;
}

static const struct adata *list_add(linpool *lp, const struct adata *l, uint w, const u32 *v)
{
  if (list_find(l, w, v))
    return l;
  uint n = words(l);
  struct adata *r = list_alloc(lp, n + w);
  if (n)
    memcpy(r->data, l->data, 4 * n);
  u32 *out = (u32 *) r->data + n;
  for (uint k = 0; k < w; k++)    /* 1..3 words: no memcpy call */
    out[k] = v[k];
  return r;
}

/* Elements of b not in a are appended to a, in b's order. */
static const struct adata *list_union(linpool *lp, const struct adata *a, const struct adata *b, uint w)
{
  uint nb = words(b), extra = 0;
  for (uint i = 0; i < nb; i += w)
    if (!list_find(a, w, wp(b) + i))
      extra += w;
  if (!extra)
    return a ? a : b;

  uint na = words(a);
  struct adata *r = list_alloc(lp, na + extra);
  u32 *out = (u32 *) r->data;
  if (na)
    memcpy(out, a->data, 4 * na);
  uint k = na;
  r->length = 4 * k;
  for (uint i = 0; i < nb; i += w)
    if (!list_find(a, w, wp(b) + i) && !list_find(r, w, wp(b) + i))
    {
      memcpy(out + k, wp(b) + i, 4 * w);
      k += w;
      r->length = 4 * k;   /* so the duplicate check above sees it */
    }
  r->length = 4 * k;
  return r;
}

typedef int (*elem_pred)(const u32 *elem, const struct f_val *what);

/* Keeps elements with pred(elem) == pos. Two passes: count, then copy, so
 * an unchanged list costs no allocation. */
static const struct adata *list_filter(linpool *lp, const struct adata *l, uint w,
                                       elem_pred pred, const struct f_val *what, int pos)
{
  uint n = words(l), keep = 0;
  for (uint i = 0; i < n; i += w)
    if (!!pred(wp(l) + i, what) == !!pos)
      keep += w;
  if (keep == n)
    return l;

  struct adata *r = list_alloc(lp, keep);
  u32 *out = (u32 *) r->data;
  for (uint i = 0, k = 0; i < n; i += w)
    if (!!pred(wp(l) + i, what) == !!pos)
    {
      memcpy(out + k, wp(l) + i, 4 * w);
      k += w;
    }
  return r;
}

/* ---- clist ---- */

const struct adata *int_set_new(linpool *lp, const u32 *vals, uint n)
{
  struct adata *r = list_alloc(lp, n);
  if (n)
    memcpy(r->data, vals, 4 * n);
  return r;
}

uint int_set_get_size(const struct adata *l) { return words(l); }
int int_set_contains(const struct adata *l, u32 v) { return list_find(l, 1, &v); }

const struct adata *int_set_add(linpool *lp, const struct adata *l, u32 v)
{
  return list_add(lp, l, 1, &v);
}

static int pred_u32(const u32 *e, const struct f_val *what)
{
  switch (what->type)
  {
  case T_SET: return ft_contains_u32(what->val.t, e[0]);
  case T_CLIST: return int_set_contains(what->val.ad, e[0]);
  default: return e[0] == what->val.i;
  }
}

const struct adata *int_set_del(linpool *lp, const struct adata *l, u32 v)
{
  struct f_val what = f_val_int(T_PAIR, v);
  return list_filter(lp, l, 1, pred_u32, &what, 0);
}

const struct adata *int_set_union(linpool *lp, const struct adata *a, const struct adata *b)
{
  return list_union(lp, a, b, 1);
}

const struct adata *int_set_filter(linpool *lp, const struct adata *l, const struct f_val *what, int pos)
{
  return list_filter(lp, l, 1, pred_u32, what, pos);
}

int int_set_match_set(const struct adata *l, const struct f_tree *set)
{
  for (uint i = 0; i < words(l); i++)
    if (ft_contains_u32(set, wp(l)[i]))
      return 1;
  return 0;
}

static int int_set_extreme(const struct adata *l, u32 *out, int want_max)
{
  uint n = words(l);
  if (!n)
    return 0;
  u32 best = wp(l)[0];
  for (uint i = 1; i < n; i++)
    if (want_max ? wp(l)[i] > best : wp(l)[i] < best)
      best = wp(l)[i];
  *out = best;
  return 1;
}

int int_set_min(const struct adata *l, u32 *out) { return int_set_extreme(l, out, 0); }
int int_set_max(const struct adata *l, u32 *out) { return int_set_extreme(l, out, 1); }

void int_set_format(const struct adata *l, struct strbuf *sb)
{
  char buf[32];
  for (uint i = 0; i < words(l); i++)
  {
    u32 v = wp(l)[i];
    snprintf(buf, sizeof(buf), "%s(%u,%u)", i ? " " : "", v >> 16, v & 0xffff);
    sb_puts(sb, buf);
  }
}

/* ---- extended communities ---- */

/* key/value split by the high byte of the type (RFC 4360 3, RFC 5668) */
enum ec_class { EC_CLASS_AS2, EC_CLASS_IP4, EC_CLASS_AS4, EC_CLASS_OTHER };

static enum ec_class ec_class_of(u64 ec)
{
  switch (ec >> 56)
  {
  case 0x00: case 0x40: return EC_CLASS_AS2;
  case 0x01: case 0x41: return EC_CLASS_IP4;
  case 0x02: case 0x42: return EC_CLASS_AS4;
  default: return EC_CLASS_OTHER;
  }
}

u32 ec_value_max(u64 ec)
{
  return ec_class_of(ec) == EC_CLASS_AS2 ? 0xffffffffu : 0xffff;
}

void ec_format(u64 ec, struct strbuf *sb)
{
  char buf[96], key[IP4_BUFSIZE];
  uint type = ec >> 48;
  const char *kind = NULL;
  u32 k, v;

  if ((type & 0xf0ff) == EC_RT)
    kind = "rt";
  else if ((type & 0xf0ff) == EC_RO)
    kind = "ro";

  switch (ec_class_of(ec))
  {
  case EC_CLASS_AS2: k = (ec >> 32) & 0xffff; v = (u32) ec; break;
  case EC_CLASS_AS4: k = (u32) (ec >> 16); v = ec & 0xffff; break;
  case EC_CLASS_IP4: k = (u32) (ec >> 16); v = ec & 0xffff; break;
  default:
    snprintf(buf, sizeof(buf), "(generic, 0x%x, 0x%x)", (u32) (ec >> 32), (u32) ec);
    sb_puts(sb, buf);
    return;
  }

  if (ec_class_of(ec) == EC_CLASS_IP4)
    ip4_ntop(ip4_from_u32(k), key);
  else
    snprintf(key, sizeof(key), "%u", k);

  if (kind)
    snprintf(buf, sizeof(buf), "(%s, %s, %u)", kind, key, v);
  else
    snprintf(buf, sizeof(buf), "(unknown 0x%x, %s, %u)", type, key, v);
  sb_puts(sb, buf);
}

static inline void ec_split(u64 v, u32 *w) { w[0] = v >> 32; w[1] = (u32) v; }
static inline u64 ec_join(const u32 *w) { return ((u64) w[0] << 32) | w[1]; }

uint ec_set_get_size(const struct adata *l) { return words(l) / 2; }
u64 ec_set_get(const struct adata *l, uint i) { return ec_join(wp(l) + 2 * i); }

int ec_set_contains(const struct adata *l, u64 v)
{
  u32 w[2];
  ec_split(v, w);
  return list_find(l, 2, w);
}

const struct adata *ec_set_add(linpool *lp, const struct adata *l, u64 v)
{
  u32 w[2];
  ec_split(v, w);
  return list_add(lp, l, 2, w);
}

static int pred_ec(const u32 *e, const struct f_val *what)
{
  u64 v = ec_join(e);
  switch (what->type)
  {
  case T_SET: return ft_contains_u64(what->val.t, v);
  case T_ECLIST: return ec_set_contains(what->val.ad, v);
  default: return v == what->val.ec;
  }
}

const struct adata *ec_set_del(linpool *lp, const struct adata *l, u64 v)
{
  struct f_val what = f_val_ec(v);
  return list_filter(lp, l, 2, pred_ec, &what, 0);
}

const struct adata *ec_set_union(linpool *lp, const struct adata *a, const struct adata *b)
{
  return list_union(lp, a, b, 2);
}

const struct adata *ec_set_filter(linpool *lp, const struct adata *l, const struct f_val *what, int pos)
{
  return list_filter(lp, l, 2, pred_ec, what, pos);
}

int ec_set_match_set(const struct adata *l, const struct f_tree *set)
{
  for (uint i = 0; i < ec_set_get_size(l); i++)
    if (ft_contains_u64(set, ec_set_get(l, i)))
      return 1;
  return 0;
}

static int ec_set_extreme(const struct adata *l, u64 *out, int want_max)
{
  uint n = ec_set_get_size(l);
  if (!n)
    return 0;
  u64 best = ec_set_get(l, 0);
  for (uint i = 1; i < n; i++)
  {
    u64 v = ec_set_get(l, i);
    if (want_max ? v > best : v < best)
      best = v;
  }
  *out = best;
  return 1;
}

int ec_set_min(const struct adata *l, u64 *out) { return ec_set_extreme(l, out, 0); }
int ec_set_max(const struct adata *l, u64 *out) { return ec_set_extreme(l, out, 1); }

void ec_set_format(const struct adata *l, struct strbuf *sb)
{
  for (uint i = 0; i < ec_set_get_size(l); i++)
  {
    if (i)
      sb_puts(sb, " ");
    ec_format(ec_set_get(l, i), sb);
  }
}

/* ---- large communities ---- */

uint lc_set_get_size(const struct adata *l) { return words(l) / 3; }

struct lcomm lc_set_get(const struct adata *l, uint i)
{
  const u32 *w = wp(l) + 3 * i;
  return (struct lcomm) { w[0], w[1], w[2] };
}

int lc_set_contains(const struct adata *l, struct lcomm v)
{
  u32 w[3] = { v.asn, v.ldp1, v.ldp2 };
  return list_find(l, 3, w);
}

const struct adata *lc_set_add(linpool *lp, const struct adata *l, struct lcomm v)
{
  u32 w[3] = { v.asn, v.ldp1, v.ldp2 };
  return list_add(lp, l, 3, w);
}

static int pred_lc(const u32 *e, const struct f_val *what)
{
  struct lcomm v = { e[0], e[1], e[2] };
  switch (what->type)
  {
  case T_SET: return ft_contains_lc(what->val.t, v);
  case T_LCLIST: return lc_set_contains(what->val.ad, v);
  default: return !lc_cmp(v, what->val.lc);
  }
}

const struct adata *lc_set_del(linpool *lp, const struct adata *l, struct lcomm v)
{
  struct f_val what = { .type = T_LC, .val.lc = v };
  return list_filter(lp, l, 3, pred_lc, &what, 0);
}

const struct adata *lc_set_union(linpool *lp, const struct adata *a, const struct adata *b)
{
  return list_union(lp, a, b, 3);
}

const struct adata *lc_set_filter(linpool *lp, const struct adata *l, const struct f_val *what, int pos)
{
  return list_filter(lp, l, 3, pred_lc, what, pos);
}

int lc_set_match_set(const struct adata *l, const struct f_tree *set)
{
  for (uint i = 0; i < lc_set_get_size(l); i++)
    if (ft_contains_lc(set, lc_set_get(l, i)))
      return 1;
  return 0;
}

static int lc_set_extreme(const struct adata *l, struct lcomm *out, int want_max)
{
  uint n = lc_set_get_size(l);
  if (!n)
    return 0;
  struct lcomm best = lc_set_get(l, 0);
  for (uint i = 1; i < n; i++)
  {
    struct lcomm v = lc_set_get(l, i);
    if (lc_cmp(v, best) == (want_max ? 1 : -1))
      best = v;
  }
  *out = best;
  return 1;
}

int lc_set_min(const struct adata *l, struct lcomm *out) { return lc_set_extreme(l, out, 0); }
int lc_set_max(const struct adata *l, struct lcomm *out) { return lc_set_extreme(l, out, 1); }

void lc_set_format(const struct adata *l, struct strbuf *sb)
{
  char buf[48];
  for (uint i = 0; i < lc_set_get_size(l); i++)
  {
    struct lcomm v = lc_set_get(l, i);
    snprintf(buf, sizeof(buf), "%s(%u, %u, %u)", i ? " " : "", v.asn, v.ldp1, v.ldp2);
    sb_puts(sb, buf);
  }
}
