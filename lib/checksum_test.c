/*
 * lib/checksum_test.c: the Internet checksum on RFC 1071's example, a real
 * IPv4 header, odd lengths and split sums against a naive bit-by-bit sum.
 */
#include "lib/checksum.h"
#include "test/unit.h"

/* Adds words with end-around carry one at a time: slow and obvious. */
static u16 naive(const byte *p, size_t len)
{
  u32 s = 0;
  for (size_t i = 0; i < len; i += 2) {
    s += (p[i] << 8) | (i + 1 < len ? p[i + 1] : 0);
    if (s > 0xffff)
      s -= 0xffff;
  }
  return (u16) ~s;
}

int main(void)
{
  /* RFC 1071 section 3: the sum of these bytes is 0xddf2 */
  static const byte ex[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
  CHECK_INT(ip_csum_partial(ex, sizeof(ex), 0) % 0xffff, 0xddf2);
  CHECK_INT(ip_checksum(ex, sizeof(ex)), 0x220d);

  /* An IPv4 header with its checksum (0xb861) filled in verifies to 0. */
  byte hdr[20] = { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                   0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7 };
  CHECK_INT(ip_checksum(hdr, sizeof(hdr)), 0);
  hdr[10] = hdr[11] = 0;
  CHECK_INT(ip_checksum(hdr, sizeof(hdr)), 0xb861);

  CHECK_INT(ip_checksum(NULL, 0), 0xffff);
  static const byte odd[] = { 0x12, 0x34, 0x56 };
  CHECK_INT(ip_checksum(odd, 3), (u16) ~(0x1234 + 0x5600));

  byte buf[1501];
  u32 seed = 99;
  for (size_t i = 0; i < sizeof(buf); i++) {
    seed = seed * 1103515245u + 12345u;
    buf[i] = i % 7 ? 0xff : (byte) (seed >> 16);   /* many carries */
  }
  uint bad = 0;
  for (size_t len = 0; len <= sizeof(buf); len += 37)
    bad += ip_checksum(buf, len) != naive(buf, len);
  CHECK_INT(bad, 0);
  /* split at an even offset gives the same result */
  u32 s = ip_csum_partial(buf, 600, 0);
  s = ip_csum_partial(buf + 600, 901, s);
  CHECK_INT(ip_csum_fold(s), naive(buf, 1501));
  return unit_done("checksum");
}
