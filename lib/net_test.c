/*
 * lib/net_test.c: typed prefixes: fill, format (incl. ROA), parse,
 * compare, containment, validation and normalisation.
 */
#include "lib/net.h"
#include "test/unit.h"

static net_addr parse(const char *s)
{
  net_addr n;
  memset(&n, 0, sizeof(n));
  if (!net_pton(s, &n))
    fprintf(stderr, "cannot parse '%s'\n", s);
  return n;
}

static const char *fmt(const net_addr *n)
{
  static char buf[NET_BUFSIZE];
  return net_format(n, buf, sizeof(buf)) < 0 ? "(overflow)" : buf;
}

static void test_fill_format(void)
{
  net_addr n;
  ip6_addr p6;
  net_fill_ip4(&n, ip4_from_u32(0xc0000200u), 24);
  CHECK_INT(n.type, NET_IP4);
  CHECK_INT(n.length, sizeof(net_addr_ip4));
  CHECK_INT(net_pxlen(&n), 24);
  CHECK_STR(fmt(&n), "192.0.2.0/24");
  CHECK(net_is_ip(&n) && !net_is_roa(&n) && net_is_ip4(&n) && !net_is_ip6(&n));

  ip6_pton("2001:db8::", &p6);
  net_fill_ip6(&n, p6, 32);
  CHECK_INT(n.length, 20);
  CHECK_STR(fmt(&n), "2001:db8::/32");

  net_fill_roa4(&n, ip4_from_u32(0xc0000200u), 24, 24, 65002);
  CHECK_STR(fmt(&n), "192.0.2.0/24-24 AS65002");
  CHECK(net_is_roa(&n) && !net_is_ip(&n));
  CHECK_INT(((net_addr_roa4 *) &n)->asn, 65002);
  net_fill_roa6(&n, p6, 32, 48, 4200000000u);
  CHECK_STR(fmt(&n), "2001:db8::/32-48 AS4200000000");
  CHECK(ipa_equal(net_prefix(&n), p6));

  ip_addr a;
  ipa_pton("10.0.0.0", &a);
  net_fill_ipa(&n, a, 8);
  CHECK_INT(n.type, NET_IP4);
  CHECK_STR(fmt(&n), "10.0.0.0/8");
  CHECK(ipa_equal(net_prefix(&n), a));
  net_fill_ip_host(&n, a);
  CHECK_STR(fmt(&n), "10.0.0.0/32");
  net_fill_ip_host(&n, p6);
  CHECK_STR(fmt(&n), "2001:db8::/128");

  /* fill must not write past the specific view */
  struct { net_addr_ip4 v; u32 guard; } g = { .guard = 0xfeedface };
  net_fill_ip4((net_addr *) &g.v, ip4_from_u32(1), 32);
  CHECK_INT(g.guard, 0xfeedface);

  char small[8];
  net_fill_ip4(&n, ip4_from_u32(0xc0000200u), 24);
  CHECK_INT(net_format(&n, small, sizeof(small)), -1);
  CHECK_INT(strlen(small), 7);
  char exact[13];
  CHECK_INT(net_format(&n, exact, sizeof(exact)), 12);
  CHECK_STR(exact, "192.0.2.0/24");
}

static void test_pton(void)
{
  net_addr n;
  CHECK(net_pton("192.0.2.0/24", &n));
  CHECK_STR(fmt(&n), "192.0.2.0/24");
  CHECK(net_pton("2001:DB8::/32", &n));
  CHECK_STR(fmt(&n), "2001:db8::/32");
  CHECK(net_pton("0.0.0.0/0", &n) && n.pxlen == 0);
  CHECK(net_pton("::/0", &n) && n.type == NET_IP6);
  CHECK(net_pton("10.1.2.3/8", &n));     /* host bits allowed here */
  CHECK(!net_validate(&n));
  CHECK(net_pton("192.0.2.0/24-32 AS65000", &n));
  CHECK_INT(n.type, NET_ROA4);
  CHECK_STR(fmt(&n), "192.0.2.0/24-32 AS65000");
  CHECK(net_pton("2001:db8::/32-64 AS1", &n) && n.type == NET_ROA6);

  static const char *bad[] = {
    "", "192.0.2.0", "192.0.2.0/", "192.0.2.0/33", "192.0.2.0/-1", "192.0.2.0/24x",
    "192.0.2.0 /24", "192.0.2/24", "::/129", "2001:db8::/032", "/24",
    "192.0.2.0/24-33 AS1", "192.0.2.0/24-24", "192.0.2.0/24-24 AS", "192.0.2.0/24-24 AS1x",
    "192.0.2.0/24-24 AS4294967296", "192.0.2.0/24/24",
  };
  for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
    int ok = net_pton(bad[i], &n);
    if (ok)
      fprintf(stderr, "accepted bad net '%s'\n", bad[i]);
    CHECK(!ok);
  }
}

static void test_compare_equal_hash(void)
{
  net_addr a = parse("10.0.0.0/8"), b = parse("10.0.0.0/16"), c = parse("11.0.0.0/8");
  net_addr d = parse("::/0"), e = parse("10.0.0.0/8");
  CHECK(net_equal(&a, &e));
  CHECK(!net_equal(&a, &b));
  CHECK_INT(net_compare(&a, &e), 0);
  CHECK_INT(net_compare(&a, &b), -1);      /* same prefix: pxlen */
  CHECK_INT(net_compare(&b, &c), -1);      /* prefix before pxlen */
  CHECK_INT(net_compare(&c, &a), 1);
  CHECK_INT(net_compare(&d, &a), 1);       /* type first: ip6 after ip4 */
  CHECK_INT(net_hash(&a), net_hash(&e));
  CHECK(net_hash(&a) != net_hash(&b));

  net_addr r1 = parse("10.0.0.0/8-24 AS1"), r2 = parse("10.0.0.0/8-24 AS2");
  net_addr r3 = parse("10.0.0.0/8-16 AS9");
  CHECK_INT(net_compare(&r1, &r2), -1);
  CHECK_INT(net_compare(&r3, &r1), -1);    /* max_pxlen before asn */
  CHECK(!net_equal(&r1, &r2));
  CHECK(net_hash(&r1) != net_hash(&r2));
  CHECK_INT(net_compare(&a, &r1), -1);

  net_addr big;
  net_copy(&big, &r1);
  CHECK(net_equal(&big, &r1));
  net_addr_ip4 small;
  net_copy((net_addr *) &small, &a);
  CHECK(net_equal((net_addr *) &small, &a));
}

static void test_validate_normalize(void)
{
  net_addr n = parse("10.1.2.3/8");
  CHECK(!net_validate(&n));
  net_normalize(&n);
  CHECK(net_validate(&n));
  CHECK_STR(fmt(&n), "10.0.0.0/8");

  n = parse("2001:db8:ffff::1/33");
  net_normalize(&n);
  CHECK_STR(fmt(&n), "2001:db8:8000::/33");
  CHECK(net_validate(&n));

  n = parse("10.0.0.0/8-24 AS1");
  CHECK(net_validate(&n));
  ((net_addr_roa4 *) &n)->max_pxlen = 7;
  CHECK(!net_validate(&n));
  ((net_addr_roa4 *) &n)->max_pxlen = 33;
  CHECK(!net_validate(&n));

  n = parse("0.0.0.0/0");
  CHECK(net_validate(&n));
  n.pxlen = 33;
  CHECK(!net_validate(&n));
  n = parse("0.0.0.0/0");
  n.length = 20;
  CHECK(!net_validate(&n));
  n.type = NET_MPLS;
  CHECK(!net_validate(&n));
  n.type = 0;
  CHECK(!net_validate(&n));
  n.type = NET_MAX;
  CHECK(!net_validate(&n));
}

static void test_in_netx(void)
{
  net_addr a = parse("10.1.0.0/16"), b = parse("10.0.0.0/8"), c = parse("11.0.0.0/8");
  net_addr d = parse("::/0"), e = parse("2001:db8:1::/48"), f = parse("2001:db8::/32");
  net_addr all4 = parse("0.0.0.0/0");
  CHECK(net_in_netx(&a, &b));
  CHECK(net_in_netx(&b, &b));
  CHECK(!net_in_netx(&b, &a));
  CHECK(!net_in_netx(&a, &c));
  CHECK(net_in_netx(&a, &all4));
  CHECK(!net_in_netx(&a, &d));      /* different family */
  CHECK(net_in_netx(&e, &f));
  CHECK(net_in_netx(&e, &d));
  CHECK(!net_in_netx(&f, &e));
  net_addr r = parse("10.1.0.0/16-24 AS1");
  CHECK(net_in_netx(&r, &b));
  CHECK(net_in_netx(&a, &r));

  ip_addr x;
  ipa_pton("10.200.1.1", &x);
  CHECK(ipa_in_netx(x, &b));
  CHECK(!ipa_in_netx(x, &a));
  CHECK(ipa_in_netx(x, &all4));
  CHECK(!ipa_in_netx(x, &d));
  ipa_pton("2001:db8:1::5", &x);
  CHECK(ipa_in_netx(x, &e));
  CHECK(ipa_in_netx(x, &d));
  CHECK(!ipa_in_netx(x, &all4));
}

static void test_tables(void)
{
  CHECK(net_label[0] == NULL);
  CHECK_STR(net_label[NET_IP4], "ipv4");
  CHECK_STR(net_label[NET_IP6_SADR], "ipv6-sadr");
  CHECK_STR(net_label[NET_MPLS], "mpls");
  CHECK_INT(net_addr_length[NET_ROA6], 28);
  CHECK_INT(net_max_prefix_length[NET_ROA4], 32);
  CHECK_INT(net_max_prefix_length[NET_IP6], 128);
  CHECK_INT(_Alignof(net_addr), 8);
}

int main(void)
{
  test_fill_format();
  test_pton();
  test_compare_equal_hash();
  test_validate_normalize();
  test_in_netx();
  test_tables();
  return unit_done("net");
}
