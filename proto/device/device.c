/*
 * proto/device/device.c: the device protocol.
 *
 * Learns interfaces and addresses from the kernel over rtnetlink: a full
 * dump at start and every `scan time`, and the kernel's notifications in
 * between. What it learns goes to nest (if_update/ifa_update), which tells
 * the other protocols. It exports no routes.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <linux/rtnetlink.h>

#include "proto/device/device.h"
#include "conf/conf.h"
#include "lib/printf.h"

#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000   /* linux/if.h; clashes with net/if.h */
#endif
#include "nest/iface.h"
#include "sysdep/unix/log.h"

static struct device_proto *device_running;

/* BIRD classifies IPv4 addresses itself: loopback is host scope, private
   ranges site scope, the rest universe; IPv6 follows the kernel. */
static int scope_ip4_class(ip_addr a)
{
  u32 x = ip4_to_u32(ipa_to_ip4(a));
  if ((x >> 24) == 127)
    return SCOPE_HOST;
  if ((x >> 24) == 10 || (x >> 20) == 0xac1 || (x >> 16) == 0xc0a8)
    return SCOPE_SITE;
  if ((x >> 16) == 0xa9fe)
    return SCOPE_LINK;
  return SCOPE_UNIVERSE;
}

static int scope_from_kernel(int s, ip_addr a)
{
  if (ipa_is_ip4(a))
    return scope_ip4_class(a);
  if (s == RT_SCOPE_HOST)
    return SCOPE_HOST;
  if (s == RT_SCOPE_LINK || (!ipa_is_ip4(a) && ipa_is_link_local(a)))
    return SCOPE_LINK;
  if (s == RT_SCOPE_SITE)
    return SCOPE_SITE;
  return SCOPE_UNIVERSE;
}

static ip_addr ipa_from_nl(int family, const uint8_t *b)
{
  return family == AF_INET ? ipa_from_ip4(ip4_get(b)) : ip6_get(b);
}

static int device_link(const struct nl_link *l, void *arg)
{
  if (l->deleted) {
    struct iface *i = if_find_by_index(l->index);
    if (i)
      if_delete(i);
    return 0;
  }
  struct iface n = { .index = l->index, .mtu = l->mtu, .master_index = l->master };
  bsnprintf(n.name, sizeof(n.name), "%s", l->name);
  if (l->flags & IFF_UP)
    n.flags |= IF_ADMIN_UP;
  if (l->flags & IFF_LOWER_UP)
    n.flags |= IF_LINK_UP;
  if ((l->flags & IFF_UP) && (l->flags & (IFF_LOWER_UP | IFF_LOOPBACK)))
    n.flags |= IF_UP;
  /* BIRD's reading of the kernel flags: loopback is multi-access and
     ignored; point-to-point links are not multi-access. */
  if (l->flags & IFF_LOOPBACK)
    n.flags |= IF_LOOPBACK | IF_MULTIACCESS | IF_IGNORE;
  else if (l->flags & IFF_POINTOPOINT)
    n.flags |= IF_MULTICAST;
  else if (l->flags & IFF_BROADCAST)
    n.flags |= IF_MULTIACCESS | IF_BROADCAST | IF_MULTICAST;
  else
    n.flags |= IF_MULTIACCESS;
  if (l->mac_len == 6)
    memcpy(n.mac, l->mac, 6);
  if_update(&n);
  return 0;
}

static int device_addr(const struct nl_ifaddr *x, void *arg)
{
  struct iface *i = if_find_by_index(x->ifindex);
  if (!i)
    return 0;
  struct ifa a = { .iface = i };
  a.ip = ipa_from_nl(x->family, x->addr);
  ip_addr pfx = a.ip;
  if (x->has_peer && memcmp(x->peer, x->addr, 16)) {
    a.opposite = ipa_from_nl(x->family, x->peer);
    a.flags |= IA_PEER;
    pfx = a.opposite;
  }
  if (x->has_brd)
    a.brd = ipa_from_nl(x->family, x->brd);
  net_fill_ipa(&a.prefix, pfx, x->pxlen);
  net_normalize(&a.prefix);
  if (x->pxlen == (x->family == AF_INET ? 32 : 128))
    a.flags |= IA_HOST;
  a.scope = scope_from_kernel(x->scope, a.ip);
  if (x->deleted)
    ifa_delete(&a);
  else
    ifa_update(&a);
  return 0;
}

static void device_scan(struct device_proto *d)
{
  if_start_update();
  int r = nl_dump_links(&d->req, device_link, d);
  if (r < 0) {
    log_msg(L_ERR "%s: interface scan failed: %s", d->p.name, strerror(-r));
    return;
  }
  if_end_update();
  nl_dump_addrs(&d->req, AF_UNSPEC, device_addr, d);
}

static void device_scan_timer(timer *t)
{
  device_scan(t->data);
}

void device_scan_now(void)
{
  if (device_running)
    device_scan(device_running);
}

static void device_async(io_fd *f)
{
  struct device_proto *d = f->data;
  static const struct nl_async_ops ops = { .link = device_link, .addr = device_addr };
  int r = nl_async_read(&d->async, &ops, d);
  if (r == -ENOBUFS)
    device_scan(d);
}

static int device_start(struct proto *p)
{
  struct device_proto *d = (void *) p;
  struct device_config *cf = (void *) p->cf;
  if (nl_open(&d->req, 0) < 0 ||
      nl_open(&d->async, RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR) < 0) {
    log_msg(L_ERR "%s: cannot open netlink: %m", p->name);
    return PS_DOWN;
  }
  memset(&d->afd, 0, sizeof(d->afd));
  d->afd.read_hook = device_async;
  d->afd.data = d;
  io_fd_add(&d->afd, nl_fd(&d->async));
  device_scan(d);
  tm_init(&d->scan_timer, device_scan_timer, d);
  d->scan_timer.recurrent = cf->scan_time;
  tm_start(&d->scan_timer, cf->scan_time);
  device_running = d;
  return PS_UP;
}

static int device_shutdown(struct proto *p)
{
  struct device_proto *d = (void *) p;
  tm_stop(&d->scan_timer);
  io_fd_remove(&d->afd);
  nl_close(&d->async);
  nl_close(&d->req);
  if (device_running == d)
    device_running = NULL;
  return PS_DOWN;
}

static int device_reconfigure(struct proto *p, struct proto_config *new)
{
  struct device_proto *d = (void *) p;
  struct device_config *o = (void *) p->cf, *n = (void *) new;
  if (!iface_patts_same(&o->iface_list, &n->iface_list))
    return 0;
  if (o->scan_time != n->scan_time && p->proto_state == PS_UP) {
    d->scan_timer.recurrent = n->scan_time;
    tm_start(&d->scan_timer, n->scan_time);
  }
  return 1;
}

static struct proto *device_init(struct proto_config *pc)
{
  return proto_new(pc);
}

static void device_copy_config(struct proto_config *dest, const struct proto_config *src)
{
  struct device_config *d = (void *) dest;
  const struct device_config *s = (const void *) src;
  init_list(&d->iface_list);
  struct iface_patt_node *n;
  WALK_LIST(n, s->iface_list) {
    struct iface_patt_node *c = lp_alloc(dest->global->mem, sizeof(*c));
    *c = *n;
    add_tail(&d->iface_list, &c->n);
  }
}

struct protocol proto_device = {
  .name = "Device",
  .template = "device%d",
  .class = PROTOCOL_DEVICE,
  .channel_mask = 0,
  .proto_size = sizeof(struct device_proto),
  .config_size = sizeof(struct device_config),
  .init = device_init,
  .start = device_start,
  .shutdown = device_shutdown,
  .reconfigure = device_reconfigure,
  .copy_config = device_copy_config,
};
