/*
 * nest/iface.h: interfaces, their addresses, and neighbours.
 *
 * The device protocol feeds interface and address changes from the kernel
 * (sysdep/linux/netlink) into if_update()/ifa_update(); nest keeps the list
 * and notifies every protocol that asked. A neighbour is an address on a
 * directly connected network, resolved to the interface it lives on.
 */
#ifndef TERN_NEST_IFACE_H
#define TERN_NEST_IFACE_H

#include "lib/tern.h"
#include "lib/lists.h"
#include "lib/ip.h"
#include "lib/net.h"

struct proto;
struct cli;

struct ifa {
  node n;
  struct iface *iface;
  ip_addr ip;
  ip_addr brd;
  ip_addr opposite;             /* peer of a point-to-point address */
  net_addr prefix;
  uint flags;
#define IA_PRIMARY 0x10000
#define IA_SECONDARY 0x20000
#define IA_PEER 0x40000
#define IA_HOST 0x80000
  int scope;
};

struct iface {
  node n;
  char name[16];
  uint flags;
#define IF_UP 1                 /* admin and link up */
#define IF_MULTIACCESS 2
#define IF_BROADCAST 4
#define IF_MULTICAST 8
#define IF_SHUTDOWN 0x10
#define IF_LOOPBACK 0x20
#define IF_IGNORE 0x40
#define IF_ADMIN_UP 0x80
#define IF_LINK_UP 0x100
  uint mtu;
  uint index;
  uint master_index;
  list addrs;                   /* struct ifa */
  struct ifa *addr4, *addr6, *llv6;   /* primary addresses */
  list neighbors;
  u8 mac[6];
  u8 seen;                      /* scan mark */
};

/* Notification flags */
#define IF_CHANGE_UP 1
#define IF_CHANGE_DOWN 2
#define IF_CHANGE_MTU 4
#define IF_CHANGE_CREATE 8
#define IF_CHANGE_LINK 16
#define IF_CHANGE_ADDR 32

extern list iface_list;

void if_init(void);
struct iface *if_update(const struct iface *new);
void if_delete(struct iface *i);
struct ifa *ifa_update(const struct ifa *new);
void ifa_delete(const struct ifa *a);
struct iface *if_find_by_index(uint index);
struct iface *if_find_by_name(const char *name);
void if_start_update(void);
void if_end_update(void);
void ifa_recalc_primary(struct iface *i);
void if_feed_proto(struct proto *p);
void if_show(struct cli *c, int summary);

/* Neighbours: gateways on directly connected networks. */
typedef struct neighbor {
  node n;                       /* in neigh list */
  node if_n;                    /* in iface->neighbors */
  ip_addr addr;
  struct iface *iface;          /* NULL if not reachable */
  struct ifa *ifa;
  struct proto *proto;
  void *data;
  uint flags;
#define NEF_STICKY 1
#define NEF_ONLINK 2
  int scope;                    /* -1 unreachable */
} neighbor;

neighbor *neigh_find(struct proto *p, ip_addr a, struct iface *ifa, uint flags);
void neigh_prune(struct proto *p);
struct iface *neigh_iface_for(ip_addr a, struct ifa **ifa_out);

/* Interface patterns: `interface "eth*", -"eth1"` */
struct iface_patt_node {
  node n;
  int positive;
  const char *pattern;
  net_addr prefix;
  int has_prefix;
};
int iface_patt_match(list *patterns, struct iface *i, struct ifa *a);
int iface_patts_same(list *a, list *b);

#endif
