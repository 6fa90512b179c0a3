/*
 * lib/cursor.h: bounds-checked reading of untrusted wire data.
 *
 * Decoders read packets through a cursor instead of raw pointers: every
 * read checks the remaining length, and the first short read sets a sticky
 * error so a decoder can run a sequence of reads and check once at the
 * end. cur_sub() carves a length-prefixed element into its own cursor, so
 * a bad inner length can never read past the element into the next one.
 * Multi-byte values are big-endian (network order).
 */
#ifndef TERN_LIB_CURSOR_H
#define TERN_LIB_CURSOR_H

#include <string.h>
#include "lib/tern.h"
#include "lib/bitops.h"

struct cursor {
  const byte *pos, *end;
  int error;
};

static inline void cur_init(struct cursor *c, const void *buf, size_t len)
{
  c->pos = buf;
  c->end = len ? c->pos + len : c->pos;   /* NULL + 0 is UB in C */
  c->error = 0;
}

static inline size_t cur_left(const struct cursor *c)
{
  return c->error ? 0 : (size_t) (c->end - c->pos);
}

/* Reserve n bytes: returns their start, or NULL and sets the error. */
static inline const byte *cur_take(struct cursor *c, size_t n)
{
  if (c->error || (size_t) (c->end - c->pos) < n) {
    c->error = 1;
    return NULL;
  }
  const byte *p = c->pos;
  c->pos += n;
  return p;
}

static inline int cur_get_u8(struct cursor *c, u8 *v)
{
  const byte *p = cur_take(c, 1);
  if (p) *v = get_u8(p);
  return !!p;
}

static inline int cur_get_u16(struct cursor *c, u16 *v)
{
  const byte *p = cur_take(c, 2);
  if (p) *v = get_u16(p);
  return !!p;
}

static inline int cur_get_u32(struct cursor *c, u32 *v)
{
  const byte *p = cur_take(c, 4);
  if (p) *v = get_u32(p);
  return !!p;
}

static inline int cur_get_u64(struct cursor *c, u64 *v)
{
  const byte *p = cur_take(c, 8);
  if (p) *v = get_u64(p);
  return !!p;
}

static inline int cur_get_bytes(struct cursor *c, void *dst, size_t n)
{
  const byte *p = cur_take(c, n);
  if (p && n) memcpy(dst, p, n);
  return !!p;
}

static inline int cur_skip(struct cursor *c, size_t n)
{
  return !!cur_take(c, n);
}

/* On failure *sub is an empty cursor in error state as well. */
static inline int cur_sub(struct cursor *c, size_t n, struct cursor *sub)
{
  const byte *p = cur_take(c, n);
  cur_init(sub, p ? p : c->pos, p ? n : 0);
  sub->error = !p;
  return !!p;
}

#endif
