/*
 * nest/protocol.h: protocols and channels.
 *
 * A protocol class (struct protocol) describes a kind of protocol: its
 * name, its config size and hooks. Each `protocol` block in the config
 * becomes a proto_config; a running instance is a struct proto with its
 * own pool, so stopping it frees everything it had.
 *
 * A channel connects a protocol to a table for one address family, with an
 * import filter, an export filter, limits, statistics, and optionally an
 * import table (adj-RIB-in, routes as received) and an export table.
 *
 * States follow BIRD: a protocol is down, start, up or stop; a channel is
 * DOWN, START, UP or FLUSHING; `show protocols` prints them.
 */
#ifndef TERN_NEST_PROTOCOL_H
#define TERN_NEST_PROTOCOL_H

#include "lib/tern.h"
#include "lib/lists.h"
#include "lib/resource.h"
#include "lib/buffer.h"
#include "nest/route.h"
#include "sysdep/unix/io.h"

struct cf_ctx;
struct filter;
struct proto_config;
struct proto;
struct channel_config;
struct ifa;
struct neighbor;

enum protocol_class {
  PROTOCOL_NONE = 0, PROTOCOL_BGP, PROTOCOL_DEVICE, PROTOCOL_DIRECT, PROTOCOL_KERNEL,
  PROTOCOL_PIPE, PROTOCOL_STATIC, PROTOCOL_RPKI, PROTOCOL_PERF, PROTOCOL_DPLANE,
  PROTOCOL_ESP, PROTOCOL__MAX
};

/* Channel address-family bits a protocol accepts. */
#define NB_IP4   (1 << NET_IP4)
#define NB_IP6   (1 << NET_IP6)
#define NB_ROA4  (1 << NET_ROA4)
#define NB_ROA6  (1 << NET_ROA6)
#define NB_VPN   ((1 << NET_VPN4) | (1 << NET_VPN6))
#define NB_FLOW  ((1 << NET_FLOW4) | (1 << NET_FLOW6))
#define NB_SADR  (1 << NET_IP6_SADR)
#define NB_ASPA  (1 << NET_ASPA)
#define NB_IP    (NB_IP4 | NB_IP6)
#define NB_ROA   (NB_ROA4 | NB_ROA6)
#define NB_ANY   0xffff

struct protocol {
  node n;
  const char *name;             /* "Static": the Proto column */
  const char *template;         /* "static%d": default instance names */
  uint class;
  uint channel_mask;            /* NB_* */
  uint max_channels;
  u8 needs_channel;             /* a config without a channel is an error */
  uint proto_size, config_size;
  void (*preconfig)(struct protocol *p, struct config *c);
  void (*postconfig)(struct proto_config *pc, struct cf_ctx *ctx);
  struct proto *(*init)(struct proto_config *pc);
  /* Try to apply a new config without a restart; return 0 to restart. */
  int (*reconfigure)(struct proto *p, struct proto_config *new);
  int (*start)(struct proto *p);         /* PS_UP or PS_START */
  int (*shutdown)(struct proto *p);      /* PS_DOWN or PS_STOP */
  void (*cleanup)(struct proto *p);
  void (*get_status)(struct proto *p, char *buf, size_t len);
  void (*get_route_info)(const rte *e, char *buf, size_t len);
  void (*show_proto_info)(struct proto *p, struct cli *c);
  void (*copy_config)(struct proto_config *dest, const struct proto_config *src);
  int (*same_config)(const struct proto_config *a, const struct proto_config *b);
};

void proto_register(struct protocol *p);
struct protocol *proto_class_find(const char *name);

enum proto_state { PS_DOWN = 0, PS_START, PS_UP, PS_STOP };
enum channel_state { CS_DOWN = 0, CS_START, CS_UP, CS_FLUSHING };
enum export_state { ES_DOWN = 0, ES_FEEDING, ES_READY };
enum route_accept { RA_OPTIMAL = 1, RA_ANY };

/* Limits: `import limit N action warn|block|restart|disable`. */
enum limit_action { PLA_NONE = 0, PLA_WARN, PLA_BLOCK, PLA_RESTART, PLA_DISABLE };
struct channel_limit {
  u32 limit;
  u8 action;
  u8 state;                     /* PLS_INITIAL / PLS_ACTIVE / PLS_BLOCKED */
};
enum { PLS_INITIAL = 0, PLS_ACTIVE, PLS_BLOCKED };

struct proto_stats {
  u32 imp_routes, filt_routes, exp_routes, pref_routes;
  u32 imp_updates_received, imp_updates_invalid, imp_updates_filtered,
      imp_updates_ignored, imp_updates_accepted;
  u32 imp_withdraws_received, imp_withdraws_invalid, imp_withdraws_ignored,
      imp_withdraws_accepted;
  u32 exp_updates_received, exp_updates_rejected, exp_updates_filtered,
      exp_updates_accepted;
  u32 exp_withdraws_received, exp_withdraws_accepted;
};

struct channel_config {
  node n;
  const char *name;
  struct proto_config *parent;
  struct rtable_config *table;
  const struct filter *in_filter, *out_filter;
  struct channel_limit rx_limit, in_limit, out_limit;
  u8 net_type;
  u8 ra_mode;
  u16 preference;
  u8 in_keep_filtered;
  u8 import_table;
  u8 export_table;
  u8 rpki_reload;
  u8 preference_set;
  u8 explicit;                  /* written in the config, not implied */
};

struct channel {
  node n;                       /* in proto->channels */
  node table_node;              /* in table->channels */
  const char *name;
  struct proto *proto;
  struct channel_config *config;
  rtable *table;
  const struct filter *in_filter, *out_filter;
  struct channel_limit rx_limit, in_limit, out_limit;
  struct proto_stats stats;
  u8 net_type;
  u8 ra_mode;
  u16 preference;
  u8 channel_state;
  u8 export_state;
  u8 in_keep_filtered;
  u8 rpki_reload;
  u8 reloadable;
  btime last_state_change;
  rtable *in_table;             /* import table (adj-RIB-in) */
  rtable *out_table;            /* export table (adj-RIB-out) */
  u32 *export_map;              /* bitmap of exported rte ids */
  uint export_map_words;
  struct rt_subscription roa_sub[4];   /* `rpki reload`: ROA tables read */
  rtable *roa_table[4];
  uint roa_subscribed;
  event roa_reload;             /* one reload per loop pass of ROA changes */
};

struct proto_config {
  node n;
  struct config *global;
  struct protocol *protocol;
  const char *name;
  const char *dsc;
  struct symbol *sym;
  u32 debug, mrtdump;
  u32 router_id;
  list channels;                /* struct channel_config */
  u8 disabled;
  u8 vrf_set;
  u8 is_template;
  const char *loc_file;
  int loc_line;
  /* protocol-specific data follows (config_size) */
};

struct proto {
  node n;                       /* in the global protocol list */
  struct protocol *proto;
  struct proto_config *cf;
  struct proto_config *cf_new;
  pool *pool;
  const char *name;
  u32 debug;
  u32 hash_key;
  list channels;
  struct channel *main_channel;
  uint proto_state;
  uint active_channels;
  btime last_state_change;
  char *message;                /* last down reason (`disable "msg"`) */
  u8 disabled;
  u8 down_sched;
#define PDS_DISABLE 1
#define PDS_RESTART 2
  u8 down_code;
  u8 reconfiguring;
  u8 gr_recovery;
  u8 deleting;                  /* removed from the config */
  u8 shows_start;               /* up, but `show protocols` says start (an RPKI
                                   protocol that lost its cache, as BIRD shows it) */
  u32 router_id;

  /* Hooks the protocol sets in init() */
  void (*rt_notify)(struct proto *p, struct channel *c, net *n, rte *new, rte *old);
  int (*preexport)(struct channel *c, rte *e);   /* -1 reject, 0 ask filter, 1 accept */
  void (*reload_routes)(struct channel *c);
  void (*if_notify)(struct proto *p, uint flags, struct iface *i);
  void (*ifa_notify)(struct proto *p, uint flags, struct ifa *a);
  void (*neigh_notify)(struct neighbor *n);
  int (*rte_better)(const rte *a, const rte *b);
  int (*rte_same)(const rte *a, const rte *b);
  void (*feed_end)(struct channel *c);
};

extern list proto_list;

void protos_preconfig(struct config *c);
void protos_commit(struct config *new, struct config *old, int type);   /* RECONFIG_* */
void protos_postconfig(struct cf_ctx *ctx);
struct proto_config *proto_config_new(struct protocol *pr, struct cf_ctx *ctx, const char *loc_file, int loc_line);
void proto_copy_config(struct proto_config *dest, const struct proto_config *src);
void *proto_new(struct proto_config *c);
void proto_notify_state(struct proto *p, uint state);
void proto_schedule_down(struct proto *p, int code);   /* PDS_RESTART / PDS_DISABLE */
void proto_set_message(struct proto *p, const char *msg);
struct proto *proto_find_by_name(const char *name);
const char *proto_state_name(const struct proto *p);
const char *channel_state_name(uint state);

struct channel_config *channel_config_new(struct cf_ctx *ctx, const char *name, uint net_type,
                                          struct proto_config *proto);
struct channel_config *channel_config_get(struct cf_ctx *ctx, const char *name, uint net_type,
                                          struct proto_config *proto);
struct channel *proto_add_channel(struct proto *p, struct channel_config *cf);
struct channel *proto_find_channel_by_table(struct proto *p, rtable *t);
struct channel *proto_find_channel_by_name(struct proto *p, const char *n);
void channel_set_state(struct channel *c, uint state);

/* Did channel c export route e (the export bitmap, by route id)? */
static inline int channel_exported(const struct channel *c, const rte *e)
{
  return e->id / 32 < c->export_map_words && (c->export_map[e->id / 32] & (1u << (e->id % 32)));
}
void channel_request_reload(struct channel *c);
void channel_request_feeding(struct channel *c);
int channel_reconfigure(struct channel *c, struct channel_config *cf);
int channel_config_same(const struct channel_config *a, const struct channel_config *b);
static inline struct channel_config *proto_cf_main_channel(struct proto_config *pc)
{ return EMPTY_LIST(pc->channels) ? NULL : (struct channel_config *) HEAD(pc->channels); }

/* CLI actions on protocols */
void proto_cmd_show(struct cli *c, const char *pattern, int verbose);
void proto_apply_cmd(struct cli *c, const char *pattern, int all,
                     void (*cmd)(struct proto *p, uintptr_t arg, struct cli *c), uintptr_t arg);
void proto_cmd_disable(struct proto *p, uintptr_t arg, struct cli *c);
void proto_cmd_enable(struct proto *p, uintptr_t arg, struct cli *c);
void proto_cmd_restart(struct proto *p, uintptr_t arg, struct cli *c);
void proto_cmd_reload(struct proto *p, uintptr_t dir, struct cli *c);
void proto_cmd_debug(struct proto *p, uintptr_t mask, struct cli *c);
void channel_show_info(struct channel *c, struct cli *cli);
/* The same, shown in another state (statistics only when not DOWN). */
void channel_show_info_as(struct channel *c, struct cli *cli, uint state);
void proto_show_basic_info(struct proto *p, struct cli *c);

/* Debug categories (`debug protocols {states, routes, ...}`) */
#define D_STATES 1
#define D_ROUTES 2
#define D_FILTERS 4
#define D_IFACES 8
#define D_EVENTS 16
#define D_PACKETS 32
#define D_ALL 63
void proto_trace(struct proto *p, uint mask, const char *fmt, ...);

#endif
