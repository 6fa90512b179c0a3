/*
 * proto/static/static.h: static routes (BIRD 2 route types).
 */
#ifndef TERN_PROTO_STATIC_H
#define TERN_PROTO_STATIC_H

#include "nest/protocol.h"
#include "nest/iface.h"

struct static_nh {
  struct static_nh *next;
  ip_addr via;
  const char *ifname;
  uint weight;                  /* 1..256 */
  u8 onlink;
  neighbor *neigh;              /* run time */
};

struct static_route {
  node n;
  const net_addr *net;          /* any kind; flow nets vary in length */
  u8 dest;                      /* RTD_* */
  u8 recursive;
  u8 device;                    /* `via "iface"` */
  ip_addr rec_via;              /* recursive gateway */
  const char *ifname;
  struct static_nh *nhs;        /* unicast next hops */
  const struct adata *aspa_providers;   /* ASPA: u32 ASNs in host order, sorted */
  const struct filter *cmds;    /* `route ... { bgp_med = 10; }`, or NULL */
  u8 active;                    /* announced */
  const char *loc_file;         /* for errors found after parsing */
  int loc_line, loc_col;
};

struct static_config {
  struct proto_config c;
  list routes;                  /* struct static_route */
  struct rtable_config *igp_table_ip4, *igp_table_ip6;
  u8 check_link;
};

struct static_proto {
  struct proto p;
  struct rt_subscription igp_sub[2];
  rtable *igp_table[2];
};

extern struct protocol proto_static;
struct cf_ctx;
struct cli;
void static_check_route(struct cf_ctx *ctx, struct static_route *r, const void *loc);
/* Routes to IP, VPN and SADR nets go somewhere; ROA, flow and ASPA
   entries have no destination. */
static inline int static_net_has_dest(const net_addr *n)
{ return net_type_is_ip(n->type) || net_type_is_vpn(n->type) || n->type == NET_IP6_SADR; }
/* ASPA: add provider `asn`; loc NULL for `transit` (no providers). */
void static_aspa_add(struct cf_ctx *ctx, struct static_route *r, u32 asn, const void *loc);
void static_show(struct cli *c, const char *name);

#endif
