/*
 * nest/rt-table.c: routing tables, route import and export.
 *
 * Import: rte_update() counts the update, keeps a pre-filter copy in the
 * channel's import table if it has one, runs the import filter, and hands
 * the result to rte_recalculate(), which replaces the route of the same
 * source, stores it (interned attributes, a slab copy) and re-selects the
 * best route of the net.
 *
 * Export: when the best route of a net changes, every channel on the table
 * gets it through preexport and its export filter. Each channel remembers
 * which routes it exported (a bitmap of route ids), so a later change can
 * tell the protocol what to withdraw.
 *
 * Everything here runs synchronously in the event loop.
 */
#include <string.h>

#include "nest/route.h"
#include "nest/protocol.h"
#include "nest/cli.h"
#include "nest/nest.h"
#include "filter/filter.h"
#include "lib/printf.h"
#include "sysdep/unix/io.h"
#include "sysdep/unix/log.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define RT_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define RT_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define RT_POISON(p, n) ((void) (p), (void) (n))
#define RT_UNPOISON(p, n) ((void) (p), (void) (n))
#endif

list routing_tables;
static pool *rt_pool;

/*
 * Spare nets and routes. A table keeps the nets and routes it frees for
 * its next ones instead of giving them back to its slabs: a slab returns
 * a page to libc as soon as it is empty, so a peer that withdraws and
 * re-announces a large table (a session flap, or perf's runs) would pay
 * for page faults and scattered fresh memory on every route. So a table's
 * memory stays at its high-water mark (live plus spare is at most the
 * most it ever held) until the table goes, with its pool. The lists live
 * in the private tail of the rtable, which only rt_setup() allocates.
 */
struct rt_spare {
  struct rt_spare *next;
};

struct rt_priv {
  rtable t;
  struct rt_spare *nets, *rtes;
  /* The index of nets (see "Nets" below) */
  u32 *ix_hash;                 /* 0: empty slot */
  net **ix_net;
  uint ix_order, ix_count;
};

static inline struct rt_priv *rt_priv(rtable *t) { return SKIP_BACK(struct rt_priv, t, t); }

static inline void *rt_spare_get(struct rt_spare **list, size_t size)
{
  struct rt_spare *s = *list;
  if (!s)
    return NULL;
  RT_UNPOISON(s, size);
  *list = s->next;
  return s;
}

static inline void rt_spare_put(struct rt_spare **list, void *obj, size_t size)
{
  struct rt_spare *s = obj;
  s->next = *list;
  *list = s;
  RT_POISON((byte *) obj + sizeof(*s), size - sizeof(*s));   /* spares are dead to ASan */
}

/* Nets */

/*
 * The index of a table's nets is open addressing with linear probing over
 * two arrays: the 32-bit hashes, 16 to a cache line, and the net pointers.
 * A lookup reads hashes until an empty slot and touches a net only when
 * its hash matches, so adding a new net (what an import mostly does) costs
 * one cache miss in the index instead of a walk over a chain of nets, each
 * a miss in a big table. It is at most 3/4 full, grows by doubling and
 * does not shrink (like the spares, a table keeps its high-water mark);
 * deletion shifts the following entries back, so there are no tombstones.
 * n->ln.hash keeps the hash of each indexed net.
 *
 * The hash need not be lib's net_hash(): nets are whole 4-byte words (8
 * bytes for IPv4), and mixing 8 bytes at a time costs a tenth of the
 * byte-wise FNV on the import path, where every update hashes its net.
 */
static inline u32 net_hash_of(const net_addr *n)
{
  const byte *p = (const byte *) n;
  uint len = n->length, i = 0;
  u64 h = 0x9e3779b97f4a7c15ULL, w;
  for (; i + 8 <= len; i += 8) {
    memcpy(&w, p + i, 8);
    h = (h ^ w) * 0xff51afd7ed558ccdULL;
    h ^= h >> 32;
  }
  if (i < len) {
    w = 0;
    memcpy(&w, p + i, len - i);
    h = (h ^ w) * 0xff51afd7ed558ccdULL;
  }
  return u64_hash(h);
}

/* net_equal() without the call and the memcmp for IPv4 nets. */
static inline int net_same_key(const net_addr *a, const net_addr *b)
{
  if (a->length != b->length)
    return 0;
  if (a->length == sizeof(net_addr_ip4)) {
    u64 x, y;
    memcpy(&x, a, 8);
    memcpy(&y, b, 8);
    return x == y;
  }
  return !memcmp(a, b, a->length);
}

#define IX_MIN_ORDER 10

static inline u32 ix_key(u32 h) { return h ? h : 1; }   /* 0 marks an empty slot */
static inline uint ix_home(struct rt_priv *p, u32 k) { return k >> (32 - p->ix_order); }

static void ix_alloc(struct rt_priv *p, uint order)
{
  p->ix_order = order;
  p->ix_hash = mb_allocz(p->t.rp, sizeof(u32) << order);
  p->ix_net = mb_alloc(p->t.rp, sizeof(net *) << order);
}

static void ix_grow(struct rt_priv *p)
{
  u32 *oh = p->ix_hash;
  net **on = p->ix_net;
  uint osize = 1u << p->ix_order;
  ix_alloc(p, p->ix_order + 1);
  uint mask = (1u << p->ix_order) - 1;
  for (uint i = 0; i < osize; i++)
    if (oh[i]) {
      uint j = ix_home(p, oh[i]);
      while (p->ix_hash[j])
        j = (j + 1) & mask;
      p->ix_hash[j] = oh[i];
      p->ix_net[j] = on[i];
    }
  mb_free(oh);
  mb_free(on);
}

/* The slot of net a (hash key k), or of the empty slot ending its run. */
static inline uint ix_slot(struct rt_priv *p, const net_addr *a, u32 k)
{
  uint mask = (1u << p->ix_order) - 1, i = ix_home(p, k);
  for (;; i = (i + 1) & mask) {
    u32 x = p->ix_hash[i];
    if (!x || (x == k && net_same_key(&p->ix_net[i]->n, a)))
      return i;
  }
}

static void ix_remove(struct rt_priv *p, net *n)
{
  uint mask = (1u << p->ix_order) - 1;
  uint i = ix_slot(p, &n->n, n->ln.hash);
  /* shift back every entry of the run that may move into the gap */
  for (uint j = i;;) {
    j = (j + 1) & mask;
    u32 x = p->ix_hash[j];
    if (!x)
      break;
    uint home = ix_home(p, x);
    if (((j - home) & mask) >= ((j - i) & mask)) {
      p->ix_hash[i] = x;
      p->ix_net[i] = p->ix_net[j];
      i = j;
    }
  }
  p->ix_hash[i] = 0;
  p->ix_count--;
}

static net *net_find_hashed(rtable *t, const net_addr *n, u32 h)
{
  struct rt_priv *p = rt_priv(t);
  uint i = ix_slot(p, n, ix_key(h));
  return p->ix_hash[i] ? p->ix_net[i] : NULL;
}

net *net_find(rtable *t, const net_addr *n)
{
  return net_find_hashed(t, n, net_hash_of(n));
}

net *net_get(rtable *t, const net_addr *n)
{
  struct rt_priv *p = rt_priv(t);
  u32 k = ix_key(net_hash_of(n));
  uint i = ix_slot(p, n, k);
  if (p->ix_hash[i])
    return p->ix_net[i];
  if (4 * (p->ix_count + 1) > 3u << p->ix_order) {
    ix_grow(p);
    i = ix_slot(p, n, k);
  }
  net *x;
  if (t->net_slab) {
    x = rt_spare_get(&p->nets, t->net_size);
    if (!x)
      x = sl_alloc(t->net_slab);
  } else
    x = mb_alloc(t->rp, offsetof(net, n) + n->length);   /* flow nets */
  memset(x, 0, offsetof(net, n));
  net_copy(&x->n, n);
  x->ln.hash = k;
  p->ix_hash[i] = k;
  p->ix_net[i] = x;
  p->ix_count++;
  add_tail(&t->nets, &x->ln.n);
  t->net_count++;
  return x;
}

void net_free_if_empty(rtable *t, net *n)
{
  if (n->routes || n->ln.busy)
    return;
  ix_remove(rt_priv(t), n);
  rem_node(&n->ln.n);
  if (t->net_slab)
    rt_spare_put(&rt_priv(t)->nets, n, t->net_size);
  else
    mb_free(n);
  t->net_count--;
}

/* Longest-prefix match: try each shorter prefix of n in turn. */
net *net_route(rtable *t, const net_addr *n)
{
  if (!net_type_is_ip(n->type))
    return net_find(t, n);
  net_addr a;
  net_copy(&a, n);
  for (int len = net_pxlen(n); len >= 0; len--) {
    a.pxlen = len;
    net_normalize(&a);
    net *x = net_find(t, &a);
    if (x && x->routes && rte_is_valid(x->routes))
      return x;
  }
  return NULL;
}

/* Iteration */

void rt_iter_init(struct rt_iter *it, rtable *t)
{
  memset(it, 0, sizeof(*it));
  it->table = t;
  it->cursor.is_cursor = 1;
  rt_lock_table(t);
}

net *rt_iter_next(struct rt_iter *it)
{
  if (it->done)
    return NULL;
  node *n;
  if (!it->started) {
    it->started = 1;
    n = it->table->nets.head.next;
  } else {
    n = it->cursor.n.next;
    rem_node(&it->cursor.n);
  }
  for (; n != &it->table->nets.head; n = n->next) {
    struct rt_lnode *ln = (struct rt_lnode *) n;
    if (ln->is_cursor)
      continue;
    insert_node(&it->cursor.n, n);
    return SKIP_BACK(net, ln, ln);
  }
  it->done = 1;
  return NULL;
}

void rt_iter_stop(struct rt_iter *it)
{
  if (it->started && !it->done)
    rem_node(&it->cursor.n);
  if (it->table) {
    rt_unlock_table(it->table);
    it->table = NULL;
  }
  it->done = 1;
}

/* Tables */

static rtable *rt_setup(pool *pp, const char *name, uint addr_type, struct rtable_config *cf)
{
  pool *p = rp_new(pp, name);
  rtable *t = &((struct rt_priv *) mb_allocz(p, sizeof(struct rt_priv)))->t;
  t->rp = p;
  t->name = name;
  t->config = cf;
  t->addr_type = addr_type;
  ix_alloc(rt_priv(t), IX_MIN_ORDER);
  init_list(&t->nets);
  init_list(&t->channels);
  init_list(&t->subscribers);
  /* A net holds only the bytes of its own kind of address; flow nets
     vary in length and come from the pool one by one. */
  if (!net_type_is_flow(addr_type)) {
    t->net_size = ALIGN_TO(offsetof(net, n) + (uint) net_addr_length[addr_type], 8u);
    t->net_slab = sl_new(p, t->net_size);
  }
  t->rte_slab = sl_new(p, sizeof(rte));
  t->next_rte_id = 1;
  return t;
}

void rt_init(void)
{
  rt_pool = rp_new(&root_pool, "Routing tables");
  rt_aspa_init();
  init_list(&routing_tables);
}

void rt_lock_table(rtable *t) { t->use_count++; }

static void rt_free_table(rtable *t)
{
  net *n;
  while ((n = (net *) (t->nets.head.next != &t->nets.head ? SKIP_BACK(net, ln.n, t->nets.head.next) : NULL))) {
    while (n->routes) {
      rte *r = n->routes;
      n->routes = r->next;
      rte_free(t, r);
    }
    net_free_if_empty(t, n);
  }
  if (t->n.next)
    rem_node(&t->n);
  xfree(t->free_ids);
  rp_free(t->rp);
}

void rt_unlock_table(rtable *t)
{
  if (--t->use_count == 0 && t->deleted)
    rt_free_table(t);
}

struct rtable_config *rt_new_table(struct config *c, struct symbol *s, uint addr_type, const void *loc)
{
  struct rtable_config *cf = lp_allocz(c->mem, sizeof(*cf));
  cf->name = s->name;
  cf->sym = s;
  cf->config = c;
  cf->addr_type = addr_type;
  add_tail(&c->tables, &cf->n);
  if (!c->def_tables[addr_type])
    c->def_tables[addr_type] = cf;
  return cf;
}

/* The default tables master4 and master6 exist in every config. */
void rt_preconfig(struct config *c)
{
  static const char *const names[] = { [NET_IP4] = "master4", [NET_IP6] = "master6" };
  for (uint t = NET_IP4; t <= NET_IP6; t++) {
    struct symbol *s = cf_find_local_symbol(c->root_scope, names[t]);
    if (!s) {
      struct cf_ctx ctx = { .conf = c, .scope = c->root_scope, .pool = c->pool, .mem = c->mem };
      s = cf_get_symbol(&ctx, names[t]);
    }
    struct rtable_config *cf = rt_new_table(c, s, t, NULL);
    s->class = SYM_TABLE;
    s->table = cf;
  }
}

/* Tables are matched by name and type; a table that is gone from the
   config lives on until its last user lets go. */
void rt_commit(struct config *new, struct config *old)
{
  rtable *t, *nxt;
  WALK_LIST_DELSAFE(t, nxt, routing_tables) {
    struct symbol *s = cf_find_local_symbol(new->root_scope, t->name);
    if (!t->deleted && s && s->class == SYM_TABLE && s->table->addr_type == t->addr_type) {
      s->table->table = t;
      t->config = s->table;
      t->name = s->table->name;
      continue;
    }
    if (!t->deleted) {
      t->deleted = old ? (struct rtable_config *) t->config : (struct rtable_config *) 1;
      rem_node(&t->n);
      t->n.next = NULL;
      if (t->use_count == 0)
        rt_free_table(t);
    }
  }
  struct rtable_config *cf;
  WALK_LIST(cf, new->tables) {
    if (cf->table)
      continue;
    t = rt_setup(rt_pool, mb_strdup(rt_pool, cf->name), cf->addr_type, cf);
    cf->table = t;
    add_tail(&routing_tables, &t->n);
  }
}

/* Routes */

int rte_is_valid(const rte *r)
{
  return r && !(r->flags & REF_FILTERED);
}

rte *rte_get_temp(rta *a, struct rte_src *src)
{
  rte *e = tmp_alloc(sizeof(rte));
  memset(e, 0, sizeof(*e));
  e->attrs = a;
  e->src = src;
  e->flags = REF_DISCARD;
  return e;
}

rte *rte_do_cow(rte *r)
{
  rte *e = tmp_alloc(sizeof(rte));
  *e = *r;
  e->next = NULL;
  e->flags |= REF_DISCARD;
  return e;
}

static u32 rt_alloc_id(rtable *t)
{
  if (t->free_ids_count)
    return t->free_ids[--t->free_ids_count];
  return t->next_rte_id++;
}

static void rt_free_id(rtable *t, u32 id)
{
  if (t->free_ids_count == t->free_ids_size) {
    t->free_ids_size = t->free_ids_size ? 2 * t->free_ids_size : 256;
    t->free_ids = xrealloc(t->free_ids, t->free_ids_size * sizeof(u32));
  }
  t->free_ids[t->free_ids_count++] = id;
}

/* A stored copy of a temporary route: interned attributes, slab memory. */
static rte *rte_store(rtable *t, rte *e, net *n)
{
  rte *r = rt_spare_get(&rt_priv(t)->rtes, sizeof(rte));
  if (!r)
    r = sl_alloc(t->rte_slab);
  *r = *e;
  r->next = NULL;
  r->net = n;
  r->flags &= ~REF_DISCARD;
  r->attrs = rta_lookup(e->attrs);
  r->id = rt_alloc_id(t);
  rt_lock_source(r->src);
  t->rt_count++;
  return r;
}

void rte_free(rtable *t, rte *r)
{
  rta_free(r->attrs);
  rt_unlock_source(r->src);
  rt_free_id(t, r->id);
  t->rt_count--;
  rt_spare_put(&rt_priv(t)->rtes, r, sizeof(rte));
}

static int rte_same(const rte *a, const rte *b)
{
  if (a->attrs != b->attrs && !(a->attrs->cached && b->attrs->cached ? 0 :
      (a->attrs->source == b->attrs->source && a->attrs->scope == b->attrs->scope &&
       a->attrs->dest == b->attrs->dest && a->attrs->igp_metric == b->attrs->igp_metric &&
       ipa_equal(a->attrs->from, b->attrs->from) && nexthop_same(&a->attrs->nh, &b->attrs->nh) &&
       ea_same(a->attrs->eattrs, b->attrs->eattrs))))
    return 0;
  if (a->pref != b->pref || (a->flags & ~REF_DISCARD) != (b->flags & ~REF_DISCARD) || a->pflags != b->pflags)
    return 0;
  struct proto *p = a->src->proto;
  return !p->rte_same || p->rte_same(a, b);
}

/* BIRD's order: preference, then the protocol's own comparison, then a
   deterministic tie-break so that every run selects the same route. */
static int rte_better(const rte *a, const rte *b)
{
  if (!rte_is_valid(b))
    return rte_is_valid(a);
  if (!rte_is_valid(a))
    return 0;
  if (a->pref != b->pref)
    return a->pref > b->pref;
  struct proto *pa = a->src->proto, *pb = b->src->proto;
  if (pa->proto != pb->proto)
    return pa->proto->class > pb->proto->class;
  if (pa->rte_better && pa->rte_better(a, b))
    return 1;
  if (pa->rte_better && pa->rte_better(b, a))
    return 0;
  return a->src->global_id < b->src->global_id;
}

/* Export bitmaps */


static void export_map_set(struct channel *c, u32 id, int on)
{
  if (id / 32 >= c->export_map_words) {
    if (!on)
      return;
    uint words = MAX(2 * c->export_map_words, id / 32 + 64);
    c->export_map = xrealloc(c->export_map, words * sizeof(u32));
    memset(c->export_map + c->export_map_words, 0, (words - c->export_map_words) * sizeof(u32));
    c->export_map_words = words;
  }
  if (on)
    c->export_map[id / 32] |= 1u << (id % 32);
  else
    c->export_map[id / 32] &= ~(1u << (id % 32));
}

/* One export of a best-route change to one channel. */
static int rte_limit_hit(struct channel *c, struct channel_limit *l, u32 count, const char *dir);

static void rt_export_one(struct channel *c, net *n, rte *new, rte *old)
{
  struct proto *p = c->proto;
  struct proto_stats *st = &c->stats;
  int old_exported = old && channel_exported(c, old);
  rte *nx = NULL;

  if (new) {
    st->exp_updates_received++;
    int v = p->preexport ? p->preexport(c, new) : 0;
    if (v < 0) {
      st->exp_updates_rejected++;
    } else if (v > 0 || c->out_filter == FILTER_ACCEPT) {
      nx = new;
    } else if (c->out_filter == FILTER_REJECT) {
      st->exp_updates_filtered++;
    } else {
      rte *tmp = new;
      if (f_run(c->out_filter, &tmp, tmp_linpool, FF_SILENT) <= F_ACCEPT)
        nx = tmp;
      else
        st->exp_updates_filtered++;
    }
  } else {
    st->exp_withdraws_received++;
  }

  /* The export limit counts routes exported; one more is refused. */
  if (nx && !old_exported && rte_limit_hit(c, &c->out_limit, st->exp_routes, "export")) {
    st->exp_updates_rejected++;
    nx = NULL;
  }
  if (!nx && !old_exported)
    return;
  if (old_exported)
    export_map_set(c, old->id, 0);
  if (nx) {
    export_map_set(c, new->id, 1);
    st->exp_updates_accepted++;
    if (!old_exported)
      st->exp_routes++;
  } else {
    st->exp_withdraws_accepted++;
    st->exp_routes--;
  }
  if (c->out_table)
    rt_table_store(c->out_table, c, &n->n, nx, nx ? nx->src : old->src);
  if (p->rt_notify)
    p->rt_notify(p, c, n, nx, old_exported ? old : NULL);
}

/* A change of the best route goes to the channels in RA_OPTIMAL mode. */
static void rt_announce(rtable *t, net *n, rte *new, rte *old)
{
  struct channel *c;
  node *tn;
  WALK_LIST(tn, t->channels) {
    c = SKIP_BACK(struct channel, table_node, tn);
    if (c->export_state == ES_DOWN || c->out_filter == FILTER_REJECT || c->ra_mode == RA_ANY)
      continue;
    rt_export_one(c, n, new, old);
  }
  rt_notify_subscribers(t, &n->n);
}

/* Channels in RA_ANY mode (the pipe's) get every change of every valid
   route of the net, best or not: new replaces old, both from one sender
   and source. */
static void rt_announce_any(rtable *t, net *n, rte *new, rte *old)
{
  if (!new && !old)
    return;
  node *tn, *nxt;
  WALK_LIST_DELSAFE(tn, nxt, t->channels) {
    struct channel *c = SKIP_BACK(struct channel, table_node, tn);
    if (c->export_state == ES_DOWN || c->out_filter == FILTER_REJECT || c->ra_mode != RA_ANY)
      continue;
    rt_export_one(c, n, new, old);
  }
}

void rt_notify_subscribers(rtable *t, const net_addr *n)
{
  struct rt_subscription *s, *nxt;
  WALK_LIST_DELSAFE(s, nxt, t->subscribers)
    s->hook(s, n);
}

static void rte_trace(struct channel *c, const char *msg, const net_addr *n)
{
  if (c->proto->debug & D_ROUTES)
    log_msg(L_TRACE "%s.%s %c %s %N", c->proto->name, c->name, '>', msg, n);
}

/* Import limit per channel: counts accepted routes. The check runs for
   every update; what happens at the limit is out of line. */
static int rte_limit_reached(struct channel *c, struct channel_limit *l, const char *dir);

static inline int rte_limit_hit(struct channel *c, struct channel_limit *l, u32 count, const char *dir)
{
  if (!l->action || count < l->limit)
    return 0;
  return rte_limit_reached(c, l, dir);
}

static int rte_limit_reached(struct channel *c, struct channel_limit *l, const char *dir)
{
  if (l->state == PLS_INITIAL) {
    log_msg(L_WARN "Protocol %s hits route %s limit (%u), action: %s", c->proto->name, dir,
            l->limit, l->action == PLA_WARN ? "warn" : l->action == PLA_BLOCK ? "block" :
            l->action == PLA_RESTART ? "restart" : "disable");
    l->state = PLS_ACTIVE;
    if (l->action == PLA_RESTART || l->action == PLA_DISABLE) {
      proto_set_message(c->proto, "Route limit exceeded");
      proto_schedule_down(c->proto, l->action == PLA_RESTART ? PDS_RESTART : PDS_DISABLE);
    }
  }
  return l->action != PLA_WARN;
}

/* filtered: an update the import filter rejected, which withdraws the
   previous route of the source but is not itself a withdraw. n: the net
   of a in c->table if the caller has it already (rte_update looked it up
   for the filter), else NULL. */
static void rte_recalculate(struct channel *c, const net_addr *a, net *n, rte *new,
                            struct rte_src *src, int filtered)
{
  rtable *t = c->table;
  struct proto_stats *st = &c->stats;
  if (!n)
    n = new ? net_get(t, a) : net_find(t, a);
  if (!n) {
    if (!filtered)
      st->imp_withdraws_ignored++;
    return;
  }
  rte **pos = &n->routes, *old = NULL;
  for (; *pos; pos = &(*pos)->next)
    if ((*pos)->sender == c && (*pos)->src == src) {
      old = *pos;
      break;
    }

  if (new && old && rte_same(new, old)) {
    st->imp_updates_ignored++;
    return;
  }
  if (!new && !old) {
    if (!filtered)
      st->imp_withdraws_ignored++;
    net_free_if_empty(t, n);
    return;
  }
  int new_ok = new && rte_is_valid(new), old_ok = old && rte_is_valid(old);
  /* The receive limit counts every route kept from the source, filtered
     or not, so only an update that adds one can hit it. */
  if (new && !old && rte_limit_hit(c, &c->rx_limit, st->imp_routes + st->filt_routes, "receive")) {
    st->imp_updates_ignored++;
    net_free_if_empty(t, n);
    return;
  }
  if (new_ok && !old_ok && rte_limit_hit(c, &c->in_limit, st->imp_routes, "import")) {
    st->imp_updates_ignored++;
    if (!old) {
      net_free_if_empty(t, n);
      return;
    }
    new = NULL;
    new_ok = 0;
  }

  if (new_ok)
    st->imp_updates_accepted++;
  else if (!new && !filtered)
    st->imp_withdraws_accepted++;
  st->imp_routes += new_ok - old_ok;
  st->filt_routes += (new && !new_ok) - (old && !old_ok);

  rte *old_best = n->routes;
  if (old)
    *pos = old->next;
  rte *stored = NULL;
  if (new) {
    stored = rte_store(t, new, n);
    stored->lastmod = current_time();
    stored->next = n->routes;
    n->routes = stored;
  }

  /* Re-select the best route: move it to the head. (The first route is
     the candidate; comparing it with itself would change nothing.) */
  rte **bp = &n->routes;
  for (rte **p = *bp ? &(*bp)->next : bp; *p; p = &(*p)->next)
    if (rte_better(*p, *bp))
      bp = p;
  if (*bp != n->routes) {
    rte *b = *bp;
    *bp = b->next;
    b->next = n->routes;
    n->routes = b;
  }
  rte *new_best = rte_is_valid(n->routes) ? n->routes : NULL;
  if (!rte_is_valid(old_best))
    old_best = NULL;
  if (new_best != old_best) {
    if (old_best)
      old_best->sender->stats.pref_routes--;
    if (new_best)
      new_best->sender->stats.pref_routes++;
  }
  t->last_change = current_time();
  /* Exports may come back to this net through pipes (a withdraw going
     round a ring): n must outlive them, its owner frees it below. */
  n->ln.busy++;
  if (new_best != old_best || (old_best == old && old))
    rt_announce(t, n, new_best, old_best);
  rt_announce_any(t, n, rte_is_valid(stored) ? stored : NULL, old_ok ? old : NULL);
  n->ln.busy--;
  if (old)
    rte_free(t, old);
  net_free_if_empty(t, n);
}

void rte_update(struct channel *c, const net_addr *n, rte *new, struct rte_src *src)
{
  struct proto_stats *st = &c->stats;
  if (c->channel_state != CS_UP && c->channel_state != CS_START)
    return;
  int filtered = 0;
  net *tn = NULL;
  if (new) {
    new->sender = c;
    new->src = src;
    /* Filters read net: it must exist before the import filter runs.
       rte_recalculate() gets it too, instead of hashing n again. */
    new->net = tn = net_get(c->table, n);
    if (!new->pref)
      new->pref = c->preference;
    st->imp_updates_received++;
    if (c->in_table)
      rt_table_store(c->in_table, c, n, new, src);
    int ok;
    if (c->in_filter == FILTER_ACCEPT)
      ok = 1;
    else if (c->in_filter == FILTER_REJECT)
      ok = 0;
    else
      ok = f_run(c->in_filter, &new, tmp_linpool, 0) <= F_ACCEPT;
    if (!ok) {
      st->imp_updates_filtered++;
      filtered = 1;
      rte_trace(c, "filtered out", n);
      if (c->in_keep_filtered) {
        new = rte_cow(new);
        new->flags |= REF_FILTERED;
      } else {
        new = NULL;
      }
    }
  } else {
    st->imp_withdraws_received++;
    if (c->in_table)
      rt_table_store(c->in_table, c, n, NULL, src);
  }
  rte_recalculate(c, n, tn, new, src, filtered);
}

/* Store or remove a route in an import/export table (no filters, no
   export: these tables are only read by `show route` and reloads). */
void rt_table_store(rtable *t, struct channel *c, const net_addr *a, rte *r, struct rte_src *src)
{
  net *n = r ? net_get(t, a) : net_find(t, a);
  if (!n)
    return;
  rte **pos = &n->routes;
  for (; *pos; pos = &(*pos)->next)
    if ((*pos)->src == src)
      break;
  rte *old = *pos;
  if (old)
    *pos = old->next;
  if (r) {
    rte *s = rte_store(t, r, n);
    s->sender = c;
    s->flags &= ~REF_FILTERED;
    s->lastmod = current_time();
    s->next = n->routes;
    n->routes = s;
  }
  if (old)
    rte_free(t, old);
  net_free_if_empty(t, n);
}

/* `reload in` with an import table: run every stored route through the
   import filter again. */
void rt_refresh_channel(struct channel *c)
{
  if (!c->in_table)
    return;
  struct rt_iter it;
  rt_iter_init(&it, c->in_table);
  net *n;
  while ((n = rt_iter_next(&it))) {
    for (rte *r = n->routes; r; r = r->next) {
      rte *e = rte_do_cow(r);
      e->pref = 0;
      rtable *keep = c->in_table;
      c->in_table = NULL;        /* already stored */
      c->stats.imp_updates_received--;   /* not a new update from the peer */
      rte_update(c, &n->n, e, r->src);
      c->in_table = keep;
    }
    tmp_flush();
  }
  rt_iter_stop(&it);
}

/* Remove every route that channel c imported. The sources are collected
   before the withdraws, since a withdraw may free the net. */
void rt_flush_channel(struct channel *c)
{
  struct rt_iter it;
  rt_iter_init(&it, c->table);
  net *n;
  while ((n = rt_iter_next(&it))) {
    net_addr_union a;
    net_copy(&a.n, &n->n);
    while ((n = net_find(c->table, &a.n))) {
      struct rte_src *srcs[16];
      uint count = 0;
      for (rte *r = n->routes; r && count < ARRAY_SIZE(srcs); r = r->next)
        if (r->sender == c)
          srcs[count++] = r->src;
      if (!count)
        break;
      for (uint i = 0; i < count; i++) {
        rte_recalculate(c, &a.n, NULL, NULL, srcs[i], 1);   /* internal, not counted */
      }
    }
  }
  rt_iter_stop(&it);
  if (c->in_table) {
    rt_lock_table(c->in_table);
    c->in_table->deleted = (struct rtable_config *) 1;
    rt_unlock_table(c->in_table);
    c->in_table = NULL;
  }
}

/* Feed every valid route of a net to an RA_ANY channel. Exporting may
   change the net under our feet (a pipe writes into another table, and a
   chain of pipes may come back here), so the routes are remembered by
   their key (sender, source) and looked up again one by one. */
static void rt_feed_net_any(struct channel *c, net *n, int refeed)
{
  uint count = 0;
  for (rte *r = n->routes; r; r = r->next)
    count++;
  struct { struct channel *sender; struct rte_src *src; } *keys = tmp_alloc(count * sizeof(*keys) + 1);
  count = 0;
  for (rte *r = n->routes; r; r = r->next)
    if (rte_is_valid(r)) {
      keys[count].sender = r->sender;
      keys[count].src = r->src;
      count++;
    }
  net_addr_union a;
  net_copy(&a.n, &n->n);
  for (uint i = 0; i < count; i++) {
    net *x = net_find(c->table, &a.n);
    rte *r = x ? x->routes : NULL;
    while (r && (r->sender != keys[i].sender || r->src != keys[i].src))
      r = r->next;
    if (r && rte_is_valid(r)) {
      x->ln.busy++;
      rt_export_one(c, x, r, refeed ? r : NULL);
      x->ln.busy--;
      net_free_if_empty(c->table, x);
    }
  }
}

/* A channel coming up gets the current best routes (RA_ANY: all routes).
   A refeed (the export filter changed) passes each route as both new and
   old, so that rt_export_one() updates what was exported and withdraws what
   the filter now rejects. */
static void rt_do_feed(struct channel *c, int refeed)
{
  c->export_state = ES_FEEDING;
  struct rt_iter it;
  rt_iter_init(&it, c->table);
  net *n;
  while ((n = rt_iter_next(&it))) {
    if (c->ra_mode == RA_ANY)
      rt_feed_net_any(c, n, refeed);
    else if (rte_is_valid(n->routes))
      rt_export_one(c, n, n->routes, refeed ? n->routes : NULL);
    tmp_flush();
  }
  rt_iter_stop(&it);
  c->export_state = ES_READY;
  if (c->proto->feed_end)
    c->proto->feed_end(c);
}

void rt_feed_channel(struct channel *c)
{
  rt_do_feed(c, 0);
}

void rt_refeed_channel(struct channel *c)
{
  rt_do_feed(c, 1);
}

/* A channel going down forgets what it exported; the protocol cleans up
   its own side (e.g. the kernel protocol removes its routes). */
void rt_unfeed_channel(struct channel *c)
{
  c->export_state = ES_DOWN;
  xfree(c->export_map);
  c->export_map = NULL;
  c->export_map_words = 0;
  c->stats.exp_routes = 0;
  if (c->out_table) {
    rt_lock_table(c->out_table);
    c->out_table->deleted = (struct rtable_config *) 1;
    rt_unlock_table(c->out_table);
    c->out_table = NULL;
  }
}

/* A private table for a channel's import or export table. */
rtable *rt_new_private(pool *p, const char *name, uint addr_type)
{
  return rt_setup(p, name, addr_type, NULL);
}
