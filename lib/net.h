/*
 * lib/net.h: typed network prefixes (BIRD's net_addr model).
 *
 * Every table is typed by the kind of net it holds. All kinds share an
 * 8-byte-aligned header {type, pxlen, length}; `length` is the size of
 * the specific view, so a net can be copied, compared and hashed without
 * knowing its type, and stored in just the bytes it needs. A `net_addr` is
 * big enough to hold any kind; the per-kind views are what you cast to.
 * Type numbers follow BIRD so that tools printing them agree.
 */
#ifndef TERN_LIB_NET_H
#define TERN_LIB_NET_H

#include "lib/tern.h"
#include "lib/ip.h"

enum net_type {
  NET_IP4 = 1,
  NET_IP6 = 2,
  NET_VPN4 = 3,
  NET_VPN6 = 4,
  NET_ROA4 = 5,
  NET_ROA6 = 6,
  NET_FLOW4 = 7,
  NET_FLOW6 = 8,
  NET_IP6_SADR = 9,
  NET_MPLS = 10,
  NET_MAX
};

typedef struct net_addr {
  u8 type;
  u8 pxlen;
  u16 length;
  u8 data[28];
} __attribute__((aligned(8))) net_addr;

typedef struct net_addr_ip4 {
  u8 type;
  u8 pxlen;
  u16 length;
  ip4_addr prefix;
} net_addr_ip4;

typedef struct net_addr_ip6 {
  u8 type;
  u8 pxlen;
  u16 length;
  ip6_addr prefix;
} net_addr_ip6;

typedef struct net_addr_roa4 {
  u8 type;
  u8 pxlen;
  u16 length;
  ip4_addr prefix;
  u32 max_pxlen;
  u32 asn;
} net_addr_roa4;

typedef struct net_addr_roa6 {
  u8 type;
  u8 pxlen;
  u16 length;
  ip6_addr prefix;
  u32 max_pxlen;
  u32 asn;
} net_addr_roa6;

#define NET_BUFSIZE 64

extern const u16 net_addr_length[NET_MAX];
extern const u8 net_max_prefix_length[NET_MAX];
extern const char *const net_label[NET_MAX];

/* Filling (writes only the bytes of the specific view) */
void net_fill_ip4(net_addr *n, ip4_addr prefix, uint pxlen);
void net_fill_ip6(net_addr *n, ip6_addr prefix, uint pxlen);
void net_fill_roa4(net_addr *n, ip4_addr prefix, uint pxlen, uint max_pxlen, u32 asn);
void net_fill_roa6(net_addr *n, ip6_addr prefix, uint pxlen, uint max_pxlen, u32 asn);
void net_fill_ipa(net_addr *n, ip_addr prefix, uint pxlen);
void net_fill_ip_host(net_addr *n, ip_addr a);

/* Types */
static inline int net_type_is_ip4(uint type) { return type == NET_IP4 || type == NET_VPN4 || type == NET_ROA4 || type == NET_FLOW4; }
static inline int net_type_is_ip6(uint type) { return type == NET_IP6 || type == NET_VPN6 || type == NET_ROA6 || type == NET_FLOW6 || type == NET_IP6_SADR; }
static inline int net_type_is_roa(uint type) { return type == NET_ROA4 || type == NET_ROA6; }
static inline int net_type_is_ip(uint type) { return type == NET_IP4 || type == NET_IP6; }
/* Types this code base can actually hold and process. */
static inline int net_type_supported(uint type) { return type == NET_IP4 || type == NET_IP6 || net_type_is_roa(type); }

static inline int net_is_ip(const net_addr *n) { return net_type_is_ip(n->type); }
static inline int net_is_roa(const net_addr *n) { return net_type_is_roa(n->type); }
static inline int net_is_ip4(const net_addr *n) { return net_type_is_ip4(n->type); }
static inline int net_is_ip6(const net_addr *n) { return net_type_is_ip6(n->type); }
static inline uint net_pxlen(const net_addr *n) { return n->pxlen; }
static inline uint net_max_pxlen(const net_addr *n) { return net_max_prefix_length[n->type]; }

ip_addr net_prefix(const net_addr *n);   /* IPA_NONE for unsupported types */
ip4_addr net4_prefix(const net_addr *n);
ip6_addr net6_prefix(const net_addr *n);

/* Operations */
int net_equal(const net_addr *a, const net_addr *b);
int net_compare(const net_addr *a, const net_addr *b);
u32 net_hash(const net_addr *n);
void net_copy(net_addr *dst, const net_addr *src);
int net_validate(const net_addr *n);
void net_normalize(net_addr *n);
/* a lies within (or equals) b: same address family, a.pxlen >= b.pxlen,
 * and the first b.pxlen bits agree. ROA nets count by their prefix. */
int net_in_netx(const net_addr *a, const net_addr *b);
int ipa_in_netx(ip_addr a, const net_addr *n);

/* Text */
int net_format(const net_addr *n, char *buf, int size);
int net_pton(const char *s, net_addr *n);

#endif
