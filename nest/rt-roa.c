/*
 * nest/rt-roa.c: ROA lookups for roa_check() (RFC 6811 origin validation).
 *
 * A ROA table is keyed by (prefix, max length, ASN), so answering "which
 * ROAs cover this route" by scanning it costs the whole table per route. The
 * index here maps each covering prefix to its ROAs, so a check is one hash
 * probe per prefix length of the route (at most 33 or 129). It is built on
 * the first check of a table and kept current through the table's change
 * notifications (struct rt_subscription), so nest's import path is not
 * touched.
 *
 * RFC 6811 section 2: a route is Valid if some covering ROA has its origin
 * AS and a max length >= the route's length, Invalid if ROAs cover it but
 * none matches, NotFound (BIRD's ROA_UNKNOWN) if none covers it.
 */
#include <string.h>

#include "nest/route.h"
#include "lib/hash.h"

struct roa_entry {
  struct hnode hn;
  net_addr px;                  /* the ROA's prefix as an ip4/ip6 net */
  u32 asn;
  u8 maxlen;
};

struct roa_index {
  struct rt_subscription sub;
  struct htable hash;           /* by px */
  slab *slab;
  rtable *table;
};

static int roa_split(const net_addr *r, net_addr *px, uint *maxlen, u32 *asn)
{
  if (r->type == NET_ROA4) {
    const net_addr_roa4 *x = (const net_addr_roa4 *) r;
    net_fill_ip4(px, x->prefix, x->pxlen);
    *maxlen = x->max_pxlen;
    *asn = x->asn;
    return 1;
  }
  if (r->type == NET_ROA6) {
    const net_addr_roa6 *x = (const net_addr_roa6 *) r;
    net_fill_ip6(px, x->prefix, x->pxlen);
    *maxlen = x->max_pxlen;
    *asn = x->asn;
    return 1;
  }
  return 0;
}

static struct roa_entry *roa_find(struct roa_index *ix, const net_addr *px, uint maxlen, u32 asn)
{
  for (struct hnode *h = ht_first(&ix->hash, net_hash(px)); h; h = ht_next_same(h)) {
    struct roa_entry *e = SKIP_BACK(struct roa_entry, hn, h);
    if (e->asn == asn && e->maxlen == maxlen && net_equal(&e->px, px))
      return e;
  }
  return NULL;
}

/* Bring the entry of ROA net r in line with the table: present iff r has a
   valid route. */
static void roa_sync(struct roa_index *ix, const net_addr *r)
{
  net_addr px;
  uint maxlen;
  u32 asn;
  if (!roa_split(r, &px, &maxlen, &asn))
    return;
  net *n = net_find(ix->table, r);
  int valid = n && rte_is_valid(n->routes);
  struct roa_entry *e = roa_find(ix, &px, maxlen, asn);
  if (valid && !e) {
    e = sl_alloc(ix->slab);
    net_copy(&e->px, &px);
    e->maxlen = maxlen;
    e->asn = asn;
    ht_insert(&ix->hash, &e->hn, net_hash(&px));
  } else if (!valid && e) {
    ht_remove(&ix->hash, &e->hn);
    sl_free(ix->slab, e);
  }
}

static void roa_changed(struct rt_subscription *s, const net_addr *n)
{
  roa_sync(s->data, n);
}

static struct roa_index *roa_index_build(rtable *t)
{
  struct roa_index *ix = mb_allocz(t->rp, sizeof(*ix));
  ix->table = t;
  ix->slab = sl_new(t->rp, sizeof(struct roa_entry));
  ht_init(&ix->hash, t->rp, 10);
  node *nd;
  WALK_LIST(nd, t->nets) {
    struct rt_lnode *ln = (struct rt_lnode *) nd;
    if (!ln->is_cursor)
      roa_sync(ix, &SKIP_BACK(net, ln, ln)->n);
  }
  ix->sub.hook = roa_changed;
  ix->sub.data = ix;
  add_tail(&t->subscribers, &ix->sub.n);
  return ix;
}

int rt_roa_check(rtable *t, const net_addr *n, u32 asn)
{
  /* Only IP nets of the table's family are checked, as in BIRD: a VPN,
     flow or SADR net is unknown. */
  if (!(t->addr_type == NET_ROA4 && n->type == NET_IP4) &&
      !(t->addr_type == NET_ROA6 && n->type == NET_IP6))
    return ROA_UNKNOWN;
  if (!t->roa_index)
    t->roa_index = roa_index_build(t);
  struct roa_index *ix = t->roa_index;
  uint len = net_pxlen(n);
  int covered = 0;
  net_addr px;
  net_copy(&px, n);
  for (int l = len; l >= 0; l--) {
    px.pxlen = l;
    net_normalize(&px);
    for (struct hnode *h = ht_first(&ix->hash, net_hash(&px)); h; h = ht_next_same(h)) {
      struct roa_entry *e = SKIP_BACK(struct roa_entry, hn, h);
      if (!net_equal(&e->px, &px))
        continue;
      covered = 1;
      if (asn && e->asn == asn && len <= e->maxlen)
        return ROA_VALID;
    }
  }
  return covered ? ROA_INVALID : ROA_UNKNOWN;
}
