/*
 * lib/ip.c: address masks, byte order, hashing and text conversion.
 *
 * Text forms: IPv4 is the dotted quad of RFC 791 with decimal octets only
 * (leading zeros are rejected because some tools read them as octal).
 * IPv6 input follows RFC 4291 2.2 (including a trailing dotted quad);
 * output follows RFC 5952 4: lowercase, no leading zeros, the longest run
 * of two or more zero groups shortened to "::" (the first one on a tie).
 */
#include "lib/ip.h"
#include "lib/hash.h"

#include <string.h>

int ip4_masklen(ip4_addr mask)
{
  u32 inv = ~mask.addr;
  if (inv & (inv + 1))          /* a mask's complement is 0...01...1 */
    return -1;
  return 32 - __builtin_popcount(inv);
}

ip6_addr ip6_mkmask(uint len)
{
  ip6_addr m;
  for (int i = 0; i < 4; i++) {
    uint bits = len > 32 ? 32 : len;
    m.addr[i] = ip4_mkmask(bits).addr;
    len -= bits;
  }
  return m;
}

int ip6_masklen(ip6_addr mask)
{
  int i = 0;
  while (i < 4 && mask.addr[i] == 0xffffffffu)
    i++;
  if (i == 4)
    return 128;
  int part = ip4_masklen((ip4_addr) { mask.addr[i] });
  if (part < 0)
    return -1;
  for (int j = i + 1; j < 4; j++)
    if (mask.addr[j])
      return -1;
  return 32 * i + part;
}

/* Byte order */

u32 ip4_hton(ip4_addr a)
{
  byte b[4];
  u32 r;
  ip4_put(b, a);
  memcpy(&r, b, 4);
  return r;
}

ip4_addr ip4_ntoh(u32 a)
{
  return ip4_get((const byte *) &a);
}

void ip4_put(byte *buf, ip4_addr a)
{
  buf[0] = a.addr >> 24;
  buf[1] = a.addr >> 16;
  buf[2] = a.addr >> 8;
  buf[3] = a.addr;
}

ip4_addr ip4_get(const byte *buf)
{
  return (ip4_addr) { ((u32) buf[0] << 24) | ((u32) buf[1] << 16) |
                      ((u32) buf[2] << 8) | buf[3] };
}

ip6_addr ip6_hton(ip6_addr a)
{
  ip6_addr r;
  ip6_put((byte *) r.addr, a);
  return r;
}

ip6_addr ip6_ntoh(ip6_addr a)
{
  return ip6_get((const byte *) a.addr);
}

void ip6_put(byte *buf, ip6_addr a)
{
  for (int i = 0; i < 4; i++)
    ip4_put(buf + 4 * i, (ip4_addr) { a.addr[i] });
}

ip6_addr ip6_get(const byte *buf)
{
  ip6_addr a;
  for (int i = 0; i < 4; i++)
    a.addr[i] = ip4_get(buf + 4 * i).addr;
  return a;
}

/* Hashing */

u32 ip4_hash(ip4_addr a)
{
  return u32_hash(a.addr);
}

u32 ip6_hash(ip6_addr a)
{
  u32 h = hash_mix(a.addr[0], a.addr[1]);
  h = hash_mix(h, a.addr[2]);
  return u32_hash(hash_mix(h, a.addr[3]));
}

u32 ipa_hash(ip_addr a)
{
  return ip6_hash(a);
}

/* Parsing */

/* One decimal octet; returns the position after it or NULL. */
static const char *parse_octet(const char *s, u32 *v)
{
  if (*s < '0' || *s > '9')
    return NULL;
  if (s[0] == '0' && s[1] >= '0' && s[1] <= '9')
    return NULL;
  u32 x = 0;
  int digits = 0;
  while (*s >= '0' && *s <= '9' && digits < 4) {
    x = x * 10 + (*s++ - '0');
    digits++;
  }
  if (x > 255 || (*s >= '0' && *s <= '9'))
    return NULL;
  *v = x;
  return s;
}

int ip4_pton(const char *s, ip4_addr *a)
{
  u32 r = 0, v;
  for (int i = 0; i < 4; i++) {
    if (i && *s++ != '.')
      return 0;
    if (!(s = parse_octet(s, &v)))
      return 0;
    r = (r << 8) | v;
  }
  if (*s)
    return 0;
  *a = (ip4_addr) { r };
  return 1;
}

static int hex_value(char c)
{
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Parses up to eight 16-bit groups into w[]; *gap is the group index where
 * "::" stood (-1 if none). Returns the number of groups or -1. */
static int ip6_parse_groups(const char *s, u16 *w, int *gap)
{
  int n = 0;
  *gap = -1;
  if (s[0] == ':' && s[1] == ':') {
    *gap = 0;
    s += 2;
    if (!*s)
      return 0;
  }
  for (;;) {
    int digits = 0;
    u32 v = 0;
    while (hex_value(s[digits]) >= 0 && digits < 5)
      v = (v << 4) | hex_value(s[digits++]);
    if (s[digits] == '.') {      /* trailing dotted quad: two more groups */
      ip4_addr a4;
      if (n > 6 || !ip4_pton(s, &a4))
        return -1;
      w[n++] = a4.addr >> 16;
      w[n++] = a4.addr & 0xffff;
      return n;
    }
    if (digits < 1 || digits > 4 || n >= 8)
      return -1;
    w[n++] = v;
    s += digits;
    if (!*s)
      return n;
    if (*s++ != ':')
      return -1;
    if (*s == ':') {
      if (*gap >= 0)
        return -1;
      *gap = n;
      if (!*++s)
        return n;
    }
  }
}

int ip6_pton(const char *s, ip6_addr *a)
{
  u16 w[8], full[8] = { 0 };
  int gap, n = ip6_parse_groups(s, w, &gap);
  if (n < 0 || (gap < 0 && n != 8) || (gap >= 0 && n > 7))
    return 0;
  if (gap < 0)
    gap = n;
  int tail = n - gap;
  memcpy(full, w, gap * sizeof(u16));
  memcpy(full + 8 - tail, w + gap, tail * sizeof(u16));
  for (int i = 0; i < 4; i++)
    a->addr[i] = ((u32) full[2 * i] << 16) | full[2 * i + 1];
  return 1;
}

int ipa_pton(const char *s, ip_addr *a)
{
  ip4_addr a4;
  if (ip4_pton(s, &a4)) {
    *a = ipa_from_ip4(a4);
    return 1;
  }
  return ip6_pton(s, a);
}

/* Formatting */

static char *put_decimal(char *p, uint v)
{
  char tmp[10];
  int n = 0;
  do tmp[n++] = '0' + v % 10; while (v /= 10);
  while (n)
    *p++ = tmp[--n];
  return p;
}

static char *put_hex16(char *p, uint v)
{
  static const char digits[] = "0123456789abcdef";
  int shift = 12;
  while (shift > 0 && !((v >> shift) & 0xf))
    shift -= 4;
  for (; shift >= 0; shift -= 4)
    *p++ = digits[(v >> shift) & 0xf];
  return p;
}

char *ip4_ntop(ip4_addr a, char *buf)
{
  char *p = buf;
  for (int i = 0; i < 4; i++) {
    if (i)
      *p++ = '.';
    p = put_decimal(p, (a.addr >> (24 - 8 * i)) & 0xff);
  }
  *p = 0;
  return buf;
}

/* Longest run of at least two zero groups, first on a tie (RFC 5952 4.2). */
static void ip6_zero_run(const u16 *w, int *start, int *len)
{
  *start = -1;
  *len = 0;
  for (int i = 0; i < 8;) {
    int j = i;
    while (j < 8 && !w[j])
      j++;
    if (j - i > *len && j - i >= 2) {
      *start = i;
      *len = j - i;
    }
    i = (j == i) ? i + 1 : j;
  }
}

char *ip6_ntop(ip6_addr a, char *buf)
{
  u16 w[8];
  for (int i = 0; i < 8; i++)
    w[i] = a.addr[i / 2] >> (i % 2 ? 0 : 16);
  int start, len;
  ip6_zero_run(w, &start, &len);
  char *p = buf;
  for (int i = 0; i < 8; i++) {
    if (i == start) {
      *p++ = ':';
      *p++ = ':';
      i += len - 1;
      continue;
    }
    if (i && i != start + len)
      *p++ = ':';
    p = put_hex16(p, w[i]);
  }
  *p = 0;
  return buf;
}

char *ipa_ntop(ip_addr a, char *buf)
{
  if (ipa_is_ip4(a))
    return ip4_ntop(ipa_to_ip4(a), buf);
  return ip6_ntop(a, buf);
}
