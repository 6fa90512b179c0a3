/*
 * filter/aspath.c: AS paths and path masks (see aspath.h).
 *
 * All readers walk the segments with seg_next(), which trusts the
 * encoding: paths reaching the filter layer were checked by
 * as_path_valid() on receipt or built here.
 */
#include <stdio.h>
#include <string.h>

#include "filter/aspath.h"
#include "filter/tree.h"
#include "lib/buffer.h"

static inline u32 get_u32(const byte *p)
{
  u32 v;
  memcpy(&v, p, 4);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  v = __builtin_bswap32(v);
#endif
  return v;
}

static inline void put_u32(byte *p, u32 v)
{
  p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v;
}

struct seg {
  uint type, count;
  const byte *asn;              /* count x 4 bytes */
};

/* Iterator: *off is the offset of the next segment. */
static int seg_next(const struct adata *p, uint *off, struct seg *s)
{
  if (!p || *off + 2 > p->length)
    return 0;
  const byte *d = p->data + *off;
  s->type = d[0];
  s->count = d[1];
  s->asn = d + 2;
  *off += 2 + 4 * s->count;
  return 1;
}

#define SEG_ASN(s, i) get_u32((s)->asn + 4 * (i))

static struct adata *path_alloc(linpool *lp, uint len)
{
  struct adata *r = lp_alloc(lp, sizeof(*r) + len);
  r->length = len;
  return r;
}

const struct adata *as_path_append_segment(linpool *lp, const struct adata *p, uint type,
                                           const u32 *asns, uint n)
{
  uint old = p ? p->length : 0;
  uint nseg = (n + AS_PATH_SEGMENT_MAX - 1) / AS_PATH_SEGMENT_MAX;
  struct adata *r = path_alloc(lp, old + 2 * nseg + 4 * n);
  if (old)
    memcpy(r->data, p->data, old);
  byte *o = r->data + old;
  for (uint i = 0; i < n; )
  {
    uint c = MIN(n - i, (uint) AS_PATH_SEGMENT_MAX);
    *o++ = type;
    *o++ = c;
    for (uint j = 0; j < c; j++, o += 4)
      put_u32(o, asns[i + j]);
    i += c;
  }
  return r;
}

const struct adata *as_path_from_asns(linpool *lp, const u32 *asns, uint n)
{
  return as_path_append_segment(lp, NULL, AS_PATH_SEQUENCE, asns, n);
}

/* Prepending joins the leading AS_SEQUENCE unless it is full (RFC 4271 5.1.2). */
const struct adata *as_path_prepend(linpool *lp, const struct adata *p, u32 asn)
{
  uint len = p ? p->length : 0;
  struct adata *r;

  if (len >= 2 && p->data[0] == AS_PATH_SEQUENCE && p->data[1] < AS_PATH_SEGMENT_MAX)
  {
    r = path_alloc(lp, len + 4);
    r->data[0] = AS_PATH_SEQUENCE;
    r->data[1] = p->data[1] + 1;
    put_u32(r->data + 2, asn);
    memcpy(r->data + 6, p->data + 2, len - 2);
    return r;
  }

  r = path_alloc(lp, len + 6);
  r->data[0] = AS_PATH_SEQUENCE;
  r->data[1] = 1;
  put_u32(r->data + 2, asn);
  if (len)
    memcpy(r->data + 6, p->data, len);
  return r;
}

/* The path is built backwards from the end of one block that has room
   for n new segments: each ASN either joins the first segment (a
   sequence with room), taking 4 bytes in front of it and moving its
   header, or starts a new one of 6 bytes, exactly as as_path_prepend()
   decides; then the result moves to the front of the block. */
const struct adata *as_path_prepend_n(linpool *lp, const struct adata *p, const u32 *asn, uint n)
{
  uint len = p ? p->length : 0, cap = len + 6 * n;
  struct adata *r = path_alloc(lp, cap);
  byte *d = r->data;
  uint start = cap - len;
  if (len)
    memcpy(d + start, p->data, len);
  for (uint i = 0; i < n; i++)
  {
    if (cap - start >= 2 && d[start] == AS_PATH_SEQUENCE && d[start + 1] < AS_PATH_SEGMENT_MAX)
    {
      uint count = d[start + 1];
      put_u32(d + start - 2, asn[i]);
      d[start - 4] = AS_PATH_SEQUENCE;
      d[start - 3] = count + 1;
      start -= 4;
    }
    else
    {
      put_u32(d + start - 4, asn[i]);
      d[start - 6] = AS_PATH_SEQUENCE;
      d[start - 5] = 1;
      start -= 6;
    }
  }
  memmove(d, d + start, cap - start);
  r->length = cap - start;
  return r;
}

/* RFC 4271 9.1.2.2 a): a set counts as one, confederation segments not at all (RFC 5065 5.3). */
uint as_path_getlen(const struct adata *p)
{
  uint off = 0, n = 0;
  struct seg s;
  while (seg_next(p, &off, &s))
    if (s.type == AS_PATH_SEQUENCE)
      n += s.count;
    else if (s.type == AS_PATH_SET)
      n += 1;
  return n;
}

/* bgp_path.first: the leftmost ASN if the path starts with a sequence. */
int as_path_get_first(const struct adata *p, u32 *asn)
{
  uint off = 0;
  struct seg s;
  if (!seg_next(p, &off, &s) || s.type != AS_PATH_SEQUENCE || !s.count)
    return 0;
  *asn = SEG_ASN(&s, 0);
  return 1;
}

/* The neighbour AS: the first ASN outside confederation segments. */
int as_path_get_first_regular(const struct adata *p, u32 *asn)
{
  uint off = 0;
  struct seg s;
  while (seg_next(p, &off, &s))
  {
    if (s.type == AS_PATH_CONFED_SEQUENCE || s.type == AS_PATH_CONFED_SET)
      continue;
    if (s.type != AS_PATH_SEQUENCE || !s.count)
      return 0;
    *asn = SEG_ASN(&s, 0);
    return 1;
  }
  return 0;
}

/* The origin AS; unknown (0) when the path ends with an AS_SET. */
int as_path_get_last(const struct adata *p, u32 *asn)
{
  uint off = 0;
  int found = 0;
  struct seg s;
  while (seg_next(p, &off, &s))
  {
    if (s.type == AS_PATH_SET)
      found = 0;
    else if (s.type == AS_PATH_SEQUENCE && s.count)
    {
      *asn = SEG_ASN(&s, s.count - 1);
      found = 1;
    }
  }
  return found;
}

/* The last ASN before the first AS_SET (the aggregator's own origin). */
u32 as_path_get_last_nonaggregated(const struct adata *p)
{
  uint off = 0;
  u32 res = 0;
  struct seg s;
  while (seg_next(p, &off, &s))
  {
    if (s.type == AS_PATH_SET)
      break;
    if (s.type == AS_PATH_SEQUENCE && s.count)
      res = SEG_ASN(&s, s.count - 1);
  }
  return res;
}

int as_path_contains(const struct adata *p, u32 asn, int min)
{
  uint off = 0;
  int n = 0;
  struct seg s;
  while (seg_next(p, &off, &s))
    for (uint i = 0; i < s.count; i++)
      if (SEG_ASN(&s, i) == asn && ++n >= min)
        return 1;
  return 0;
}

int as_path_match_set(const struct adata *p, const struct f_tree *set)
{
  uint off = 0;
  struct seg s;
  while (seg_next(p, &off, &s))
    for (uint i = 0; i < s.count; i++)
      if (ft_contains_u32(set, SEG_ASN(&s, i)))
        return 1;
  return 0;
}

uint as_path_get_asns(const struct adata *p, u32 *out, uint max)
{
  uint off = 0, n = 0;
  struct seg s;
  while (seg_next(p, &off, &s))
    for (uint i = 0; i < s.count && n < max; i++)
      out[n++] = SEG_ASN(&s, i);
  return n;
}

static int filter_hit(u32 asn, const struct f_val *what)
{
  return what->type == T_SET ? ft_contains_u32(what->val.t, asn) : asn == what->val.i;
}

const struct adata *as_path_filter(linpool *lp, const struct adata *p, const struct f_val *what, int pos)
{
  if (!p)
    return p;
  /* the result is never longer than the input */
  struct adata *r = path_alloc(lp, p->length);
  byte *o = r->data;
  uint off = 0;
  struct seg s;
  while (seg_next(p, &off, &s))
  {
    byte *hdr = o;
    uint kept = 0;
    o += 2;
    for (uint i = 0; i < s.count; i++)
    {
      u32 a = SEG_ASN(&s, i);
      if (!!filter_hit(a, what) == !!pos)
      {
        put_u32(o, a);
        o += 4;
        kept++;
      }
    }
    if (!kept)
      o = hdr;
    else
    {
      hdr[0] = s.type;
      hdr[1] = kept;
    }
  }
  r->length = o - r->data;
  return r;
}

void as_path_format(const struct adata *p, struct strbuf *sb)
{
  static const char *const open[] = { "", "{", "", "(", "({" };
  static const char *const close[] = { "", "}", "", ")", "})" };
  uint off = 0;
  int first = 1;
  char buf[16];
  struct seg s;
  while (seg_next(p, &off, &s))
  {
    uint t = s.type <= 4 ? s.type : AS_PATH_SEQUENCE;
    if (!first)
      sb_puts(sb, " ");
    first = 0;
    sb_puts(sb, open[t]);
    for (uint i = 0; i < s.count; i++)
    {
      snprintf(buf, sizeof(buf), "%s%u", i ? " " : "", SEG_ASN(&s, i));
      sb_puts(sb, buf);
    }
    sb_puts(sb, close[t]);
  }
}

int as_path_valid(const byte *data, uint len, int as4, char *err, size_t errlen)
{
  uint asn_size = as4 ? 4 : 2;
  uint pos = 0;
  while (pos < len)
  {
    if (pos + 2 > len)
    {
      snprintf(err, errlen, "Segment framing error");
      return 0;
    }
    uint type = data[pos], count = data[pos + 1];
    if (type < AS_PATH_SET || type > AS_PATH_CONFED_SET)
    {
      snprintf(err, errlen, "Unknown segment %u", type);
      return 0;
    }
    if (!count)
    {
      snprintf(err, errlen, "Zero-length segment");
      return 0;
    }
    pos += 2 + count * asn_size;
    if (pos > len)
    {
      snprintf(err, errlen, "Segment framing error");
      return 0;
    }
  }
  return 1;
}

/* ---- masks ---- */

struct pm_pos {
  const byte *asn;              /* one ASN, or a whole AS_SET */
  uint count;
};

static int pm_hit(const struct f_path_mask_item *it, const struct pm_pos *p)
{
  if (it->kind == PM_QUESTION)
    return 1;
  for (uint i = 0; i < p->count; i++)
  {
    u32 a = get_u32(p->asn + 4 * i);
    switch (it->kind)
    {
    case PM_ASN: if (a == it->asn) return 1; break;
    case PM_ASN_RANGE: if (a >= it->from && a <= it->to) return 1; break;
    case PM_ASN_SET: if (ft_contains_u32(it->set, a)) return 1; break;
    default: return 0;
    }
  }
  return 0;
}

static int is_matcher(const struct f_path_mask_item *it)
{
  return it->kind != PM_ASTERISK && it->kind != PM_LOOP;
}

/* States k are "items 0..k-1 consumed"; * and + states also let the
 * match move on without consuming. */
static void pm_closure(const struct f_path_mask *m, u8 *st)
{
  for (uint k = 0; k < m->len; k++)
    if (st[k] && !is_matcher(&m->item[k]))
      st[k + 1] = 1;
}

static void pm_step(const struct f_path_mask *m, const u8 *cur, u8 *nxt, const struct pm_pos *p)
{
  memset(nxt, 0, m->len + 1);
  for (uint k = 0; k < m->len; k++)
  {
    if (!cur[k])
      continue;
    const struct f_path_mask_item *it = &m->item[k];
    if (it->kind == PM_ASTERISK)
      nxt[k] = 1;
    else if (it->kind == PM_LOOP)
    {
      if (k && is_matcher(&m->item[k - 1]) && pm_hit(&m->item[k - 1], p))
        nxt[k] = 1;
    }
    else if (pm_hit(it, p))
      nxt[k + 1] = 1;
  }
  pm_closure(m, nxt);
}

static int pm_run(const struct adata *path, const struct f_path_mask *m, u8 *cur, u8 *nxt)
{
  memset(cur, 0, m->len + 1);
  cur[0] = 1;
  pm_closure(m, cur);

  uint off = 0;
  struct seg s;
  while (seg_next(path, &off, &s))
  {
    int is_set = (s.type == AS_PATH_SET || s.type == AS_PATH_CONFED_SET);
    uint npos = is_set ? 1 : s.count;
    for (uint i = 0; i < npos; i++)
    {
      struct pm_pos p = { s.asn + 4 * i, is_set ? s.count : 1 };
      pm_step(m, cur, nxt, &p);
      u8 *t = cur; cur = nxt; nxt = t;
    }
  }
  return cur[m->len];
}

int as_path_match(const struct adata *path, const struct f_path_mask *mask)
{
  u8 small[2][64];
  if (mask->len < 64)
    return pm_run(path, mask, small[0], small[1]);

  u8 *buf = xmalloc(2 * (mask->len + 1));
  int r = pm_run(path, mask, buf, buf + mask->len + 1);
  xfree(buf);
  return r;
}

int pmi_same(const struct f_path_mask_item *a, const struct f_path_mask_item *b)
{
  if (a->kind != b->kind)
    return 0;
  switch (a->kind)
  {
  case PM_ASN: return a->asn == b->asn;
  case PM_ASN_RANGE: return a->from == b->from && a->to == b->to;
  case PM_ASN_SET: return ft_same(a->set, b->set);
  case PM_ASN_EXPR: return a->expr == b->expr;
  default: return 1;
  }
}

int pm_same(const struct f_path_mask *a, const struct f_path_mask *b)
{
  if (a->len != b->len)
    return 0;
  for (uint i = 0; i < a->len; i++)
    if (!pmi_same(&a->item[i], &b->item[i]))
      return 0;
  return 1;
}

void pmi_format(const struct f_path_mask_item *it, struct strbuf *sb)
{
  char buf[32];
  switch (it->kind)
  {
  case PM_ASN: snprintf(buf, sizeof(buf), "%u", it->asn); break;
  case PM_QUESTION: strcpy(buf, "?"); break;
  case PM_ASTERISK: strcpy(buf, "*"); break;
  case PM_LOOP: strcpy(buf, "+"); break;
  case PM_ASN_RANGE: snprintf(buf, sizeof(buf), "%u..%u", it->from, it->to); break;
  case PM_ASN_EXPR: strcpy(buf, "#"); break;
  case PM_ASN_SET: ft_format(it->set, sb); return;
  default: strcpy(buf, "?!"); break;
  }
  sb_puts(sb, buf);
}

void pm_format(const struct f_path_mask *m, struct strbuf *sb)
{
  sb_puts(sb, "[= ");
  for (uint i = 0; i < m->len; i++)
  {
    pmi_format(&m->item[i], sb);
    sb_puts(sb, " ");
  }
  sb_puts(sb, "=]");
}
