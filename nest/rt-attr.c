/*
 * nest/rt-attr.c: interned route attributes, extended attributes and the
 * attribute class registry.
 *
 * rta_lookup() turns a temporary rta into a shared, reference-counted one:
 * a hash over every field finds an identical stored rta if there is one.
 * Extended attribute lists are interned the same way, so two routes with
 * the same BGP attributes point at one list. Filters work on temporary
 * copies (rta_cow) and never touch a stored rta.
 */
#include <string.h>

#include "nest/route.h"
#include "nest/iface.h"
#include "nest/cli.h"
#include "lib/printf.h"
#include "lib/buffer.h"
#include "filter/aspath.h"
#include "filter/aset.h"

static pool *rta_pool;
static slab *rta_slab;
static struct htable rta_cache;
static struct htable ea_cache;
static struct htable src_hash;
static u32 src_next_id = 1;

/* Attribute class registry: index = eattr id. Id 0 is unused. */
static struct ea_class **ea_classes;
static uint ea_classes_size;
uint ea_class_max = 1;

static const char *const rts_names[RTS_MAX] = {
  "dummy", "static", "inherit", "device", "static-device", "redirect", "RIP", "OSPF",
  "OSPF-IA", "OSPF-E1", "OSPF-E2", "BGP", "pipe", "Babel", "RPKI", "Perf",
};
static const char *const scope_names[] = { "host", "link", "site", "org", "univ", "undef" };
static const char *const dest_names[RTD_MAX] = {
  "", "unicast", "blackhole", "unreachable", "prohibited",
};

const char *rta_source_name(uint s) { return s < RTS_MAX ? rts_names[s] : "?"; }
const char *rta_scope_name(uint s) { return s < ARRAY_SIZE(scope_names) ? scope_names[s] : "?"; }
const char *rta_dest_name(uint d) { return d < RTD_MAX ? dest_names[d] : "???"; }

void rta_init(void)
{
  rta_pool = rp_new(&root_pool, "Attributes");
  rta_slab = sl_new(rta_pool, sizeof(rta));
  ht_init(&rta_cache, rta_pool, 10);
  ht_init(&ea_cache, rta_pool, 8);
  ht_init(&src_hash, rta_pool, 6);
}

/* Attribute classes */

uint ea_register(struct ea_class *cls)
{
  if (ea_class_max >= ea_classes_size) {
    ea_classes_size = ea_classes_size ? 2 * ea_classes_size : 64;
    ea_classes = xrealloc(ea_classes, ea_classes_size * sizeof(*ea_classes));
  }
  cls->id = ea_class_max++;
  ea_classes[cls->id] = cls;
  return cls->id;
}

/* Custom attributes go away with their config; ids are not reused so that
   a route carrying a stale id never shows under a new name. */
void ea_unregister(struct ea_class *cls)
{
  if (cls->id < ea_class_max && ea_classes[cls->id] == cls)
    ea_classes[cls->id] = NULL;
}

struct ea_class *ea_class_find(uint id)
{
  return id < ea_class_max ? ea_classes[id] : NULL;
}

struct ea_class *ea_class_find_by_name(const char *name)
{
  for (uint i = 1; i < ea_class_max; i++)
    if (ea_classes[i] && ea_classes[i]->name && !strcmp(ea_classes[i]->name, name))
      return ea_classes[i];
  return NULL;
}

/* Extended attribute lists */

const eattr *ea_find(const ea_list *l, uint id)
{
  if (!l)
    return NULL;
  uint lo = 0, hi = l->count;
  while (lo < hi) {
    uint mid = (lo + hi) / 2;
    if (l->attrs[mid].id == id)
      return &l->attrs[mid];
    if (l->attrs[mid].id < id)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

static ea_list *ea_alloc(linpool *lp, uint count)
{
  ea_list *n = lp_alloc(lp, sizeof(ea_list) + count * sizeof(eattr));
  n->count = count;
  n->hash = 0;
  return n;
}

ea_list *ea_set(linpool *lp, const ea_list *l, const eattr *a)
{
  uint count = l ? l->count : 0;
  ea_list *n = ea_alloc(lp, count + 1);
  uint j = 0, done = 0;
  for (uint i = 0; i < count; i++) {
    if (!done && l->attrs[i].id >= a->id) {
      n->attrs[j++] = *a;
      done = 1;
      if (l->attrs[i].id == a->id)
        continue;
    }
    n->attrs[j++] = l->attrs[i];
  }
  if (!done)
    n->attrs[j++] = *a;
  n->count = j;
  return n;
}

ea_list *ea_unset(linpool *lp, const ea_list *l, uint id)
{
  if (!ea_find(l, id))
    return (ea_list *) l;
  ea_list *n = ea_alloc(lp, l->count - 1);
  uint j = 0;
  for (uint i = 0; i < l->count; i++)
    if (l->attrs[i].id != id)
      n->attrs[j++] = l->attrs[i];
  n->count = j;
  return n;
}

static int eattr_is_ptr(const eattr *a)
{
  switch (a->type) {
  case T_INT: case T_BOOL: case T_PAIR: case T_QUAD:
    return 0;
  default:
    return !(a->type >= T_ENUM_LO && a->type <= T_ENUM_HI);
  }
}

/*
 * Hashes of the attribute caches. Every imported route hashes its rta,
 * and every route a filter changed hashes its attribute list, so these
 * take 8 bytes per multiply (fh_word) and mix fully only once at the end
 * (u64_hash), instead of a full finaliser per field and a byte-wise FNV
 * per blob. The values never leave this file.
 */
static inline u64 fh_word(u64 h, u64 w)
{
  h = (h ^ w) * 0xff51afd7ed558ccdULL;
  return h ^ (h >> 32);
}

/* The last n (1..7) bytes at p as one word, without a memcpy call: two
   overlapping loads for 4..7 bytes, three single bytes below. */
static inline u64 fh_tail(const byte *p, uint n)
{
  if (n >= 4) {
    u32 a, b;
    memcpy(&a, p, 4);
    memcpy(&b, p + n - 4, 4);
    return a | (u64) b << 32;
  }
  return p[0] | (u32) p[n / 2] << 8 | (u32) p[n - 1] << 16;
}

static u64 fh_bytes(u64 h, const byte *p, uint len)
{
  u64 w;
  uint i = 0;
  for (; i + 8 <= len; i += 8) {
    memcpy(&w, p + i, 8);
    h = fh_word(h, w);
  }
  if (i < len)
    h = fh_word(h, fh_tail(p + i, len - i));
  return fh_word(h, len);
}

/* adata_same() for attribute blobs, inline: equal lengths, then words. */
static inline int blob_same(const struct adata *x, const struct adata *y)
{
  uint lx = x ? x->length : 0, ly = y ? y->length : 0;
  if (lx != ly)
    return 0;
  if (x == y || !lx)
    return 1;
  const byte *a = x->data, *b = y->data;
  uint i = 0;
  for (; i + 8 <= lx; i += 8) {
    u64 u, v;
    memcpy(&u, a + i, 8);
    memcpy(&v, b + i, 8);
    if (u != v)
      return 0;
  }
  return i == lx || fh_tail(a + i, lx - i) == fh_tail(b + i, lx - i);
}

int ea_same(const ea_list *a, const ea_list *b)
{
  if (a == b)
    return 1;
  uint ac = a ? a->count : 0, bc = b ? b->count : 0;
  if (ac != bc)
    return 0;
  for (uint i = 0; i < ac; i++) {
    const eattr *x = &a->attrs[i], *y = &b->attrs[i];
    u32 kx, ky;                 /* id, type and flags: the first 4 bytes */
    memcpy(&kx, x, 4);
    memcpy(&ky, y, 4);
    if (kx != ky)
      return 0;
    if (eattr_is_ptr(x) ? !blob_same(x->u.ptr, y->u.ptr) : x->u.data != y->u.data)
      return 0;
  }
  return 1;
}

static u32 ea_hash(const ea_list *l)
{
  u64 h = 0x12345;
  if (!l)
    return u64_hash(h);
  for (uint i = 0; i < l->count; i++) {
    const eattr *a = &l->attrs[i];
    u64 key = a->id | (a->type << 16) | ((u32) a->flags << 24);
    if (eattr_is_ptr(a)) {
      h = fh_word(h, key);
      if (a->u.ptr)
        h = fh_bytes(h, a->u.ptr->data, a->u.ptr->length);
    } else {
      h = fh_word(h, key | (u64) a->u.data << 32);
    }
  }
  return u64_hash(h);
}

/* Interned lists: header + attrs + the adata blobs, in one block. */
struct ea_stored {
  struct hnode hn;
  u32 uc;
  ea_list l;
};

/* The list the last lookup returned. Routes in a row often carry the same
   attributes (the prefixes of one BGP UPDATE; a filter that sets the same
   attributes on every route), and comparing with it first spares hashing
   the list. ea_free() forgets it when it goes. */
static struct ea_stored *ea_last;

ea_list *ea_lookup(ea_list *l)
{
  if (!l || !l->count)
    return NULL;
  if (ea_last && ea_same(&ea_last->l, l)) {
    ea_last->uc++;
    return &ea_last->l;
  }
  u32 h = ea_hash(l);
  for (struct hnode *n = ht_first(&ea_cache, h); n; n = ht_next_same(n)) {
    struct ea_stored *s = SKIP_BACK(struct ea_stored, hn, n);
    if (ea_same(&s->l, l)) {
      s->uc++;
      ea_last = s;
      return &s->l;
    }
  }
  size_t size = sizeof(struct ea_stored) + l->count * sizeof(eattr);
  for (uint i = 0; i < l->count; i++)
    if (eattr_is_ptr(&l->attrs[i]) && l->attrs[i].u.ptr)
      size += ALIGN_TO(sizeof(struct adata) + l->attrs[i].u.ptr->length, 8);
  struct ea_stored *s = mb_alloc(rta_pool, size);
  s->uc = 1;
  s->l.count = l->count;
  s->l.hash = h;
  byte *blob = (byte *) &s->l.attrs[l->count];
  for (uint i = 0; i < l->count; i++) {
    s->l.attrs[i] = l->attrs[i];
    const struct adata *ad = l->attrs[i].u.ptr;
    if (eattr_is_ptr(&l->attrs[i]) && ad) {
      struct adata *copy = (struct adata *) blob;
      copy->length = ad->length;
      memcpy(copy->data, ad->data, ad->length);
      s->l.attrs[i].u.ptr = copy;
      blob += ALIGN_TO(sizeof(struct adata) + ad->length, 8);
    }
  }
  ht_insert(&ea_cache, &s->hn, h);
  ea_last = s;
  return &s->l;
}

static struct ea_stored *ea_stored_of(ea_list *l)
{
  return SKIP_BACK(struct ea_stored, l, l);
}

void ea_free(ea_list *l)
{
  if (!l)
    return;
  struct ea_stored *s = ea_stored_of(l);
  if (--s->uc)
    return;
  if (s == ea_last)
    ea_last = NULL;
  ht_remove(&ea_cache, &s->hn);
  mb_free(s);
}

/* Generic value formatting for `show route all`. */
void ea_format(const eattr *a, struct strbuf *sb)
{
  struct f_val v = { .type = a->type };
  if (eattr_is_ptr(a)) {
    if (a->type == T_IP) {
      const struct adata *ad = a->u.ptr;
      ip_addr ip = IPA_NONE;
      if (ad && ad->length >= sizeof(ip_addr))
        memcpy(&ip, ad->data, sizeof(ip_addr));
      v.val.ip = ip;
    } else {
      v.val.ad = a->u.ptr;
    }
  } else {
    v.val.i = a->u.data;
  }
  val_format(&v, sb);
}

/* Route sources */

struct rte_src *rt_get_source(struct proto *p, u32 id)
{
  u32 h = hash_mix(u64_hash((u64) (uintptr_t) p), id);
  for (struct hnode *n = ht_first(&src_hash, h); n; n = ht_next_same(n)) {
    struct rte_src *s = SKIP_BACK(struct rte_src, hn, n);
    if (s->proto == p && s->private_id == id)
      return s;
  }
  struct rte_src *s = mb_allocz(rta_pool, sizeof(*s));
  s->proto = p;
  s->private_id = id;
  s->global_id = src_next_id++;
  ht_insert(&src_hash, &s->hn, h);
  return s;
}

void rt_lock_source(struct rte_src *s) { s->uc++; }

void rt_unlock_source(struct rte_src *s)
{
  if (--s->uc)
    return;
  ht_remove(&src_hash, &s->hn);
  mb_free(s);
}

/* Route attribute sets */

int nexthop_same(const struct nexthop *a, const struct nexthop *b)
{
  for (; a && b; a = a->next, b = b->next)
    if (!ipa_equal(a->gw, b->gw) || a->iface != b->iface || a->weight != b->weight ||
        a->flags != b->flags)
      return 0;
  return !a && !b;
}

static inline u64 fh_ip(u64 h, ip_addr a)
{
  u64 w[2];
  memcpy(w, &a, sizeof(w));
  return fh_word(fh_word(h, w[0]), w[1]);
}

static u32 rta_hash(const rta *a)
{
  u64 h = a->source | (a->scope << 8) | (a->dest << 16) | (u64) a->igp_metric << 32;
  h = fh_ip(fh_word(0x6a09e667f3bcc909ULL, h), a->from);
  for (const struct nexthop *nh = &a->nh; nh; nh = nh->next)
    h = fh_word(fh_ip(h, nh->gw), (u64) (uintptr_t) nh->iface ^ nh->weight);
  if (a->eattrs)
    h = fh_word(h, a->eattrs->hash ? a->eattrs->hash : ea_hash(a->eattrs));
  return u64_hash(h);
}

static int rta_same(const rta *x, const rta *y)
{
  return x->source == y->source && x->scope == y->scope && x->dest == y->dest &&
    x->igp_metric == y->igp_metric && ipa_equal(x->from, y->from) &&
    nexthop_same(&x->nh, &y->nh) && x->eattrs == y->eattrs;
}

static void nexthop_copy_tail(rta *dst, const struct nexthop *src)
{
  struct nexthop **last = &dst->nh.next;
  for (const struct nexthop *nh = src->next; nh; nh = nh->next) {
    struct nexthop *c = mb_alloc(rta_pool, sizeof(*c));
    *c = *nh;
    c->next = NULL;
    *last = c;
    last = &c->next;
  }
}

/* The rta the last lookup returned, for the same reason as ea_last. */
static rta *rta_last;

rta *rta_lookup(rta *a)
{
  if (a->cached)
    return rta_clone(a);
  /* Intern the attribute list first: rta equality is then pointer equality. */
  ea_list *ea = ea_lookup(a->eattrs);
  rta key = *a;
  key.eattrs = ea;
  if (rta_last && rta_same(rta_last, &key)) {
    ea_free(ea);
    rta_last->uc++;
    return rta_last;
  }
  u32 h = rta_hash(&key);
  for (struct hnode *n = ht_first(&rta_cache, h); n; n = ht_next_same(n)) {
    rta *r = SKIP_BACK(rta, hn, n);
    if (rta_same(r, &key)) {
      ea_free(ea);
      r->uc++;
      rta_last = r;
      return r;
    }
  }
  rta *r = sl_alloc(rta_slab);
  *r = key;
  r->nh.next = NULL;
  nexthop_copy_tail(r, &a->nh);
  r->uc = 1;
  r->cached = 1;
  ht_insert(&rta_cache, &r->hn, h);
  rta_last = r;
  return r;
}

rta *rta_clone(rta *a)
{
  a->uc++;
  return a;
}

void rta_free(rta *a)
{
  if (!a || !a->cached || --a->uc)
    return;
  if (a == rta_last)
    rta_last = NULL;
  ht_remove(&rta_cache, &a->hn);
  for (struct nexthop *nh = a->nh.next, *nxt; nh; nh = nxt) {
    nxt = nh->next;
    mb_free(nh);
  }
  ea_free(a->eattrs);
  sl_free(rta_slab, a);
}

rta *rta_do_cow(rta *a, linpool *lp)
{
  rta *r = lp_alloc(lp, sizeof(rta));
  *r = *a;
  r->cached = 0;
  r->uc = 0;
  return r;
}

#define NH_MAX_SORT 64   /* more next hops than this stay as they are */

/* BIRD's order of ECMP next hops: heavier first, then by gateway, then by
   interface. Kernel dumps and `show route` then agree with BIRD's. */
static int nexthop_before(const struct nexthop *x, const struct nexthop *y)
{
  if (x->weight != y->weight)
    return x->weight > y->weight;
  int c = ipa_compare(x->gw, y->gw);
  if (c)
    return c < 0;
  return (x->iface ? x->iface->index : 0) < (y->iface ? y->iface->index : 0);
}

void nexthop_sort(struct nexthop *first)
{
  struct nexthop *v[NH_MAX_SORT];
  uint n = 0;
  for (struct nexthop *x = first; x && n < NH_MAX_SORT; x = x->next)
    v[n++] = x;
  if (n < 2)
    return;
  struct nexthop vals[NH_MAX_SORT];
  for (uint i = 0; i < n; i++)
    vals[i] = *v[i];
  for (uint i = 1; i < n; i++)
    for (uint j = i; j > 0 && nexthop_before(&vals[j], &vals[j - 1]); j--) {
      struct nexthop t = vals[j];
      vals[j] = vals[j - 1];
      vals[j - 1] = t;
    }
  /* Same nodes, values rewritten in order; the links stay as they are. */
  for (uint i = 0; i < n; i++) {
    struct nexthop *next = v[i]->next;
    *v[i] = vals[i];
    v[i]->next = next;
  }
}


/* `show route all` details: Type line and attributes. */
void rta_show(struct cli *c, rta *a)
{
  cli_msg(c, -1008, "\tType: %s %s", rta_source_name(a->source), rta_scope_name(a->scope));
  if (!a->eattrs)
    return;
  struct strbuf sb;
  sb_init(&sb);
  for (uint i = 0; i < a->eattrs->count; i++) {
    const eattr *e = &a->eattrs->attrs[i];
    struct ea_class *cls = ea_class_find(e->id);
    if (cls && cls->hidden)
      continue;
    sb_reset(&sb);
    if (cls && cls->format)
      cls->format(e, &sb);
    else
      ea_format(e, &sb);
    const char *name = cls ? (cls->legacy_name ? cls->legacy_name : cls->name) : NULL;
    if (name)
      cli_msg(c, -1012, "\t%s: %s", name, sb.data ? sb.data : "");
    else
      cli_msg(c, -1012, "\t(attribute %u): %s", e->id, sb.data ? sb.data : "");
  }
  sb_free(&sb);
}

