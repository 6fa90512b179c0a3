/*
 * lib/cursor_test.c: the cursor on byte vectors, including truncated input
 * and sub-cursors whose declared length lies.
 */
#include "lib/cursor.h"
#include "test/unit.h"

static const byte pkt[] = {
  0x01,                         /* u8 */
  0x02, 0x03,                   /* u16 */
  0x04, 0x05, 0x06, 0x07,       /* u32 */
  0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,   /* u64 */
  0xaa, 0xbb, 0xcc,             /* bytes */
};

static void test_sequence(void)
{
  struct cursor c;
  u8 a = 0; u16 b = 0; u32 d = 0; u64 e = 0; byte raw[3] = { 0 };
  cur_init(&c, pkt, sizeof(pkt));
  CHECK_INT(cur_left(&c), 18);
  CHECK(cur_get_u8(&c, &a));
  CHECK(cur_get_u16(&c, &b));
  CHECK(cur_get_u32(&c, &d));
  CHECK(cur_get_u64(&c, &e));
  CHECK(cur_get_bytes(&c, raw, 3));
  CHECK_INT(a, 1);
  CHECK_INT(b, 0x0203);
  CHECK_INT(d, 0x04050607);
  CHECK(e == 0x08090a0b0c0d0e0full);
  CHECK_INT(raw[2], 0xcc);
  CHECK_INT(cur_left(&c), 0);
  CHECK(!c.error);
  CHECK(!cur_get_u8(&c, &a));
  CHECK(c.error);
}

/* Every read that would cross the end fails, sets the error and the error
 * sticks even for reads that would otherwise fit. */
static void test_truncated(void)
{
  for (size_t len = 0; len < 4; len++) {
    struct cursor c;
    u32 v = 0xdeadbeef;
    u8 small;
    cur_init(&c, pkt, len);
    CHECK(!cur_get_u32(&c, &v));
    CHECK_INT(v, 0xdeadbeef);   /* untouched */
    CHECK(c.error);
    CHECK_INT(cur_left(&c), 0);
    CHECK(!cur_get_u8(&c, &small));
  }
  struct cursor c;
  u16 w;
  u64 q;
  cur_init(&c, pkt, 1);
  CHECK(!cur_get_u16(&c, &w));
  cur_init(&c, pkt, 7);
  CHECK(!cur_get_u64(&c, &q));
  cur_init(&c, pkt, 5);
  CHECK(!cur_skip(&c, 6));
  CHECK(!cur_skip(&c, 0));      /* sticky */
  cur_init(&c, pkt, 5);
  CHECK(cur_skip(&c, 5));
  CHECK(cur_skip(&c, 0));
  CHECK(!c.error);
  cur_init(&c, NULL, 0);
  CHECK_INT(cur_left(&c), 0);
  CHECK(cur_get_bytes(&c, NULL, 0));
  CHECK(!cur_get_u8(&c, (u8 *) &w));
  /* Huge lengths must not wrap around the pointer arithmetic. */
  cur_init(&c, pkt, sizeof(pkt));
  CHECK(!cur_skip(&c, (size_t) -1));
  CHECK(c.error);
}

/* A TLV: type u8, length u8, value. The inner length of the second one
 * claims more than is there. */
static void test_sub(void)
{
  static const byte tlv[] = { 1, 2, 0xab, 0xcd, 2, 9, 0x11 };
  struct cursor c, sub;
  u8 type, len;
  u16 val;
  cur_init(&c, tlv, sizeof(tlv));
  CHECK(cur_get_u8(&c, &type) && cur_get_u8(&c, &len));
  CHECK(cur_sub(&c, len, &sub));
  CHECK(cur_get_u16(&sub, &val));
  CHECK_INT(val, 0xabcd);
  CHECK(!cur_get_u8(&sub, &type));   /* cannot read into the next TLV */
  CHECK(sub.error);
  CHECK(!c.error);
  CHECK(cur_get_u8(&c, &type) && cur_get_u8(&c, &len));
  CHECK_INT(len, 9);
  CHECK(!cur_sub(&c, len, &sub));
  CHECK(sub.error);
  CHECK_INT(cur_left(&sub), 0);
  CHECK(c.error);
}

int main(void)
{
  test_sequence();
  test_truncated();
  test_sub();
  return unit_done("cursor");
}
