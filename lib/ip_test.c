/*
 * lib/ip_test.c: address arithmetic, byte order and text conversion,
 * including the RFC 5952 canonical form and malformed inputs.
 */
#include "lib/ip.h"
#include "test/unit.h"

#include <arpa/inet.h>

static const char *v6_round(const char *in)
{
  static char buf[IP6_BUFSIZE];
  ip6_addr a;
  if (!ip6_pton(in, &a))
    return "(invalid)";
  return ip6_ntop(a, buf);
}

static void test_ip4_text(void)
{
  ip4_addr a;
  char buf[IP4_BUFSIZE];
  CHECK(ip4_pton("192.0.2.1", &a));
  CHECK_INT(ip4_to_u32(a), 0xc0000201u);
  CHECK_STR(ip4_ntop(a, buf), "192.0.2.1");
  CHECK(ip4_pton("0.0.0.0", &a));
  CHECK_STR(ip4_ntop(a, buf), "0.0.0.0");
  CHECK(ip4_pton("255.255.255.255", &a));
  CHECK_INT(a.addr, 0xffffffffu);
  CHECK_STR(ip4_ntop(a, buf), "255.255.255.255");

  static const char *bad[] = {
    "", "1", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4 ", " 1.2.3.4",
    "1..2.3", "1.2.3.", ".1.2.3", "01.2.3.4", "1.2.3.4x", "1.2.3.-4",
    "1.2.3.1000", "a.b.c.d", "1.2.3.4/24", "0x1.2.3.4",
  };
  for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
    int ok = ip4_pton(bad[i], &a);
    if (ok)
      fprintf(stderr, "accepted bad IPv4 '%s'\n", bad[i]);
    CHECK(!ok);
  }
}

static void test_ip6_text(void)
{
  /* RFC 5952 section 4 */
  CHECK_STR(v6_round("2001:db8::1"), "2001:db8::1");
  CHECK_STR(v6_round("::"), "::");
  CHECK_STR(v6_round("::1"), "::1");
  CHECK_STR(v6_round("1::"), "1::");
  CHECK_STR(v6_round("2001:db8:0:0:1:0:0:1"), "2001:db8::1:0:0:1");
  CHECK_STR(v6_round("2001:0db8:0000:0000:0000:0000:0000:0001"), "2001:db8::1");
  CHECK_STR(v6_round("2001:DB8::ABCD"), "2001:db8::abcd");
  CHECK_STR(v6_round("2001:db8:0:1:1:1:1:1"), "2001:db8:0:1:1:1:1:1");   /* 4.2.2 */
  CHECK_STR(v6_round("2001:0:0:1:0:0:0:1"), "2001:0:0:1::1");            /* 4.2.3 longest */
  CHECK_STR(v6_round("2001:db8:0:0:1:0:0:1"), "2001:db8::1:0:0:1");      /* tie: first */
  CHECK_STR(v6_round("1:2:3:4:5:6:7:8"), "1:2:3:4:5:6:7:8");
  CHECK_STR(v6_round("1:2:3:4:5:6:7::"), "1:2:3:4:5:6:7:0");
  CHECK_STR(v6_round("::2:3:4:5:6:7:8"), "0:2:3:4:5:6:7:8");
  CHECK_STR(v6_round("fe80::1:2"), "fe80::1:2");
  CHECK_STR(v6_round("::ffff:192.0.2.1"), "::ffff:c000:201");
  CHECK_STR(v6_round("64:ff9b::192.0.2.33"), "64:ff9b::c000:221");
  CHECK_STR(v6_round("1:2:3:4:5:6:1.2.3.4"), "1:2:3:4:5:6:102:304");
  CHECK_STR(v6_round("0:0:1::"), "0:0:1::");

  static const char *bad[] = {
    "", ":", ":::", "1:::2", "1::2::3", ":1::", "1:2:3:4:5:6:7:8:9",
    "1:2:3:4:5:6:7", "12345::", "::g", "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8",
    "1:", ":1", "1::2 ", "fe80::1%eth0", "::1.2.3", "::1.2.3.4.5",
    "1:2:3:4:5:6:7:1.2.3.4", "::256.1.1.1", "::1.2.3.4:5", "2001:db8::/32",
  };
  ip6_addr a;
  for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
    int ok = ip6_pton(bad[i], &a);
    if (ok)
      fprintf(stderr, "accepted bad IPv6 '%s'\n", bad[i]);
    CHECK(!ok);
  }
}

/* Our parser and printer agree with libc's inet_pton on many addresses. */
static void test_ip6_vs_libc(void)
{
  u32 seed = 12345;
  for (int i = 0; i < 5000; i++) {
    byte raw[16];
    for (int j = 0; j < 16; j++) {
      seed = seed * 1103515245 + 12345;
      /* Lots of zero bytes to exercise "::" placement. */
      raw[j] = (seed >> 16) % 3 ? 0 : (seed >> 8);
    }
    char libc_txt[INET6_ADDRSTRLEN], ours[IP6_BUFSIZE];
    inet_ntop(AF_INET6, raw, libc_txt, sizeof(libc_txt));
    ip6_addr a = ip6_get(raw), b;
    ip6_ntop(a, ours);
    CHECK(ip6_pton(libc_txt, &b) && ip6_equal(a, b));
    CHECK(ip6_pton(ours, &b) && ip6_equal(a, b));
    byte back[16];
    CHECK(inet_pton(AF_INET6, ours, back) == 1 && !memcmp(back, raw, 16));
    /* glibc prints v4-mapped/compatible forms with a dotted quad; elsewhere
     * it follows RFC 5952 exactly as we do */
    if (!strchr(libc_txt, '.') && strcmp(libc_txt, ours)) {
      fprintf(stderr, "libc %s vs ours %s\n", libc_txt, ours);
      CHECK(0);
    }
  }
}

static void test_masks(void)
{
  CHECK_INT(ip4_mkmask(0).addr, 0);
  CHECK_INT(ip4_mkmask(8).addr, 0xff000000u);
  CHECK_INT(ip4_mkmask(32).addr, 0xffffffffu);
  for (uint i = 0; i <= 32; i++)
    CHECK_INT(ip4_masklen(ip4_mkmask(i)), i);
  CHECK_INT(ip4_masklen(ip4_from_u32(0xff00ff00u)), -1);
  for (uint i = 0; i <= 128; i++)
    CHECK_INT(ip6_masklen(ip6_mkmask(i)), i);
  ip6_addr m = ip6_mkmask(70);
  CHECK_INT(m.addr[0], 0xffffffffu);
  CHECK_INT(m.addr[1], 0xffffffffu);
  CHECK_INT(m.addr[2], 0xfc000000u);
  CHECK_INT(m.addr[3], 0);
  CHECK_INT(ip6_masklen(ip6_build(0xffffffffu, 0, 1, 0)), -1);
  CHECK_INT(ip6_masklen(ip6_build(0xffffffffu, 0xfffffffeu, 0, 0)), 63);
  CHECK_INT(ip6_masklen(ip6_build(0xfffffffeu, 0xffffffffu, 0, 0)), -1);
}

static void test_bits_and_ops(void)
{
  ip4_addr a = ip4_from_u32(0x80000001u);
  CHECK_INT(ip4_getbit(a, 0), 1);
  CHECK_INT(ip4_getbit(a, 1), 0);
  CHECK_INT(ip4_getbit(a, 31), 1);
  CHECK_INT(ip4_setbit(a, 1).addr, 0xc0000001u);
  CHECK_INT(ip4_clrbit(a, 0).addr, 1);
  CHECK_INT(ip4_and(a, ip4_mkmask(1)).addr, 0x80000000u);
  CHECK_INT(ip4_or(a, ip4_from_u32(2)).addr, 0x80000003u);
  CHECK_INT(ip4_xor(a, a).addr, 0);
  CHECK_INT(ip4_not(IP4_NONE).addr, 0xffffffffu);
  CHECK(ip4_zero(IP4_NONE) && !ip4_nonzero(IP4_NONE) && ip4_nonzero(a));
  CHECK_INT(ip4_compare(ip4_from_u32(1), ip4_from_u32(2)), -1);
  CHECK_INT(ip4_compare(ip4_from_u32(0xffffffffu), ip4_from_u32(2)), 1);
  CHECK_INT(ip4_compare(a, a), 0);

  ip6_addr b = IP6_NONE;
  b = ip6_setbit(b, 0);
  b = ip6_setbit(b, 127);
  b = ip6_setbit(b, 33);
  CHECK_INT(b.addr[0], 0x80000000u);
  CHECK_INT(b.addr[1], 0x40000000u);
  CHECK_INT(b.addr[3], 1);
  CHECK_INT(ip6_getbit(b, 33), 1);
  CHECK_INT(ip6_getbit(b, 32), 0);
  b = ip6_clrbit(b, 127);
  CHECK_INT(b.addr[3], 0);
  CHECK(ip6_equal(ip6_and(b, ip6_mkmask(1)), ip6_build(0x80000000u, 0, 0, 0)));
  CHECK(ip6_equal(ip6_or(b, ip6_build(0, 0, 0, 5)), ip6_build(0x80000000u, 0x40000000u, 0, 5)));
  CHECK(ip6_zero(ip6_xor(b, b)));
  CHECK(ip6_equal(ip6_not(IP6_NONE), ip6_mkmask(128)));
  CHECK_INT(ip6_compare(ip6_build(1, 0, 0, 0), ip6_build(0, 0xffffffffu, 0, 0)), 1);
  CHECK_INT(ip6_compare(ip6_build(0, 0, 0, 1), ip6_build(0, 0, 0, 2)), -1);
  CHECK(ip6_nonzero(b) && ip6_zero(IP6_NONE));
}

static void test_byteorder(void)
{
  byte buf[16];
  ip4_addr a = ip4_from_u32(0xc0000201u);
  ip4_put(buf, a);
  CHECK(!memcmp(buf, "\xc0\x00\x02\x01", 4));
  CHECK(ip4_equal(ip4_get(buf), a));
  u32 n = ip4_hton(a);
  CHECK(!memcmp(&n, "\xc0\x00\x02\x01", 4));
  CHECK(ip4_equal(ip4_ntoh(n), a));

  ip6_addr b;
  CHECK(ip6_pton("2001:db8::1:2", &b));
  ip6_put(buf, b);
  CHECK(!memcmp(buf, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\x01\0\x02", 16));
  CHECK(ip6_equal(ip6_get(buf), b));
  ip6_addr w = ip6_hton(b);
  CHECK(!memcmp(&w, buf, 16));
  CHECK(ip6_equal(ip6_ntoh(w), b));
}

static void test_ipa(void)
{
  ip_addr a;
  char buf[IPA_BUFSIZE];
  CHECK(ipa_pton("10.1.2.3", &a));
  CHECK(ipa_is_ip4(a) && !ipa_is_ip6(a));
  CHECK_INT(a.addr[2], 0xffff);
  CHECK_INT(ipa_to_ip4(a).addr, 0x0a010203u);
  CHECK_STR(ipa_ntop(a, buf), "10.1.2.3");
  CHECK(ipa_equal(ipa_from_ip4(ip4_from_u32(0x0a010203u)), a));
  CHECK(ipa_pton("2001:db8::", &a));
  CHECK(ipa_is_ip6(a));
  CHECK_STR(ipa_ntop(a, buf), "2001:db8::");
  CHECK(ip6_equal(ipa_to_ip6(a), ipa_from_ip6(a)));
  CHECK(!ipa_pton("10.1.2", &a));
  CHECK(!ipa_pton("", &a));
  CHECK(ipa_zero(IPA_NONE) && !ipa_is_ip4(IPA_NONE));
  CHECK_STR(ipa_ntop(IPA_NONE, buf), "::");

  CHECK(ipa_pton("fe80::1", &a) && ipa_is_link_local(a));
  CHECK(ipa_pton("febf:ffff::1", &a) && ipa_is_link_local(a));
  CHECK(ipa_pton("fec0::1", &a) && !ipa_is_link_local(a));
  CHECK(ipa_pton("169.254.1.1", &a) && !ipa_is_link_local(a));

  ip_addr x, y;
  ipa_pton("2001:db8::1", &x);
  ipa_pton("2001:db8::2", &y);
  CHECK_INT(ipa_compare(x, y), -1);
  CHECK(ipa_hash(x) != ipa_hash(y));
  CHECK(ipa_hash(x) == ipa_hash(ip6_build(x.addr[0], x.addr[1], x.addr[2], x.addr[3])));
  /* v4 addresses differing in one low bit land in different hash slots */
  uint same_top = 0;
  for (u32 i = 0; i < 256; i++)
    same_top += (ipa_hash(ipa_from_ip4(ip4_from_u32(i))) >> 24) ==
                (ipa_hash(ipa_from_ip4(ip4_from_u32(i + 1))) >> 24);
  CHECK(same_top < 10);
}

int main(void)
{
  test_ip4_text();
  test_ip6_text();
  test_ip6_vs_libc();
  test_masks();
  test_bits_and_ops();
  test_byteorder();
  test_ipa();
  return unit_done("ip");
}
