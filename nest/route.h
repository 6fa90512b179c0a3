/*
 * nest/route.h: routing tables, routes and route attributes.
 *
 * A table (rtable) maps typed networks (net_addr) to nets; a net holds the
 * list of routes (rte) for it, best first. A route is a net + a source
 * (the protocol and path id that announced it) + a pointer to an interned,
 * reference-counted attribute set (rta). Identical attribute sets are
 * stored once, so a million routes through one gateway share one rta.
 *
 * Routes enter through channels (nest/protocol.h): rte_update() runs the
 * import filter, stores the route, selects the best route of the net and
 * announces a change of the best route to every channel exporting from the
 * table, through each channel's export filter.
 */
#ifndef TERN_NEST_ROUTE_H
#define TERN_NEST_ROUTE_H

#include "lib/tern.h"
#include "lib/lists.h"
#include "lib/resource.h"
#include "lib/hash.h"
#include "lib/ip.h"
#include "lib/net.h"
#include "filter/data.h"

typedef int64_t btime;

struct proto;
struct channel;
struct iface;
struct cli;
struct config;

/* Route sources (BIRD's RTS_* numbering: visible in filters as `source`). */
enum rte_source {
  RTS_DUMMY = 0, RTS_STATIC, RTS_INHERIT, RTS_DEVICE, RTS_STATIC_DEVICE,
  RTS_REDIRECT, RTS_RIP, RTS_OSPF, RTS_OSPF_IA, RTS_OSPF_EXT1, RTS_OSPF_EXT2,
  RTS_BGP, RTS_PIPE, RTS_BABEL, RTS_RPKI, RTS_PERF, RTS_MAX
};

/* Scopes (BIRD's SCOPE_*). */
enum rte_scope {
  SCOPE_HOST = 0, SCOPE_LINK = 1, SCOPE_SITE = 2, SCOPE_ORGANIZATION = 3,
  SCOPE_UNIVERSE = 4, SCOPE_UNDEFINED = 5
};

/* Destinations (BIRD's RTD_*). */
enum rte_dest {
  RTD_NONE = 0, RTD_UNICAST, RTD_BLACKHOLE, RTD_UNREACHABLE, RTD_PROHIBIT, RTD_MAX
};

const char *rta_source_name(uint source);
const char *rta_scope_name(uint scope);
const char *rta_dest_name(uint dest);

/* Next hops of a unicast route; the first one is embedded in the rta. */
struct nexthop {
  ip_addr gw;                   /* IPA_NONE for device routes */
  struct iface *iface;
  struct nexthop *next;
  u8 weight;                    /* ECMP weight - 1 (0..255) */
  u8 flags;
#define RNF_ONLINK 1
};

/* Extended attributes: protocol attributes (BGP) and custom ones. */
typedef struct eattr {
  u16 id;                       /* index into the attribute class registry */
  u8 type;                      /* enum f_type of the value */
  u8 flags;                     /* protocol flags (e.g. BGP attribute flags) */
#define EAF_ORIGINATED 0x100    /* not stored: see ea_class */
  union {
    u32 data;                   /* int, pair, quad, enum, bool */
    const struct adata *ptr;    /* everything else */
  } u;
} eattr;

typedef struct ea_list {
  uint count;
  u32 hash;
  eattr attrs[];                /* sorted by id */
} ea_list;

/* An attribute class: what the filter language and `show route all` know
   about an attribute. Protocols register one table each. */
struct ea_class {
  const char *name;             /* filter name, e.g. "bgp_path"; NULL = none */
  const char *legacy_name;      /* `show route all` label, e.g. "BGP.as_path" */
  u8 type;                      /* enum f_type */
  u8 proto_class;               /* owning protocol class, 0 = custom/nest */
  u8 readonly;                  /* filters may read but not write */
  u8 hidden;                    /* not shown by `show route all` */
  u16 proto_code;               /* code on the wire (BGP attribute code) */
  u16 id;                       /* assigned by ea_register() */
  /* Formats the value for `show route all`; NULL = generic by type. */
  void (*format)(const eattr *a, struct strbuf *sb);
};

uint ea_register(struct ea_class *cls);
void ea_unregister(struct ea_class *cls);
struct ea_class *ea_class_find(uint id);
struct ea_class *ea_class_find_by_name(const char *name);
extern uint ea_class_max;

const eattr *ea_find(const ea_list *l, uint id);
ea_list *ea_set(linpool *lp, const ea_list *l, const eattr *a);   /* copy with a replaced/added */
ea_list *ea_unset(linpool *lp, const ea_list *l, uint id);
ea_list *ea_lookup(ea_list *l);                /* intern */
void ea_free(ea_list *l);
int ea_same(const ea_list *a, const ea_list *b);
void ea_format(const eattr *a, struct strbuf *sb);

/* Interned route attributes. */
typedef struct rta {
  struct hnode hn;
  u32 uc;                       /* use count */
  u8 source;                    /* enum rte_source */
  u8 scope;                     /* enum rte_scope */
  u8 dest;                      /* enum rte_dest */
  u8 cached;                    /* interned in the rta cache */
  u32 igp_metric;
  ip_addr from;                 /* advertising router (BGP neighbour) */
  struct nexthop nh;            /* first next hop */
  ea_list *eattrs;              /* interned or temporary */
} rta;

rta *rta_lookup(rta *a);        /* intern a temporary rta; returns a ref */
rta *rta_clone(rta *a);
void rta_free(rta *a);
rta *rta_do_cow(rta *a, linpool *lp);   /* a writable temporary copy */
static inline rta *rta_cow(rta *a, linpool *lp) { return a->cached ? rta_do_cow(a, lp) : a; }
int nexthop_same(const struct nexthop *a, const struct nexthop *b);
/* Sorts a next-hop list in place into BIRD's ECMP order (heavier first,
   then gateway, then interface index). */
void nexthop_sort(struct nexthop *first);
void rta_show(struct cli *c, rta *a);

/* Route source: who announced the route (protocol + path id). */
struct rte_src {
  struct hnode hn;
  struct proto *proto;
  u32 private_id;
  u32 global_id;
  u32 uc;
};
struct rte_src *rt_get_source(struct proto *p, u32 id);
void rt_lock_source(struct rte_src *s);
void rt_unlock_source(struct rte_src *s);

typedef struct rte {
  struct rte *next;
  struct network *net;
  struct channel *sender;       /* channel through which it came in */
  struct rte_src *src;
  rta *attrs;
  u32 id;                       /* unique in the table, for export bitmaps */
  u16 pref;
  u8 flags;
#define REF_FILTERED 1          /* kept in an import table, rejected by filter */
#define REF_STALE 2
#define REF_DISCARD 4
  u8 pflags;                    /* protocol-specific flags */
  btime lastmod;
  union {
    struct { u32 metric; u8 proto; u8 seen; u8 best; u8 type; } krt;
    struct { u32 suppressed; } bgp;
  } u;
} rte;

/* Intrusive list node used to iterate a table while it changes: a reader
   parks a cursor node in the list of nets and moves it along. */
struct rt_lnode {
  node n;
  u8 is_cursor;
  u8 busy;                      /* net being announced: nested updates (a
                                   ring of pipes) must not free it */
  u32 hash;                     /* nets: the index key (in what would be padding) */
};

typedef struct network {
  struct rt_lnode ln;
  rte *routes;                  /* best first */
  net_addr n;
} net;

struct rtable_config {
  node n;
  const char *name;
  struct rtable *table;
  struct symbol *sym;
  struct config *config;
  uint addr_type;               /* NET_* */
  uint gc_max_ops;
  btime gc_min_time;
  u8 sorted;
};

/* Hook for subscribers to changes in a table (ROA tables: filters using
   roa_check re-evaluate routes). */
struct rt_subscription {
  node n;
  void (*hook)(struct rt_subscription *s, const net_addr *n);
  void *data;
};

typedef struct rtable {
  node n;
  const char *name;
  pool *rp;
  struct rtable_config *config;
  uint addr_type;
  list nets;                    /* struct rt_lnode, insertion order */
  slab *net_slab;               /* NULL for flow tables (variable-size nets) */
  uint net_size;
  slab *rte_slab;
  list channels;                /* struct channel via table_node */
  list subscribers;             /* struct rt_subscription */
  uint net_count;
  uint rt_count;
  int use_count;                /* channels, configs and CLI readers */
  struct rtable_config *deleted;
  u32 next_rte_id;
  u32 *free_ids;                /* stack of recycled rte ids */
  uint free_ids_count, free_ids_size;
  btime last_change;
  struct roa_index *roa_index;  /* ROA tables: built by the first roa_check */
} rtable;

void rt_init(void);
void rt_preconfig(struct config *c);
struct rtable_config *rt_new_table(struct config *c, struct symbol *s, uint addr_type, const void *loc);
void rt_commit(struct config *new, struct config *old);
void rt_lock_table(rtable *t);
void rt_unlock_table(rtable *t);
extern list routing_tables;

net *net_find(rtable *t, const net_addr *n);
net *net_get(rtable *t, const net_addr *n);
net *net_route(rtable *t, const net_addr *n);   /* longest match */
void net_free_if_empty(rtable *t, net *n);

/* Iteration robust against changes: parks a cursor in t->nets. */
struct rt_iter {
  rtable *table;
  struct rt_lnode cursor;
  int started, done;
};
void rt_iter_init(struct rt_iter *it, rtable *t);
net *rt_iter_next(struct rt_iter *it);
void rt_iter_stop(struct rt_iter *it);

rte *rte_get_temp(rta *a, struct rte_src *src);
rte *rte_do_cow(rte *r);
static inline rte *rte_cow(rte *r) { return (r->flags & REF_DISCARD) ? r : rte_do_cow(r); }
void rte_free(rtable *t, rte *r);
void rte_update(struct channel *c, const net_addr *n, rte *new, struct rte_src *src);
static inline void rte_withdraw(struct channel *c, const net_addr *n, struct rte_src *src)
{ rte_update(c, n, NULL, src); }
int rte_is_valid(const rte *r);
static inline int rte_is_filtered(const rte *r) { return !!(r->flags & REF_FILTERED); }
void rt_refresh_channel(struct channel *c);      /* re-run import from import table */
void rt_flush_channel(struct channel *c);        /* withdraw everything c imported */
void rt_feed_channel(struct channel *c);         /* export the table to c */
void rt_unfeed_channel(struct channel *c);       /* withdraw what c got */
void rt_refeed_channel(struct channel *c);       /* export again after a filter change */
void rt_notify_subscribers(rtable *t, const net_addr *n);

/* RFC 6811 origin validation against a roa4/roa6 table (nest/rt-roa.c). */
enum roa_result { ROA_UNKNOWN = 0, ROA_VALID = 1, ROA_INVALID = 2 };
int rt_roa_check(rtable *t, const net_addr *n, u32 asn);
/* aspa_check() on an ASPA table (nest/rt-aspa.c): an enum aspa_result. */
int rt_aspa_check(rtable *t, const struct adata *path, int upstream, linpool *lp);
void rt_aspa_init(void);
extern struct ea_class ea_aspa_providers;   /* ASPA routes: provider ASNs */

/* Import/export tables (adj-RIB-in/out) are plain routing tables owned by a
   channel; these store or drop a copy. */
void rt_table_store(rtable *t, struct channel *c, const net_addr *n, rte *r, struct rte_src *src);

void rte_show_line(struct cli *c, const rte *e, const net_addr *n, int show_net, int all);

#endif
