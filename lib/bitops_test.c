/*
 * lib/bitops_test.c: bit operations checked against naive loops on
 * edge values and pseudo-random input.
 */
#include "lib/bitops.h"
#include "test/unit.h"

static u64 rng_state = 0x9e3779b97f4a7c15ull;

static u64 rnd(void)
{
  /* xorshift64*: a fixed sequence, so failures reproduce */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545f4914f6cdd1dull;
}

static uint naive_popcount(u64 x, int bits)
{
  uint n = 0;
  for (int i = 0; i < bits; i++)
    n += (x >> i) & 1;
  return n;
}

static uint naive_clz(u64 x, int bits)
{
  uint n = 0;
  for (int i = bits - 1; i >= 0 && !((x >> i) & 1); i--)
    n++;
  return n;
}

static uint naive_ctz(u64 x, int bits)
{
  uint n = 0;
  for (int i = 0; i < bits && !((x >> i) & 1); i++)
    n++;
  return n;
}

static u32 naive_mask(uint len)
{
  u32 m = 0;
  for (uint i = 0; i < len; i++)
    m |= 0x80000000u >> i;
  return m;
}

static int naive_masklen(u32 x)
{
  for (uint len = 0; len <= 32; len++)
    if (naive_mask(len) == x)
      return len;
  return -1;
}

static uint naive_log2(u32 x)
{
  uint l = 0;
  while (x > 1) {
    x >>= 1;
    l++;
  }
  return l;
}

static void check_value(u64 x)
{
  u32 y = (u32) x;
  CHECK_INT(u32_popcount(y), naive_popcount(y, 32));
  CHECK_INT(u64_popcount(x), naive_popcount(x, 64));
  CHECK_INT(u32_clz(y), naive_clz(y, 32));
  CHECK_INT(u32_ctz(y), naive_ctz(y, 32));
  CHECK_INT(u64_clz(x), naive_clz(x, 64));
  CHECK_INT(u64_ctz(x), naive_ctz(x, 64));
  CHECK_INT(u32_log2(y), naive_log2(y));
  CHECK_INT(u32_masklen(y), naive_masklen(y));
}

static void test_masks(void)
{
  for (uint len = 0; len <= 32; len++) {
    CHECK_INT(u32_mkmask(len), naive_mask(len));
    CHECK_INT(u32_masklen(u32_mkmask(len)), len);
  }
  CHECK_INT(u32_mkmask(24), 0xffffff00u);
  CHECK_INT(u32_masklen(0xffff00ffu), -1);
  CHECK_INT(u32_masklen(0x7fffffffu), -1);
  CHECK_INT(u32_masklen(1), -1);
}

static void test_edges(void)
{
  CHECK_INT(u32_clz(0), 32);
  CHECK_INT(u32_ctz(0), 32);
  CHECK_INT(u64_clz(0), 64);
  CHECK_INT(u64_ctz(0), 64);
  CHECK_INT(u32_log2(0), 0);
  CHECK_INT(u32_log2(1), 0);
  CHECK_INT(u32_log2(1024), 10);
  CHECK_INT(u32_log2(1025), 10);
  CHECK_INT(u32_log2(0xffffffffu), 31);
  CHECK_INT(u64_popcount(~0ull), 64);
  for (int i = 0; i < 64; i++) {
    check_value(1ull << i);
    check_value((1ull << i) - 1);
    check_value(~0ull << i);
  }
}

static void test_byteorder(void)
{
  byte b[16];
  memset(b, 0xee, sizeof(b));
  put_u16(b + 1, 0x1234);
  CHECK_INT(b[0], 0xee);
  CHECK_INT(b[1], 0x12);
  CHECK_INT(b[2], 0x34);
  CHECK_INT(b[3], 0xee);
  CHECK_INT(get_u16(b + 1), 0x1234);
  put_u32(b + 3, 0xdeadbeefu);
  CHECK_INT(b[3], 0xde);
  CHECK_INT(b[6], 0xef);
  CHECK_INT(get_u32(b + 3), 0xdeadbeefu);
  put_u64(b + 5, 0x0102030405060708ull);
  for (int i = 0; i < 8; i++)
    CHECK_INT(b[5 + i], i + 1);
  CHECK(get_u64(b + 5) == 0x0102030405060708ull);
  put_u8(b, 0x7f);
  CHECK_INT(get_u8(b), 0x7f);
  for (int i = 0; i < 1000; i++) {
    u64 x = rnd();
    put_u64(b + (i % 8), x);
    CHECK(get_u64(b + (i % 8)) == x);
  }
}

int main(void)
{
  test_masks();
  test_edges();
  test_byteorder();
  for (int i = 0; i < 2000; i++) {
    u64 x = rnd();
    check_value(x >> (i % 64));
  }
  return unit_done("bitops");
}
