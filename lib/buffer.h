/*
 * lib/buffer.h: byte buffers and a growable string builder.
 *
 * `buffer` describes a fixed region being filled or drained (a socket's
 * rx/tx space): data lives in [start, pos), free room in [pos, end).
 * `strbuf` builds text of unknown length (CLI replies, JSON); it is always
 * NUL-terminated once anything was added, and sb_printf understands the
 * Tern extensions (%I, %N, ...). Strbuf memory comes from xmalloc.
 */
#ifndef TERN_LIB_BUFFER_H
#define TERN_LIB_BUFFER_H

#include <stdarg.h>
#include "lib/tern.h"

typedef struct buffer {
  byte *start, *pos, *end;
} buffer;

static inline void buf_init(buffer *b, void *mem, size_t size)
{
  b->start = b->pos = mem;
  b->end = b->start + size;
}

static inline size_t buf_used(const buffer *b) { return b->pos - b->start; }
static inline size_t buf_room(const buffer *b) { return b->end - b->pos; }
static inline void buf_reset(buffer *b) { b->pos = b->start; }

/* Append n bytes if they fit; returns 1, or 0 and leaves b unchanged. */
int buf_put(buffer *b, const void *data, size_t n);
/* Drop the first n bytes of the data, moving the rest to the start. */
void buf_consume(buffer *b, size_t n);

struct strbuf {
  char *data;
  size_t len, cap;
};

void sb_init(struct strbuf *sb);
void sb_free(struct strbuf *sb);
void sb_reset(struct strbuf *sb);
void sb_reserve(struct strbuf *sb, size_t extra);
void sb_putc(struct strbuf *sb, char c);
void sb_puts(struct strbuf *sb, const char *s);
void sb_append(struct strbuf *sb, const void *data, size_t len);
void sb_vprintf(struct strbuf *sb, const char *fmt, va_list args);
void sb_printf(struct strbuf *sb, const char *fmt, ...);
/* s as a JSON string literal, quotes included (RFC 8259 section 7);
 * bytes >= 0x80 are copied as they are (the text is taken to be UTF-8). */
void sb_put_json_string(struct strbuf *sb, const char *s);
/* The text so far; "" for a fresh strbuf. */
static inline const char *sb_str(const struct strbuf *sb) { return sb->data ? sb->data : ""; }
/* Hands the xmalloc'd text over to the caller and resets sb. */
char *sb_steal(struct strbuf *sb);

#endif
