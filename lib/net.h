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
  NET_ASPA = 11,
  NET_MAX
};

typedef struct net_addr {
  u8 type;
  u8 pxlen;
  u16 length;
  u8 data[36];
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

/* Route distinguisher (RFC 4364 4.2): type in the top 16 bits. */
typedef struct net_addr_vpn4 {
  u8 type;
  u8 pxlen;
  u16 length;
  ip4_addr prefix;
  u64 rd;
} net_addr_vpn4;

typedef struct net_addr_vpn6 {
  u8 type;
  u8 pxlen;
  u16 length;
  ip6_addr prefix;
  u32 padding;
  u64 rd;
} net_addr_vpn6;

/* Source-address-dependent routing: pxlen is the destination's. */
typedef struct net_addr_ip6_sadr {
  u8 type;
  u8 dst_pxlen;
  u16 length;
  ip6_addr dst_prefix;
  u32 src_pxlen;
  ip6_addr src_prefix;
} net_addr_ip6_sadr;

/* Flow specification (RFC 8955, 8956). Variable length: `length` counts
 * the header and data[], which holds the NLRI exactly as on the wire,
 * starting with its 1- or 2-byte length. prefix/pxlen repeat the
 * destination prefix component (0/0 if there is none) so that tables and
 * `.dst` need not parse the NLRI. lib/flowspec.h builds and reads data[]. */
typedef struct net_addr_flow4 {
  u8 type;
  u8 pxlen;
  u16 length;
  ip4_addr prefix;
  byte data[];
} net_addr_flow4;

typedef struct net_addr_flow6 {
  u8 type;
  u8 pxlen;
  u16 length;
  ip6_addr prefix;
  byte data[];
} net_addr_flow6;

/* ASPA (BIRD 2.16): keyed by the customer ASN; the providers are a route
 * attribute. pxlen is 0. */
typedef struct net_addr_aspa {
  u8 type;
  u8 pxlen;
  u16 length;
  u32 asn;
} net_addr_aspa;

/* Room for any net, a flow with the longest NLRI (4095 bytes and a 2-byte
 * length) included: for copies of nets whose kind is not known. */
#define NET_MAX_LENGTH (sizeof(net_addr_flow6) + 4097)
typedef union net_addr_union {
  net_addr n;
  net_addr_flow6 flow6;
  byte raw[NET_MAX_LENGTH];
} __attribute__((aligned(8))) net_addr_union;

/* Flow nets can be long: longer ones are cut, as BIRD cuts them, to 256
 * characters ending in " ...}" (and a NUL). */
#define NET_BUFSIZE 257

extern const u16 net_addr_length[NET_MAX];
extern const u8 net_max_prefix_length[NET_MAX];
extern const char *const net_label[NET_MAX];

/* Filling (writes only the bytes of the specific view) */
void net_fill_ip4(net_addr *n, ip4_addr prefix, uint pxlen);
void net_fill_ip6(net_addr *n, ip6_addr prefix, uint pxlen);
void net_fill_roa4(net_addr *n, ip4_addr prefix, uint pxlen, uint max_pxlen, u32 asn);
void net_fill_roa6(net_addr *n, ip6_addr prefix, uint pxlen, uint max_pxlen, u32 asn);
void net_fill_vpn4(net_addr *n, ip4_addr prefix, uint pxlen, u64 rd);
void net_fill_vpn6(net_addr *n, ip6_addr prefix, uint pxlen, u64 rd);
void net_fill_ip6_sadr(net_addr *n, ip6_addr dst, uint dst_pxlen, ip6_addr src, uint src_pxlen);
void net_fill_aspa(net_addr *n, u32 asn);
void net_fill_ipa(net_addr *n, ip_addr prefix, uint pxlen);
void net_fill_ip_host(net_addr *n, ip_addr a);

/* Types */
static inline int net_type_is_ip4(uint type) { return type == NET_IP4 || type == NET_VPN4 || type == NET_ROA4 || type == NET_FLOW4; }
static inline int net_type_is_ip6(uint type) { return type == NET_IP6 || type == NET_VPN6 || type == NET_ROA6 || type == NET_FLOW6 || type == NET_IP6_SADR; }
static inline int net_type_is_roa(uint type) { return type == NET_ROA4 || type == NET_ROA6; }
static inline int net_type_is_ip(uint type) { return type == NET_IP4 || type == NET_IP6; }
static inline int net_type_is_vpn(uint type) { return type == NET_VPN4 || type == NET_VPN6; }
static inline int net_type_is_flow(uint type) { return type == NET_FLOW4 || type == NET_FLOW6; }
/* Types with a prefix and no variable part: what prefix sets, net_in_netx
 * and IP lookups understand. */
static inline int net_type_is_prefix(uint type)
{ return net_type_is_ip(type) || net_type_is_vpn(type) || net_type_is_roa(type) || net_type_is_flow(type) || type == NET_IP6_SADR; }
/* Types this code base can hold and process (MPLS is not one of them). */
static inline int net_type_supported(uint type) { return type && type < NET_MAX && type != NET_MPLS; }

static inline int net_is_ip(const net_addr *n) { return net_type_is_ip(n->type); }
static inline int net_is_roa(const net_addr *n) { return net_type_is_roa(n->type); }
static inline int net_is_vpn(const net_addr *n) { return net_type_is_vpn(n->type); }
static inline int net_is_flow(const net_addr *n) { return net_type_is_flow(n->type); }
static inline int net_is_ip4(const net_addr *n) { return net_type_is_ip4(n->type); }
static inline int net_is_ip6(const net_addr *n) { return net_type_is_ip6(n->type); }
static inline uint net_pxlen(const net_addr *n) { return n->pxlen; }
static inline uint net_max_pxlen(const net_addr *n) { return net_max_prefix_length[n->type]; }

ip_addr net_prefix(const net_addr *n);   /* IPA_NONE for types without a prefix */
u64 net_rd(const net_addr *n);            /* 0 unless VPN */
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
/* A route distinguisher as BIRD prints it: "asn:n", "ip:n" or "2:asn:n". */
int rd_format(u64 rd, char *buf, int size);
int net_pton(const char *s, net_addr *n);

#endif
