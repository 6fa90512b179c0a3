/*
 * lib/net.c: operations on typed prefixes.
 *
 * Every BIRD net type but MPLS is implemented; net_validate() rejects MPLS
 * so it cannot slip in from the wire or a config. Flow nets are variable
 * length; their NLRI is built, checked and printed by lib/flowspec.c.
 */
#include "lib/net.h"
#include "lib/flowspec.h"
#include "lib/hash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(sizeof(net_addr_ip4) == 8, "net_addr_ip4 has padding");
_Static_assert(sizeof(net_addr_ip6) == 20, "net_addr_ip6 has padding");
_Static_assert(sizeof(net_addr_roa4) == 16, "net_addr_roa4 has padding");
_Static_assert(sizeof(net_addr_roa6) == 28, "net_addr_roa6 has padding");
_Static_assert(sizeof(net_addr_vpn4) == 16, "net_addr_vpn4 has padding");
_Static_assert(sizeof(net_addr_vpn6) == 32, "net_addr_vpn6 layout");
_Static_assert(sizeof(net_addr_ip6_sadr) == 40, "net_addr_ip6_sadr has padding");
_Static_assert(sizeof(net_addr_aspa) == 8, "net_addr_aspa has padding");
_Static_assert(sizeof(net_addr) == 40, "net_addr must hold every fixed-size view");

const u16 net_addr_length[NET_MAX] = {
  [NET_IP4] = sizeof(net_addr_ip4),
  [NET_IP6] = sizeof(net_addr_ip6),
  [NET_ROA4] = sizeof(net_addr_roa4),
  [NET_ROA6] = sizeof(net_addr_roa6),
  [NET_VPN4] = sizeof(net_addr_vpn4),
  [NET_VPN6] = sizeof(net_addr_vpn6),
  [NET_IP6_SADR] = sizeof(net_addr_ip6_sadr),
  [NET_ASPA] = sizeof(net_addr_aspa),
  /* Flow nets: the header; the NLRI follows. */
  [NET_FLOW4] = sizeof(net_addr_flow4),
  [NET_FLOW6] = sizeof(net_addr_flow6),
};

const u8 net_max_prefix_length[NET_MAX] = {
  [NET_IP4] = 32, [NET_IP6] = 128, [NET_VPN4] = 32, [NET_VPN6] = 128,
  [NET_ROA4] = 32, [NET_ROA6] = 128, [NET_FLOW4] = 32, [NET_FLOW6] = 128,
  [NET_IP6_SADR] = 128, [NET_MPLS] = 0, [NET_ASPA] = 0,
};

const char *const net_label[NET_MAX] = {
  [NET_IP4] = "ipv4", [NET_IP6] = "ipv6", [NET_VPN4] = "vpn4", [NET_VPN6] = "vpn6",
  [NET_ROA4] = "roa4", [NET_ROA6] = "roa6", [NET_FLOW4] = "flow4",
  [NET_FLOW6] = "flow6", [NET_IP6_SADR] = "ipv6-sadr", [NET_MPLS] = "mpls",
  [NET_ASPA] = "aspa",
};

/* Filling */

void net_fill_ip4(net_addr *n, ip4_addr prefix, uint pxlen)
{
  *(net_addr_ip4 *) n = (net_addr_ip4) {
    .type = NET_IP4, .pxlen = pxlen, .length = sizeof(net_addr_ip4), .prefix = prefix,
  };
}

void net_fill_ip6(net_addr *n, ip6_addr prefix, uint pxlen)
{
  *(net_addr_ip6 *) n = (net_addr_ip6) {
    .type = NET_IP6, .pxlen = pxlen, .length = sizeof(net_addr_ip6), .prefix = prefix,
  };
}

void net_fill_roa4(net_addr *n, ip4_addr prefix, uint pxlen, uint max_pxlen, u32 asn)
{
  *(net_addr_roa4 *) n = (net_addr_roa4) {
    .type = NET_ROA4, .pxlen = pxlen, .length = sizeof(net_addr_roa4),
    .prefix = prefix, .max_pxlen = max_pxlen, .asn = asn,
  };
}

void net_fill_roa6(net_addr *n, ip6_addr prefix, uint pxlen, uint max_pxlen, u32 asn)
{
  *(net_addr_roa6 *) n = (net_addr_roa6) {
    .type = NET_ROA6, .pxlen = pxlen, .length = sizeof(net_addr_roa6),
    .prefix = prefix, .max_pxlen = max_pxlen, .asn = asn,
  };
}

void net_fill_vpn4(net_addr *n, ip4_addr prefix, uint pxlen, u64 rd)
{
  *(net_addr_vpn4 *) n = (net_addr_vpn4) {
    .type = NET_VPN4, .pxlen = pxlen, .length = sizeof(net_addr_vpn4), .prefix = prefix, .rd = rd,
  };
}

void net_fill_vpn6(net_addr *n, ip6_addr prefix, uint pxlen, u64 rd)
{
  *(net_addr_vpn6 *) n = (net_addr_vpn6) {
    .type = NET_VPN6, .pxlen = pxlen, .length = sizeof(net_addr_vpn6), .prefix = prefix, .rd = rd,
  };
}

void net_fill_ip6_sadr(net_addr *n, ip6_addr dst, uint dst_pxlen, ip6_addr src, uint src_pxlen)
{
  *(net_addr_ip6_sadr *) n = (net_addr_ip6_sadr) {
    .type = NET_IP6_SADR, .dst_pxlen = dst_pxlen, .length = sizeof(net_addr_ip6_sadr),
    .dst_prefix = dst, .src_pxlen = src_pxlen, .src_prefix = src,
  };
}

void net_fill_aspa(net_addr *n, u32 asn)
{
  *(net_addr_aspa *) n = (net_addr_aspa) {
    .type = NET_ASPA, .length = sizeof(net_addr_aspa), .asn = asn,
  };
}

void net_fill_ipa(net_addr *n, ip_addr prefix, uint pxlen)
{
  if (ipa_is_ip4(prefix))
    net_fill_ip4(n, ipa_to_ip4(prefix), pxlen);
  else
    net_fill_ip6(n, ipa_to_ip6(prefix), pxlen);
}

void net_fill_ip_host(net_addr *n, ip_addr a)
{
  net_fill_ipa(n, a, ipa_is_ip4(a) ? IP4_MAX_PREFIX_LENGTH : IP6_MAX_PREFIX_LENGTH);
}

/* Access. The ROA, VPN, SADR and flow views start with the same prefix
   field as the IP ones. */

ip4_addr net4_prefix(const net_addr *n)
{
  return ((const net_addr_ip4 *) n)->prefix;
}

ip6_addr net6_prefix(const net_addr *n)
{
  return ((const net_addr_ip6 *) n)->prefix;
}

ip_addr net_prefix(const net_addr *n)
{
  if (!net_type_is_prefix(n->type))
    return IPA_NONE;
  return net_is_ip4(n) ? ipa_from_ip4(net4_prefix(n)) : ipa_from_ip6(net6_prefix(n));
}

u64 net_rd(const net_addr *n)
{
  switch (n->type) {
  case NET_VPN4: return ((const net_addr_vpn4 *) n)->rd;
  case NET_VPN6: return ((const net_addr_vpn6 *) n)->rd;
  default: return 0;
  }
}

/* Operations */

int net_equal(const net_addr *a, const net_addr *b)
{
  return a->length == b->length && !memcmp(a, b, a->length);
}

static int cmp_u32(u32 a, u32 b)
{
  return (a > b) - (a < b);
}

static int net_compare_roa_tail(const net_addr *a, const net_addr *b)
{
  if (a->type == NET_ROA4) {
    const net_addr_roa4 *x = (const void *) a, *y = (const void *) b;
    return cmp_u32(x->max_pxlen, y->max_pxlen) ?: cmp_u32(x->asn, y->asn);
  }
  const net_addr_roa6 *x = (const void *) a, *y = (const void *) b;
  return cmp_u32(x->max_pxlen, y->max_pxlen) ?: cmp_u32(x->asn, y->asn);
}

int net_compare(const net_addr *a, const net_addr *b)
{
  if (a->type != b->type)
    return a->type < b->type ? -1 : 1;
  int c;
  /* VPN nets order by RD first, as BIRD does. */
  if (net_type_is_vpn(a->type) && (c = (net_rd(a) > net_rd(b)) - (net_rd(a) < net_rd(b))))
    return c;
  if (a->type == NET_ASPA)
    return cmp_u32(((const net_addr_aspa *) a)->asn, ((const net_addr_aspa *) b)->asn);
  if (net_is_ip4(a))
    c = ip4_compare(net4_prefix(a), net4_prefix(b));
  else
    c = ip6_compare(net6_prefix(a), net6_prefix(b));
  if (c)
    return c;
  if (a->pxlen != b->pxlen)
    return a->pxlen < b->pxlen ? -1 : 1;
  if (net_type_is_roa(a->type))
    return net_compare_roa_tail(a, b);
  if (a->type == NET_IP6_SADR) {
    const net_addr_ip6_sadr *x = (const void *) a, *y = (const void *) b;
    return ip6_compare(x->src_prefix, y->src_prefix) ?: cmp_u32(x->src_pxlen, y->src_pxlen);
  }
  if (net_type_is_flow(a->type)) {
    uint h = net_addr_length[a->type];
    c = memcmp((const byte *) a + h, (const byte *) b + h, MIN(a->length, b->length) - h);
    if (c)
      return (c > 0) - (c < 0);
  }
  return cmp_u32(a->length, b->length);
}

u32 net_hash(const net_addr *n)
{
  return mem_hash(n, n->length);
}

void net_copy(net_addr *dst, const net_addr *src)
{
  memcpy(dst, src, src->length);
}

static int net_host_bits_zero(const net_addr *n)
{
  if (net_is_ip4(n))
    return ip4_zero(ip4_and(net4_prefix(n), ip4_not(ip4_mkmask(n->pxlen))));
  return ip6_zero(ip6_and(net6_prefix(n), ip6_not(ip6_mkmask(n->pxlen))));
}

int net_validate(const net_addr *n)
{
  if (!net_type_supported(n->type))
    return 0;
  if (net_type_is_flow(n->type)) {
    if (n->length < net_addr_length[n->type] ||
        flow_validate_net(n, NULL) != FLOW_ST_VALID)
      return 0;
  } else if (n->length != net_addr_length[n->type])
    return 0;
  uint max = net_max_prefix_length[n->type];
  if (n->pxlen > max)
    return 0;
  if (n->type == NET_ASPA)
    return 1;
  if (net_is_roa(n)) {
    u32 mx = n->type == NET_ROA4 ? ((const net_addr_roa4 *) n)->max_pxlen
                                 : ((const net_addr_roa6 *) n)->max_pxlen;
    if (mx < n->pxlen || mx > max)
      return 0;
  }
  if (n->type == NET_IP6_SADR) {
    const net_addr_ip6_sadr *x = (const void *) n;
    if (x->src_pxlen > 128 ||
        !ip6_zero(ip6_and(x->src_prefix, ip6_not(ip6_mkmask(x->src_pxlen)))))
      return 0;
  }
  /* A flow's destination may have host bits (IPv6 offsets); the NLRI
     check above covers it. */
  return net_type_is_flow(n->type) || net_host_bits_zero(n);
}

void net_normalize(net_addr *n)
{
  if (!net_type_supported(n->type) || n->type == NET_ASPA || net_type_is_flow(n->type))
    return;
  if (net_is_ip4(n)) {
    net_addr_ip4 *x = (void *) n;
    x->prefix = ip4_and(x->prefix, ip4_mkmask(n->pxlen));
  } else {
    net_addr_ip6 *x = (void *) n;
    x->prefix = ip6_and(x->prefix, ip6_mkmask(n->pxlen));
  }
  if (n->type == NET_IP6_SADR) {
    net_addr_ip6_sadr *x = (void *) n;
    x->src_prefix = ip6_and(x->src_prefix, ip6_mkmask(x->src_pxlen));
  }
}

int net_in_netx(const net_addr *a, const net_addr *b)
{
  if (!net_type_is_prefix(a->type) || !net_type_is_prefix(b->type))
    return 0;
  if (net_is_ip4(a) != net_is_ip4(b) || a->pxlen < b->pxlen)
    return 0;
  if (net_is_ip4(a)) {
    ip4_addr m = ip4_mkmask(b->pxlen);
    return ip4_equal(ip4_and(net4_prefix(a), m), ip4_and(net4_prefix(b), m));
  }
  ip6_addr m = ip6_mkmask(b->pxlen);
  return ip6_equal(ip6_and(net6_prefix(a), m), ip6_and(net6_prefix(b), m));
}

int ipa_in_netx(ip_addr a, const net_addr *n)
{
  if (!net_type_is_prefix(n->type) || ipa_is_ip4(a) != net_is_ip4(n))
    return 0;
  net_addr host;
  net_fill_ip_host(&host, a);
  return net_in_netx(&host, n);
}

/* Text */

/* RFC 4364 4.2 types 0/1/2; type 2 with a 16-bit ASN keeps its "2:" so
   that it reads back as type 2, as BIRD prints it. */
int rd_format(u64 rd, char *buf, int size)
{
  char ip[IP4_BUFSIZE];
  int len;
  switch (rd >> 48) {
  case 0:
    len = snprintf(buf, size, "%u:%u", (u32) (rd >> 32), (u32) rd);
    break;
  case 1:
    len = snprintf(buf, size, "%s:%u", ip4_ntop(ip4_from_u32((u32) (rd >> 16)), ip), (u32) (rd & 0xffff));
    break;
  case 2:
    len = snprintf(buf, size, ((u32) (rd >> 16) <= 0xffff) ? "2:%u:%u" : "%u:%u",
                   (u32) (rd >> 16), (u32) (rd & 0xffff));
    break;
  default:
    len = snprintf(buf, size, "%u:%x:%x", (uint) (rd >> 48), (u32) ((rd >> 32) & 0xffff), (u32) rd);
  }
  return (len < 0 || len >= size) ? -1 : len;
}

int net_format(const net_addr *n, char *buf, int size)
{
  char ip[IPA_BUFSIZE], ip2[IPA_BUFSIZE], rd[48];
  int len;
  switch (n->type) {
  case NET_VPN4:
    rd_format(net_rd(n), rd, sizeof(rd));
    len = snprintf(buf, size, "%s %s/%u", rd, ip4_ntop(net4_prefix(n), ip), n->pxlen);
    break;
  case NET_VPN6:
    rd_format(net_rd(n), rd, sizeof(rd));
    len = snprintf(buf, size, "%s %s/%u", rd, ip6_ntop(net6_prefix(n), ip), n->pxlen);
    break;
  case NET_IP6_SADR: {
    const net_addr_ip6_sadr *x = (const void *) n;
    len = snprintf(buf, size, "%s/%u from %s/%u", ip6_ntop(x->dst_prefix, ip), x->dst_pxlen,
                   ip6_ntop(x->src_prefix, ip2), x->src_pxlen);
    break;
  }
  case NET_ASPA:
    len = snprintf(buf, size, "%u", ((const net_addr_aspa *) n)->asn);
    break;
  case NET_FLOW4:
  case NET_FLOW6:
    return flow_net_format(n, buf, size);
  case NET_IP4:
    len = snprintf(buf, size, "%s/%u", ip4_ntop(net4_prefix(n), ip), n->pxlen);
    break;
  case NET_IP6:
    len = snprintf(buf, size, "%s/%u", ip6_ntop(net6_prefix(n), ip), n->pxlen);
    break;
  case NET_ROA4: {
    const net_addr_roa4 *r = (const void *) n;
    len = snprintf(buf, size, "%s/%u-%u AS%u", ip4_ntop(r->prefix, ip),
                   r->pxlen, r->max_pxlen, r->asn);
    break;
  }
  case NET_ROA6: {
    const net_addr_roa6 *r = (const void *) n;
    len = snprintf(buf, size, "%s/%u-%u AS%u", ip6_ntop(r->prefix, ip),
                   r->pxlen, r->max_pxlen, r->asn);
    break;
  }
  default:
    len = snprintf(buf, size, "<%s net>",
                   n->type && n->type < NET_MAX ? net_label[n->type] : "invalid");
  }
  return (len < 0 || len >= size) ? -1 : len;
}

/* A decimal number with no sign, no leading zeros and at most `max`. */
static const char *parse_uint(const char *s, u32 max, u32 *v)
{
  if (*s < '0' || *s > '9' || (s[0] == '0' && s[1] >= '0' && s[1] <= '9'))
    return NULL;
  u64 x = 0;
  while (*s >= '0' && *s <= '9') {
    x = x * 10 + (*s++ - '0');
    if (x > max)
      return NULL;
  }
  *v = x;
  return s;
}

/* "pfx/len" or, for ROAs, "pfx/len-max ASnnn" as net_format prints them. */
int net_pton(const char *s, net_addr *n)
{
  const char *slash = strchr(s, '/');
  char abuf[IPA_BUFSIZE + 8];
  if (!slash || (size_t) (slash - s) >= sizeof(abuf))
    return 0;
  memcpy(abuf, s, slash - s);
  abuf[slash - s] = 0;

  ip4_addr a4;
  ip6_addr a6;
  int is4 = ip4_pton(abuf, &a4);
  if (!is4 && !ip6_pton(abuf, &a6))
    return 0;
  u32 max = is4 ? IP4_MAX_PREFIX_LENGTH : IP6_MAX_PREFIX_LENGTH;
  u32 pxlen, mx, asn;
  const char *p = parse_uint(slash + 1, max, &pxlen);
  if (!p)
    return 0;
  if (!*p) {
    if (is4)
      net_fill_ip4(n, a4, pxlen);
    else
      net_fill_ip6(n, a6, pxlen);
    return 1;
  }
  if (*p != '-' || !(p = parse_uint(p + 1, max, &mx)) || strncmp(p, " AS", 3) ||
      !(p = parse_uint(p + 3, 0xffffffffu, &asn)) || *p)
    return 0;
  if (is4)
    net_fill_roa4(n, a4, pxlen, mx, asn);
  else
    net_fill_roa6(n, a6, pxlen, mx, asn);
  return 1;
}
