/*
 * filter/f-attr.c: what filters read and write on a route.
 *
 * Two kinds of attributes:
 *  - route fields (net, from, gw, proto, source, scope, dest, ifname,
 *    ifindex, preference, igp_metric, weight, onlink), table f_rta_defs;
 *  - extended attributes (eattr): protocol attributes registered by each
 *    protocol's table (proto/bgp/attrs.c) and custom `attribute` ones.
 *
 * Writes are copy-on-write: the first write makes the rte and its rta
 * private temporary copies (f_rte_cow); the first extended attribute
 * write copies the attribute list once into a buffer with spare room,
 * which later writes update in place. A filter that only reads copies
 * nothing. The result is interned by nest when the route is stored.
 *
 * Custom attributes are registered once per (name, type) for the life of
 * the daemon, so that a reconfiguration keeps their ids: routes keep
 * their values and unchanged filters compare equal.
 */
#include <string.h>

#include "filter/f-inst.h"
#include "filter/aspath.h"
#include "filter/aset.h"
#include "nest/route.h"
#include "nest/iface.h"
#include "nest/protocol.h"
#include "lib/printf.h"

const struct f_rta_def f_rta_defs[RA_MAX] = {
  [RA_NET] = { "net", T_NET, 1 },
  [RA_FROM] = { "from", T_IP, 0 },
  [RA_GW] = { "gw", T_IP, 0 },
  [RA_PROTO] = { "proto", T_STRING, 1 },
  [RA_SOURCE] = { "source", T_ENUM_RTS, 1 },
  [RA_SCOPE] = { "scope", T_ENUM_SCOPE, 0 },
  [RA_DEST] = { "dest", T_ENUM_RTD, 0 },
  [RA_IFNAME] = { "ifname", T_STRING, 0 },
  [RA_IFINDEX] = { "ifindex", T_INT, 1 },
  [RA_PREFERENCE] = { "preference", T_INT, 0 },
  [RA_IGP_METRIC] = { "igp_metric", T_INT, 0 },
  [RA_WEIGHT] = { "weight", T_INT, 0 },
  [RA_ONLINK] = { "onlink", T_BOOL, 0 },
};

/* ---- eattr <-> value ---- */

static const struct adata *blob(linpool *lp, const void *data, uint len)
{
  struct adata *a = lp_alloc(lp, sizeof(*a) + len);
  a->length = len;
  memcpy(a->data, data, len);
  return a;
}

struct f_val f_ea_to_val(const eattr *e, f_stype type)
{
  struct f_val v = { .type = ST_BASE(type) };
  const struct adata *ad = e->u.ptr;
  switch (v.type)
  {
  case T_INT: case T_BOOL: case T_PAIR: case T_QUAD:
    v.val.i = e->u.data;
    break;
  case T_IP:
    v.val.ip = IPA_NONE;
    if (ad && ad->length >= sizeof(ip_addr))
      memcpy(&v.val.ip, ad->data, sizeof(ip_addr));
    break;
  case T_EC: case T_RD:
    v.val.ec = 0;
    if (ad && ad->length >= 8)
      memcpy(&v.val.ec, ad->data, 8);
    break;
  case T_LC:
    if (ad && ad->length >= sizeof(struct lcomm))
      memcpy(&v.val.lc, ad->data, sizeof(struct lcomm));
    break;
  case T_NET:
    v.val.net = (const net_addr *) ad->data;
    break;
  case T_STRING:
    v.val.s = ad ? (const char *) ad->data : "";
    break;
  default:
    if (f_type_is_enum(v.type))
      v.val.i = e->u.data;
    else
      v.val.ad = ad;            /* paths, lists, bytestrings */
  }
  return v;
}

void f_val_to_ea(linpool *lp, const struct f_val *v, eattr *e)
{
  switch (v->type)
  {
  case T_INT: case T_BOOL: case T_PAIR: case T_QUAD:
    e->u.data = v->val.i;
    break;
  case T_IP: e->u.ptr = blob(lp, &v->val.ip, sizeof(ip_addr)); break;
  case T_EC: case T_RD: e->u.ptr = blob(lp, &v->val.ec, 8); break;
  case T_LC: e->u.ptr = blob(lp, &v->val.lc, sizeof(struct lcomm)); break;
  case T_NET: e->u.ptr = blob(lp, v->val.net, v->val.net->length); break;
  case T_STRING: e->u.ptr = blob(lp, v->val.s, strlen(v->val.s) + 1); break;
  default:
    if (f_type_is_enum(v->type))
      e->u.data = v->val.i;
    else
      e->u.ptr = v->val.ad ? v->val.ad : blob(lp, "", 0);
  }
}

/* `show route all` text of a custom attribute: its value as the filter
   language prints it, lists without their "(clist ...)" wrapper. */
void f_ea_format_custom(const eattr *a, struct strbuf *sb)
{
  struct ea_class *cls = ea_class_find(a->id);
  struct f_val v = f_ea_to_val(a, cls ? cls->type : a->type);
  switch (v.type)
  {
  case T_PATH: as_path_format(v.val.ad, sb); break;
  case T_CLIST: int_set_format(v.val.ad, sb); break;
  case T_ECLIST: ec_set_format(v.val.ad, sb); break;
  case T_LCLIST: lc_set_format(v.val.ad, sb); break;
  default: val_format(&v, sb);
  }
}

/* ---- copy-on-write ---- */

void f_rte_cow(struct f_state *s)
{
  if (s->cow)
    return;
  rte *e = rte_cow(*s->rte);
  e->attrs = rta_cow(e->attrs, s->pool);
  *s->rte = e;
  s->rta = e->attrs;
  s->cow = 1;
}

static ea_list *ea_grow(struct f_state *s, const ea_list *old, uint cap)
{
  ea_list *n = lp_alloc(s->pool, sizeof(ea_list) + cap * sizeof(eattr));
  n->count = old ? old->count : 0;
  n->hash = 0;
  if (n->count)
    memcpy(n->attrs, old->attrs, n->count * sizeof(eattr));
  s->ea_cap = cap;
  s->ea_own = 1;
  return n;
}

/* The first write of a run: private route, private list with room. Kept
   out of line so that the common write stays small. */
static __attribute__((noinline)) ea_list *ea_make_own(struct f_state *s)
{
  f_rte_cow(s);
  ea_list *l = s->rta->eattrs;
  return s->rta->eattrs = ea_grow(s, l, (l ? l->count : 0) + 8);
}

static __attribute__((noinline)) ea_list *ea_make_room(struct f_state *s, ea_list *l)
{
  return s->rta->eattrs = ea_grow(s, l, 2 * s->ea_cap);
}

void f_ea_write(struct f_state *s, const eattr *e)
{
  /* ea_own: the list is ours, and so are the route and its rta */
  ea_list *l = s->ea_own ? s->rta->eattrs : ea_make_own(s);
  uint lo = f_ea_pos(l, e->id);
  if (lo < l->count && l->attrs[lo].id == e->id)
  {
    l->attrs[lo] = *e;
    return;
  }
  if (l->count == s->ea_cap)
    l = ea_make_room(s, l);
  /* a few attributes move up: no memmove call for that */
  for (uint i = l->count; i > lo; i--)
    l->attrs[i] = l->attrs[i - 1];
  l->attrs[lo] = *e;
  l->count++;
}

void f_ea_remove(struct f_state *s, uint id)
{
  if (!ea_find(s->rta->eattrs, id))
    return;
  f_rte_cow(s);
  ea_list *l = s->rta->eattrs;
  if (!s->ea_own)
    l = s->rta->eattrs = ea_grow(s, l, l->count + 8);
  for (uint i = 0; i < l->count; i++)
    if (l->attrs[i].id == id)
    {
      memmove(&l->attrs[i], &l->attrs[i + 1], (l->count - i - 1) * sizeof(eattr));
      l->count--;
      break;
    }
  if (!l->count)
  {
    s->rta->eattrs = NULL;
    s->ea_own = 0;
  }
}

/* ---- route fields ---- */

enum filter_return f_rta_get(struct f_state *s, uint code, struct f_val *out)
{
  if (!s->rte)
    return f_runtime(s, "Can't read %s without a route", f_rta_defs[code].name);
  rte *e = *s->rte;
  rta *a = s->rta;
  switch (code)
  {
  case RA_NET:
    if (!e->net)
      return f_runtime(s, "The route has no network yet");
    *out = (struct f_val) { .type = T_NET, .val.net = &e->net->n };
    break;
  case RA_FROM: *out = f_val_ip(a->from); break;
  case RA_GW: *out = f_val_ip(a->nh.gw); break;
  case RA_PROTO:
    *out = (struct f_val) { .type = T_STRING, .val.s = e->src && e->src->proto ? e->src->proto->name : "" };
    break;
  case RA_SOURCE: *out = f_val_int(T_ENUM_RTS, a->source); break;
  case RA_SCOPE: *out = f_val_int(T_ENUM_SCOPE, a->scope); break;
  case RA_DEST: *out = f_val_int(T_ENUM_RTD, a->dest); break;
  case RA_IFNAME:
    *out = (struct f_val) { .type = T_STRING, .val.s = a->nh.iface ? a->nh.iface->name : "" };
    break;
  case RA_IFINDEX: *out = f_val_int(T_INT, a->nh.iface ? a->nh.iface->index : 0); break;
  case RA_PREFERENCE: *out = f_val_int(T_INT, e->pref); break;
  case RA_IGP_METRIC: *out = f_val_int(T_INT, a->igp_metric); break;
  case RA_WEIGHT: *out = f_val_int(T_INT, a->nh.weight + 1); break;
  case RA_ONLINK: *out = f_val_int(T_BOOL, !!(a->nh.flags & RNF_ONLINK)); break;
  default:
    return f_runtime(s, "Unknown route attribute");
  }
  return F_NOP;
}

enum filter_return f_rta_set(struct f_state *s, uint code, const struct f_val *v)
{
  if (!s->rte)
    return f_runtime(s, "Can't set %s without a route", f_rta_defs[code].name);
  f_rte_cow(s);
  rte *e = *s->rte;
  rta *a = s->rta;
  switch (code)
  {
  case RA_FROM: a->from = v->val.ip; break;
  case RA_GW:
  {
    /* As BIRD: the gateway must be a neighbour, on a connected network (a
       link-local one on the route's interface) and not our own address. */
    ip_addr gw = v->val.ip;
    struct iface *ifa = ipa_is_link_local(gw) ? a->nh.iface : neigh_iface_for(gw, NULL);
    if (!ifa)
      return f_runtime(s, "Invalid gw address");
    a->nh = (struct nexthop) { .gw = gw, .iface = ifa };
    a->dest = RTD_UNICAST;
    break;
  }
  case RA_SCOPE: a->scope = v->val.i; break;
  case RA_DEST:
    if (v->val.i != RTD_BLACKHOLE && v->val.i != RTD_UNREACHABLE && v->val.i != RTD_PROHIBIT)
      return f_runtime(s, "Destination can be changed only to blackhole, unreachable or prohibit");
    a->dest = v->val.i;
    a->nh = (struct nexthop) { .gw = IPA_NONE };
    break;
  case RA_IFNAME:
  {
    struct iface *ifa = if_find_by_name(v->val.s);
    if (!ifa)
      return f_runtime(s, "Invalid iface name %s", v->val.s);
    a->dest = RTD_UNICAST;
    a->nh = (struct nexthop) { .gw = IPA_NONE, .iface = ifa };
    break;
  }
  case RA_PREFERENCE:
    if (v->val.i > 0xffff)
      return f_runtime(s, "Preference %u out of range", v->val.i);
    e->pref = v->val.i;
    break;
  case RA_IGP_METRIC: a->igp_metric = v->val.i; break;
  case RA_WEIGHT:
    if (v->val.i < 1 || v->val.i > 256)
      return f_runtime(s, "Weight %u out of range (1-256)", v->val.i);
    a->nh.weight = v->val.i - 1;
    break;
  case RA_ONLINK:
    a->nh.flags = v->val.i ? (a->nh.flags | RNF_ONLINK) : (a->nh.flags & ~RNF_ONLINK);
    break;
  default:
    return f_runtime(s, "Route attribute %s is read-only", f_rta_defs[code].name);
  }
  return F_NOP;
}

/* ---- ROA validation (RFC 6811 2) ----
 * A ROA covers the net if its prefix contains it; the route is valid if a
 * covering ROA has the route's origin AS and a max length >= the net's
 * length, invalid if ROAs cover it but none matches, unknown otherwise.
 * AS 0 never validates (RFC 6483 4). */

/* roa_check(): nest keeps an index of each ROA table (nest/rt-roa.c). */
int f_roa_check(rtable *t, const net_addr *n, u32 asn)
{
  return rt_roa_check(t, n, asn);
}

/* ---- custom attributes ---- */

int f_attr_type_ok_for_custom(f_stype t)
{
  switch (t)
  {
  case T_INT: case T_IP: case T_QUAD: case T_PATH: case T_CLIST: case T_ECLIST: case T_LCLIST:
  case T_BOOL: case T_PAIR: case T_LC: case T_NET: case T_STRING: case T_EC:
    return 1;
  default:
    return 0;
  }
}

struct custom_attr {
  struct custom_attr *next;
  struct ea_class cls;
};
static struct custom_attr *custom_attrs;

struct ea_class *f_custom_attr(struct cf_ctx *ctx, const char *name, f_stype type)
{
  for (struct custom_attr *c = custom_attrs; c; c = c->next)
    if (c->cls.type == type && !strcmp(c->cls.name, name))
      return &c->cls;
  struct custom_attr *c = xmalloc(sizeof(*c));
  memset(c, 0, sizeof(*c));
  c->cls.name = xstrdup(name);
  c->cls.type = type;
  c->cls.proto_class = 0;       /* custom: never exported by any protocol */
  c->cls.format = f_ea_format_custom;
  ea_register(&c->cls);
  c->next = custom_attrs;
  custom_attrs = c;
  return &c->cls;
}
