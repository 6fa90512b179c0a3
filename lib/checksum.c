/*
 * lib/checksum.c: one's complement sum of 16-bit big-endian words
 * (RFC 1071 section 4.1 describes the reference algorithm).
 *
 * A 64-bit accumulator lets us add without folding carries in the loop.
 */
#include "lib/checksum.h"

u32 ip_csum_partial(const void *data, size_t len, u32 sum)
{
  const byte *p = data;
  u64 acc = sum;
  for (; len >= 2; p += 2, len -= 2)
    acc += (u32) ((p[0] << 8) | p[1]);
  if (len)
    acc += (u32) p[0] << 8;   /* pad the odd byte with zero */
  while (acc >> 32)
    acc = (acc & 0xffffffffu) + (acc >> 32);
  return (u32) acc;
}

u16 ip_csum_fold(u32 sum)
{
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return (u16) ~sum;
}

u16 ip_checksum(const void *data, size_t len)
{
  return ip_csum_fold(ip_csum_partial(data, len, 0));
}
