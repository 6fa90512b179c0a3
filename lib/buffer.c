/*
 * lib/buffer.c: byte buffer helpers and the string builder.
 *
 * The strbuf grows geometrically so n appends cost O(n) copying overall.
 */
#include "lib/buffer.h"
#include "lib/printf.h"

#include <string.h>

int buf_put(buffer *b, const void *data, size_t n)
{
  if (buf_room(b) < n)
    return 0;
  if (n)
    memcpy(b->pos, data, n);
  b->pos += n;
  return 1;
}

void buf_consume(buffer *b, size_t n)
{
  size_t used = buf_used(b);
  if (n >= used) {
    b->pos = b->start;
    return;
  }
  memmove(b->start, b->start + n, used - n);
  b->pos -= n;
}

void sb_init(struct strbuf *sb)
{
  sb->data = NULL;
  sb->len = sb->cap = 0;
}

void sb_free(struct strbuf *sb)
{
  xfree(sb->data);
  sb_init(sb);
}

void sb_reset(struct strbuf *sb)
{
  sb->len = 0;
  if (sb->data)
    sb->data[0] = 0;
}

/* Make room for `extra` more characters plus the terminating NUL. */
void sb_reserve(struct strbuf *sb, size_t extra)
{
  size_t need = sb->len + extra + 1;
  if (need < extra)
    die("strbuf: size overflow");
  if (need <= sb->cap)
    return;
  size_t cap = sb->cap ? sb->cap : 64;
  while (cap < need)
    cap *= 2;
  sb->data = xrealloc(sb->data, cap);
  sb->cap = cap;
}

void sb_append(struct strbuf *sb, const void *data, size_t len)
{
  sb_reserve(sb, len);
  if (len)
    memcpy(sb->data + sb->len, data, len);
  sb->len += len;
  sb->data[sb->len] = 0;
}

void sb_putc(struct strbuf *sb, char c)
{
  sb_append(sb, &c, 1);
}

void sb_puts(struct strbuf *sb, const char *s)
{
  sb_append(sb, s, strlen(s));
}

void sb_vprintf(struct strbuf *sb, const char *fmt, va_list args)
{
  va_list measure;
  va_copy(measure, args);
  int n = bvformat(NULL, 0, fmt, measure);
  va_end(measure);
  sb_reserve(sb, n);
  bvformat(sb->data + sb->len, n + 1, fmt, args);
  sb->len += n;
}

void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
  va_list args;
  va_start(args, fmt);
  sb_vprintf(sb, fmt, args);
  va_end(args);
}

void sb_put_json_string(struct strbuf *sb, const char *s)
{
  static const char hex[] = "0123456789abcdef";
  sb_putc(sb, '"');
  for (const unsigned char *p = (const unsigned char *) s; *p; p++) {
    switch (*p) {
    case '"':  sb_puts(sb, "\\\""); break;
    case '\\': sb_puts(sb, "\\\\"); break;
    case '\n': sb_puts(sb, "\\n"); break;
    case '\r': sb_puts(sb, "\\r"); break;
    case '\t': sb_puts(sb, "\\t"); break;
    case '\b': sb_puts(sb, "\\b"); break;
    case '\f': sb_puts(sb, "\\f"); break;
    default:
      if (*p < 0x20) {
        char esc[7] = { '\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15], 0 };
        sb_puts(sb, esc);
      } else
        sb_putc(sb, *p);
    }
  }
  sb_putc(sb, '"');
}

char *sb_steal(struct strbuf *sb)
{
  char *s = sb->data ? sb->data : xstrdup("");
  sb_init(sb);
  return s;
}
