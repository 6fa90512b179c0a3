/*
 * sysdep/linux/netlink.c: rtnetlink sockets, dumps, route changes, batches
 * and notifications (see netlink.h for the API and its conventions).
 *
 * Layout of this file:
 *   - sockets: open/close, send with retry, receive one datagram;
 *   - message building: a bounded buffer with attribute/nest helpers;
 *   - parsing: a bounds-checked attribute cursor and one small table of
 *     per-attribute handlers per object type (link, address, route,
 *     multipath nexthop);
 *   - request/response: one transaction loop shared by dumps and changes;
 *   - batches and async reads.
 *
 * Facts relied on (netlink(7), rtnetlink(7), kernel headers):
 *   - NLMSG_ERROR with error 0 is an ack; with NETLINK_CAP_ACK the kernel
 *     echoes only the request header, and with NETLINK_EXT_ACK it appends
 *     NLMSGERR_ATTR_* TLVs (flag NLM_F_ACK_TLVS) after the nlmsgerr;
 *   - rtnetlink requests are processed inside sendmsg(), so all acks of a
 *     datagram are queued by the time it returns;
 *   - an ack that does not fit the receive buffer is dropped and the next
 *     recv fails with ENOBUFS.
 */
#include "sysdep/linux/netlink.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <linux/netlink.h>

#define NL_SOCK_RCVBUF (8 * 1024 * 1024)
#define NL_SEND_RETRIES 200
#define NL_REQ_TIMEOUT_S 30
/* Receive-buffer cost of one queued ack (skb truesize with slack). */
#define NL_ACK_COST 2048

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

static size_t addr_len(int family)
{
  return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
}

/* ---- sockets ---------------------------------------------------------- */

static void sock_set_rcvbuf(struct nl_sock *s)
{
  int sz = NL_SOCK_RCVBUF;
  /* FORCE ignores rmem_max but needs CAP_NET_ADMIN; plain SO_RCVBUF is
   * silently capped, which is fine: batches size themselves to the result. */
  if (setsockopt(s->fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof sz) < 0)
    setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof sz);
  socklen_t l = sizeof sz;
  if (getsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &sz, &l) < 0)
    sz = 212992;
  s->rcvbuf = (unsigned)sz;
}

static void sock_set_options(struct nl_sock *s)
{
  int one = 1;
  /* Best effort: older kernels lack some of these, and all are optional. */
  setsockopt(s->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one);
  setsockopt(s->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof one);
  setsockopt(s->fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one, sizeof one);
  if (s->groups) {
    fcntl(s->fd, F_SETFL, fcntl(s->fd, F_GETFL) | O_NONBLOCK);
  } else {
    /* A request socket blocks for replies, but never forever. */
    struct timeval tv = { .tv_sec = NL_REQ_TIMEOUT_S };
    setsockopt(s->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  sock_set_rcvbuf(s);
}

int nl_open(struct nl_sock *s, int groups)
{
  memset(s, 0, sizeof *s);
  s->fd = -1;
  s->groups = groups;
  s->buf = malloc(NL_RECV_BUF);
  if (!s->buf)
    return -ENOMEM;
  s->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (s->fd < 0)
    goto fail;
  sock_set_options(s);
  struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = (uint32_t)groups };
  if (bind(s->fd, (struct sockaddr *)&sa, sizeof sa) < 0)
    goto fail;
  socklen_t l = sizeof sa;
  if (getsockname(s->fd, (struct sockaddr *)&sa, &l) < 0)
    goto fail;
  s->pid = sa.nl_pid;
  s->seq = (uint32_t)time(NULL);
  return 0;

fail:;
  int err = -errno;
  nl_close(s);
  return err;
}

void nl_close(struct nl_sock *s)
{
  if (s->fd >= 0)
    close(s->fd);
  s->fd = -1;
  free(s->buf);
  s->buf = NULL;
}

int nl_fd(const struct nl_sock *s)
{
  return s->fd;
}

/* Netlink is datagram-based: a send is all or nothing. ENOBUFS/EAGAIN mean
 * transient memory pressure, so wait a little and try again. */
static int sock_send(struct nl_sock *s, const void *buf, size_t len)
{
  struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
  for (int tries = 0; ; tries++) {
    ssize_t n = sendto(s->fd, buf, len, 0, (struct sockaddr *)&sa, sizeof sa);
    if (n == (ssize_t)len)
      return 0;
    if (n >= 0)
      return -EMSGSIZE;
    if (errno == EINTR)
      continue;
    if ((errno != ENOBUFS && errno != EAGAIN) || tries >= NL_SEND_RETRIES)
      return -errno;
    poll(NULL, 0, 1 + tries / 10);
  }
}

/* Receives one datagram into s->buf. Returns its length or -errno. */
static ssize_t sock_recv(struct nl_sock *s, int flags)
{
  for (;;) {
    struct sockaddr_nl sa;
    struct iovec iov = { s->buf, NL_RECV_BUF };
    struct msghdr mh = { .msg_name = &sa, .msg_namelen = sizeof sa,
                         .msg_iov = &iov, .msg_iovlen = 1 };
    ssize_t n = recvmsg(s->fd, &mh, flags);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return -errno;
    if (mh.msg_flags & MSG_TRUNC)
      return -EMSGSIZE;
    if (sa.nl_pid != 0)     /* not from the kernel: ignore */
      continue;
    return n;
  }
}

/* ---- message building ------------------------------------------------- */

struct nl_msg {
  struct nlmsghdr *h;
  size_t cap;
};

static int msg_init(struct nl_msg *m, void *buf, size_t cap, uint16_t type,
                    uint16_t flags, const void *hdr, size_t hdrlen)
{
  if (cap < NLMSG_SPACE(hdrlen))
    return -EMSGSIZE;
  memset(buf, 0, NLMSG_SPACE(hdrlen));
  m->h = buf;
  m->cap = cap;
  m->h->nlmsg_len = NLMSG_LENGTH(hdrlen);
  m->h->nlmsg_type = type;
  m->h->nlmsg_flags = flags;
  memcpy(NLMSG_DATA(m->h), hdr, hdrlen);
  return 0;
}

static void *msg_tail(struct nl_msg *m)
{
  return (uint8_t *)m->h + NLMSG_ALIGN(m->h->nlmsg_len);
}

static int msg_put(struct nl_msg *m, uint16_t type, const void *data, size_t len)
{
  size_t off = NLMSG_ALIGN(m->h->nlmsg_len);
  if (off + RTA_SPACE(len) > m->cap)
    return -EMSGSIZE;
  struct rtattr *a = msg_tail(m);
  a->rta_type = type;
  a->rta_len = RTA_LENGTH(len);
  if (len)
    memcpy(RTA_DATA(a), data, len);
  memset((uint8_t *)RTA_DATA(a) + len, 0, RTA_SPACE(len) - RTA_LENGTH(len));
  m->h->nlmsg_len = off + RTA_SPACE(len);
  return 0;
}

static int msg_put_u32(struct nl_msg *m, uint16_t type, uint32_t v)
{
  return msg_put(m, type, &v, sizeof v);
}

/* Reserves raw aligned space (used for struct rtnexthop inside a nest). */
static void *msg_reserve(struct nl_msg *m, size_t len)
{
  size_t off = NLMSG_ALIGN(m->h->nlmsg_len);
  if (off + RTA_ALIGN(len) > m->cap)
    return NULL;
  void *p = msg_tail(m);
  memset(p, 0, RTA_ALIGN(len));
  m->h->nlmsg_len = off + RTA_ALIGN(len);
  return p;
}

static struct rtattr *msg_nest_start(struct nl_msg *m, uint16_t type)
{
  struct rtattr *a = msg_tail(m);
  if (msg_put(m, type, NULL, 0) < 0)
    return NULL;
  return a;
}

static void msg_nest_end(struct nl_msg *m, void *start)
{
  ((struct rtattr *)start)->rta_len = (uint8_t *)m->h + m->h->nlmsg_len - (uint8_t *)start;
}

/* ---- route encoding --------------------------------------------------- */

static const uint16_t op_type[] = {
  [NL_ADD] = RTM_NEWROUTE, [NL_REPLACE] = RTM_NEWROUTE, [NL_DELETE] = RTM_DELROUTE,
};
static const uint16_t op_flags[] = {
  [NL_ADD] = NLM_F_CREATE | NLM_F_EXCL,
  [NL_REPLACE] = NLM_F_CREATE | NLM_F_REPLACE,
  [NL_DELETE] = 0,
};

static int route_check(const struct nl_route *r, int op)
{
  size_t alen = addr_len(r->dst.family);
  if (!alen || r->dst.pxlen > alen * 8 || op < NL_ADD || op > NL_DELETE)
    return -EINVAL;
  if (op == NL_DELETE)
    return 0;
  if (r->nh_count < 0 || r->nh_count > NL_MAX_NEXTHOPS)
    return -EINVAL;
  if ((r->type == RTN_UNICAST) != (r->nh_count > 0))
    return -EINVAL;
  for (int i = 0; i < r->nh_count; i++)
    if (r->nh[i].weight > 256 || (!r->nh[i].has_gw && !r->nh[i].ifindex))
      return -EINVAL;
  return 0;
}

static int put_single_nh(struct nl_msg *m, const struct nl_route *r)
{
  const struct nl_nexthop *nh = &r->nh[0];
  int e = 0;
  if (nh->has_gw)
    e = msg_put(m, RTA_GATEWAY, nh->gw, addr_len(r->dst.family));
  if (!e && nh->ifindex)
    e = msg_put_u32(m, RTA_OIF, nh->ifindex);
  return e;
}

static int put_multipath(struct nl_msg *m, const struct nl_route *r)
{
  struct rtattr *mp = msg_nest_start(m, RTA_MULTIPATH);
  if (!mp)
    return -EMSGSIZE;
  for (int i = 0; i < r->nh_count; i++) {
    const struct nl_nexthop *nh = &r->nh[i];
    struct rtnexthop *rtnh = msg_reserve(m, sizeof *rtnh);
    if (!rtnh)
      return -EMSGSIZE;
    rtnh->rtnh_flags = nh->flags & RTNH_F_ONLINK;
    rtnh->rtnh_hops = nh->weight ? nh->weight - 1 : 0;   /* hops = weight - 1 */
    rtnh->rtnh_ifindex = nh->ifindex;
    if (nh->has_gw && msg_put(m, RTA_GATEWAY, nh->gw, addr_len(r->dst.family)) < 0)
      return -EMSGSIZE;
    msg_nest_end(m, rtnh);
  }
  msg_nest_end(m, mp);
  return 0;
}

/* Attributes shared by every operation: they form the route's key. */
static int put_route_key(struct nl_msg *m, const struct nl_route *r)
{
  int e = msg_put(m, RTA_DST, r->dst.addr, addr_len(r->dst.family));
  if (!e)
    e = msg_put_u32(m, RTA_TABLE, r->table ? r->table : RT_TABLE_MAIN);
  if (!e)
    e = msg_put_u32(m, RTA_PRIORITY, r->metric);
  return e;
}

static int put_route_body(struct nl_msg *m, const struct nl_route *r)
{
  int e = 0;
  if (r->has_prefsrc)
    e = msg_put(m, RTA_PREFSRC, r->prefsrc, addr_len(r->dst.family));
  if (!e && r->realm && r->dst.family == AF_INET)
    e = msg_put_u32(m, RTA_FLOW, r->realm);
  if (!e && r->nh_count == 1)
    e = put_single_nh(m, r);
  if (!e && r->nh_count > 1)
    e = put_multipath(m, r);
  return e;
}

static int route_encode(struct nl_msg *m, void *buf, size_t cap,
                        const struct nl_route *r, int op, uint32_t seq)
{
  int e = route_check(r, op);
  if (e)
    return e;
  unsigned table = r->table ? r->table : RT_TABLE_MAIN;
  struct rtmsg rtm = {
    .rtm_family = r->dst.family,
    .rtm_dst_len = r->dst.pxlen,
    .rtm_table = table < 256 ? table : RT_TABLE_UNSPEC,
    .rtm_protocol = r->protocol,
  };
  if (op == NL_DELETE) {
    rtm.rtm_scope = RT_SCOPE_NOWHERE;     /* match any scope */
    rtm.rtm_type = RTN_UNSPEC;            /* match any type */
  } else {
    rtm.rtm_scope = r->scope;
    rtm.rtm_type = r->type;
    if (r->nh_count == 1)
      rtm.rtm_flags = r->nh[0].flags & RTNH_F_ONLINK;
  }
  e = msg_init(m, buf, cap, op_type[op], NLM_F_REQUEST | NLM_F_ACK | op_flags[op],
               &rtm, sizeof rtm);
  if (!e)
    e = put_route_key(m, r);
  if (!e && op != NL_DELETE)
    e = put_route_body(m, r);
  if (!e)
    m->h->nlmsg_seq = seq;
  return e;
}

/* ---- parsing ------------------------------------------------------------ */

/* Walks attributes within [p, end); NULL at the end or on a malformed one. */
static const struct rtattr *attr_next(const uint8_t **p, const uint8_t *end)
{
  if (end - *p < (ptrdiff_t)sizeof(struct rtattr))
    return NULL;
  const struct rtattr *a = (const void *)*p;
  if (a->rta_len < sizeof *a || a->rta_len > end - *p)
    return NULL;
  *p += RTA_ALIGN(a->rta_len);
  if (*p > end)
    *p = end;
  return a;
}

typedef int (*attr_fn)(void *obj, const uint8_t *data, size_t len);

static int attrs_parse(const attr_fn *tab, size_t n, const uint8_t *p,
                       const uint8_t *end, void *obj)
{
  const struct rtattr *a;
  while ((a = attr_next(&p, end))) {
    unsigned type = a->rta_type & NLA_TYPE_MASK;
    if (type < n && tab[type]) {
      int e = tab[type](obj, (const uint8_t *)RTA_DATA(a), RTA_PAYLOAD(a));
      if (e)
        return e;
    }
  }
  return 0;
}

static int get_u32(const uint8_t *data, size_t len, unsigned *out)
{
  uint32_t v;
  if (len < sizeof v)
    return -EINVAL;
  memcpy(&v, data, sizeof v);
  *out = v;
  return 0;
}

static int get_addr(int family, const uint8_t *data, size_t len, uint8_t *out)
{
  if (len != addr_len(family))
    return -EINVAL;
  memcpy(out, data, len);
  return 0;
}

/* Message body after a fixed header of hdrlen, or NULL if too short. */
static const uint8_t *msg_body(const struct nlmsghdr *h, size_t hdrlen, const uint8_t **end)
{
  if (h->nlmsg_len < NLMSG_LENGTH(hdrlen))
    return NULL;
  *end = (const uint8_t *)h + h->nlmsg_len;
  const uint8_t *p = (const uint8_t *)NLMSG_DATA(h) + NLMSG_ALIGN(hdrlen);
  return p > *end ? *end : p;
}

/* -- links -- */

static int link_name(void *o, const uint8_t *d, size_t len)
{
  struct nl_link *l = o;
  size_t n = strnlen((const char *)d, len);
  if (n >= sizeof l->name)
    return -EINVAL;
  memcpy(l->name, d, n);
  l->name[n] = 0;
  return 0;
}

static int link_mtu(void *o, const uint8_t *d, size_t len)
{
  return get_u32(d, len, &((struct nl_link *)o)->mtu);
}

static int link_mac(void *o, const uint8_t *d, size_t len)
{
  struct nl_link *l = o;
  if (len > sizeof l->mac)
    return -EINVAL;
  memcpy(l->mac, d, len);
  l->mac_len = len;
  return 0;
}

static int link_master(void *o, const uint8_t *d, size_t len)
{
  unsigned v = 0;
  int e = get_u32(d, len, &v);
  ((struct nl_link *)o)->master = v;
  return e;
}

static const attr_fn link_attrs[IFLA_MAX + 1] = {
  [IFLA_IFNAME] = link_name,
  [IFLA_MTU] = link_mtu,
  [IFLA_ADDRESS] = link_mac,
  [IFLA_MASTER] = link_master,
};

static int link_parse(const struct nlmsghdr *h, struct nl_link *l)
{
  const uint8_t *end, *p = msg_body(h, sizeof(struct ifinfomsg), &end);
  if (!p)
    return -EINVAL;
  const struct ifinfomsg *ifi = NLMSG_DATA(h);
  memset(l, 0, sizeof *l);
  l->index = ifi->ifi_index;
  l->flags = ifi->ifi_flags;
  l->deleted = h->nlmsg_type == RTM_DELLINK;
  return attrs_parse(link_attrs, IFLA_MAX + 1, p, end, l);
}

/* -- addresses -- */

/* IFA_LOCAL and IFA_ADDRESS mean different things per family and link type
 * (rtnetlink(7)): collect both and decide afterwards. */
struct addr_scratch {
  struct nl_ifaddr *a;
  uint8_t local[16], address[16];
  int has_local, has_address;
};

static int addr_local(void *o, const uint8_t *d, size_t len)
{
  struct addr_scratch *s = o;
  s->has_local = 1;
  return get_addr(s->a->family, d, len, s->local);
}

static int addr_address(void *o, const uint8_t *d, size_t len)
{
  struct addr_scratch *s = o;
  s->has_address = 1;
  return get_addr(s->a->family, d, len, s->address);
}

static int addr_brd(void *o, const uint8_t *d, size_t len)
{
  struct addr_scratch *s = o;
  s->a->has_brd = 1;
  return get_addr(s->a->family, d, len, s->a->brd);
}

static int addr_flags(void *o, const uint8_t *d, size_t len)
{
  return get_u32(d, len, &((struct addr_scratch *)o)->a->flags);
}

static const attr_fn addr_attrs[IFA_MAX + 1] = {
  [IFA_LOCAL] = addr_local,
  [IFA_ADDRESS] = addr_address,
  [IFA_BROADCAST] = addr_brd,
  [IFA_FLAGS] = addr_flags,
};

static int addr_parse(const struct nlmsghdr *h, struct nl_ifaddr *a)
{
  const uint8_t *end, *p = msg_body(h, sizeof(struct ifaddrmsg), &end);
  if (!p)
    return -EINVAL;
  const struct ifaddrmsg *ifa = NLMSG_DATA(h);
  memset(a, 0, sizeof *a);
  a->family = ifa->ifa_family;
  if (!addr_len(a->family))
    return 1;                               /* not IP: skip */
  a->ifindex = ifa->ifa_index;
  a->pxlen = ifa->ifa_prefixlen;
  a->scope = ifa->ifa_scope;
  a->flags = ifa->ifa_flags;                /* IFA_FLAGS overrides if present */
  a->deleted = h->nlmsg_type == RTM_DELADDR;
  struct addr_scratch s = { .a = a };
  int e = attrs_parse(addr_attrs, IFA_MAX + 1, p, end, &s);
  if (e)
    return e;
  size_t alen = addr_len(a->family);
  if (!s.has_local && !s.has_address)
    return -EINVAL;
  /* Local is IFA_LOCAL when present; IFA_ADDRESS differing from it is the
   * point-to-point peer. */
  memcpy(a->addr, s.has_local ? s.local : s.address, alen);
  if (s.has_local && s.has_address && memcmp(s.local, s.address, alen)) {
    memcpy(a->peer, s.address, alen);
    a->has_peer = 1;
  }
  return 0;
}

/* -- routes -- */

struct route_scratch {
  struct nl_route *r;
  struct nl_nexthop single;     /* from top-level RTA_GATEWAY/RTA_OIF */
  int has_single;
  unsigned table;               /* RTA_TABLE, 0 if absent */
};

static int route_dst(void *o, const uint8_t *d, size_t len)
{
  struct route_scratch *s = o;
  return get_addr(s->r->dst.family, d, len, s->r->dst.addr);
}

static int route_gw(void *o, const uint8_t *d, size_t len)
{
  struct route_scratch *s = o;
  s->single.has_gw = 1;
  s->has_single = 1;
  return get_addr(s->r->dst.family, d, len, s->single.gw);
}

static int route_oif(void *o, const uint8_t *d, size_t len)
{
  struct route_scratch *s = o;
  unsigned v = 0;
  s->has_single = 1;
  int e = get_u32(d, len, &v);
  s->single.ifindex = v;
  return e;
}

static int route_prio(void *o, const uint8_t *d, size_t len)
{
  return get_u32(d, len, &((struct route_scratch *)o)->r->metric);
}

static int route_prefsrc(void *o, const uint8_t *d, size_t len)
{
  struct route_scratch *s = o;
  s->r->has_prefsrc = 1;
  return get_addr(s->r->dst.family, d, len, s->r->prefsrc);
}

static int route_table(void *o, const uint8_t *d, size_t len)
{
  return get_u32(d, len, &((struct route_scratch *)o)->table);
}

static int route_flow(void *o, const uint8_t *d, size_t len)
{
  return get_u32(d, len, &((struct route_scratch *)o)->r->realm);
}

static int nh_gw(void *o, const uint8_t *d, size_t len)
{
  struct nl_nexthop *nh = o;
  nh->has_gw = 1;
  return get_addr(nh->family, d, len, nh->gw);
}

static const attr_fn nh_attrs[RTA_MAX + 1] = {
  [RTA_GATEWAY] = nh_gw,
};

/* RTA_MULTIPATH: a packed array of struct rtnexthop, each followed by its
 * own attributes (gateway). */
static int route_multipath(void *o, const uint8_t *d, size_t len)
{
  struct route_scratch *s = o;
  struct nl_route *r = s->r;
  const uint8_t *end = d + len;
  while (end - d >= (ptrdiff_t)sizeof(struct rtnexthop)) {
    const struct rtnexthop *rtnh = (const void *)d;
    if (rtnh->rtnh_len < sizeof *rtnh || rtnh->rtnh_len > end - d)
      return -EINVAL;
    if (r->nh_count == NL_MAX_NEXTHOPS) {
      r->nh_truncated = 1;
      break;
    }
    struct nl_nexthop *nh = &r->nh[r->nh_count++];
    memset(nh, 0, sizeof *nh);
    nh->family = r->dst.family;
    nh->ifindex = rtnh->rtnh_ifindex;
    nh->weight = rtnh->rtnh_hops + 1u;
    nh->flags = rtnh->rtnh_flags;
    int e = attrs_parse(nh_attrs, RTA_MAX + 1, d + RTNH_ALIGN(sizeof *rtnh),
                        d + rtnh->rtnh_len, nh);
    if (e)
      return e;
    d += RTNH_ALIGN(rtnh->rtnh_len);
  }
  return 0;
}

static const attr_fn route_attrs[RTA_MAX + 1] = {
  [RTA_DST] = route_dst,
  [RTA_GATEWAY] = route_gw,
  [RTA_OIF] = route_oif,
  [RTA_PRIORITY] = route_prio,
  [RTA_PREFSRC] = route_prefsrc,
  [RTA_TABLE] = route_table,
  [RTA_FLOW] = route_flow,
  [RTA_MULTIPATH] = route_multipath,
};

static int route_is_reject(unsigned type)
{
  return type == RTN_BLACKHOLE || type == RTN_UNREACHABLE || type == RTN_PROHIBIT;
}

static void route_finish(struct route_scratch *s, unsigned rtm_flags)
{
  struct nl_route *r = s->r;
  if (s->table)
    r->table = s->table;
  if (!r->nh_count && s->has_single) {
    s->single.family = r->dst.family;
    s->single.weight = 1;
    s->single.flags = rtm_flags & 0xff;     /* RTNH_F_* live in the low byte */
    r->nh[0] = s->single;
    r->nh_count = 1;
  }
  if (route_is_reject(r->type))
    r->nh_count = 0;
}

/* Returns 0, 1 for a message to skip (not IPv4/IPv6), or -EINVAL. */
static int route_parse(const struct nlmsghdr *h, struct nl_route *r)
{
  const uint8_t *end, *p = msg_body(h, sizeof(struct rtmsg), &end);
  if (!p)
    return -EINVAL;
  const struct rtmsg *rtm = NLMSG_DATA(h);
  if (!addr_len(rtm->rtm_family))
    return 1;
  memset(r, 0, sizeof *r);
  r->dst.family = rtm->rtm_family;
  r->dst.pxlen = rtm->rtm_dst_len;
  r->table = rtm->rtm_table;
  r->protocol = rtm->rtm_protocol;
  r->type = rtm->rtm_type;
  r->scope = rtm->rtm_scope;
  r->deleted = h->nlmsg_type == RTM_DELROUTE;
  if (r->dst.pxlen > addr_len(r->dst.family) * 8)
    return -EINVAL;
  struct route_scratch s = { .r = r };
  int e = attrs_parse(route_attrs, RTA_MAX + 1, p, end, &s);
  if (e)
    return e;
  route_finish(&s, rtm->rtm_flags);
  return 0;
}

/* -- errors and acks -- */

static const char *ext_ack_msg(const struct nlmsghdr *h)
{
  const struct nlmsgerr *err = NLMSG_DATA(h);
  if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
    return "";
  size_t off = sizeof *err;
  if (!(h->nlmsg_flags & NLM_F_CAPPED))
    off += err->msg.nlmsg_len - sizeof(struct nlmsghdr);
  const uint8_t *p = (const uint8_t *)err + NLMSG_ALIGN(off);
  const uint8_t *end = (const uint8_t *)h + h->nlmsg_len;
  const struct rtattr *a;
  while (p < end && (a = attr_next(&p, end)))
    if (a->rta_type == NLMSGERR_ATTR_MSG && RTA_PAYLOAD(a) > 0 &&
        ((const char *)RTA_DATA(a))[RTA_PAYLOAD(a) - 1] == 0)
      return RTA_DATA(a);
  return "";
}

/* Decodes an NLMSG_ERROR: returns 0 (ack) or -errno, message via *msg. */
static int ack_parse(const struct nlmsghdr *h, const char **msg)
{
  *msg = "";
  if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct nlmsgerr)))
    return -EPROTO;
  const struct nlmsgerr *err = NLMSG_DATA(h);
  *msg = ext_ack_msg(h);
  return err->error > 0 ? -err->error : err->error;
}

static void copy_msg(char *buf, size_t len, const char *msg)
{
  if (buf && len)
    snprintf(buf, len, "%s", msg);
}

/* ---- request/response ------------------------------------------------- */

typedef int (*msg_fn)(const struct nlmsghdr *h, void *arg);

struct xact {
  uint32_t seq;
  int dump;         /* set by the caller: NLM_F_DUMP bits alias NLM_F_EXCL... */
  msg_fn fn;
  void *arg;
  int result;       /* first nonzero callback result */
  int intr;         /* NLM_F_DUMP_INTR seen */
  char *errbuf;
  size_t errlen;
};

/* Handles one reply; returns 1 when the transaction is complete. */
static int xact_msg(struct nl_sock *s, struct xact *x, const struct nlmsghdr *h, int *err)
{
  if (h->nlmsg_seq != x->seq || h->nlmsg_pid != s->pid)
    return 0;                               /* stale reply to something else */
  if (h->nlmsg_flags & NLM_F_DUMP_INTR)
    x->intr = 1;
  if (h->nlmsg_type == NLMSG_DONE) {
    int e = 0;
    if (h->nlmsg_len >= NLMSG_LENGTH(sizeof e))
      memcpy(&e, NLMSG_DATA(h), sizeof e);
    *err = e < 0 ? e : 0;
    return 1;
  }
  if (h->nlmsg_type == NLMSG_ERROR) {
    const char *msg;
    *err = ack_parse(h, &msg);
    copy_msg(x->errbuf, x->errlen, msg);
    return !x->dump || *err;
  }
  if (!x->result && x->fn)
    x->result = x->fn(h, x->arg);
  return 0;
}

static int xact_run(struct nl_sock *s, struct nlmsghdr *req, struct xact *x)
{
  x->seq = req->nlmsg_seq = ++s->seq;
  copy_msg(x->errbuf, x->errlen, "");
  int e = sock_send(s, req, req->nlmsg_len);
  if (e)
    return e;
  for (;;) {
    ssize_t n = sock_recv(s, 0);
    if (n < 0)
      return n == -EAGAIN ? -ETIMEDOUT : (int)n;
    size_t left = n;
    for (struct nlmsghdr *h = (void *)s->buf; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
      int err = 0;
      if (xact_msg(s, x, h, &err)) {
        if (err)
          return err;
        if (x->result)
          return x->result;
        return x->intr ? -EINTR : 0;
      }
    }
  }
}

/* ---- dumps ------------------------------------------------------------ */

struct dump_ctx {
  void *cb;
  void *arg;
  unsigned table;
};

static int dump_link_msg(const struct nlmsghdr *h, void *arg)
{
  struct dump_ctx *d = arg;
  struct nl_link l;
  if (h->nlmsg_type != RTM_NEWLINK || link_parse(h, &l))
    return 0;
  return ((nl_link_fn)d->cb)(&l, d->arg);
}

static int dump_addr_msg(const struct nlmsghdr *h, void *arg)
{
  struct dump_ctx *d = arg;
  struct nl_ifaddr a;
  if (h->nlmsg_type != RTM_NEWADDR || addr_parse(h, &a))
    return 0;
  return ((nl_addr_fn)d->cb)(&a, d->arg);
}

static int dump_route_msg(const struct nlmsghdr *h, void *arg)
{
  struct dump_ctx *d = arg;
  struct nl_route r;
  if (h->nlmsg_type != RTM_NEWROUTE || route_parse(h, &r))
    return 0;
  if (d->table && r.table != d->table)      /* old kernels do not filter */
    return 0;
  return ((nl_route_fn)d->cb)(&r, d->arg);
}

static int dump(struct nl_sock *s, struct nl_msg *m, msg_fn fn, struct dump_ctx *d)
{
  struct xact x = { .dump = 1, .fn = fn, .arg = d };
  return xact_run(s, m->h, &x);
}

int nl_dump_links(struct nl_sock *s, nl_link_fn cb, void *arg)
{
  uint8_t buf[256];
  struct nl_msg m;
  struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
  msg_init(&m, buf, sizeof buf, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, &ifi, sizeof ifi);
  struct dump_ctx d = { (void *)cb, arg, 0 };
  return dump(s, &m, dump_link_msg, &d);
}

int nl_dump_addrs(struct nl_sock *s, int family, nl_addr_fn cb, void *arg)
{
  uint8_t buf[256];
  struct nl_msg m;
  struct ifaddrmsg ifa = { .ifa_family = family };
  msg_init(&m, buf, sizeof buf, RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, &ifa, sizeof ifa);
  struct dump_ctx d = { (void *)cb, arg, 0 };
  return dump(s, &m, dump_addr_msg, &d);
}

int nl_dump_routes(struct nl_sock *s, int family, unsigned table, nl_route_fn cb, void *arg)
{
  uint8_t buf[256];
  struct nl_msg m;
  /* With NETLINK_GET_STRICT_CHK the kernel filters by table for us. */
  struct rtmsg rtm = { .rtm_family = family, .rtm_table = table < 256 ? table : 0 };
  msg_init(&m, buf, sizeof buf, RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, &rtm, sizeof rtm);
  if (table)
    msg_put_u32(&m, RTA_TABLE, table);
  struct dump_ctx d = { (void *)cb, arg, table };
  int e = dump(s, &m, dump_route_msg, &d);
  /* IPv4 refuses to dump a table that does not exist yet: that is empty. */
  return e == -ENOENT && table ? 0 : e;
}

/* ---- single changes --------------------------------------------------- */

int nl_route_change(struct nl_sock *s, const struct nl_route *r, int op,
                    char *errbuf, size_t errlen)
{
  uint8_t buf[2048];
  struct nl_msg m;
  copy_msg(errbuf, errlen, "");
  int e = route_encode(&m, buf, sizeof buf, r, op, 0);
  if (e)
    return e;
  struct xact x = { .errbuf = errbuf, .errlen = errlen };
  return xact_run(s, m.h, &x);
}

/* ---- batches ---------------------------------------------------------- */

void nl_batch_init(struct nl_batch *b, struct nl_sock *s, nl_done_fn done)
{
  b->sk = s;
  b->done = done;
  b->count = 0;
  b->len = 0;
  b->requests = b->failures = b->windows = 0;
  unsigned limit = s->rcvbuf / NL_ACK_COST;
  b->limit = limit < 8 ? 8 : limit > NL_BATCH_MAX ? NL_BATCH_MAX : limit;
}

static void batch_complete(struct nl_batch *b, unsigned i, int err, const char *msg)
{
  b->acked[i] = 1;
  if (err)
    b->failures++;
  b->done(b->ctx[i], err, msg);
}

/* Matches one ack to its slot; returns 1 if it was one of ours. */
static int batch_ack(struct nl_batch *b, const struct nlmsghdr *h)
{
  uint32_t i = h->nlmsg_seq - b->base_seq;
  if (h->nlmsg_type != NLMSG_ERROR || h->nlmsg_pid != b->sk->pid ||
      i >= b->count || b->acked[i])
    return 0;
  const char *msg;
  int err = ack_parse(h, &msg);
  batch_complete(b, i, err, msg);
  return 1;
}

/* Acks are one datagram each; recvmmsg() takes up to NL_ACK_SLOTS of them
 * per system call, which is most of what batching saves in user space. */
#define NL_ACK_SLOTS 64
#define NL_ACK_SLOT_SIZE (NL_RECV_BUF / NL_ACK_SLOTS)

/* Receives several datagrams into slots of s->buf; blocks for the first
 * unless flags has MSG_DONTWAIT. Returns the number received or -errno. */
static int sock_recv_many(struct nl_sock *s, int flags, struct mmsghdr *v,
                          struct sockaddr_nl *sa, struct iovec *iov)
{
  for (int i = 0; i < NL_ACK_SLOTS; i++) {
    iov[i] = (struct iovec){ s->buf + i * NL_ACK_SLOT_SIZE, NL_ACK_SLOT_SIZE };
    v[i].msg_hdr = (struct msghdr){ .msg_name = &sa[i], .msg_namelen = sizeof sa[i],
                                    .msg_iov = &iov[i], .msg_iovlen = 1 };
  }
  for (;;) {
    int n = recvmmsg(s->fd, v, NL_ACK_SLOTS, flags | MSG_WAITFORONE, NULL);
    if (n < 0 && errno == EINTR)
      continue;
    return n < 0 ? -errno : n;
  }
}

/* Handles one received datagram of acks. A datagram cut short by its slot
 * (far larger than any capped ack) keeps its error code: only the tail,
 * the extended-ack text, is lost. */
static unsigned batch_datagram(struct nl_batch *b, uint8_t *p, size_t len, int trunc)
{
  struct nlmsghdr *h = (void *)p;
  unsigned acked = 0;
  if (trunc && len >= NLMSG_LENGTH(sizeof(struct nlmsgerr)) && h->nlmsg_len > len)
    h->nlmsg_len = len;
  for (; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len))
    acked += batch_ack(b, h);
  return acked;
}

/* Reads acks until all `count` arrived. After an overrun the remaining
 * queue is drained without blocking and the rest is reported as lost. */
static int batch_read_acks(struct nl_batch *b)
{
  struct mmsghdr v[NL_ACK_SLOTS];
  struct sockaddr_nl sa[NL_ACK_SLOTS];
  struct iovec iov[NL_ACK_SLOTS];
  unsigned pending = b->count;
  int flags = 0, ret = 0;
  while (pending) {
    int n = sock_recv_many(b->sk, flags, v, sa, iov);
    if (n == -ENOBUFS) {
      ret = -ENOBUFS;
      flags = MSG_DONTWAIT;
      continue;
    }
    if (n < 0) {
      if (!ret)
        ret = n == -EAGAIN && !flags ? -ETIMEDOUT : n;
      break;
    }
    for (int i = 0; i < n; i++)
      if (sa[i].nl_pid == 0)
        pending -= batch_datagram(b, iov[i].iov_base, v[i].msg_len,
                                  !!(v[i].msg_hdr.msg_flags & MSG_TRUNC));
  }
  for (unsigned i = 0; i < b->count && pending; i++)
    if (!b->acked[i])
      batch_complete(b, i, ret ? ret : -EIO, "ack lost"), pending--;
  return ret;
}

int nl_batch_flush(struct nl_batch *b)
{
  if (!b->count)
    return 0;
  b->windows++;
  int ret = sock_send(b->sk, b->buf, b->len);
  if (ret) {
    for (unsigned i = 0; i < b->count; i++)
      batch_complete(b, i, ret, "send failed");
  } else {
    ret = batch_read_acks(b);
  }
  b->count = 0;
  b->len = 0;
  return ret;
}

int nl_batch_route(struct nl_batch *b, const struct nl_route *r, int op, void *ctx)
{
  struct nl_sock *s = b->sk;
  /* Sequence numbers of a window must be contiguous; if someone else used
   * the socket meanwhile, or the window is full, send what we have. */
  if (b->count && (b->count >= b->limit || s->seq != b->base_seq + b->count - 1)) {
    int e = nl_batch_flush(b);
    if (e)
      return e;
  }
  for (int attempt = 0; attempt < 2; attempt++) {
    struct nl_msg m;
    int e = route_encode(&m, b->buf + b->len, sizeof b->buf - b->len, r, op, s->seq + 1);
    if (e == -EMSGSIZE && b->count) {
      if ((e = nl_batch_flush(b)))
        return e;
      continue;
    }
    if (e)
      return e;
    if (!b->count)
      b->base_seq = s->seq + 1;
    s->seq++;
    b->ctx[b->count] = ctx;
    b->acked[b->count] = 0;
    b->count++;
    b->requests++;
    b->len += NLMSG_ALIGN(m.h->nlmsg_len);
    return 0;
  }
  return -EMSGSIZE;
}

/* ---- async notifications ---------------------------------------------- */

static void async_dispatch(const struct nlmsghdr *h, const struct nl_async_ops *ops, void *arg)
{
  union { struct nl_link l; struct nl_ifaddr a; struct nl_route r; } u;
  switch (h->nlmsg_type) {
  case RTM_NEWLINK: case RTM_DELLINK:
    if (ops->link && !link_parse(h, &u.l))
      ops->link(&u.l, arg);
    break;
  case RTM_NEWADDR: case RTM_DELADDR:
    if (ops->addr && !addr_parse(h, &u.a))
      ops->addr(&u.a, arg);
    break;
  case RTM_NEWROUTE: case RTM_DELROUTE:
    if (ops->route && !route_parse(h, &u.r))
      ops->route(&u.r, arg);
    break;
  }
}

int nl_async_read(struct nl_sock *s, const struct nl_async_ops *ops, void *arg)
{
  int count = 0;
  for (;;) {
    ssize_t n = sock_recv(s, MSG_DONTWAIT);
    if (n == -EAGAIN || n == -EWOULDBLOCK)
      return count;
    if (n < 0)
      return n;
    size_t left = n;
    for (struct nlmsghdr *h = (void *)s->buf; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
      async_dispatch(h, ops, arg);
      count++;
    }
  }
}

/* ---- helpers ---------------------------------------------------------- */

int nl_prefix_format(const struct nl_prefix *p, char *buf, size_t len)
{
  char a[INET6_ADDRSTRLEN];
  if (!addr_len(p->family) || !inet_ntop(p->family, p->addr, a, sizeof a))
    return -EINVAL;
  int n = snprintf(buf, len, "%s/%u", a, p->pxlen);
  return n < 0 || (size_t)n >= len ? -ENOSPC : n;
}

int nl_prefix_parse(const char *str, struct nl_prefix *p)
{
  char a[INET6_ADDRSTRLEN];
  const char *slash = strchr(str, '/');
  size_t n = slash ? (size_t)(slash - str) : strlen(str);
  if (n >= sizeof a)
    return -EINVAL;
  memcpy(a, str, n);
  a[n] = 0;
  memset(p, 0, sizeof *p);
  p->family = strchr(a, ':') ? AF_INET6 : AF_INET;
  if (inet_pton(p->family, a, p->addr) != 1)
    return -EINVAL;
  unsigned max = addr_len(p->family) * 8;
  char *end;
  unsigned long len = slash ? strtoul(slash + 1, &end, 10) : max;
  if ((slash && (end == slash + 1 || *end)) || len > max)
    return -EINVAL;
  p->pxlen = len;
  /* Host bits must be zero: the kernel would reject such a route anyway. */
  for (unsigned bit = len; bit < max; bit++)
    if (p->addr[bit / 8] & (0x80 >> (bit % 8)))
      return -EINVAL;
  return 0;
}

int nl_ifindex(const char *name)
{
  return (int)if_nametoindex(name);
}
