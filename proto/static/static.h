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
  net_addr net;
  u8 dest;                      /* RTD_* */
  u8 recursive;
  u8 device;                    /* `via "iface"` */
  ip_addr rec_via;              /* recursive gateway */
  const char *ifname;
  struct static_nh *nhs;        /* unicast next hops */
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
void static_show(struct cli *c, const char *name);

#endif
