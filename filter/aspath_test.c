/*
 * filter/aspath_test.c: AS path operations, masks and RFC 7606 checks.
 * Paths are written in a tiny notation: "1 2 {3 4} (5)" (braces AS_SET,
 * parentheses AS_CONFED_SEQUENCE); masks as "* 4 3 ? 1" with "a..b",
 * "[a,b]" (a set of single ASNs) and "+".
 */
#include <stdlib.h>

#include "test/unit.h"
#include "filter/aspath.h"
#include "filter/tree.h"
#include "lib/buffer.h"

static linpool *lp;

static const struct adata *P(const char *s)
{
  const struct adata *p = NULL;
  u32 buf[300];
  while (*s)
  {
    uint type = AS_PATH_SEQUENCE, n = 0;
    char close = 0;
    while (*s == ' ') s++;
    if (!*s) break;
    if (*s == '{') { type = AS_PATH_SET; close = '}'; s++; }
    else if (*s == '(') { type = AS_PATH_CONFED_SEQUENCE; close = ')'; s++; }
    while (*s && *s != close && !(close == 0 && (*s == '{' || *s == '(')))
    {
      char *end;
      if (*s == ' ') { s++; continue; }
      buf[n++] = strtoul(s, &end, 10);
      s = end;
    }
    if (close && *s == close) s++;
    p = as_path_append_segment(lp, p, type, buf, n);
  }
  return p;
}

static struct f_path_mask *M(const char *s)
{
  struct f_path_mask *m = lp_allocz(lp, sizeof(*m) + 128 * sizeof(struct f_path_mask_item));
  while (*s)
  {
    struct f_path_mask_item *it = &m->item[m->len];
    char *end;
    if (*s == ' ') { s++; continue; }
    if (*s == '*') { it->kind = PM_ASTERISK; s++; }
    else if (*s == '?') { it->kind = PM_QUESTION; s++; }
    else if (*s == '+') { it->kind = PM_LOOP; s++; }
    else if (*s == '[')
    {
      struct f_tree_item ti[16];
      uint n = 0;
      s++;
      while (*s != ']')
      {
        if (*s == ',' || *s == ' ') { s++; continue; }
        ti[n++] = ft_item_one(f_val_int(T_INT, strtoul(s, &end, 10)));
        s = end;
      }
      s++;
      it->kind = PM_ASN_SET;
      it->set = ft_build(lp, ti, n);
    }
    else
    {
      it->asn = strtoul(s, &end, 10);
      it->kind = PM_ASN;
      s = end;
      if (s[0] == '.' && s[1] == '.')
      {
        it->from = it->asn;
        it->to = strtoul(s + 2, &end, 10);
        it->kind = PM_ASN_RANGE;
        s = end;
      }
    }
    m->len++;
  }
  return m;
}

static const char *F(const struct adata *p)
{
  struct strbuf sb;
  sb_init(&sb);
  as_path_format(p, &sb);
  char *r = lp_strdup(lp, sb_str(&sb));
  sb_free(&sb);
  return r;
}

static void test_ops(void)
{
  CHECK_STR(F(P("65002 65003 {1 2}")), "65002 65003 {1 2}");
  CHECK_STR(F(P("(65000) 1 {2}")), "(65000) 1 {2}");
  CHECK_STR(F(NULL), "");
  CHECK_STR(F(as_path_prepend(lp, as_path_prepend(lp, NULL, 1), 2)), "2 1");
  CHECK_STR(F(as_path_prepend(lp, P("{1 2}"), 3)), "3 {1 2}");
  CHECK_INT(as_path_prepend(lp, P("{1 2}"), 3)->length, 6 + 10);

  /* the 255-ASN segment limit: the 256th prepend opens a new segment */
  const struct adata *p = NULL;
  for (int i = 0; i < 256; i++)
    p = as_path_prepend(lp, p, 7);
  CHECK_INT(p->length, 2 + 4 * 1 + 2 + 4 * 255);
  CHECK_INT(p->data[1], 1);
  CHECK_INT(p->data[7], 255);
  CHECK_INT(as_path_getlen(p), 256);

  CHECK_INT(as_path_getlen(P("1 2 {3 4 5} (6 7)")), 3);
  CHECK_INT(as_path_getlen(NULL), 0);

  u32 a = 0;
  CHECK(as_path_get_first(P("2 1"), &a)); CHECK_INT(a, 2);
  CHECK(!as_path_get_first(P("{2 3} 1"), &a));
  CHECK(!as_path_get_first(NULL, &a));
  CHECK(as_path_get_first_regular(P("(65000) 7 8"), &a)); CHECK_INT(a, 7);
  CHECK(as_path_get_last(P("2 1"), &a)); CHECK_INT(a, 1);
  CHECK(!as_path_get_last(P("2 1 {3 4}"), &a));
  CHECK(as_path_get_last(P("{3 4} 9"), &a)); CHECK_INT(a, 9);
  CHECK_INT(as_path_get_last_nonaggregated(P("5 6 {3 4} 9")), 6);
  CHECK_INT(as_path_get_last_nonaggregated(P("5 6")), 6);

  CHECK(as_path_contains(P("1 2 {3 1}"), 1, 2));
  CHECK(!as_path_contains(P("1 2 {3 1}"), 1, 3));
  CHECK(as_path_contains(P("1 2 {3 1}"), 3, 1));

  struct f_tree_item bog[] = { ft_item_range(f_val_int(T_INT, 64512), f_val_int(T_INT, 65534)),
                               ft_item_one(f_val_int(T_INT, 23456)) };
  struct f_tree *bogons = ft_build(lp, bog, 2);
  CHECK(as_path_match_set(P("1 2 64600"), bogons));
  CHECK(as_path_match_set(P("1 {2 23456}"), bogons));
  CHECK(!as_path_match_set(P("1 2 3"), bogons));

  /* delete / filter */
  struct f_val two = f_val_int(T_INT, 2);
  CHECK_STR(F(as_path_filter(lp, P("2 1"), &two, 0)), "1");      /* delete(path, 2) */
  CHECK_STR(F(as_path_filter(lp, P("2 1"), &two, 1)), "2");      /* filter(path, [2]) */
  struct f_val bs = { .type = T_SET, .val.t = bogons };
  CHECK_STR(F(as_path_filter(lp, P("1 64512 2 {23456 3} {64513}"), &bs, 0)), "1 2 {3}");
  CHECK_STR(F(as_path_filter(lp, P("1 64512 2 {23456 3} {64513}"), &bs, 1)), "64512 {23456} {64513}");
}

static const struct { const char *path, *mask; int match; } mcases[] = {
  { "", "", 1 },                          /* +empty+ ~ [= =] */
  { "1", "", 0 },                         /* prepend(+empty+,1) ~ [= =] */
  { "", "*", 1 },
  { "1", "?", 1 },
  { "5", "5", 1 },
  { "1 4 3 2 1", "* 4 3 * 1", 1 },
  { "4 3 1", "* 4 3 * 1", 1 },
  { "4 3 1 2", "* 4 3 * 1", 0 },
  { "9 4 3 7 1", "* 4 3 ? 1", 1 },
  { "9 4 3 1", "* 4 3 ? 1", 0 },
  { "1 2 2 2 3", "1 2 + 3", 1 },
  { "1 3", "1 2 + 3", 0 },
  { "1 2 3", "1 2 + 3", 1 },
  { "1 2 3", "1..5 [1,2,3] *", 1 },
  { "6 2 3", "1..5 [1,2,3] *", 0 },
  { "1 4", "1..5 [1,2,3] *", 0 },
  { "1 {7 8} 3", "1 ? 3", 1 },            /* an AS_SET is one position */
  { "1 {7 8} 3", "1 8 3", 1 },            /* ...matched by any member */
  { "1 {7 8} 3", "1 9 3", 0 },
  { "1 {7 8} 3", "1 7 8 3", 0 },
  { "1 {7 8} 3", "* 3", 1 },
  { "1 {7 8} 3", "1 6..7 3", 1 },
  { "1 {7 8} 3", "1 [8] 3", 1 },
  { "1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 2",
    "* * * * * * * * * * * * 1 * * * * * * * * * * 3", 0 },   /* no blow-up */
};

static void test_match(void)
{
  for (uint i = 0; i < ARRAY_SIZE(mcases); i++)
  {
    int r = as_path_match(P(mcases[i].path), M(mcases[i].mask));
    if (r != mcases[i].match)
      fprintf(stderr, "case %u: '%s' ~ [= %s =]\n", i, mcases[i].path, mcases[i].mask);
    CHECK_INT(r, mcases[i].match);
  }

  struct strbuf sb;
  sb_init(&sb);
  pm_format(M("* 4 3 ? 1 + 1..5 [1,2,3]"), &sb);
  CHECK_STR(sb_str(&sb), "[= * 4 3 ? 1 + 1..5 [1, 2, 3] =]");
  sb_free(&sb);
  CHECK(pm_same(M("* 4 [1,2]"), M("* 4 [2,1]")));
  CHECK(!pm_same(M("* 4"), M("* 5")));
  CHECK(!pm_same(M("* 4"), M("* 4 ?")));

  /* a long mask uses the heap path */
  char big[400] = "";
  for (int i = 0; i < 80; i++)
    strcat(big, "? ");
  u32 asns[80];
  for (int i = 0; i < 80; i++)
    asns[i] = i;
  CHECK(as_path_match(as_path_from_asns(lp, asns, 80), M(big)));
  CHECK(!as_path_match(as_path_from_asns(lp, asns, 79), M(big)));
}

static void test_valid(void)
{
  char err[64];
  static const byte ok4[] = { 2, 2, 0, 0, 0xfd, 0xe8, 0, 0, 0xfd, 0xe9, 1, 1, 0, 0, 0, 7 };
  static const byte ok2[] = { 2, 2, 0xfd, 0xe8, 0xfd, 0xe9 };
  static const byte zero_seg[] = { 2, 0 };
  static const byte bad_type[] = { 5, 1, 0, 0, 0, 1 };
  static const byte truncated[] = { 2, 2, 0, 0, 0, 1, 0, 0 };
  static const byte half_hdr[] = { 2, 1, 0, 0, 0, 1, 2 };
  CHECK(as_path_valid(ok4, sizeof(ok4), 1, err, sizeof(err)));
  CHECK(as_path_valid(ok2, sizeof(ok2), 0, err, sizeof(err)));
  CHECK(!as_path_valid(ok2, sizeof(ok2), 1, err, sizeof(err)));
  CHECK(as_path_valid(NULL, 0, 1, err, sizeof(err)));
  CHECK(!as_path_valid(zero_seg, sizeof(zero_seg), 1, err, sizeof(err)));
  CHECK_STR(err, "Zero-length segment");
  CHECK(!as_path_valid(bad_type, sizeof(bad_type), 1, err, sizeof(err)));
  CHECK_STR(err, "Unknown segment 5");
  CHECK(!as_path_valid(truncated, sizeof(truncated), 1, err, sizeof(err)));
  CHECK_STR(err, "Segment framing error");
  CHECK(!as_path_valid(half_hdr, sizeof(half_hdr), 1, err, sizeof(err)));
}

/* as_path_prepend_n() against n calls of as_path_prepend(), on paths that
   start with sets, confederation segments, nearly full sequences. */
static void test_prepend_n(void)
{
  const char *starts[] = { NULL, "1", "{1 2}", "(65000) 1", "1 2 3 {4} 5" };
  uint bad = 0;
  for (uint k = 0; k < ARRAY_SIZE(starts) + 2; k++)
    for (uint n = 0; n <= 300; n += (n < 8 ? 1 : 37))
    {
      const struct adata *p = k < ARRAY_SIZE(starts) ? (starts[k] ? P(starts[k]) : NULL) : NULL;
      for (uint f = 0; k >= ARRAY_SIZE(starts) && f < (k == ARRAY_SIZE(starts) ? 253 : 255); f++)
        p = as_path_prepend(lp, p, 9);          /* a sequence 2 or 0 short of full */
      u32 asn[300];
      const struct adata *want = p;
      for (uint i = 0; i < n; i++)
      {
        asn[i] = 100 + i;
        want = as_path_prepend(lp, want, asn[i]);
      }
      const struct adata *got = as_path_prepend_n(lp, p, asn, n);
      uint lw = want ? want->length : 0;
      if (got->length != lw || (lw && memcmp(got->data, want->data, lw)))
        bad++;
    }
  CHECK_INT(bad, 0);
}

int main(void)
{
  lp = lp_new(&root_pool);
  test_ops();
  test_prepend_n();
  test_match();
  test_valid();
  return unit_done("aspath_test");
}
