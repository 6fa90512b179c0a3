/*
 * lib/bitops.h: bit tricks and big-endian unaligned access.
 *
 * The counting functions are defined for 0 (unlike the gcc builtins), so
 * callers need not special-case empty masks. get_uN/put_uN read and write
 * network byte order at any alignment; use them, never pointer casts, on
 * packet buffers.
 */
#ifndef TERN_LIB_BITOPS_H
#define TERN_LIB_BITOPS_H

#include "lib/tern.h"

/* The netmask with `len` leading ones (len 0..32). */
static inline u32 u32_mkmask(uint len)
{
  return len ? (len >= 32 ? 0xffffffffu : ~(0xffffffffu >> len)) : 0;
}

/* Number of leading ones of a netmask, -1 if x is not one. */
static inline int u32_masklen(u32 x)
{
  u32 inv = ~x;
  if (inv & (inv + 1))
    return -1;
  return 32 - __builtin_popcount(inv);
}

static inline uint u32_clz(u32 x) { return x ? (uint) __builtin_clz(x) : 32; }
static inline uint u32_ctz(u32 x) { return x ? (uint) __builtin_ctz(x) : 32; }
static inline uint u64_clz(u64 x) { return x ? (uint) __builtin_clzll(x) : 64; }
static inline uint u64_ctz(u64 x) { return x ? (uint) __builtin_ctzll(x) : 64; }
static inline uint u32_popcount(u32 x) { return __builtin_popcount(x); }
static inline uint u64_popcount(u64 x) { return __builtin_popcountll(x); }

/* floor(log2(x)); 0 for x == 0 as well as x == 1 */
static inline uint u32_log2(u32 x) { return x ? 31 - __builtin_clz(x) : 0; }

static inline u8 get_u8(const void *p) { return *(const u8 *) p; }

static inline u16 get_u16(const void *p)
{
  const u8 *b = p;
  return (u16) ((b[0] << 8) | b[1]);
}

static inline u32 get_u32(const void *p)
{
  const u8 *b = p;
  return ((u32) b[0] << 24) | ((u32) b[1] << 16) | ((u32) b[2] << 8) | b[3];
}

static inline u64 get_u64(const void *p)
{
  const u8 *b = p;
  return ((u64) get_u32(b) << 32) | get_u32(b + 4);
}

static inline void put_u8(void *p, u8 v) { *(u8 *) p = v; }

static inline void put_u16(void *p, u16 v)
{
  u8 *b = p;
  b[0] = v >> 8;
  b[1] = v;
}

static inline void put_u32(void *p, u32 v)
{
  u8 *b = p;
  b[0] = v >> 24;
  b[1] = v >> 16;
  b[2] = v >> 8;
  b[3] = v;
}

static inline void put_u64(void *p, u64 v)
{
  u8 *b = p;
  put_u32(b, v >> 32);
  put_u32(b + 4, (u32) v);
}

#endif
