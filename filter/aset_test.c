/*
 * filter/aset_test.c: community lists. Add order and formats as bird
 * 2.0.12 shows them (`eval add(add(-empty-, (3,4)), (1,2))` gives
 * "(clist (3,4) (1,2))", `-empty-.min` gives (0,0)).
 */
#include "test/unit.h"
#include "filter/aset.h"
#include "filter/tree.h"
#include "lib/buffer.h"

static linpool *lp;

#define PAIR(a, b) (((u32) (a) << 16) | (b))

static const char *fmt(enum f_type t, const struct adata *l)
{
  struct f_val v = f_val_adata(t, l);
  return val_format_str(lp, &v);
}

static void test_clist(void)
{
  const struct adata *l = int_set_add(lp, int_set_add(lp, NULL, PAIR(3, 4)), PAIR(1, 2));
  CHECK_STR(fmt(T_CLIST, l), "(clist (3,4) (1,2))");
  CHECK(int_set_add(lp, l, PAIR(3, 4)) == l);            /* no duplicates, no copy */
  CHECK_INT(int_set_get_size(l), 2);
  CHECK(int_set_contains(l, PAIR(1, 2)));
  CHECK(!int_set_contains(l, PAIR(1, 3)));
  CHECK_STR(fmt(T_CLIST, int_set_del(lp, l, PAIR(3, 4))), "(clist (1,2))");
  CHECK(int_set_del(lp, l, PAIR(9, 9)) == l);

  u32 v;
  CHECK(int_set_min(l, &v)); CHECK_INT(v, PAIR(1, 2));
  CHECK(int_set_max(l, &v)); CHECK_INT(v, PAIR(3, 4));
  CHECK(!int_set_min(NULL, &v));
  CHECK_STR(fmt(T_CLIST, NULL), "(clist )");

  /* delete([(65000,*)]) and filter() */
  static const u32 init[] = { PAIR(65000, 1), PAIR(1, 1), PAIR(65000, 2), PAIR(2, 2) };
  const struct adata *c = int_set_new(lp, init, 4);
  struct f_tree_item w[1];
  ft_pair_range(w, 1, 65000, 65000, 0, 0xffff);
  struct f_val set = { .type = T_SET, .val.t = ft_build(lp, w, 1) };
  CHECK_STR(fmt(T_CLIST, int_set_filter(lp, c, &set, 0)), "(clist (1,1) (2,2))");
  CHECK_STR(fmt(T_CLIST, int_set_filter(lp, c, &set, 1)), "(clist (65000,1) (65000,2))");
  CHECK(int_set_match_set(c, set.val.t));
  struct f_val other = f_val_adata(T_CLIST, int_set_new(lp, init + 1, 2));
  CHECK_STR(fmt(T_CLIST, int_set_filter(lp, c, &other, 0)), "(clist (65000,1) (2,2))");

  /* union keeps a's order and appends b's new members */
  static const u32 b[] = { PAIR(2, 2), PAIR(7, 7), PAIR(7, 7), PAIR(1, 1) };
  CHECK_STR(fmt(T_CLIST, int_set_union(lp, c, int_set_new(lp, b, 4))),
            "(clist (65000,1) (1,1) (65000,2) (2,2) (7,7))");
  CHECK(int_set_union(lp, c, NULL) == c);
}

static void test_eclist(void)
{
  u64 rt = ec_as2(EC_RT, 1, 2), ro = ec_ip4(EC_RO, ip4_from_u32(0x01020304), 7);
  const struct adata *l = ec_set_add(lp, ec_set_add(lp, NULL, rt), ro);
  CHECK_STR(fmt(T_ECLIST, l), "(eclist (rt, 1, 2) (ro, 1.2.3.4, 7))");
  CHECK(ec_set_add(lp, l, rt) == l);
  CHECK_INT(ec_set_get_size(l), 2);
  CHECK(ec_set_contains(l, ro));
  CHECK_STR(fmt(T_ECLIST, ec_set_del(lp, l, rt)), "(eclist (ro, 1.2.3.4, 7))");
  u64 v;
  CHECK(ec_set_min(l, &v)); CHECK(v == rt);
  CHECK(ec_set_max(l, &v)); CHECK(v == ro);

  /* (rt, 1, *) */
  struct f_tree_item it[] = { ft_item_range(f_val_ec(ec_as2(EC_RT, 1, 0)),
                                            f_val_ec(ec_as2(EC_RT, 1, ec_value_max(ec_as2(EC_RT, 1, 0))))) };
  struct f_val set = { .type = T_SET, .val.t = ft_build(lp, it, 1) };
  CHECK_STR(fmt(T_ECLIST, ec_set_filter(lp, l, &set, 0)), "(eclist (ro, 1.2.3.4, 7))");
  CHECK_STR(fmt(T_ECLIST, ec_set_filter(lp, l, &set, 1)), "(eclist (rt, 1, 2))");
  CHECK_INT(ec_value_max(ec_as4(EC_RT, 70000, 0)), 0xffff);         /* [(rt, 70000, *)] */
  CHECK_STR(fmt(T_ECLIST, ec_set_union(lp, ec_set_add(lp, NULL, ro), l)),
            "(eclist (ro, 1.2.3.4, 7) (rt, 1, 2))");
}

static void test_lclist(void)
{
  struct lcomm a = { 64500, 1, 2 }, b = { 64501, 0, 0 }, c = { 64500, 7, 7 };
  const struct adata *l = lc_set_add(lp, lc_set_add(lp, lc_set_add(lp, NULL, a), b), c);
  CHECK_STR(fmt(T_LCLIST, l), "(lclist (64500, 1, 2) (64501, 0, 0) (64500, 7, 7))");
  CHECK(lc_set_add(lp, l, b) == l);
  CHECK_INT(lc_set_get_size(l), 3);

  /* delete([(64500,*,*)]) */
  struct f_tree_item it[1];
  CHECK_INT(ft_lc_range(it, 1, 64500, 0, 0xffffffffu, 0, 0xffffffffu), 1);
  struct f_val set = { .type = T_SET, .val.t = ft_build(lp, it, 1) };
  CHECK_STR(fmt(T_LCLIST, lc_set_filter(lp, l, &set, 0)), "(lclist (64501, 0, 0))");
  CHECK_STR(fmt(T_LCLIST, lc_set_filter(lp, l, &set, 1)), "(lclist (64500, 1, 2) (64500, 7, 7))");
  CHECK(lc_set_match_set(l, set.val.t));
  CHECK_STR(fmt(T_LCLIST, lc_set_del(lp, l, a)), "(lclist (64501, 0, 0) (64500, 7, 7))");

  struct lcomm m;
  CHECK(lc_set_min(l, &m)); CHECK(!lc_cmp(m, a));
  CHECK(lc_set_max(l, &m)); CHECK(!lc_cmp(m, b));
  CHECK(!lc_set_max(NULL, &m));
  CHECK(lc_set_union(lp, l, lc_set_add(lp, NULL, c)) == l);
}

int main(void)
{
  lp = lp_new(&root_pool);
  test_clist();
  test_eclist();
  test_lclist();
  return unit_done("aset_test");
}
