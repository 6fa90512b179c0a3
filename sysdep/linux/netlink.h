/*
 * sysdep/linux/netlink.h: the Linux rtnetlink layer.
 *
 * The device, direct and kernel protocols learn interfaces, addresses and
 * routes from the kernel and push routes back through this module. It speaks
 * NETLINK_ROUTE with libc and the kernel headers only, and deliberately uses
 * its own plain structs (no nest/ types) so it can be tested on its own.
 *
 * Two sockets are expected in a daemon:
 *   - a request socket, nl_open(&s, 0): dumps, single changes, batches;
 *   - an async socket, nl_open(&a, NL_GROUPS_ALL): notifications, read from
 *     the event loop with nl_async_read() when nl_fd() is readable.
 *
 * Addresses are stored in network byte order in 16-byte arrays; only the
 * first 4 bytes are used for AF_INET. All functions return 0 (or a count) on
 * success and -errno on failure.
 */
#ifndef TERN_SYSDEP_LINUX_NETLINK_H
#define TERN_SYSDEP_LINUX_NETLINK_H

#include <stddef.h>
#include <stdint.h>
#include <net/if.h>
#include <linux/rtnetlink.h>

#define NL_MAX_NEXTHOPS 16

/* Notification groups for the async socket. */
#define NL_GROUPS_ALL (RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR | \
                       RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE)

struct nl_prefix {
  int family;                   /* AF_INET or AF_INET6 */
  uint8_t addr[16];             /* network order, host bits zero */
  uint8_t pxlen;
};

struct nl_link {
  int index;
  char name[IFNAMSIZ];
  unsigned flags;               /* IFF_* including IFF_LOWER_UP */
  unsigned mtu;
  uint8_t mac[32];              /* link-layer address (6 bytes for Ethernet) */
  int mac_len;
  int master;                   /* ifindex of the bridge/VRF master, 0 if none */
  int deleted;                  /* RTM_DELLINK */
};

struct nl_ifaddr {
  int ifindex;
  int family;
  uint8_t addr[16];             /* our local address */
  uint8_t pxlen;
  uint8_t peer[16];             /* point-to-point peer, valid if has_peer */
  int has_peer;
  uint8_t brd[16];              /* IPv4 broadcast, valid if has_brd */
  int has_brd;
  int scope;                    /* RT_SCOPE_* */
  unsigned flags;               /* IFA_F_* (full 32 bits from IFA_FLAGS) */
  int deleted;                  /* RTM_DELADDR */
};

struct nl_nexthop {
  int family;                   /* gateway family, same as the route's */
  uint8_t gw[16];
  int has_gw;
  int ifindex;                  /* 0 = let the kernel resolve the gateway */
  unsigned weight;              /* 1..256; 0 on input means 1 */
  unsigned flags;               /* RTNH_F_*; only RTNH_F_ONLINK is sent */
};

/*
 * A route. On input to nl_route_change()/nl_batch_route():
 *   - table 0 means the main table; tables > 255 go in RTA_TABLE;
 *   - metric 0 for IPv6 lets the kernel pick its default (1024);
 *   - scope is sent as given (RT_SCOPE_LINK for device routes, RT_SCOPE_
 *     UNIVERSE otherwise); IPv6 ignores it;
 *   - type RTN_UNICAST needs 1..NL_MAX_NEXTHOPS nexthops; more than one is
 *     sent as RTA_MULTIPATH; other types must have none;
 *   - NL_DELETE identifies the route by (dst, table, metric, protocol) only:
 *     nexthops, type and scope are not sent, so a delete works whatever the
 *     kernel currently holds for that key. protocol 0 matches any.
 * On output (dumps, notifications) reject routes (blackhole, unreachable,
 * prohibit) carry no nexthops even though IPv6 reports them on lo.
 */
struct nl_route {
  struct nl_prefix dst;
  unsigned table;
  unsigned protocol;            /* RTPROT_* */
  unsigned metric;              /* RTA_PRIORITY */
  unsigned type;                /* RTN_* */
  unsigned scope;               /* RT_SCOPE_* */
  int nh_count;
  int nh_truncated;             /* kernel had more than NL_MAX_NEXTHOPS */
  struct nl_nexthop nh[NL_MAX_NEXTHOPS];
  uint8_t prefsrc[16];
  int has_prefsrc;
  unsigned realm;               /* RTA_FLOW (IPv4), 0 = none */
  int deleted;                  /* RTM_DELROUTE */
};

enum nl_op { NL_ADD, NL_REPLACE, NL_DELETE };

struct nl_sock {
  int fd;
  uint32_t pid;                 /* our port id, replies are addressed to it */
  uint32_t seq;                 /* last sequence number used */
  int groups;
  unsigned rcvbuf;              /* effective SO_RCVBUF in bytes */
  uint8_t *buf;                 /* receive buffer, NL_RECV_BUF bytes */
};

/* Sockets. groups = 0 for the request socket, NL_GROUPS_ALL for async. */
int nl_open(struct nl_sock *s, int groups);
void nl_close(struct nl_sock *s);
int nl_fd(const struct nl_sock *s);

/*
 * Dumps. The callback returns 0 to continue; a nonzero value stops the
 * callbacks (the rest of the dump is still drained so the socket stays in
 * sync) and becomes the return value. family may be AF_UNSPEC for both.
 * Returns -EINTR if the kernel flagged the dump as inconsistent (it changed
 * under us): the caller should dump again.
 */
typedef int (*nl_link_fn)(const struct nl_link *l, void *arg);
typedef int (*nl_addr_fn)(const struct nl_ifaddr *a, void *arg);
typedef int (*nl_route_fn)(const struct nl_route *r, void *arg);

int nl_dump_links(struct nl_sock *s, nl_link_fn cb, void *arg);
int nl_dump_addrs(struct nl_sock *s, int family, nl_addr_fn cb, void *arg);
int nl_dump_routes(struct nl_sock *s, int family, unsigned table /* 0 = all */,
                   nl_route_fn cb, void *arg);

/* One synchronous change; the kernel's extended-ack text lands in errbuf
 * ("" if none). errbuf may be NULL. */
int nl_route_change(struct nl_sock *s, const struct nl_route *r, int op,
                    char *errbuf, size_t errlen);

/*
 * Pipelined batch. Requests are packed back to back into one buffer and sent
 * with one sendmsg; rtnetlink processes them synchronously inside that call,
 * so after it returns every ack is already queued and is read at once.
 * A window holds at most `limit` requests, derived from the socket's receive
 * buffer so the queued acks can never overflow it. done(ctx, err, msg) is
 * called once per request in order, err 0 or -errno, msg the extended-ack
 * text or "" (valid during the call only). If acks are lost anyway, the
 * affected requests get err -ENOBUFS (their outcome is unknown: re-dump).
 *
 * struct nl_batch is large (buffers inline); allocate it statically or on
 * the heap. Do not free the socket while requests are pending.
 */
#define NL_BATCH_BUF (64 * 1024)
#define NL_BATCH_MAX 1024
#define NL_RECV_BUF (64 * 1024)

typedef void (*nl_done_fn)(void *ctx, int err, const char *msg);

struct nl_batch {
  struct nl_sock *sk;
  nl_done_fn done;
  unsigned limit;               /* max requests per window */
  unsigned count;               /* requests in the current window */
  size_t len;                   /* bytes used in buf */
  uint32_t base_seq;            /* sequence number of slot 0 */
  unsigned long requests, failures, windows; /* statistics */
  void *ctx[NL_BATCH_MAX];
  uint8_t acked[NL_BATCH_MAX];
  uint8_t buf[NL_BATCH_BUF] __attribute__((aligned(8)));
};

void nl_batch_init(struct nl_batch *b, struct nl_sock *s, nl_done_fn done);
/* Appends one request; flushes first if the window is full. Returns 0, or
 * -EINVAL for a route that cannot be encoded (done is not called for it), or
 * the error of an automatic flush. */
int nl_batch_route(struct nl_batch *b, const struct nl_route *r, int op, void *ctx);
/* Sends the window and reads its acks. Returns 0, or -errno if the transport
 * failed (every request still gets its done call). */
int nl_batch_flush(struct nl_batch *b);

/* Async notifications. Callbacks may be NULL; their return values are
 * ignored. Returns the number of messages dispatched, or -ENOBUFS if the
 * kernel dropped notifications (re-dump), or another -errno. */
struct nl_async_ops {
  nl_link_fn link;
  nl_addr_fn addr;
  nl_route_fn route;
};
int nl_async_read(struct nl_sock *s, const struct nl_async_ops *ops, void *arg);

/* Helpers. */
int nl_prefix_format(const struct nl_prefix *p, char *buf, size_t len);
int nl_prefix_parse(const char *str, struct nl_prefix *p);
int nl_ifindex(const char *name);     /* 0 if no such interface */

#endif
