/*
 * filter/data_test.c: formatting, comparison and `~` of filter values.
 * Expected strings are what bird 2.0.12 printed for `birdc eval <expr>`
 * (the expression is in the comment next to each case).
 */
#include "test/unit.h"
#include "filter/data.h"
#include "filter/tree.h"
#include "filter/trie.h"
#include "filter/aspath.h"
#include "filter/aset.h"
#include "lib/buffer.h"

static linpool *lp;

static const char *fmt(struct f_val v)
{
  return val_format_str(lp, &v);
}

static struct f_val quad(u32 a) { return f_val_int(T_QUAD, a); }

static struct f_val ip(const char *s)
{
  ip_addr a;
  ipa_pton(s, &a);
  return f_val_ip(a);
}

static struct f_val net(const char *s)
{
  net_addr *n = lp_allocz(lp, sizeof(net_addr));
  net_pton(s, n);
  return (struct f_val) { .type = T_NET, .val.net = n };
}

static struct f_val str(const char *s) { return (struct f_val) { .type = T_STRING, .val.s = s }; }

static struct f_val path(const u32 *a, uint n)
{
  return f_val_adata(T_PATH, as_path_from_asns(lp, a, n));
}

static struct f_val set_of(const struct f_tree_item *it, uint n)
{
  return (struct f_val) { .type = T_SET, .val.t = ft_build(lp, it, n) };
}

static void test_scalars(void)
{
  CHECK_STR(fmt(f_val_int(T_INT, 4294967295u)), "4294967295");     /* -1 */
  CHECK_STR(fmt(f_val_int(T_BOOL, 1)), "TRUE");                     /* true */
  CHECK_STR(fmt(f_val_int(T_BOOL, 0)), "FALSE");
  CHECK_STR(fmt(f_val_pair(1, 2)), "(1,2)");
  CHECK_STR(fmt(quad(0x01020304)), "1.2.3.4");
  CHECK_STR(fmt(ip("1.2.3.4")), "1.2.3.4");
  CHECK_STR(fmt(ip("::")), "::");
  CHECK_STR(fmt(ip("2001:db8::1")), "2001:db8::1");
  CHECK_STR(fmt(net("10.0.0.0/8")), "10.0.0.0/8");
  CHECK_STR(fmt(net("2001:db8::/32")), "2001:db8::/32");
  CHECK_STR(fmt(str("abc")), "abc");
  CHECK_STR(fmt(f_val_int(T_ENUM_ROA, 1)), "(enum 35)1");            /* ROA_VALID */
  CHECK_STR(fmt(f_val_int(T_ENUM_RTS, 11)), "(enum 30)11");          /* RTS_BGP */
  CHECK_STR(fmt(f_val_int(T_ENUM_NETTYPE, 2)), "(enum 36)2");        /* NET_IP6 */
  CHECK_STR(fmt(f_val_int(T_ENUM_RTD, 1)), "(enum 34)1");            /* RTD_UNICAST */
  CHECK_STR(fmt(f_val_int(T_ENUM_SCOPE, 0)), "(enum 32)0");          /* SCOPE_HOST */
  CHECK_STR(fmt(f_val_int(T_ENUM_BGP_ORIGIN, 0)), "(enum 31)0");     /* ORIGIN_IGP */
  CHECK_STR(fmt(f_val_lc(1, 2, 3)), "(1, 2, 3)");
  CHECK_STR(fmt(f_val_lc(4200000000u, 4294967295u, 0)), "(4200000000, 4294967295, 0)");
  CHECK_STR(fmt((struct f_val) { .type = T_VOID }), "(void)");
}

static void test_ec_rd(void)
{
  CHECK_STR(fmt(f_val_ec(ec_as2(EC_RT, 10, 20))), "(rt, 10, 20)");
  CHECK_STR(fmt(f_val_ec(ec_as2(EC_RO, 10, 20))), "(ro, 10, 20)");
  CHECK_STR(fmt(f_val_ec(ec_as2(EC_RO, 65535, 65536))), "(ro, 65535, 65536)");
  CHECK_STR(fmt(f_val_ec(ec_as2(EC_RT, 10, 4294967295u))), "(rt, 10, 4294967295)");
  CHECK_STR(fmt(f_val_ec(ec_as4(EC_RT, 4200000000u, 20))), "(rt, 4200000000, 20)");
  CHECK_STR(fmt(f_val_ec(ec_as4(EC_RT, 65536, 20))), "(rt, 65536, 20)");
  CHECK_STR(fmt(f_val_ec(ec_ip4(EC_RT, ip4_from_u32(0x01020304), 20))), "(rt, 1.2.3.4, 20)");
  CHECK_STR(fmt(f_val_ec(ec_generic(10, 20))), "(unknown 0x0, 10, 20)");          /* (generic, 10, 20) */
  CHECK_STR(fmt(f_val_ec(ec_generic(0x12345678, 0x9abcdef0))), "(generic, 0x12345678, 0x9abcdef0)");
  CHECK_STR(fmt(f_val_ec(ec_as2(0x4300, 1, 2))), "(generic, 0x43000001, 0x2)");   /* (unknown 0x4300, 1, 2) */
  CHECK_STR(fmt(f_val_ec(ec_as2(0x4002, 1, 2))), "(unknown 0x4002, 1, 2)");
  CHECK_STR(fmt(f_val_ec(ec_as2(0x0202, 1, 2))), "(rt, 65536, 2)");
  CHECK_STR(fmt(f_val_ec(ec_as2(0x0105, 1, 2))), "(unknown 0x105, 0.1.0.0, 2)");
  CHECK_STR(fmt(f_val_ec(ec_generic(0x01020304, 5))), "(rt, 3.4.0.0, 5)");
  CHECK_STR(fmt(f_val_ec(ec_generic(0x42000001, 5))), "(unknown 0x4200, 65536, 5)");
  CHECK_STR(fmt(f_val_ec(ec_generic(0x80000001, 5))), "(generic, 0x80000001, 0x5)");
  CHECK_STR(fmt(f_val_ec(ec_generic(0x03000001, 5))), "(generic, 0x3000001, 0x5)");

  struct f_val rd = { .type = T_RD };
  rd.val.rd = rd_from_as2(1, 2);              CHECK_STR(fmt(rd), "1:2");
  rd.val.rd = rd_from_as2(65535, 4294967295u); CHECK_STR(fmt(rd), "65535:4294967295");
  rd.val.rd = rd_from_ip4(ip4_from_u32(0x01020304), 5); CHECK_STR(fmt(rd), "1.2.3.4:5");
  rd.val.rd = rd_from_as4(4200000000u, 5);    CHECK_STR(fmt(rd), "4200000000:5");
  rd.val.rd = rd_from_as4(70000, 2);          CHECK_STR(fmt(rd), "70000:2");    /* 2:70000:2 */
  rd.val.rd = rd_from_as4(1, 2);              CHECK_STR(fmt(rd), "2:1:2");
}

static void test_lists_masks(void)
{
  static const u32 p21[] = { 2, 1 };
  CHECK_STR(fmt(path(p21, 2)), "(path 2 1)");           /* prepend(prepend(+empty+, 1), 2) */
  CHECK_STR(fmt(f_val_adata(T_PATH, NULL)), "(path )"); /* +empty+ */

  const struct adata *c = int_set_add(lp, int_set_add(lp, NULL, (1 << 16) | 2), (3 << 16) | 4);
  CHECK_STR(fmt(f_val_adata(T_CLIST, c)), "(clist (1,2) (3,4))");
  const struct adata *e = ec_set_add(lp, ec_set_add(lp, NULL, ec_as2(EC_RT, 1, 2)),
                                     ec_ip4(EC_RO, ip4_from_u32(0x01020304), 7));
  CHECK_STR(fmt(f_val_adata(T_ECLIST, e)), "(eclist (rt, 1, 2) (ro, 1.2.3.4, 7))");
  CHECK_STR(fmt(f_val_adata(T_ECLIST, NULL)), "(eclist )");
  const struct adata *l = lc_set_add(lp, lc_set_add(lp, NULL, (struct lcomm) { 1, 2, 3 }),
                                     (struct lcomm) { 4, 5, 6 });
  CHECK_STR(fmt(f_val_adata(T_LCLIST, l)), "(lclist (1, 2, 3) (4, 5, 6))");
  CHECK_STR(fmt(f_val_adata(T_LCLIST, NULL)), "(lclist )");

  struct f_tree_item it[] = { ft_item_one(f_val_int(T_INT, 1)), ft_item_one(f_val_int(T_INT, 2)),
                              ft_item_one(f_val_int(T_INT, 3)) };
  struct f_path_mask *m = lp_allocz(lp, sizeof(*m) + 5 * sizeof(struct f_path_mask_item));
  m->len = 3;
  m->item[0] = (struct f_path_mask_item) { .from = 1, .to = 5, .kind = PM_ASN_RANGE };
  m->item[1] = (struct f_path_mask_item) { .set = ft_build(lp, it, 3), .kind = PM_ASN_SET };
  m->item[2] = (struct f_path_mask_item) { .kind = PM_ASTERISK };
  struct f_val mv = { .type = T_PATH_MASK, .val.path_mask = m };
  CHECK_STR(fmt(mv), "[= 1..5 [1, 2, 3] * =]");                /* [= 1..5 [1,2,3] * =] */
  m->len = 0;
  CHECK_STR(fmt(mv), "[= =]");
}

static void test_compare(void)
{
  struct f_val a = f_val_pair(1, 2), b = f_val_pair(1, 3);
  CHECK_INT(val_compare(&a, &b), -1);                 /* (1,2) < (1,3) TRUE */
  CHECK_INT(val_compare(&b, &a), 1);
  struct f_val i1 = f_val_int(T_INT, 1);
  CHECK_INT(val_compare(&i1, &a), F_CMP_ERROR);
  struct f_val e1 = f_val_int(T_ENUM_ROA, 1), e2 = f_val_int(T_ENUM_ROA, 2);
  CHECK_INT(val_compare(&e1, &e2), -1);               /* ROA_VALID < ROA_INVALID */
  CHECK(!val_same(&i1, &e1));                         /* 1 = ROA_VALID is FALSE */
  struct f_val t = f_val_int(T_BOOL, 1), f = f_val_int(T_BOOL, 0);
  CHECK_INT(val_compare(&t, &f), 1);                  /* true < false is FALSE */

  struct f_val n8 = net("10.0.0.0/8"), n9 = net("10.0.0.0/9"), n11 = net("11.0.0.0/8");
  CHECK_INT(val_compare(&n8, &n11), -1);
  CHECK_INT(val_compare(&n8, &n9), -1);
  CHECK_INT(val_compare(&n9, &n11), -1);
  struct f_val i4 = ip("1.2.3.4"), i6 = ip("2001:db8::");
  CHECK_INT(val_compare(&i4, &i6), -1);
  struct f_val q = quad(0x01020304);
  CHECK_INT(val_compare(&q, &i4), 0);                  /* quad vs IPv4 */
  CHECK(val_same(&q, &i4));
  struct f_val sa = str("a"), sb = str("b");
  CHECK_INT(val_compare(&sa, &sb), -1);
  struct f_val ec1 = f_val_ec(ec_as2(EC_RT, 1, 2)), ec2 = f_val_ec(ec_as2(EC_RT, 1, 3));
  CHECK_INT(val_compare(&ec1, &ec2), -1);
  struct f_val lc1 = f_val_lc(1, 2, 3), lc2 = f_val_lc(1, 2, 4);
  CHECK_INT(val_compare(&lc1, &lc2), -1);
  struct f_val rd1 = { .type = T_RD, .val.rd = rd_from_as2(1, 2) }, rd2 = { .type = T_RD, .val.rd = rd_from_as2(1, 3) };
  CHECK_INT(val_compare(&rd1, &rd2), -1);

  /* paths and lists: equal or incomparable */
  static const u32 p1[] = { 1 }, p2[] = { 2 };
  struct f_val pa = path(p1, 1), pa2 = path(p1, 1), pb = path(p2, 1);
  CHECK_INT(val_compare(&pa, &pa2), 0);
  CHECK_INT(val_compare(&pa, &pb), F_CMP_ERROR);      /* "Can't compare values of incompatible types" */
  CHECK(val_same(&pa, &pa2));
  CHECK(!val_same(&pa, &pb));

  /* sets: never ordered, but deep-equal */
  struct f_tree_item it[] = { ft_item_one(f_val_int(T_INT, 1)), ft_item_one(f_val_int(T_INT, 2)) };
  struct f_tree_item it2[] = { ft_item_one(f_val_int(T_INT, 2)), ft_item_one(f_val_int(T_INT, 1)) };
  struct f_tree_item it3[] = { ft_item_one(f_val_int(T_INT, 1)), ft_item_one(f_val_int(T_INT, 3)) };
  struct f_val s1 = set_of(it, 2), s2 = set_of(it2, 2), s3 = set_of(it3, 2);
  CHECK_INT(val_compare(&s1, &s2), F_CMP_ERROR);
  CHECK(val_same(&s1, &s2));                          /* [1, 2] = [1, 2] TRUE */
  CHECK(!val_same(&s1, &s3));

  struct f_trie *ta = f_trie_new(lp, 0), *tb = f_trie_new(lp, 0);
  trie_add_prefix(ta, n8.val.net, 8, 8);
  trie_add_prefix(tb, n8.val.net, 8, 8);
  struct f_val va = { .type = T_PREFIX_SET, .val.ti = ta }, vb = { .type = T_PREFIX_SET, .val.ti = tb };
  CHECK(val_same(&va, &vb));                          /* [10.0.0.0/8] = [10.0.0.0/8] */
  CHECK_INT(val_compare(&va, &vb), F_CMP_ERROR);
}

static void test_in_range(void)
{
  struct f_tree_item it[] = { ft_item_one(f_val_int(T_INT, 1)), ft_item_one(f_val_int(T_INT, 2)) };
  struct f_val s = set_of(it, 2), one = f_val_int(T_INT, 1), three = f_val_int(T_INT, 3);
  CHECK_INT(val_in_range(&one, &s), 1);               /* 1 ~ [1,2] */
  CHECK_INT(val_in_range(&three, &s), 0);
  struct f_val q = quad(0x01020304);
  CHECK_INT(val_in_range(&q, &s), F_CMP_ERROR);       /* 1.2.3.4 ~ [1] style mismatch */
  struct f_val empty = { .type = T_SET, .val.t = NULL };
  CHECK_INT(val_in_range(&one, &empty), 0);           /* 1 ~ [] FALSE */

  struct f_val a = ip("1.2.3.4"), n = net("1.0.0.0/8"), n16 = net("1.2.0.0/16");
  CHECK_INT(val_in_range(&a, &n), 1);                 /* 1.2.3.4 ~ 1.0.0.0/8 */
  CHECK_INT(val_in_range(&n16, &n), 1);               /* 1.2.0.0/16 ~ 1.0.0.0/8 */
  CHECK_INT(val_in_range(&n, &n16), 0);

  struct f_tree_item ipi[] = { ft_item_range(ip("1.2.3.0"), ip("1.2.3.255")) };
  struct f_val ips = set_of(ipi, 1);
  CHECK_INT(val_in_range(&a, &ips), 1);               /* 1.2.3.4 ~ [1.2.3.0..1.2.3.255] */
  CHECK_INT(val_in_range(&q, &ips), 1);               /* quad finds IPv4 */

  struct f_val pat = str("a*"), abc = str("abc"), x = str("x"), xq = str("x?"), xy = str("xy");
  CHECK_INT(val_in_range(&abc, &pat), 1);
  CHECK_INT(val_in_range(&x, &xq), 0);                /* "x" ~ "x?" FALSE */
  CHECK_INT(val_in_range(&xy, &xq), 1);

  static const u32 p5[] = { 5 };
  struct f_val p = path(p5, 1), five = f_val_int(T_INT, 5);
  struct f_tree_item r46[] = { ft_item_range(f_val_int(T_INT, 4), f_val_int(T_INT, 6)) };
  struct f_val s46 = set_of(r46, 1);
  CHECK_INT(val_in_range(&p, &s46), 1);               /* prepend(+empty+,5) ~ [4..6] */
  CHECK_INT(val_in_range(&five, &p), 1);              /* 5 ~ path */

  struct f_val pr = f_val_pair(1, 2);
  struct f_val cl = f_val_adata(T_CLIST, int_set_add(lp, NULL, (1 << 16) | 2));
  CHECK_INT(val_in_range(&pr, &cl), 1);               /* (1,2) ~ clist */
  CHECK_INT(val_in_range(&cl, &pr), F_CMP_ERROR);     /* clist ~ (1,2): error in BIRD */
  struct f_tree_item w[1];
  CHECK_INT(ft_pair_range(w, 1, 1, 1, 0, 0xffff), 1);
  struct f_val ws = set_of(w, 1);
  CHECK_INT(val_in_range(&cl, &ws), 1);               /* clist ~ [(1,*)] */

  struct f_val ec = f_val_ec(ec_as2(EC_RT, 1, 2));
  struct f_val ecl = f_val_adata(T_ECLIST, ec_set_add(lp, NULL, ec.val.ec));
  CHECK_INT(val_in_range(&ec, &ecl), 1);
  struct f_tree_item eci[] = { ft_item_one(ec) };
  struct f_val ecs = set_of(eci, 1);
  CHECK_INT(val_in_range(&ecl, &ecs), 1);
  struct f_val lc = f_val_lc(1, 2, 3);
  struct f_val lcl = f_val_adata(T_LCLIST, lc_set_add(lp, NULL, lc.val.lc));
  CHECK_INT(val_in_range(&lc, &lcl), 1);

  struct f_trie *t = f_trie_new(lp, 0);
  struct f_val n8 = net("10.0.0.0/8"), v6 = net("2001:db8::/32");
  trie_add_prefix(t, n8.val.net, 8, 32);
  struct f_val ts = { .type = T_PREFIX_SET, .val.ti = t };
  CHECK_INT(val_in_range(&n8, &ts), 1);                /* 10.0.0.0/8 ~ [10.0.0.0/8+] */
  CHECK_INT(val_in_range(&v6, &ts), 0);                /* 2001:db8::/32 ~ [10.0.0.0/8] */
  CHECK_INT(val_in_range(&one, &ts), F_CMP_ERROR);
}

static void test_names(void)
{
  CHECK_STR(f_type_name(T_INT), "int");
  CHECK_STR(f_type_name(T_NET), "prefix");
  CHECK_STR(f_type_name(T_PATH), "bgppath");
  CHECK_STR(f_type_name(T_PATH_MASK), "bgpmask");
  CHECK_STR(f_type_name(T_PREFIX_SET), "prefix set");
  CHECK_STR(f_type_name(0x3e), "enum");
  CHECK_INT(f_type_element_type(T_CLIST), T_PAIR);
  CHECK_INT(f_type_element_type(T_ECLIST), T_EC);
  CHECK_INT(f_type_element_type(T_LCLIST), T_LC);
  CHECK_INT(f_type_element_type(T_PATH), T_INT);
}

int main(void)
{
  lp = lp_new(&root_pool);
  test_scalars();
  test_ec_rd();
  test_lists_masks();
  test_compare();
  test_in_range();
  test_names();
  return unit_done("data_test");
}
