/*
 * lib/buffer_test.c: byte buffers and the string builder.
 */
#include "lib/buffer.h"
#include "lib/net.h"
#include "test/unit.h"

static void test_buffer(void)
{
  byte mem[8];
  buffer b;
  buf_init(&b, mem, sizeof(mem));
  CHECK_INT(buf_used(&b), 0);
  CHECK_INT(buf_room(&b), 8);
  CHECK(buf_put(&b, "abcde", 5));
  CHECK(!buf_put(&b, "fghi", 4));     /* does not fit: unchanged */
  CHECK_INT(buf_used(&b), 5);
  CHECK(buf_put(&b, "fgh", 3));
  CHECK_INT(buf_room(&b), 0);
  CHECK(buf_put(&b, "", 0));
  buf_consume(&b, 3);
  CHECK_INT(buf_used(&b), 5);
  CHECK(!memcmp(b.start, "defgh", 5));
  buf_consume(&b, 100);
  CHECK_INT(buf_used(&b), 0);
  CHECK(buf_put(&b, "xy", 2));
  buf_reset(&b);
  CHECK_INT(buf_used(&b), 0);
}

static void test_strbuf(void)
{
  struct strbuf sb;
  sb_init(&sb);
  CHECK_STR(sb_str(&sb), "");
  CHECK_INT(sb.len, 0);
  sb_putc(&sb, 'a');
  sb_puts(&sb, "bc");
  sb_append(&sb, "def", 2);
  CHECK_STR(sb_str(&sb), "abcde");
  CHECK_INT(sb.len, 5);
  sb_reset(&sb);
  CHECK_STR(sb_str(&sb), "");
  net_addr n;
  net_pton("2001:db8::/32", &n);
  sb_printf(&sb, "%-16N|%d", &n, 7);
  CHECK_STR(sb_str(&sb), "2001:db8::/32   |7");
  sb_printf(&sb, "+%s", "more");
  CHECK_STR(sb_str(&sb), "2001:db8::/32   |7+more");
  CHECK_INT(sb.len, strlen(sb_str(&sb)));

  /* grow far past the initial capacity, byte by byte and in big chunks */
  sb_reset(&sb);
  for (int i = 0; i < 10000; i++)
    sb_putc(&sb, 'a' + i % 26);
  CHECK_INT(sb.len, 10000);
  CHECK(sb.cap > sb.len);
  CHECK_INT(sb_str(&sb)[9999], 'a' + 9999 % 26);
  CHECK_INT(sb_str(&sb)[10000], 0);
  char chunk[5000];
  memset(chunk, 'z', sizeof(chunk));
  sb_append(&sb, chunk, sizeof(chunk));
  sb_printf(&sb, "%s", "END");
  CHECK_INT(sb.len, 15003);
  CHECK_STR(sb_str(&sb) + 15000, "END");

  char *s = sb_steal(&sb);
  CHECK_INT(strlen(s), 15003);
  CHECK(sb.data == NULL && sb.len == 0);
  xfree(s);
  s = sb_steal(&sb);
  CHECK_STR(s, "");
  xfree(s);
  sb_puts(&sb, "x");
  sb_free(&sb);
  CHECK(sb.data == NULL);
  sb_free(&sb);   /* twice is fine */
}

static void test_json(void)
{
  struct strbuf sb;
  sb_init(&sb);
  sb_put_json_string(&sb, "plain");
  CHECK_STR(sb_str(&sb), "\"plain\"");
  sb_reset(&sb);
  sb_put_json_string(&sb, "a\"b\\c\nd\te\x01\x1f\x7f\xc3\xa9");
  CHECK_STR(sb_str(&sb), "\"a\\\"b\\\\c\\nd\\te\\u0001\\u001f\x7f\xc3\xa9\"");
  sb_reset(&sb);
  sb_put_json_string(&sb, "");
  CHECK_STR(sb_str(&sb), "\"\"");
  sb_free(&sb);
}

int main(void)
{
  test_json();
  test_buffer();
  test_strbuf();
  return unit_done("buffer");
}
