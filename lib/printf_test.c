/*
 * lib/printf_test.c: standard conversions against libc snprintf, every
 * extension with width and '-', truncation, and the allocating variants.
 */
#include "lib/printf.h"
#include "lib/net.h"
#include "lib/resource.h"
#include "test/unit.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>

static char got[256];

static const char *fmt(const char *f, ...)
{
  va_list args;
  va_start(args, f);
  int n = bvsnprintf(got, sizeof(got), f, args);
  va_end(args);
  if (n != (int) strlen(got))
    return "(bad return value)";
  return got;
}

/* Each case formats the same arguments with both printers. */
#define SAME(...) do { \
    char want_[256]; \
    snprintf(want_, sizeof(want_), __VA_ARGS__); \
    CHECK_STR(fmt(__VA_ARGS__), want_); \
  } while (0)

#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"

static void test_standard(void)
{
  SAME("plain text");
  SAME("%d|%i|%5d|%-5d|%05d|%+d|% d", 42, -7, 42, 42, 42, 42, 42);
  SAME("%u|%x|%X|%o|%#x|%#o|%08x", 3000000000u, 0xbeefu, 0xbeefu, 8u, 255u, 8u, 0xabcu);
  SAME("%ld|%lu|%lld|%llu", -1234567890123L, 1234567890123UL, -9223372036854775807LL - 1, 18446744073709551615ULL);
  SAME("%zu|%zd|%jd|%ju|%td", (size_t) 123456789, (ssize_t) -5, (intmax_t) -77, (uintmax_t) 77, (ptrdiff_t) -3);
  SAME("%hhd|%hd|%hhu|%hu", 300, 70000, 300, 70000);
  SAME("%c%c%-3c|%3c", 'a', 'b', 'c', 'd');
  SAME("%s|%10s|%-10s|%.2s|%*s|%-*s|%.*s", "abc", "abc", "abc", "abc", 6, "x", 6, "y", 1, "zz");
  SAME("%f|%.2f|%10.3f|%-10.1f|%e|%E|%g|%G", 3.14159, 2.005, -1.5, 0.25, 12345.678, 0.000123, 1e20, 1e-5);
  SAME("%Lf|%a", 1.5L, 1.0);
  SAME("%p|%20p", (void *) 0x1234, (void *) 0xdeadbeef);
  SAME("100%%|%%d");
  SAME("%*d|%-*d|%*d", 4, 1, 4, 2, -4, 3);
  SAME("%.3d|%.0d|%8.3x", 5, 0, 0x1fu);
  SAME("%s", "");
  SAME("%d%s%c", 1, "two", '3');
}

static void test_extensions(void)
{
  ip_addr a4, a6;
  ipa_pton("192.0.2.1", &a4);
  ipa_pton("2001:db8::1", &a6);
  CHECK_STR(fmt("%I", a4), "192.0.2.1");
  CHECK_STR(fmt("%I", a6), "2001:db8::1");
  CHECK_STR(fmt("[%15I]", a4), "[      192.0.2.1]");
  CHECK_STR(fmt("[%-15I]", a6), "[2001:db8::1    ]");
  CHECK_STR(fmt("[%I4]", ip4_from_u32(0x0a000001u)), "[10.0.0.1]");
  CHECK_STR(fmt("[%-10I4|%10I4]", ip4_from_u32(0x0a000001u), ip4_from_u32(1)),
            "[10.0.0.1  |   0.0.0.1]");
  CHECK_STR(fmt("[%I6]", ipa_to_ip6(a4)), "[::ffff:c000:201]");
  CHECK_STR(fmt("[%-14I6]", ipa_to_ip6(a6)), "[2001:db8::1   ]");
  /* an address followed by a literal digit other than 4/6 */
  CHECK_STR(fmt("%I5", a4), "192.0.2.15");

  net_addr n, r;
  net_pton("192.0.2.0/24", &n);
  net_pton("2001:db8::/32-48 AS65002", &r);
  CHECK_STR(fmt("%N", &n), "192.0.2.0/24");
  CHECK_STR(fmt("[%-20N]", &n), "[192.0.2.0/24        ]");
  CHECK_STR(fmt("[%20N]", &n), "[        192.0.2.0/24]");
  CHECK_STR(fmt("%N", &r), "2001:db8::/32-48 AS65002");
  CHECK_STR(fmt("%N", (net_addr *) NULL), "(null)");
  CHECK_STR(fmt("[%*N]", 14, &n), "[  192.0.2.0/24]");

  CHECK_STR(fmt("%R", 0x01020304u), "1.2.3.4");
  CHECK_STR(fmt("[%-9R]", 0x0a000001u), "[10.0.0.1 ]");
  CHECK_STR(fmt("[%9R]", 0u), "[  0.0.0.0]");

  errno = ENOENT;
  CHECK_STR(fmt("%m", 0), strerror(ENOENT));
  CHECK_INT(errno, ENOENT);   /* preserved */
  CHECK_STR(fmt("%M", EACCES), strerror(EACCES));
  char want[128];
  snprintf(want, sizeof(want), "[%-40s]", strerror(EPERM));
  CHECK_STR(fmt("[%-40M]", EPERM), want);

  /* mixed with standard conversions: argument order must be preserved */
  CHECK_STR(fmt("%d %I %s %N %u", 1, a4, "x", &n, 2u), "1 192.0.2.1 x 192.0.2.0/24 2");
  CHECK_STR(fmt("%.3I", a6), "200");   /* precision truncates like %s */
}

/* bvformat with no buffer: the length the full output needs. */
static int measure(const char *f, ...)
{
  va_list args;
  va_start(args, f);
  int n = bvformat(NULL, 0, f, args);
  va_end(args);
  return n;
}

static void test_truncation(void)
{
  char buf[8];
  memset(buf, 'X', sizeof(buf));
  CHECK_INT(bsnprintf(buf, sizeof(buf), "%s", "1234567"), 7);
  CHECK_STR(buf, "1234567");
  CHECK_INT(bsnprintf(buf, sizeof(buf), "%s", "12345678"), -1);
  CHECK_STR(buf, "1234567");
  CHECK_INT(bsnprintf(buf, sizeof(buf), "abcdefghij"), -1);
  CHECK_STR(buf, "abcdefg");
  ip_addr a;
  ipa_pton("2001:db8::1", &a);
  CHECK_INT(bsnprintf(buf, sizeof(buf), "%I", a), -1);
  CHECK_STR(buf, "2001:db");
  CHECK_INT(bsnprintf(buf, sizeof(buf), "ab%dcd%s", 12345, "zz"), -1);
  CHECK_STR(buf, "ab12345");
  CHECK_INT(bsnprintf(buf, 1, "x"), -1);
  CHECK_STR(buf, "");
  CHECK_INT(bsnprintf(buf, 1, ""), 0);
  CHECK_INT(bsnprintf(buf, 0, ""), -1);
  CHECK_INT(measure("hello %d", 123), 9);
  CHECK_INT(measure("%-12N", (net_addr *) NULL), 12);

  char big[64];
  CHECK_INT(bsprintf(big, "%s-%d-%R", "x", 5, 0x7f000001u), 13);
  CHECK_STR(big, "x-5-127.0.0.1");
}

static void test_alloc(void)
{
  pool *p = rp_new(&root_pool, "printf test");
  linpool *lp = lp_new(p);
  net_addr n;
  net_pton("10.0.0.0/8", &n);
  CHECK_STR(lp_sprintf(lp, "net %N via %I4", &n, ip4_from_u32(0x0a000001u)),
            "net 10.0.0.0/8 via 10.0.0.1");
  char longs[3000];
  memset(longs, 'q', sizeof(longs) - 1);
  longs[sizeof(longs) - 1] = 0;
  char *s = lp_sprintf(lp, "<%s>%d", longs, 7);
  CHECK_INT(strlen(s), 3002);
  CHECK(s[0] == '<' && s[3000] == '>' && s[3001] == '7');
  char *t = tmp_sprintf("%d-%s", 99, "tmp");
  CHECK_STR(t, "99-tmp");
  tmp_flush();
  rp_free(p);
}

int main(void)
{
  test_standard();
  test_extensions();
  test_truncation();
  test_alloc();
  return unit_done("printf");
}
