/*
 * filter/tree_test.c: constant sets. Formats as printed by bird 2.0.12
 * (`birdc eval '[...]'`), membership against a naive scan of the items.
 */
#include <stdlib.h>

#include "test/unit.h"
#include "filter/tree.h"
#include "lib/buffer.h"

static linpool *lp;

static const char *fmt(const struct f_tree *t)
{
  struct f_val v = { .type = T_SET, .val.t = t };
  return val_format_str(lp, &v);
}

static struct f_tree_item I(uint a, uint b)
{
  return ft_item_range(f_val_int(T_INT, a), f_val_int(T_INT, b));
}

static void test_format(void)
{
  struct f_tree_item a[] = { I(1, 1), I(2, 2), I(3, 5) };
  CHECK_STR(fmt(ft_build(lp, a, 3)), "[1, 2, 3..5]");
  struct f_tree_item b[] = { I(1, 5), I(1, 3), I(1, 1), I(0, 1) };
  CHECK_STR(fmt(ft_build(lp, b, 4)), "[0..1, 1..5, 1..3, 1]");       /* stable by start */
  struct f_tree_item c[] = { I(5, 5), I(1, 3), I(1, 5), I(1, 1), I(0, 0) };
  CHECK_STR(fmt(ft_build(lp, c, 5)), "[0, 1..3, 1..5, 1, 5]");
  CHECK_STR(fmt(ft_build(lp, NULL, 0)), "[]");

  struct f_tree_item p[8];
  int n = ft_pair_range(p, 8, 3, 3, 0, 0xffff);
  n += ft_pair_range(p + n, 8 - n, 1, 1, 2, 2);
  CHECK_STR(fmt(ft_build(lp, p, n)), "[(1,2), (3,0)..(3,65535)]");   /* [(1,2), (3,*)] */
  n = ft_pair_range(p, 8, 1, 3, 2, 5);
  CHECK_STR(fmt(ft_build(lp, p, n)), "[(1,2)..(1,5), (2,2)..(2,5), (3,2)..(3,5)]");
  n = ft_pair_range(p, 8, 1, 3, 0, 0xffff);
  CHECK_STR(fmt(ft_build(lp, p, n)), "[(1,0)..(3,65535)]");         /* [(1..3, *)] */
  n = ft_pair_range(p, 8, 1, 3, 4, 4);
  CHECK_STR(fmt(ft_build(lp, p, n)), "[(1,4), (2,4), (3,4)]");
  CHECK_INT(ft_pair_range(p, 2, 1, 3, 4, 4), -1);                   /* does not fit */

  n = ft_lc_range(p, 8, 1, 2, 2, 3, 3);
  n += ft_lc_range(p + n, 8 - n, 1, 2, 2, 0, 0xffffffffu);
  CHECK_STR(fmt(ft_build(lp, p, n)), "[(1, 2, 0)..(1, 2, 4294967295), (1, 2, 3)]");
  n = ft_lc_range(p, 8, 1, 0, 0xffffffffu, 0, 0xffffffffu);
  CHECK_STR(fmt(ft_build(lp, p, n)), "[(1, 0, 0)..(1, 4294967295, 4294967295)]");
  n = ft_lc_range(p, 8, 1, 2, 5, 0, 0xffffffffu);
  CHECK_STR(fmt(ft_build(lp, p, n)), "[(1, 2, 0)..(1, 5, 4294967295)]");

  ip_addr x, y, z;
  ipa_pton("1.2.3.4", &x); ipa_pton("1.1.1.1", &y); ipa_pton("1.1.1.5", &z);
  struct f_tree_item ips[] = { ft_item_one(f_val_ip(x)), ft_item_range(f_val_ip(y), f_val_ip(z)) };
  CHECK_STR(fmt(ft_build(lp, ips, 2)), "[1.1.1.1..1.1.1.5, 1.2.3.4]");

  struct f_tree_item rd[] = { ft_item_one((struct f_val) { .type = T_RD, .val.rd = rd_from_as2(1, 3) }),
                              ft_item_one((struct f_val) { .type = T_RD, .val.rd = rd_from_as2(1, 2) }) };
  CHECK_STR(fmt(ft_build(lp, rd, 2)), "[1:2, 1:3]");
}

static void test_invalid(void)
{
  struct f_tree_item bad[] = { I(5, 1) };
  CHECK(ft_build(lp, bad, 1) == NULL);
  struct f_tree_item mixed[] = { I(1, 1), ft_item_one(f_val_pair(1, 2)) };
  CHECK(ft_build(lp, mixed, 2) == NULL);
  struct f_tree_item str[] = { ft_item_one((struct f_val) { .type = T_STRING, .val.s = "x" }) };
  CHECK(ft_build(lp, str, 1) == NULL);
}

/* Random overlapping ranges vs a linear scan; also checks that ft_find
 * returns the first containing item in sorted order. */
static void test_model(void)
{
  uint bad = 0;
  for (int round = 0; round < 300; round++)
  {
    struct f_tree_item it[64];
    uint n = random() % 64;
    for (uint i = 0; i < n; i++)
    {
      uint a = random() % 1000, len = (random() % 4) ? random() % 5 : random() % 300;
      it[i] = I(a, a + len);
      it[i].data = &it[i];
    }
    struct f_tree *t = ft_build(lp, it, n);
    for (uint v = 0; v < 1400; v += 1 + random() % 3)
    {
      struct f_val x = f_val_int(T_INT, v);
      const struct f_tree_item *f = ft_find(t, &x);
      int want = 0;
      for (uint i = 0; i < n; i++)
        if (it[i].from.val.i <= v && v <= it[i].to.val.i)
          want = 1;
      if (!!f != want || ft_contains_u32(t, v) != want)
        bad++;
      if (f && !(f->from.val.i <= v && v <= f->to.val.i))
        bad++;
      /* nothing earlier in sorted order contains v */
      for (uint i = 0; f && &t->items[i] != f; i++)
        if (t->items[i].from.val.i <= v && v <= t->items[i].to.val.i)
          bad++;
    }
  }
  CHECK_INT(bad, 0);
}

/* The merged runs behind ft_contains_u32: adjacent and overlapping items,
   the ends of the u32 range, the route-server bogon ASN set. */
static void test_runs(void)
{
  struct f_tree_item a[] = { I(10, 19), I(20, 29), I(25, 26), I(31, 31), I(0xfffffff0u, 0xffffffffu), I(0, 0) };
  struct f_tree *t = ft_build(lp, a, 6);
  CHECK_INT(t->nruns, 4);
  CHECK(ft_contains_u32(t, 0) && !ft_contains_u32(t, 1) && !ft_contains_u32(t, 9));
  CHECK(ft_contains_u32(t, 10) && ft_contains_u32(t, 29) && !ft_contains_u32(t, 30));
  CHECK(ft_contains_u32(t, 31) && !ft_contains_u32(t, 32));
  CHECK(!ft_contains_u32(t, 0xffffffefu) && ft_contains_u32(t, 0xffffffffu));
  struct f_tree_item b[] = { I(0, 0), I(23456, 23456), I(64496, 131071), I(4200000000u, 0xffffffffu) };
  t = ft_build(lp, b, 4);
  CHECK(ft_contains_u32(t, 64496) && ft_contains_u32(t, 131071) && !ft_contains_u32(t, 131072));
  CHECK(!ft_contains_u32(t, 6939) && !ft_contains_u32(t, 174) && ft_contains_u32(t, 4200000001u));
  struct f_tree_item ec[] = { ft_item_range(f_val_ec(1), f_val_ec(1ULL << 40)) };
  CHECK(ft_build(lp, ec, 1)->run_lo == NULL);     /* keys beyond 32 bits: no runs */
}

static void test_same_and_types(void)
{
  struct f_tree_item a[] = { I(1, 1), I(3, 5) }, b[] = { I(3, 5), I(1, 1) }, c[] = { I(1, 1), I(3, 6) };
  CHECK(ft_same(ft_build(lp, a, 2), ft_build(lp, b, 2)));
  CHECK(!ft_same(ft_build(lp, a, 2), ft_build(lp, c, 2)));
  CHECK(ft_same(ft_build(lp, NULL, 0), NULL));

  struct f_tree_item lc[] = { ft_item_range(f_val_lc(64500, 0, 0), f_val_lc(64500, 0xffffffffu, 0xffffffffu)) };
  struct f_tree *t = ft_build(lp, lc, 1);
  CHECK(ft_contains_lc(t, (struct lcomm) { 64500, 7, 9 }));
  CHECK(!ft_contains_lc(t, (struct lcomm) { 64501, 0, 0 }));
  struct f_tree_item ec[] = { ft_item_range(f_val_ec(1000), f_val_ec(2000)) };
  CHECK(ft_contains_u64(ft_build(lp, ec, 1), 1500));
  CHECK(!ft_contains_u64(ft_build(lp, ec, 1), 2001));
  struct f_val wrong = f_val_pair(0, 5);
  CHECK(ft_find(ft_build(lp, a, 2), &wrong) == NULL);   /* type mismatch */
}

int main(void)
{
  lp = lp_new(&root_pool);
  srandom(1);
  test_format();
  test_invalid();
  test_model();
  test_runs();
  test_same_and_types();
  return unit_done("tree_test");
}
