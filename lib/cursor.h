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

/* Reserve n bytes: *p = their start; on a short buffer set the error. */
static inline int cur_take(struct cursor *c, size_t n, const byte **p)
{
  if (c->error || (size_t) (c->end - c->pos) < n) {
    c->error = 1;
    return 0;
  }
  *p = c->pos;
  c->pos += n;
  return 1;
}

static inline int cur_get_u8(struct cursor *c, u8 *v)
{
  const byte *p;
  if (!cur_take(c, 1, &p))
    return 0;
  *v = get_u8(p);
  return 1;
}

static inline int cur_get_u16(struct cursor *c, u16 *v)
{
  const byte *p;
  if (!cur_take(c, 2, &p))
    return 0;
  *v = get_u16(p);
  return 1;
}

static inline int cur_get_u32(struct cursor *c, u32 *v)
{
  const byte *p;
  if (!cur_take(c, 4, &p))
    return 0;
  *v = get_u32(p);
  return 1;
}

static inline int cur_get_u64(struct cursor *c, u64 *v)
{
  const byte *p;
  if (!cur_take(c, 8, &p))
    return 0;
  *v = get_u64(p);
  return 1;
}

static inline int cur_get_bytes(struct cursor *c, void *dst, size_t n)
{
  const byte *p;
  if (!cur_take(c, n, &p))
    return 0;
  if (n)
    memcpy(dst, p, n);
  return 1;
}

static inline int cur_skip(struct cursor *c, size_t n)
{
  const byte *p;
  return cur_take(c, n, &p);
}

/* On failure *sub is an empty cursor in error state as well. */
static inline int cur_sub(struct cursor *c, size_t n, struct cursor *sub)
{
  const byte *p;
  if (!cur_take(c, n, &p)) {
    cur_init(sub, NULL, 0);
    sub->error = 1;
    return 0;
  }
  cur_init(sub, p, n);
  return 1;
}

#endif
