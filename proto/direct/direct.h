/*
 * proto/direct/direct.h: device routes for the prefixes of interface
 * addresses (BIRD's `protocol direct`).
 */
#ifndef TERN_PROTO_DIRECT_H
#define TERN_PROTO_DIRECT_H

#include "nest/protocol.h"
#include "nest/iface.h"
#include "lib/hash.h"

struct direct_config {
  struct proto_config c;
  list iface_list;              /* struct iface_patt_node; empty = all */
  u8 check_link;
};

/* A device route we announced: the key is (interface index, prefix), and
   the interface index is also the route's source id, so one prefix on two
   interfaces gives two routes, as in BIRD. */
struct direct_route {
  struct hnode hn;
  uint ifindex;
  net_addr net;
};

struct direct_proto {
  struct proto p;
  struct htable routes;         /* struct direct_route */
  slab *route_slab;
  u8 running;                   /* routes and slab valid */
};

extern struct protocol proto_direct;

struct cf_ctx;
struct iface_patt_node *direct_patt_new(struct cf_ctx *ctx, int positive, const char *pattern,
                                        const net_addr *prefix);

#endif
