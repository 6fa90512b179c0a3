/*
 * lib/ip.h: IPv4 and IPv6 addresses.
 *
 * Addresses are kept in host byte order so that masks, comparisons and
 * bit tests are plain integer operations; conversion to wire order happens
 * only at the edges (ip4_put/ip6_put, ip4_hton/ip6_hton). The generic
 * ip_addr is an IPv6 address; IPv4 addresses live in it v4-mapped
 * (::ffff:a.b.c.d, RFC 4291 2.5.5.2), so one type covers both families.
 */
#ifndef TERN_LIB_IP_H
#define TERN_LIB_IP_H

#include "lib/tern.h"

typedef struct { u32 addr; } ip4_addr;
typedef struct { u32 addr[4]; } ip6_addr;   /* addr[0] is most significant */
typedef ip6_addr ip_addr;

#define IP4_MAX_PREFIX_LENGTH 32
#define IP6_MAX_PREFIX_LENGTH 128

#define IP4_BUFSIZE 16
#define IP6_BUFSIZE 40
#define IPA_BUFSIZE 40

#define IP4_NONE ((ip4_addr) { 0 })
#define IP6_NONE ((ip6_addr) { { 0, 0, 0, 0 } })
#define IPA_NONE IP6_NONE

/* IPv4 */

static inline ip4_addr ip4_from_u32(u32 a) { return (ip4_addr) { a }; }
static inline u32 ip4_to_u32(ip4_addr a) { return a.addr; }
static inline int ip4_equal(ip4_addr a, ip4_addr b) { return a.addr == b.addr; }
static inline int ip4_compare(ip4_addr a, ip4_addr b)
{ return (a.addr > b.addr) - (a.addr < b.addr); }
static inline ip4_addr ip4_and(ip4_addr a, ip4_addr b) { return (ip4_addr) { a.addr & b.addr }; }
static inline ip4_addr ip4_or(ip4_addr a, ip4_addr b) { return (ip4_addr) { a.addr | b.addr }; }
static inline ip4_addr ip4_xor(ip4_addr a, ip4_addr b) { return (ip4_addr) { a.addr ^ b.addr }; }
static inline ip4_addr ip4_not(ip4_addr a) { return (ip4_addr) { ~a.addr }; }
static inline int ip4_zero(ip4_addr a) { return !a.addr; }
static inline int ip4_nonzero(ip4_addr a) { return !!a.addr; }

static inline ip4_addr ip4_mkmask(uint len)
{
  return (ip4_addr) { len ? (len >= 32 ? 0xffffffffu : ~(0xffffffffu >> len)) : 0 };
}

int ip4_masklen(ip4_addr mask);

/* pos 0 is the most significant bit */
static inline uint ip4_getbit(ip4_addr a, uint pos) { return (a.addr >> (31 - pos)) & 1; }
static inline ip4_addr ip4_setbit(ip4_addr a, uint pos)
{ return (ip4_addr) { a.addr | (0x80000000u >> pos) }; }
static inline ip4_addr ip4_clrbit(ip4_addr a, uint pos)
{ return (ip4_addr) { a.addr & ~(0x80000000u >> pos) }; }

u32 ip4_hton(ip4_addr a);
ip4_addr ip4_ntoh(u32 a);
void ip4_put(byte *buf, ip4_addr a);
ip4_addr ip4_get(const byte *buf);

/* IPv6 */

static inline ip6_addr ip6_build(u32 a, u32 b, u32 c, u32 d)
{ return (ip6_addr) { { a, b, c, d } }; }

static inline int ip6_equal(ip6_addr a, ip6_addr b)
{
  return a.addr[0] == b.addr[0] && a.addr[1] == b.addr[1] &&
         a.addr[2] == b.addr[2] && a.addr[3] == b.addr[3];
}

static inline int ip6_compare(ip6_addr a, ip6_addr b)
{
  for (int i = 0; i < 4; i++)
    if (a.addr[i] != b.addr[i])
      return a.addr[i] > b.addr[i] ? 1 : -1;
  return 0;
}

static inline ip6_addr ip6_and(ip6_addr a, ip6_addr b)
{
  for (int i = 0; i < 4; i++) a.addr[i] &= b.addr[i];
  return a;
}

static inline ip6_addr ip6_or(ip6_addr a, ip6_addr b)
{
  for (int i = 0; i < 4; i++) a.addr[i] |= b.addr[i];
  return a;
}

static inline ip6_addr ip6_xor(ip6_addr a, ip6_addr b)
{
  for (int i = 0; i < 4; i++) a.addr[i] ^= b.addr[i];
  return a;
}

static inline ip6_addr ip6_not(ip6_addr a)
{
  for (int i = 0; i < 4; i++) a.addr[i] = ~a.addr[i];
  return a;
}

static inline int ip6_zero(ip6_addr a)
{ return !(a.addr[0] | a.addr[1] | a.addr[2] | a.addr[3]); }
static inline int ip6_nonzero(ip6_addr a) { return !ip6_zero(a); }

ip6_addr ip6_mkmask(uint len);
int ip6_masklen(ip6_addr mask);

static inline uint ip6_getbit(ip6_addr a, uint pos)
{ return (a.addr[pos / 32] >> (31 - pos % 32)) & 1; }
static inline ip6_addr ip6_setbit(ip6_addr a, uint pos)
{ a.addr[pos / 32] |= 0x80000000u >> (pos % 32); return a; }
static inline ip6_addr ip6_clrbit(ip6_addr a, uint pos)
{ a.addr[pos / 32] &= ~(0x80000000u >> (pos % 32)); return a; }

/* Network order: the returned value's 16 bytes are the address as on the wire. */
ip6_addr ip6_hton(ip6_addr a);
ip6_addr ip6_ntoh(ip6_addr a);
void ip6_put(byte *buf, ip6_addr a);
ip6_addr ip6_get(const byte *buf);

/* Generic */

static inline int ipa_is_ip4(ip_addr a)
{ return !a.addr[0] && !a.addr[1] && a.addr[2] == 0xffff; }
static inline int ipa_is_ip6(ip_addr a) { return !ipa_is_ip4(a); }
static inline ip_addr ipa_from_ip4(ip4_addr a) { return ip6_build(0, 0, 0xffff, a.addr); }
static inline ip4_addr ipa_to_ip4(ip_addr a) { return (ip4_addr) { a.addr[3] }; }
static inline ip_addr ipa_from_ip6(ip6_addr a) { return a; }
static inline ip6_addr ipa_to_ip6(ip_addr a) { return a; }
static inline int ipa_equal(ip_addr a, ip_addr b) { return ip6_equal(a, b); }
static inline int ipa_compare(ip_addr a, ip_addr b) { return ip6_compare(a, b); }
static inline int ipa_zero(ip_addr a) { return ip6_zero(a); }
static inline int ipa_nonzero(ip_addr a) { return ip6_nonzero(a); }
static inline ip_addr ipa_and(ip_addr a, ip_addr b) { return ip6_and(a, b); }
static inline ip_addr ipa_or(ip_addr a, ip_addr b) { return ip6_or(a, b); }
static inline ip_addr ipa_xor(ip_addr a, ip_addr b) { return ip6_xor(a, b); }
static inline ip_addr ipa_not(ip_addr a) { return ip6_not(a); }

/* fe80::/10 (RFC 4291 2.5.6) */
static inline int ipa_is_link_local(ip_addr a)
{ return (a.addr[0] & 0xffc00000u) == 0xfe800000u; }

u32 ip4_hash(ip4_addr a);
u32 ip6_hash(ip6_addr a);
u32 ipa_hash(ip_addr a);

/* Text. pton returns 1 on success, 0 on any syntax error (whole string). */
int ip4_pton(const char *s, ip4_addr *a);
int ip6_pton(const char *s, ip6_addr *a);
int ipa_pton(const char *s, ip_addr *a);   /* IPv4 text gives a v4-mapped address */
char *ip4_ntop(ip4_addr a, char *buf);
char *ip6_ntop(ip6_addr a, char *buf);     /* RFC 5952, always pure hex */
char *ipa_ntop(ip_addr a, char *buf);      /* v4-mapped as a dotted quad */

#endif
