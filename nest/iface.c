/*
 * nest/iface.c: the interface list, addresses, neighbours, and
 * `show interfaces`.
 *
 * The device protocol reports what the kernel has (if_update, ifa_update);
 * changes are passed to every running protocol's if_notify/ifa_notify hook,
 * and neighbours (gateways of static routes, say) are re-resolved.
 */
#include <string.h>

#include "nest/iface.h"
#include "nest/protocol.h"
#include "nest/cli.h"
#include "lib/printf.h"

list iface_list;
static list neigh_list;
static pool *if_pool;

void if_init(void)
{
  init_list(&iface_list);
  init_list(&neigh_list);
  if_pool = rp_new(&root_pool, "Interfaces");
}

struct iface *if_find_by_index(uint index)
{
  struct iface *i;
  WALK_LIST(i, iface_list)
    if (i->index == index)
      return i;
  return NULL;
}

struct iface *if_find_by_name(const char *name)
{
  struct iface *i;
  WALK_LIST(i, iface_list)
    if (!strcmp(i->name, name))
      return i;
  return NULL;
}

static void if_notify_all(uint flags, struct iface *i)
{
  struct proto *p;
  WALK_LIST(p, proto_list)
    if (p->if_notify && p->proto_state != PS_DOWN)
      p->if_notify(p, flags, i);
}

static void ifa_notify_all(uint flags, struct ifa *a)
{
  struct proto *p;
  WALK_LIST(p, proto_list)
    if (p->ifa_notify && p->proto_state != PS_DOWN)
      p->ifa_notify(p, flags, a);
}

/* Re-resolve every neighbour; notify owners whose answer changed. */
static void neigh_recalc_all(void)
{
  neighbor *n;
  WALK_LIST(n, neigh_list) {
    struct ifa *a = NULL;
    struct iface *i = (n->flags & NEF_ONLINK) ? n->iface : neigh_iface_for(n->addr, &a);
    if (i && !(i->flags & IF_UP))
      i = NULL;
    int scope = i ? SCOPE_UNIVERSE : -1;
    if (i == n->iface && a == n->ifa && scope == n->scope)
      continue;
    if (!(n->flags & NEF_ONLINK))
      n->iface = i;
    n->ifa = a;
    n->scope = scope;
    if (n->proto->neigh_notify && n->proto->proto_state != PS_DOWN)
      n->proto->neigh_notify(n);
  }
}

struct iface *if_update(const struct iface *new)
{
  struct iface *i = if_find_by_index(new->index);
  uint flags = 0;
  if (!i) {
    i = mb_allocz(if_pool, sizeof(*i));
    init_list(&i->addrs);
    init_list(&i->neighbors);
    i->index = new->index;
    add_tail(&iface_list, &i->n);
    flags |= IF_CHANGE_CREATE;
  }
  if ((i->flags ^ new->flags) & IF_UP)
    flags |= (new->flags & IF_UP) ? IF_CHANGE_UP : IF_CHANGE_DOWN;
  if (i->mtu != new->mtu)
    flags |= IF_CHANGE_MTU;
  if ((i->flags ^ new->flags) & IF_LINK_UP)
    flags |= IF_CHANGE_LINK;
  memcpy(i->name, new->name, sizeof(i->name));
  i->flags = new->flags;
  i->mtu = new->mtu;
  i->master_index = new->master_index;
  memcpy(i->mac, new->mac, sizeof(i->mac));
  i->seen = 1;
  if (flags) {
    if_notify_all(flags, i);
    neigh_recalc_all();
  }
  return i;
}

void if_delete(struct iface *i)
{
  struct ifa *a, *nxt;
  WALK_LIST_DELSAFE(a, nxt, i->addrs)
    ifa_delete(a);
  i->flags &= ~IF_UP;
  if_notify_all(IF_CHANGE_DOWN, i);
  rem_node(&i->n);
  neigh_recalc_all();
  /* Neighbours pinned to the interface lose it. */
  neighbor *n;
  WALK_LIST(n, neigh_list)
    if (n->iface == i)
      n->iface = NULL;
  mb_free(i);
}

void ifa_recalc_primary(struct iface *i)
{
  i->addr4 = i->addr6 = i->llv6 = NULL;
  struct ifa *a;
  WALK_LIST(a, i->addrs) {
    a->flags &= ~IA_PRIMARY;
    if (ipa_is_ip4(a->ip) && !i->addr4)
      i->addr4 = a;
    else if (!ipa_is_ip4(a->ip) && ipa_is_link_local(a->ip) && !i->llv6)
      i->llv6 = a;
    else if (!ipa_is_ip4(a->ip) && !ipa_is_link_local(a->ip) && !i->addr6)
      i->addr6 = a;
  }
  if (i->addr4) i->addr4->flags |= IA_PRIMARY;
  if (i->addr6) i->addr6->flags |= IA_PRIMARY;
  if (i->llv6) i->llv6->flags |= IA_PRIMARY;
}

static struct ifa *ifa_find(struct iface *i, const struct ifa *x)
{
  struct ifa *a;
  WALK_LIST(a, i->addrs)
    if (ipa_equal(a->ip, x->ip) && net_equal(&a->prefix, &x->prefix))
      return a;
  return NULL;
}

struct ifa *ifa_update(const struct ifa *new)
{
  struct iface *i = new->iface;
  struct ifa *a = ifa_find(i, new);
  if (a) {
    if (ipa_equal(a->brd, new->brd) && ipa_equal(a->opposite, new->opposite) &&
        a->scope == new->scope && (a->flags & ~IA_PRIMARY) == (new->flags & ~IA_PRIMARY))
      return a;
    ifa_delete(a);
  }
  a = mb_alloc(if_pool, sizeof(*a));
  *a = *new;
  add_tail(&i->addrs, &a->n);
  ifa_recalc_primary(i);
  ifa_notify_all(IF_CHANGE_UP, a);
  neigh_recalc_all();
  return a;
}

void ifa_delete(const struct ifa *x)
{
  struct ifa *a = ifa_find(x->iface, x);
  if (!a)
    return;
  rem_node(&a->n);
  ifa_recalc_primary(a->iface);
  ifa_notify_all(IF_CHANGE_DOWN, a);
  neighbor *n;
  WALK_LIST(n, neigh_list)
    if (n->ifa == a)
      n->ifa = NULL;
  mb_free(a);
  neigh_recalc_all();
}

void if_start_update(void)
{
  struct iface *i;
  WALK_LIST(i, iface_list)
    i->seen = 0;
}

void if_end_update(void)
{
  struct iface *i, *nxt;
  WALK_LIST_DELSAFE(i, nxt, iface_list)
    if (!i->seen)
      if_delete(i);
}

/* A newly started protocol learns about what exists already. */
void if_feed_proto(struct proto *p)
{
  struct iface *i;
  WALK_LIST(i, iface_list) {
    if (p->if_notify)
      p->if_notify(p, IF_CHANGE_CREATE | ((i->flags & IF_UP) ? IF_CHANGE_UP : 0), i);
    struct ifa *a;
    if (p->ifa_notify && (i->flags & IF_UP))
      WALK_LIST(a, i->addrs)
        p->ifa_notify(p, IF_CHANGE_UP, a);
  }
}

/* The interface whose connected prefix contains a. Host addresses
   (/32, /128) and the address itself do not make a neighbour. */
struct iface *neigh_iface_for(ip_addr a, struct ifa **ifa_out)
{
  struct iface *i;
  struct ifa *best = NULL;
  WALK_LIST(i, iface_list) {
    if (!(i->flags & IF_UP) || (i->flags & IF_IGNORE))
      continue;
    struct ifa *x;
    WALK_LIST(x, i->addrs) {
      if (x->flags & IA_PEER) {
        if (ipa_equal(x->opposite, a))
          best = x;
        continue;
      }
      if (ipa_equal(x->ip, a) || !ipa_in_netx(a, &x->prefix))
        continue;
      if (!best || net_pxlen(&x->prefix) > net_pxlen(&best->prefix))
        best = x;
    }
  }
  if (ifa_out)
    *ifa_out = best;
  return best ? best->iface : NULL;
}

neighbor *neigh_find(struct proto *p, ip_addr a, struct iface *ifa, uint flags)
{
  neighbor *n;
  WALK_LIST(n, neigh_list)
    if (n->proto == p && ipa_equal(n->addr, a) && (!ifa || n->iface == ifa))
      return n;
  struct ifa *addr = NULL;
  struct iface *i = ifa && (flags & NEF_ONLINK) ? ifa : neigh_iface_for(a, &addr);
  if (ifa && i != ifa && !(flags & NEF_ONLINK))
    i = NULL;
  if (!i && !(flags & NEF_STICKY))
    return NULL;
  n = mb_allocz(if_pool, sizeof(*n));
  n->addr = a;
  n->iface = i;
  n->ifa = addr;
  n->proto = p;
  n->flags = flags;
  n->scope = i ? SCOPE_UNIVERSE : -1;
  add_tail(&neigh_list, &n->n);
  return n;
}

void neigh_prune(struct proto *p)
{
  neighbor *n, *nxt;
  WALK_LIST_DELSAFE(n, nxt, neigh_list)
    if (n->proto == p) {
      rem_node(&n->n);
      mb_free(n);
    }
}

/* Interface patterns: first match decides; no match = no. */
int iface_patt_match(list *patterns, struct iface *i, struct ifa *a)
{
  struct iface_patt_node *p;
  if (EMPTY_LIST(*patterns))
    return 1;
  WALK_LIST(p, *patterns) {
    if (p->pattern && !patmatch(p->pattern, i->name))
      continue;
    if (p->has_prefix && (!a || !ipa_in_netx(a->ip, &p->prefix)))
      continue;
    return p->positive;
  }
  return 0;
}

int iface_patts_same(list *a, list *b)
{
  node *x = a->head.next, *y = b->head.next;
  for (; x != &a->head && y != &b->head; x = x->next, y = y->next) {
    struct iface_patt_node *p = (void *) x, *q = (void *) y;
    if (p->positive != q->positive || !!p->pattern != !!q->pattern ||
        (p->pattern && strcmp(p->pattern, q->pattern)) || p->has_prefix != q->has_prefix ||
        (p->has_prefix && !net_equal(&p->prefix, &q->prefix)))
      return 0;
  }
  return x == &a->head && y == &b->head;
}

/* `show interfaces` */

static void if_show_addr(struct cli *c, struct ifa *a)
{
  char opp[64] = "";
  if (a->flags & IA_PEER)
    bsnprintf(opp, sizeof(opp), ", opposite %I", a->opposite);
  const char *kind = (a->flags & IA_PRIMARY) ? "Preferred, " : "";
  cli_msg(c, -1003, "\t%I/%d (%s%sscope %s)", a->ip, net_pxlen(&a->prefix), kind, opp + (opp[0] ? 2 : 0),
          a->scope == SCOPE_HOST ? "host" : a->scope == SCOPE_LINK ? "link" :
          a->scope == SCOPE_SITE ? "site" : "univ");
}

void if_show(struct cli *c, int summary)
{
  struct iface *i;
  if (summary)
    cli_msg(c, -2005, "%-10s %-6s %-18s %s", "Interface", "State", "IPv4 address", "IPv6 address");
  WALK_LIST(i, iface_list) {
    if (summary) {
      char a4[64] = "", a6[64] = "";
      if (i->addr4)
        bsnprintf(a4, sizeof(a4), "%I/%d", i->addr4->ip, net_pxlen(&i->addr4->prefix));
      if (i->addr6)
        bsnprintf(a6, sizeof(a6), "%I/%d", i->addr6->ip, net_pxlen(&i->addr6->prefix));
      cli_msg(c, -1005, "%-10s %-6s %-18s %s", i->name, (i->flags & IF_UP) ? "up" : "down", a4, a6);
      continue;
    }
    char mb[32] = "";
    if (i->master_index) {
      struct iface *m = if_find_by_index(i->master_index);
      bsnprintf(mb, sizeof(mb), " master=%s", m ? m->name : "?");
    }
    cli_msg(c, -1001, "%s %s (index=%u%s)", i->name, (i->flags & IF_UP) ? "up" : "down", i->index, mb);
    cli_msg(c, -1004, "\t%s%s%s%s%s%s%s MTU=%u",
            (i->flags & IF_MULTIACCESS) ? "MultiAccess" : "PtP",
            (i->flags & IF_BROADCAST) ? " Broadcast" : "",
            (i->flags & IF_MULTICAST) ? " Multicast" : "",
            (i->flags & IF_ADMIN_UP) ? " AdminUp" : " AdminDown",
            (i->flags & IF_LINK_UP) ? " LinkUp" : " LinkDown",
            (i->flags & IF_LOOPBACK) ? " Loopback" : "",
            (i->flags & IF_IGNORE) ? " Ignored" : "", i->mtu);
    struct ifa *a;
    WALK_LIST(a, i->addrs)
      if_show_addr(c, a);
  }
  cli_msg(c, 0, "");
}
