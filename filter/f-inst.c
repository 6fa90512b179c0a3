/*
 * filter/f-inst.c: the instruction table and the interpreter functions.
 *
 * Each instruction is one entry of f_inst_defs[]: its BIRD name, its
 * argument count and a list of signatures. A signature names the operand
 * types it accepts, its result type, and the function that executes it,
 * so the type checker's choice of signature is also the choice of
 * specialized code (`net ~ prefix set` runs a trie lookup directly,
 * without dispatching on types at run time).
 *
 * Exec functions take their operands from the top of the value stack and
 * leave their result there. They never see an operand of a type other
 * than their signature's: f-compile.c guarantees that. The only value
 * that can differ from the static type is the void value of an unset
 * scalar attribute, and only instructions flagged FID_VOID_OK get one.
 */
#include <string.h>

#include "filter/f-inst.h"
#include "filter/tree.h"
#include "filter/trie.h"
#include "filter/aspath.h"
#include "filter/aset.h"
#include "nest/route.h"
#include "lib/flowspec.h"
#include "lib/printf.h"

#define NOP F_NOP
#define TOP (s->sp[-1])
#define ARG2 (s->sp[-2])

static inline void push(struct f_state *s, struct f_val v) { *s->sp++ = v; }
static inline struct f_val pop(struct f_state *s) { return *--s->sp; }
static inline void set_top(struct f_state *s, enum f_type t, uint i)
{ TOP.type = t; TOP.val.i = i; }

/* ---- data movement ---- */

static enum filter_return x_const(struct f_state *s, const struct f_item *it)
{ push(s, it->val); return NOP; }

static enum filter_return x_var_get(struct f_state *s, const struct f_item *it)
{ push(s, s->fp->vbase[it->arg]); return NOP; }

static enum filter_return x_var_set(struct f_state *s, const struct f_item *it)
{ s->fp->vbase[it->arg] = pop(s); return NOP; }

struct f_val f_zero_value(f_stype t);

static enum filter_return x_var_init0(struct f_state *s, const struct f_item *it)
{ s->fp->vbase[it->arg] = f_zero_value(it->type); return NOP; }

static enum filter_return x_pop(struct f_state *s, const struct f_item *it)
{ s->sp--; return NOP; }

/* ---- control flow ---- */

static enum filter_return x_jmp(struct f_state *s, const struct f_item *it)
{ f_jump(s, it->arg); return NOP; }

static enum filter_return x_condition(struct f_state *s, const struct f_item *it)
{
  if (!pop(s).val.i)
    f_jump(s, it->arg);
  return NOP;
}

/* `a && b`: a false `a` is the result; otherwise drop it and evaluate b. */
static enum filter_return x_and(struct f_state *s, const struct f_item *it)
{
  if (!TOP.val.i)
    f_jump(s, it->arg);
  else
    s->sp--;
  return NOP;
}

static enum filter_return x_or(struct f_state *s, const struct f_item *it)
{
  if (TOP.val.i)
    f_jump(s, it->arg);
  else
    s->sp--;
  return NOP;
}

/* Out of line, so that a call of a function without locals (the usual
   route-server helper) needs no saved registers. */
static __attribute__((noinline)) void call_init_locals(struct f_val *vbase, const struct f_line *l)
{
  for (uint i = l->nargs; i < l->nslots; i++)
    vbase[i] = f_zero_value(l->slot_type[i]);
}

static enum filter_return x_call(struct f_state *s, const struct f_item *it)
{
  const struct f_func *fn = it->ptr;
  const struct f_line *l = fn->code;
  if (s->fp + 1 >= s->flimit || s->sp + l->nslots + 64 >= s->vlimit)
    return f_runtime(s, "Filter stack overflow (recursion too deep) in function %s", fn->name);
  struct f_val *vbase = s->sp - l->nargs;
  if (l->nslots > l->nargs)
    call_init_locals(vbase, l);
  s->sp = vbase + l->nslots;
  s->fp->ret = s->ip;
  s->fp++;
  s->fp->line = l;
  s->fp->vbase = vbase;
  s->ip = l->items;
  return NOP;
}

/* it->arg: 1 if a value is returned. */
static enum filter_return x_return(struct f_state *s, const struct f_item *it)
{
  struct f_val r = it->arg ? TOP : (struct f_val) { .type = T_VOID };
  if (s->fp == s->fstk)
    return F_RETURN;
  s->sp = s->fp->vbase;
  s->fp--;
  s->ip = s->fp->ret;
  if (it->arg)
    push(s, r);
  return NOP;
}

static enum filter_return x_end(struct f_state *s, const struct f_item *it)
{
  if (s->fp == s->fstk)
    return F_NONL;              /* fell off the end of the root code */
  return f_runtime(s, "Function %s ended without returning a value",
                   it->ptr ? (const char *) it->ptr : "?");
}

void f_print_flush(struct f_state *s);

static enum filter_return x_accept(struct f_state *s, const struct f_item *it)
{
  if (it->arg)
  {
    struct f_val v = pop(s);
    if (!(s->flags & FF_SILENT))
    {
      val_format(&v, s->print);
      f_print_flush(s);
    }
  }
  return F_ACCEPT;
}

static enum filter_return x_reject(struct f_state *s, const struct f_item *it)
{
  if (it->arg)
  {
    struct f_val v = pop(s);
    if (!(s->flags & FF_SILENT))
    {
      val_format(&v, s->print);
      f_print_flush(s);
    }
  }
  return F_REJECT;
}

/* it->arg values, formatted one after another, as BIRD's print does. */
static enum filter_return x_print(struct f_state *s, const struct f_item *it)
{
  struct f_val *v = s->sp - it->arg;
  if (!(s->flags & FF_SILENT))
    for (uint i = 0; i < it->arg; i++)
      val_format(&v[i], s->print);
  s->sp = v;
  if (it->flags & FIF_NEWLINE)
    f_print_flush(s);
  return NOP;
}

/* The case tree's items carry jump targets; it->arg is the else target. */
static enum filter_return x_case(struct f_state *s, const struct f_item *it)
{
  struct f_val v = pop(s);
  const struct f_tree_item *t = ft_find(it->ptr, &v);
  f_jump(s, t ? (uint) (uintptr_t) t->data : it->arg);
  return NOP;
}

/* for: slot it->arg holds the list, it->arg + 1 the position. Paths are
   turned into a plain array of ASNs once, at loop entry. */
static enum filter_return x_for_init(struct f_state *s, const struct f_item *it)
{
  struct f_val v = pop(s);
  if (v.type == T_PATH)
  {
    uint n = as_path_getlen(v.val.ad) * 2 + 1;   /* sets count once per ASN */
    u32 *buf = lp_alloc(s->pool, 4 * n);
    n = as_path_get_asns(v.val.ad, buf, n);
    v.val.ad = int_set_new(s->pool, buf, n);
  }
  s->fp->vbase[it->arg] = v;
  s->fp->vbase[it->arg + 1] = (struct f_val) { .type = T_INT, .val.i = 0 };
  return NOP;
}

/* it->arg: list slot (position in the next slot); it->val.val.i: loop
   variable slot; it->type: element type; it->ptr: the loop's end target. */
static enum filter_return x_for_next(struct f_state *s, const struct f_item *it)
{
  struct f_val *l = &s->fp->vbase[it->arg];
  uint pos = l[1].val.i;
  const struct adata *ad = l->val.ad;
  uint words = ad ? ad->length / 4 : 0;
  const u32 *w = ad ? (const u32 *) ad->data : NULL;
  struct f_val *var = &s->fp->vbase[it->val.val.i];
  uint step;
  switch (it->type)
  {
  case T_INT: case T_PAIR: step = 1; break;
  case T_EC: step = 2; break;
  default: step = 3; break;
  }
  if (pos + step > words)
  {
    f_jump(s, (uint) (uintptr_t) it->ptr);
    return NOP;
  }
  var->type = it->type;
  if (step == 1)
    var->val.i = w[pos];
  else if (step == 2)
    var->val.ec = ((u64) w[pos] << 32) | w[pos + 1];
  else
    var->val.lc = (struct lcomm) { w[pos], w[pos + 1], w[pos + 2] };
  l[1].val.i = pos + step;
  return NOP;
}

static enum filter_return x_assert(struct f_state *s, const struct f_item *it)
{
  int ok = !!pop(s).val.i;
  if (s->assert_hook)
  {
    s->assert_hook(s, it, ok);
    return NOP;
  }
  if (f_assert_route_hook)
  {
    f_assert_route_hook(it, ok);
    return NOP;
  }
  if (!ok)
    return f_runtime(s, "Assertion failed");
  return NOP;
}

/* ---- arithmetic and logic ---- */

static enum filter_return x_add(struct f_state *s, const struct f_item *it)
{ s->sp--; TOP.val.i += s->sp[0].val.i; return NOP; }
static enum filter_return x_subtract(struct f_state *s, const struct f_item *it)
{ s->sp--; TOP.val.i -= s->sp[0].val.i; return NOP; }
static enum filter_return x_multiply(struct f_state *s, const struct f_item *it)
{ s->sp--; TOP.val.i *= s->sp[0].val.i; return NOP; }
static enum filter_return x_bitand(struct f_state *s, const struct f_item *it)
{ s->sp--; TOP.val.i &= s->sp[0].val.i; return NOP; }
static enum filter_return x_bitor(struct f_state *s, const struct f_item *it)
{ s->sp--; TOP.val.i |= s->sp[0].val.i; return NOP; }

static enum filter_return x_divide(struct f_state *s, const struct f_item *it)
{
  s->sp--;
  if (!s->sp[0].val.i)
    return f_runtime(s, "Division by zero");
  TOP.val.i /= s->sp[0].val.i;
  return NOP;
}

static enum filter_return x_not(struct f_state *s, const struct f_item *it)
{ TOP.val.i = !TOP.val.i; return NOP; }

static inline int is_u32_type(enum f_type t)
{
  return t == T_INT || t == T_BOOL || t == T_PAIR || t == T_QUAD || f_type_is_enum(t);
}

static int eq_vals(const struct f_val *a, const struct f_val *b)
{
  if (a->type == b->type && is_u32_type(a->type))
    return a->val.i == b->val.i;
  return val_same(a, b);
}

static enum filter_return x_eq(struct f_state *s, const struct f_item *it)
{
  s->sp--;
  set_top(s, T_BOOL, eq_vals(&TOP, s->sp));
  return NOP;
}

static enum filter_return x_neq(struct f_state *s, const struct f_item *it)
{
  s->sp--;
  set_top(s, T_BOOL, !eq_vals(&TOP, s->sp));
  return NOP;
}

static enum filter_return cmp_common(struct f_state *s, int want_le)
{
  s->sp--;
  int c;
  if (TOP.type == s->sp->type && is_u32_type(TOP.type))
    c = (TOP.val.i > s->sp->val.i) - (TOP.val.i < s->sp->val.i);
  else
    c = val_compare(&TOP, s->sp);
  if (c == F_CMP_ERROR)
    return f_runtime(s, "Can't compare values of incompatible types");
  set_top(s, T_BOOL, want_le ? c <= 0 : c < 0);
  return NOP;
}

static enum filter_return x_lt(struct f_state *s, const struct f_item *it) { return cmp_common(s, 0); }
static enum filter_return x_lte(struct f_state *s, const struct f_item *it) { return cmp_common(s, 1); }

static enum filter_return match_common(struct f_state *s, int neg)
{
  s->sp--;
  int r = val_in_range(&TOP, s->sp);
  if (r == F_CMP_ERROR)
  {
    /* Only a void operand (unset attribute) gets here: it is in nothing. */
    r = 0;
  }
  set_top(s, T_BOOL, neg ? !r : r);
  return NOP;
}

static enum filter_return x_match(struct f_state *s, const struct f_item *it) { return match_common(s, 0); }
static enum filter_return x_not_match(struct f_state *s, const struct f_item *it) { return match_common(s, 1); }

/* Specialized: net ~ prefix set (the hot case of route-server filters). */
static enum filter_return x_match_trie(struct f_state *s, const struct f_item *it)
{
  s->sp--;
  set_top(s, T_BOOL, TOP.type == T_NET && trie_match_net(s->sp->val.ti, TOP.val.net));
  return NOP;
}

static enum filter_return x_not_match_trie(struct f_state *s, const struct f_item *it)
{
  s->sp--;
  set_top(s, T_BOOL, !(TOP.type == T_NET && trie_match_net(s->sp->val.ti, TOP.val.net)));
  return NOP;
}

/* Specialized: bgp_path ~ int set (bogon ASN checks). A path is a list,
   never void, so val_in_range() would get here too. */
static enum filter_return x_match_path_set(struct f_state *s, const struct f_item *it)
{
  s->sp--;
  set_top(s, T_BOOL, TOP.type == T_PATH && as_path_match_set(TOP.val.ad, s->sp->val.t));
  return NOP;
}

static enum filter_return x_not_match_path_set(struct f_state *s, const struct f_item *it)
{
  s->sp--;
  set_top(s, T_BOOL, !(TOP.type == T_PATH && as_path_match_set(TOP.val.ad, s->sp->val.t)));
  return NOP;
}

static enum filter_return x_str_append(struct f_state *s, const struct f_item *it)
{
  s->sp--;
  size_t a = strlen(TOP.val.s), b = strlen(s->sp->val.s);
  char *r = lp_alloc(s->pool, a + b + 1);
  memcpy(r, TOP.val.s, a);
  memcpy(r + a, s->sp->val.s, b + 1);
  TOP.val.s = r;
  return NOP;
}

/* ---- attributes ---- */

static enum filter_return x_defined(struct f_state *s, const struct f_item *it)
{ set_top(s, T_BOOL, TOP.type != T_VOID); return NOP; }

static enum filter_return x_ea_get(struct f_state *s, const struct f_item *it)
{
  if (!s->rte)
    return f_runtime(s, "Can't read route attributes without a route");
  const eattr *e = f_ea_find(s, it->arg);
  if (e)
  {
    push(s, f_ea_to_val(e, it->type));
    return NOP;
  }
  switch (it->type)
  {
  case T_PATH: case T_CLIST: case T_ECLIST: case T_LCLIST:
    /* As BIRD: an unset list reads as an empty list. */
    push(s, (struct f_val) { .type = it->type });
    return NOP;
  }
  if (!(it->flags & FIF_VOID_OK))
    return f_runtime(s, "Attribute %s is not set", ((const struct ea_class *) it->ptr)->name);
  push(s, (struct f_val) { .type = T_VOID });
  return NOP;
}

static enum filter_return x_ea_set(struct f_state *s, const struct f_item *it)
{
  if (!s->rte)
    return f_runtime(s, "Can't set route attributes without a route");
  struct f_val v = pop(s);
  eattr e = { .id = it->arg, .type = it->type };
  f_val_to_ea(s->pool, &v, &e);
  f_ea_write(s, &e);
  return NOP;
}

static enum filter_return x_ea_unset(struct f_state *s, const struct f_item *it)
{
  if (!s->rte)
    return f_runtime(s, "Can't unset route attributes without a route");
  f_ea_remove(s, it->arg);
  return NOP;
}

static enum filter_return x_rta_get(struct f_state *s, const struct f_item *it)
{
  struct f_val v;
  enum filter_return r = f_rta_get(s, it->arg, &v);
  if (r != NOP)
    return r;
  push(s, v);
  return NOP;
}

static enum filter_return x_rta_set(struct f_state *s, const struct f_item *it)
{
  struct f_val v = pop(s);
  return f_rta_set(s, it->arg, &v);
}

/* ---- methods ---- */

static enum filter_return x_net_type(struct f_state *s, const struct f_item *it)
{ set_top(s, T_ENUM_NETTYPE, TOP.val.net->type); return NOP; }

static enum filter_return x_ip_is_v4(struct f_state *s, const struct f_item *it)
{ set_top(s, T_BOOL, ipa_is_ip4(TOP.val.ip)); return NOP; }

static enum filter_return x_net_is_v4(struct f_state *s, const struct f_item *it)
{ set_top(s, T_BOOL, net_type_is_ip4(TOP.val.net->type)); return NOP; }

static enum filter_return x_net_ip(struct f_state *s, const struct f_item *it)
{
  ip_addr a = net_prefix(TOP.val.net);
  TOP = f_val_ip(a);
  return NOP;
}

static enum filter_return x_net_len(struct f_state *s, const struct f_item *it)
{ set_top(s, T_INT, net_pxlen(TOP.val.net)); return NOP; }
static enum filter_return x_path_len(struct f_state *s, const struct f_item *it)
{ set_top(s, T_INT, as_path_getlen(TOP.val.ad)); return NOP; }
static enum filter_return x_clist_len(struct f_state *s, const struct f_item *it)
{ set_top(s, T_INT, int_set_get_size(TOP.val.ad)); return NOP; }
static enum filter_return x_eclist_len(struct f_state *s, const struct f_item *it)
{ set_top(s, T_INT, ec_set_get_size(TOP.val.ad)); return NOP; }
static enum filter_return x_lclist_len(struct f_state *s, const struct f_item *it)
{ set_top(s, T_INT, lc_set_get_size(TOP.val.ad)); return NOP; }
static enum filter_return x_bytes_len(struct f_state *s, const struct f_item *it)
{ set_top(s, T_INT, TOP.val.ad ? TOP.val.ad->length : 0); return NOP; }
static enum filter_return x_str_len(struct f_state *s, const struct f_item *it)
{ set_top(s, T_INT, strlen(TOP.val.s)); return NOP; }

static enum filter_return x_net_maxlen(struct f_state *s, const struct f_item *it)
{
  const net_addr *n = TOP.val.net;
  if (!net_is_roa(n))
    return f_runtime(s, "ROA expected");
  uint m = n->type == NET_ROA4 ? ((const net_addr_roa4 *) n)->max_pxlen : ((const net_addr_roa6 *) n)->max_pxlen;
  set_top(s, T_INT, m);
  return NOP;
}

static enum filter_return x_net_asn(struct f_state *s, const struct f_item *it)
{
  const net_addr *n = TOP.val.net;
  if (n->type == NET_ASPA) {
    set_top(s, T_INT, ((const net_addr_aspa *) n)->asn);
    return NOP;
  }
  if (!net_is_roa(n))
    return f_runtime(s, "ROA expected");
  uint a = n->type == NET_ROA4 ? ((const net_addr_roa4 *) n)->asn : ((const net_addr_roa6 *) n)->asn;
  set_top(s, T_INT, a);
  return NOP;
}

static enum filter_return x_net_rd(struct f_state *s, const struct f_item *it)
{
  const net_addr *n = TOP.val.net;
  if (!net_is_vpn(n))
    return f_runtime(s, "VPN address expected");
  TOP = (struct f_val) { .type = T_RD, .val.rd = net_rd(n) };
  return NOP;
}

/* .src / .dst of a SADR or flow net: the prefix as an ipv4/ipv6 net. */
static enum filter_return net_part(struct f_state *s, int dst)
{
  const net_addr *n = TOP.val.net;
  net_addr *x = lp_alloc(s->pool, sizeof(net_addr));
  if (n->type == NET_IP6_SADR) {
    const net_addr_ip6_sadr *a = (const void *) n;
    if (dst)
      net_fill_ip6(x, a->dst_prefix, a->dst_pxlen);
    else
      net_fill_ip6(x, a->src_prefix, a->src_pxlen);
  } else if (net_is_flow(n))
    flow_get_prefix(n, dst ? FLOW_TYPE_DST_PREFIX : FLOW_TYPE_SRC_PREFIX, x);
  else
    return f_runtime(s, "Flow or SADR expected");
  TOP.val.net = x;
  return NOP;
}

static enum filter_return x_net_src(struct f_state *s, const struct f_item *it)
{ return net_part(s, 0); }
static enum filter_return x_net_dst(struct f_state *s, const struct f_item *it)
{ return net_part(s, 1); }

static enum filter_return x_pair_asn(struct f_state *s, const struct f_item *it)
{ set_top(s, T_INT, TOP.val.i >> 16); return NOP; }
static enum filter_return x_pair_data(struct f_state *s, const struct f_item *it)
{ set_top(s, T_INT, TOP.val.i & 0xffff); return NOP; }
static enum filter_return x_lc_asn(struct f_state *s, const struct f_item *it)
{ u32 v = TOP.val.lc.asn; set_top(s, T_INT, v); return NOP; }
static enum filter_return x_lc_data1(struct f_state *s, const struct f_item *it)
{ u32 v = TOP.val.lc.ldp1; set_top(s, T_INT, v); return NOP; }
static enum filter_return x_lc_data2(struct f_state *s, const struct f_item *it)
{ u32 v = TOP.val.lc.ldp2; set_top(s, T_INT, v); return NOP; }

static enum filter_return x_ip_mask(struct f_state *s, const struct f_item *it)
{
  uint len = pop(s).val.i;
  ip_addr a = TOP.val.ip;
  if (ipa_is_ip4(a))
  {
    if (len > 32)
      return f_runtime(s, "Invalid IPv4 mask length %u", len);
    TOP.val.ip = ipa_from_ip4(ip4_and(ipa_to_ip4(a), ip4_mkmask(len)));
  }
  else
  {
    if (len > 128)
      return f_runtime(s, "Invalid IPv6 mask length %u", len);
    TOP.val.ip = ip6_and(a, ip6_mkmask(len));
  }
  return NOP;
}

static enum filter_return x_path_first(struct f_state *s, const struct f_item *it)
{ u32 a = 0; as_path_get_first(TOP.val.ad, &a); set_top(s, T_INT, a); return NOP; }
static enum filter_return x_path_last(struct f_state *s, const struct f_item *it)
{ u32 a = 0; as_path_get_last(TOP.val.ad, &a); set_top(s, T_INT, a); return NOP; }
static enum filter_return x_path_last_nag(struct f_state *s, const struct f_item *it)
{ set_top(s, T_INT, as_path_get_last_nonaggregated(TOP.val.ad)); return NOP; }

static enum filter_return x_clist_min(struct f_state *s, const struct f_item *it)
{ u32 v = 0; int_set_min(TOP.val.ad, &v); set_top(s, T_PAIR, v); return NOP; }
static enum filter_return x_clist_max(struct f_state *s, const struct f_item *it)
{ u32 v = 0; int_set_max(TOP.val.ad, &v); set_top(s, T_PAIR, v); return NOP; }
static enum filter_return x_eclist_min(struct f_state *s, const struct f_item *it)
{ u64 v = 0; ec_set_min(TOP.val.ad, &v); TOP = f_val_ec(v); return NOP; }
static enum filter_return x_eclist_max(struct f_state *s, const struct f_item *it)
{ u64 v = 0; ec_set_max(TOP.val.ad, &v); TOP = f_val_ec(v); return NOP; }
static enum filter_return x_lclist_min(struct f_state *s, const struct f_item *it)
{ struct lcomm v = { 0, 0, 0 }; lc_set_min(TOP.val.ad, &v); TOP = f_val_lc(v.asn, v.ldp1, v.ldp2); return NOP; }
static enum filter_return x_lclist_max(struct f_state *s, const struct f_item *it)
{ struct lcomm v = { 0, 0, 0 }; lc_set_max(TOP.val.ad, &v); TOP = f_val_lc(v.asn, v.ldp1, v.ldp2); return NOP; }

static enum filter_return x_empty(struct f_state *s, const struct f_item *it)
{ TOP.val.ad = NULL; return NOP; }

static enum filter_return x_path_prepend(struct f_state *s, const struct f_item *it)
{
  u32 asn = pop(s).val.i;
  TOP.val.ad = as_path_prepend(s->pool, TOP.val.ad, asn);
  return NOP;
}

static enum filter_return x_clist_add(struct f_state *s, const struct f_item *it)
{
  struct f_val v = pop(s);
  TOP.val.ad = v.type == T_CLIST ? int_set_union(s->pool, TOP.val.ad, v.val.ad)
                                 : int_set_add(s->pool, TOP.val.ad, v.val.i);
  return NOP;
}

static enum filter_return x_eclist_add(struct f_state *s, const struct f_item *it)
{
  struct f_val v = pop(s);
  TOP.val.ad = v.type == T_ECLIST ? ec_set_union(s->pool, TOP.val.ad, v.val.ad)
                                  : ec_set_add(s->pool, TOP.val.ad, v.val.ec);
  return NOP;
}

static enum filter_return x_lclist_add(struct f_state *s, const struct f_item *it)
{
  struct f_val v = pop(s);
  TOP.val.ad = v.type == T_LCLIST ? lc_set_union(s->pool, TOP.val.ad, v.val.ad)
                                  : lc_set_add(s->pool, TOP.val.ad, v.val.lc);
  return NOP;
}

static enum filter_return list_filter_common(struct f_state *s, int pos)
{
  struct f_val v = pop(s);
  switch (TOP.type)
  {
  case T_CLIST: TOP.val.ad = int_set_filter(s->pool, TOP.val.ad, &v, pos); break;
  case T_ECLIST: TOP.val.ad = ec_set_filter(s->pool, TOP.val.ad, &v, pos); break;
  case T_LCLIST: TOP.val.ad = lc_set_filter(s->pool, TOP.val.ad, &v, pos); break;
  default: TOP.val.ad = as_path_filter(s->pool, TOP.val.ad, &v, pos); break;
  }
  return NOP;
}

static enum filter_return x_list_del(struct f_state *s, const struct f_item *it) { return list_filter_common(s, 0); }
static enum filter_return x_list_filter(struct f_state *s, const struct f_item *it) { return list_filter_common(s, 1); }

static enum filter_return x_pair_construct(struct f_state *s, const struct f_item *it)
{
  u32 b = pop(s).val.i, a = TOP.val.i;
  if (a > 0xffff || b > 0xffff)
    return f_runtime(s, "Can't operate with value out of bounds in pair constructor");
  set_top(s, T_PAIR, (a << 16) | b);
  return NOP;
}

static enum filter_return x_lc_construct(struct f_state *s, const struct f_item *it)
{
  u32 c = pop(s).val.i, b = pop(s).val.i, a = TOP.val.i;
  TOP = f_val_lc(a, b, c);
  return NOP;
}

/* it->arg: the kind (EC_RT, EC_RO, EC_GENERIC or an explicit type). */
static enum filter_return x_ec_construct(struct f_state *s, const struct f_item *it)
{
  u32 val = pop(s).val.i;
  struct f_val key = TOP;
  uint kind = it->arg;
  u64 ec;
  if (kind == EC_GENERIC)
    ec = ec_generic(key.val.i, val);
  else if (key.type == T_IP)
  {
    if (!ipa_is_ip4(key.val.ip))
      return f_runtime(s, "Can't use an IPv6 address in an extended community");
    if (val > 0xffff)
      return f_runtime(s, "Can't operate with value out of bounds in EC constructor");
    ec = ec_ip4(kind, ipa_to_ip4(key.val.ip), val);
  }
  else if (key.type == T_QUAD)
  {
    if (val > 0xffff)
      return f_runtime(s, "Can't operate with value out of bounds in EC constructor");
    ec = ec_ip4(kind, ip4_from_u32(key.val.i), val);
  }
  else if (key.val.i <= 0xffff)
    ec = ec_as2(kind, key.val.i, val);
  else
  {
    if (val > 0xffff)
      return f_runtime(s, "Can't operate with value out of bounds in EC constructor");
    ec = ec_as4(kind, key.val.i, val);
  }
  TOP = f_val_ec(ec);
  return NOP;
}

/* it->ptr: the mask with PM_ASN_EXPR items numbered in order; it->arg
   values (ints or int sets) on the stack fill them. */
static enum filter_return x_pathmask_construct(struct f_state *s, const struct f_item *it)
{
  const struct f_path_mask *tpl = it->ptr;
  struct f_path_mask *m = lp_alloc(s->pool, sizeof(*m) + tpl->len * sizeof(m->item[0]));
  struct f_val *v = s->sp - it->arg;
  m->len = tpl->len;
  for (uint i = 0, k = 0; i < tpl->len; i++)
  {
    m->item[i] = tpl->item[i];
    if (tpl->item[i].kind != PM_ASN_EXPR)
      continue;
    if (v[k].type == T_SET)
    {
      m->item[i].kind = PM_ASN_SET;
      m->item[i].set = v[k].val.t;
    }
    else
    {
      m->item[i].kind = PM_ASN;
      m->item[i].asn = v[k].val.i;
    }
    k++;
  }
  s->sp = v;
  push(s, (struct f_val) { .type = T_PATH_MASK, .val.path_mask = m });
  return NOP;
}

static enum filter_return x_format(struct f_state *s, const struct f_item *it)
{
  TOP = (struct f_val) { .type = T_STRING, .val.s = val_format_str(s->pool, &TOP) };
  return NOP;
}

static enum filter_return roa_result(struct f_state *s, rtable *t, const net_addr *n, u32 asn)
{
  if (!t)
    return f_runtime(s, "ROA table not available");
  push(s, f_val_int(T_ENUM_ROA, f_roa_check(t, n, asn)));
  return NOP;
}

/* roa_check(table): the route's net and the last ASN of its AS path. */
static enum filter_return x_roa_check_implicit(struct f_state *s, const struct f_item *it)
{
  if (!s->rte)
    return f_runtime(s, "Can't check ROA without a route");
  const struct rtable_config *tc = it->ptr;
  const eattr *e = it->arg ? f_ea_find(s, it->arg) : NULL;
  u32 asn = 0;
  if (e)
    as_path_get_last(e->u.ptr, &asn);
  return roa_result(s, tc->table, &(*s->rte)->net->n, asn);
}

static enum filter_return x_roa_check_explicit(struct f_state *s, const struct f_item *it)
{
  const struct rtable_config *tc = it->ptr;
  u32 asn = pop(s).val.i;
  struct f_val n = pop(s);
  return roa_result(s, tc->table, n.val.net, asn);
}

static enum filter_return aspa_result(struct f_state *s, const struct f_item *it,
                                      const struct adata *path, int upstream)
{
  const struct rtable_config *tc = it->ptr;
  if (!tc->table)
    return f_runtime(s, "ASPA table not available");
  push(s, f_val_int(T_ENUM_ASPA, rt_aspa_check(tc->table, path, upstream, s->pool)));
  return NOP;
}

static enum filter_return x_aspa_check(struct f_state *s, const struct f_item *it)
{
  int up = pop(s).val.i;
  struct f_val p = pop(s);
  return aspa_result(s, it, p.val.ad, up);
}

/* aspa_check_upstream/downstream(table): the route's AS path; a route
   without one has an empty path. */
static enum filter_return aspa_implicit(struct f_state *s, const struct f_item *it, int up)
{
  if (!s->rte)
    return f_runtime(s, "Can't check ASPA without a route");
  const eattr *e = it->arg ? f_ea_find(s, it->arg) : NULL;
  static const struct adata empty = { 0 };
  return aspa_result(s, it, e ? e->u.ptr : &empty, up);
}

static enum filter_return x_aspa_check_up(struct f_state *s, const struct f_item *it)
{ return aspa_implicit(s, it, 1); }
static enum filter_return x_aspa_check_down(struct f_state *s, const struct f_item *it)
{ return aspa_implicit(s, it, 0); }

static int hexval(char c)
{
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* "01:02:ff", "0102ff" or "01 02 ff" (BIRD's bytestring text forms). */
static enum filter_return x_from_hex(struct f_state *s, const struct f_item *it)
{
  const char *p = TOP.val.s;
  size_t len = strlen(p);
  struct adata *ad = lp_alloc(s->pool, sizeof(*ad) + len / 2 + 1);
  uint n = 0;
  while (*p)
  {
    if (*p == ':' || *p == ' ' || *p == '-')
    {
      p++;
      continue;
    }
    int hi = hexval(p[0]), lo = p[1] ? hexval(p[1]) : -1;
    if (hi < 0 || lo < 0)
      return f_runtime(s, "Invalid hex string");
    ad->data[n++] = hi << 4 | lo;
    p += 2;
  }
  ad->length = n;
  TOP = f_val_adata(T_BYTESTRING, ad);
  return NOP;
}

/* ---- dump and same of immediates ---- */

struct f_same_ctx;
int f_same_func(const struct f_func *a, const struct f_func *b, struct f_same_ctx *sc);

static void d_arg(const struct f_item *it, struct strbuf *sb) { sb_printf(sb, " %u", it->arg); }
static void d_val(const struct f_item *it, struct strbuf *sb) { sb_puts(sb, " "); val_format(&it->val, sb); }
static void d_call(const struct f_item *it, struct strbuf *sb)
{ sb_printf(sb, " %s", ((const struct f_func *) it->ptr)->name); }
static void d_ea(const struct f_item *it, struct strbuf *sb)
{ sb_printf(sb, " %s", ((const struct ea_class *) it->ptr)->name); }
static void d_rta(const struct f_item *it, struct strbuf *sb) { sb_printf(sb, " %s", f_rta_defs[it->arg].name); }
static void d_table(const struct f_item *it, struct strbuf *sb)
{ sb_printf(sb, " %s", ((const struct rtable_config *) it->ptr)->name); }
static void d_case(const struct f_item *it, struct strbuf *sb)
{ sb_puts(sb, " "); ft_format(it->ptr, sb); sb_printf(sb, " else %u", it->arg); }

static int same_arg(const struct f_item *a, const struct f_item *b, struct f_same_ctx *sc)
{ return a->arg == b->arg && a->type == b->type && a->flags == b->flags; }
static int same_val(const struct f_item *a, const struct f_item *b, struct f_same_ctx *sc)
{ return val_same(&a->val, &b->val) && a->val.type == b->val.type; }
static int same_call(const struct f_item *a, const struct f_item *b, struct f_same_ctx *sc)
{ return f_same_func(a->ptr, b->ptr, sc); }
/* Attributes are compared by name and type: a reconfiguration gives a
   custom attribute the same class again, but be robust anyway. */
static int same_ea(const struct f_item *a, const struct f_item *b, struct f_same_ctx *sc)
{
  const struct ea_class *x = a->ptr, *y = b->ptr;
  return a->flags == b->flags && x->type == y->type && !strcmp(x->name, y->name);
}
static int same_table(const struct f_item *a, const struct f_item *b, struct f_same_ctx *sc)
{
  const struct rtable_config *x = a->ptr, *y = b->ptr;
  return a->arg == b->arg && !strcmp(x->name, y->name);
}
static int same_case(const struct f_item *a, const struct f_item *b, struct f_same_ctx *sc)
{ return a->arg == b->arg && ft_same(a->ptr, b->ptr); }
static int same_mask(const struct f_item *a, const struct f_item *b, struct f_same_ctx *sc)
{ return a->arg == b->arg && pm_same(a->ptr, b->ptr); }
static int same_for(const struct f_item *a, const struct f_item *b, struct f_same_ctx *sc)
{ return a->arg == b->arg && a->type == b->type && a->val.val.i == b->val.val.i && a->ptr == b->ptr; }

/* ---- the table ---- */

#define SIGS(a) .nsig = ARRAY_SIZE(a), .sig = a

static const struct f_sig s_const[] = { { { 0 }, T_ARG1, x_const } };
static const struct f_sig s_var_get[] = { { { 0 }, T_ARG1, x_var_get } };
static const struct f_sig s_var_set[] = { { { T_ANY }, T_VOID, x_var_set } };
static const struct f_sig s_var_init0[] = { { { 0 }, T_VOID, x_var_init0 } };
static const struct f_sig s_pop[] = { { { T_ANY }, T_VOID, x_pop } };
static const struct f_sig s_jmp[] = { { { 0 }, T_VOID, x_jmp } };
static const struct f_sig s_condition[] = { { { T_BOOL }, T_VOID, x_condition } };
static const struct f_sig s_and[] = { { { T_BOOL, T_BOOL }, T_BOOL, x_and } };
static const struct f_sig s_or[] = { { { T_BOOL, T_BOOL }, T_BOOL, x_or } };
static const struct f_sig s_call[] = { { { 0 }, T_ARG1, x_call } };
static const struct f_sig s_return[] = { { { 0 }, T_VOID, x_return } };
static const struct f_sig s_end[] = { { { 0 }, T_VOID, x_end } };
static const struct f_sig s_accept[] = { { { 0 }, T_VOID, x_accept } };
static const struct f_sig s_reject[] = { { { 0 }, T_VOID, x_reject } };
static const struct f_sig s_print[] = { { { 0 }, T_VOID, x_print } };
static const struct f_sig s_case_[] = { { { T_ANY }, T_VOID, x_case } };
static const struct f_sig s_for_init[] = {
  { { T_PATH }, T_VOID, x_for_init }, { { T_CLIST }, T_VOID, x_for_init },
  { { T_ECLIST }, T_VOID, x_for_init }, { { T_LCLIST }, T_VOID, x_for_init },
};
static const struct f_sig s_for_next[] = { { { 0 }, T_VOID, x_for_next } };
static const struct f_sig s_assert[] = { { { T_BOOL }, T_VOID, x_assert } };

static const struct f_sig s_add[] = { { { T_INT, T_INT }, T_INT, x_add } };
static const struct f_sig s_sub[] = { { { T_INT, T_INT }, T_INT, x_subtract } };
static const struct f_sig s_mul[] = { { { T_INT, T_INT }, T_INT, x_multiply } };
static const struct f_sig s_div[] = { { { T_INT, T_INT }, T_INT, x_divide } };
static const struct f_sig s_bitand[] = { { { T_INT, T_INT }, T_INT, x_bitand } };
static const struct f_sig s_bitor[] = { { { T_INT, T_INT }, T_INT, x_bitor } };
static const struct f_sig s_not[] = { { { T_BOOL }, T_BOOL, x_not } };

/* Equality: any two values of one type; quads and IPv4 addresses mix. */
static const struct f_sig s_eq[] = {
  { { T_QUAD, T_IP }, T_BOOL, x_eq }, { { T_IP, T_QUAD }, T_BOOL, x_eq },
  { { T_ANY, T_SAME }, T_BOOL, x_eq },
};
static const struct f_sig s_neq[] = {
  { { T_QUAD, T_IP }, T_BOOL, x_neq }, { { T_IP, T_QUAD }, T_BOOL, x_neq },
  { { T_ANY, T_SAME }, T_BOOL, x_neq },
};

/* Order: only types that have one. */
#define ORDERED(fn) \
  { { T_INT, T_SAME }, T_BOOL, fn }, { { T_BOOL, T_SAME }, T_BOOL, fn }, \
  { { T_PAIR, T_SAME }, T_BOOL, fn }, { { T_QUAD, T_IP }, T_BOOL, fn }, \
  { { T_QUAD, T_SAME }, T_BOOL, fn }, { { T_IP, T_QUAD }, T_BOOL, fn }, \
  { { T_IP, T_SAME }, T_BOOL, fn }, { { T_NET, T_SAME }, T_BOOL, fn }, \
  { { T_EC, T_SAME }, T_BOOL, fn }, { { T_LC, T_SAME }, T_BOOL, fn }, \
  { { T_RD, T_SAME }, T_BOOL, fn }, { { T_STRING, T_SAME }, T_BOOL, fn }, \
  { { T_ENUM, T_SAME }, T_BOOL, fn }
static const struct f_sig s_lt[] = { ORDERED(x_lt) };
static const struct f_sig s_lte[] = { ORDERED(x_lte) };

/* `~`: element in container, value in set, path against mask. */
#define MATCHES(fn, trie_fn, path_set_fn) \
  { { T_NET, T_PREFIX_SET }, T_BOOL, trie_fn }, \
  { { T_INT, T_PATH }, T_BOOL, fn }, { { T_PAIR, T_CLIST }, T_BOOL, fn }, \
  { { T_QUAD, T_CLIST }, T_BOOL, fn }, { { T_EC, T_ECLIST }, T_BOOL, fn }, \
  { { T_LC, T_LCLIST }, T_BOOL, fn }, { { T_IP, T_NET }, T_BOOL, fn }, \
  { { T_NET, T_NET }, T_BOOL, fn }, { { T_PATH, T_PATH_MASK }, T_BOOL, fn }, \
  { { T_STRING, T_STRING }, T_BOOL, fn }, \
  { { T_PATH, ST_SET(T_INT) }, T_BOOL, path_set_fn }, { { T_CLIST, ST_SET(T_PAIR) }, T_BOOL, fn }, \
  { { T_CLIST, ST_SET(T_QUAD) }, T_BOOL, fn }, { { T_ECLIST, ST_SET(T_EC) }, T_BOOL, fn }, \
  { { T_LCLIST, ST_SET(T_LC) }, T_BOOL, fn }, { { T_QUAD, ST_SET(T_IP) }, T_BOOL, fn }, \
  { { T_ANY, T_SETOF }, T_BOOL, fn }
static const struct f_sig s_match[] = { MATCHES(x_match, x_match_trie, x_match_path_set) };
static const struct f_sig s_not_match[] = { MATCHES(x_not_match, x_not_match_trie, x_not_match_path_set) };
static const struct f_sig s_str_append[] = { { { T_STRING, T_STRING }, T_STRING, x_str_append } };

static const struct f_sig s_defined[] = { { { T_ANY }, T_BOOL, x_defined } };
static const struct f_sig s_ea_get[] = { { { 0 }, T_ARG1, x_ea_get } };
static const struct f_sig s_ea_set[] = { { { T_ANY }, T_VOID, x_ea_set } };
static const struct f_sig s_ea_unset[] = { { { 0 }, T_VOID, x_ea_unset } };
static const struct f_sig s_rta_get[] = { { { 0 }, T_ARG1, x_rta_get } };
static const struct f_sig s_rta_set[] = { { { T_ANY }, T_VOID, x_rta_set } };

static const struct f_sig s_type[] = { { { T_NET }, T_ENUM_NETTYPE, x_net_type } };
static const struct f_sig s_is_v4[] = {
  { { T_IP }, T_BOOL, x_ip_is_v4 }, { { T_NET }, T_BOOL, x_net_is_v4 },
};
static const struct f_sig s_ip[] = { { { T_NET }, T_IP, x_net_ip } };
static const struct f_sig s_length[] = {
  { { T_NET }, T_INT, x_net_len }, { { T_PATH }, T_INT, x_path_len },
  { { T_CLIST }, T_INT, x_clist_len }, { { T_ECLIST }, T_INT, x_eclist_len },
  { { T_LCLIST }, T_INT, x_lclist_len }, { { T_BYTESTRING }, T_INT, x_bytes_len },
  { { T_STRING }, T_INT, x_str_len },
};
static const struct f_sig s_maxlen[] = { { { T_NET }, T_INT, x_net_maxlen } };
static const struct f_sig s_asn[] = {
  { { T_NET }, T_INT, x_net_asn }, { { T_PAIR }, T_INT, x_pair_asn }, { { T_LC }, T_INT, x_lc_asn },
};
static const struct f_sig s_data[] = { { { T_PAIR }, T_INT, x_pair_data } };
static const struct f_sig s_data1[] = { { { T_LC }, T_INT, x_lc_data1 } };
static const struct f_sig s_data2[] = { { { T_LC }, T_INT, x_lc_data2 } };
static const struct f_sig s_ip_mask[] = { { { T_IP, T_INT }, T_IP, x_ip_mask } };
static const struct f_sig s_path_first[] = { { { T_PATH }, T_INT, x_path_first } };
static const struct f_sig s_path_last[] = { { { T_PATH }, T_INT, x_path_last } };
static const struct f_sig s_path_last_nag[] = { { { T_PATH }, T_INT, x_path_last_nag } };
static const struct f_sig s_min[] = {
  { { T_CLIST }, T_PAIR, x_clist_min }, { { T_ECLIST }, T_EC, x_eclist_min },
  { { T_LCLIST }, T_LC, x_lclist_min },
};
static const struct f_sig s_max[] = {
  { { T_CLIST }, T_PAIR, x_clist_max }, { { T_ECLIST }, T_EC, x_eclist_max },
  { { T_LCLIST }, T_LC, x_lclist_max },
};
static const struct f_sig s_empty[] = {
  { { T_PATH }, T_ARG1, x_empty }, { { T_CLIST }, T_ARG1, x_empty },
  { { T_ECLIST }, T_ARG1, x_empty }, { { T_LCLIST }, T_ARG1, x_empty },
};
static const struct f_sig s_prepend[] = { { { T_PATH, T_INT }, T_PATH, x_path_prepend } };
static const struct f_sig s_add_list[] = {
  { { T_CLIST, T_PAIR }, T_CLIST, x_clist_add }, { { T_CLIST, T_QUAD }, T_CLIST, x_clist_add },
  { { T_CLIST, T_CLIST }, T_CLIST, x_clist_add },
  { { T_ECLIST, T_EC }, T_ECLIST, x_eclist_add }, { { T_ECLIST, T_ECLIST }, T_ECLIST, x_eclist_add },
  { { T_LCLIST, T_LC }, T_LCLIST, x_lclist_add }, { { T_LCLIST, T_LCLIST }, T_LCLIST, x_lclist_add },
};
#define LIST_FILTERS(fn) \
  { { T_CLIST, T_PAIR }, T_CLIST, fn }, { { T_CLIST, T_QUAD }, T_CLIST, fn }, \
  { { T_CLIST, T_CLIST }, T_CLIST, fn }, { { T_CLIST, ST_SET(T_PAIR) }, T_CLIST, fn }, \
  { { T_CLIST, ST_SET(T_QUAD) }, T_CLIST, fn }, \
  { { T_ECLIST, T_EC }, T_ECLIST, fn }, { { T_ECLIST, T_ECLIST }, T_ECLIST, fn }, \
  { { T_ECLIST, ST_SET(T_EC) }, T_ECLIST, fn }, \
  { { T_LCLIST, T_LC }, T_LCLIST, fn }, { { T_LCLIST, T_LCLIST }, T_LCLIST, fn }, \
  { { T_LCLIST, ST_SET(T_LC) }, T_LCLIST, fn }, \
  { { T_PATH, T_INT }, T_PATH, fn }, { { T_PATH, ST_SET(T_INT) }, T_PATH, fn }
static const struct f_sig s_del_list[] = { LIST_FILTERS(x_list_del) };
static const struct f_sig s_filter_list[] = { LIST_FILTERS(x_list_filter) };
static const struct f_sig s_pair_c[] = { { { T_INT, T_INT }, T_PAIR, x_pair_construct } };
static const struct f_sig s_lc_c[] = { { { T_INT, T_INT, T_INT }, T_LC, x_lc_construct } };
static const struct f_sig s_ec_c[] = {
  { { T_INT, T_INT }, T_EC, x_ec_construct }, { { T_QUAD, T_INT }, T_EC, x_ec_construct },
  { { T_IP, T_INT }, T_EC, x_ec_construct },
};
static const struct f_sig s_pathmask_c[] = { { { 0 }, T_PATH_MASK, x_pathmask_construct } };
static const struct f_sig s_format[] = { { { T_ANY }, T_STRING, x_format } };
static const struct f_sig s_roa_i[] = { { { 0 }, T_ENUM_ROA, x_roa_check_implicit } };
static const struct f_sig s_roa_e[] = { { { T_NET, T_INT }, T_ENUM_ROA, x_roa_check_explicit } };
static const struct f_sig s_aspa[] = { { { T_PATH, T_BOOL }, T_ENUM_ASPA, x_aspa_check } };
static const struct f_sig s_aspa_up[] = { { { 0 }, T_ENUM_ASPA, x_aspa_check_up } };
static const struct f_sig s_aspa_down[] = { { { 0 }, T_ENUM_ASPA, x_aspa_check_down } };
static const struct f_sig s_rd[] = { { { T_NET }, T_RD, x_net_rd } };
static const struct f_sig s_src[] = { { { T_NET }, T_NET, x_net_src } };
static const struct f_sig s_dst[] = { { { T_NET }, T_NET, x_net_dst } };
static const struct f_sig s_from_hex[] = { { { T_STRING }, T_BYTESTRING, x_from_hex } };

const struct f_inst_def f_inst_defs[FI__MAX] = {
  [FI_CONSTANT] = { "CONSTANT", 0, FID_PURE, SIGS(s_const), d_val, same_val },
  [FI_VAR_GET] = { "VAR_GET", 0, 0, SIGS(s_var_get), d_arg, same_arg },
  [FI_VAR_SET] = { "VAR_SET", 1, 0, SIGS(s_var_set), d_arg, same_arg },
  [FI_VAR_INIT0] = { "VAR_INIT0", 0, 0, SIGS(s_var_init0), d_arg, same_arg },
  [FI_POP] = { "POP", 1, 0, SIGS(s_pop), NULL, NULL },
  [FI_JMP] = { "JMP", 0, 0, SIGS(s_jmp), d_arg, same_arg },
  [FI_CONDITION] = { "CONDITION", 1, 0, SIGS(s_condition), d_arg, same_arg },
  [FI_AND] = { "AND", 2, FID_PURE, SIGS(s_and), d_arg, same_arg },
  [FI_OR] = { "OR", 2, FID_PURE, SIGS(s_or), d_arg, same_arg },
  [FI_CALL] = { "CALL", 0, 0, SIGS(s_call), d_call, same_call },
  [FI_RETURN] = { "RETURN", 0, 0, SIGS(s_return), d_arg, same_arg },
  [FI_END] = { "END", 0, 0, SIGS(s_end), NULL, NULL },
  [FI_ACCEPT] = { "ACCEPT", 0, 0, SIGS(s_accept), d_arg, same_arg },
  [FI_REJECT] = { "REJECT", 0, 0, SIGS(s_reject), d_arg, same_arg },
  [FI_PRINT] = { "PRINT", 0, FID_VARIADIC | FID_VOID_OK, SIGS(s_print), d_arg, same_arg },
  [FI_CASE] = { "SWITCH", 1, 0, SIGS(s_case_), d_case, same_case },
  [FI_FOR_INIT] = { "FOR_INIT", 1, 0, SIGS(s_for_init), d_arg, same_arg },
  [FI_FOR_NEXT] = { "FOR_NEXT", 0, 0, SIGS(s_for_next), d_arg, same_for },
  [FI_ASSERT] = { "ASSERT", 1, 0, SIGS(s_assert), NULL, NULL },
  [FI_ADD] = { "ADD", 2, FID_PURE, SIGS(s_add), NULL, NULL },
  [FI_SUBTRACT] = { "SUBTRACT", 2, FID_PURE, SIGS(s_sub), NULL, NULL },
  [FI_MULTIPLY] = { "MULTIPLY", 2, FID_PURE, SIGS(s_mul), NULL, NULL },
  [FI_DIVIDE] = { "DIVIDE", 2, FID_PURE, SIGS(s_div), NULL, NULL },
  [FI_BITAND] = { "BITAND", 2, FID_PURE, SIGS(s_bitand), NULL, NULL },
  [FI_BITOR] = { "BITOR", 2, FID_PURE, SIGS(s_bitor), NULL, NULL },
  [FI_NOT] = { "NOT", 1, FID_PURE, SIGS(s_not), NULL, NULL },
  [FI_EQ] = { "EQ", 2, FID_PURE | FID_VOID_OK, SIGS(s_eq), NULL, NULL },
  [FI_NEQ] = { "NEQ", 2, FID_PURE | FID_VOID_OK, SIGS(s_neq), NULL, NULL },
  [FI_LT] = { "LT", 2, FID_PURE | FID_VOID_OK, SIGS(s_lt), NULL, NULL },
  [FI_LTE] = { "LTE", 2, FID_PURE | FID_VOID_OK, SIGS(s_lte), NULL, NULL },
  [FI_MATCH] = { "MATCH", 2, FID_PURE | FID_VOID_OK, SIGS(s_match), NULL, NULL },
  [FI_NOT_MATCH] = { "NOT_MATCH", 2, FID_PURE | FID_VOID_OK, SIGS(s_not_match), NULL, NULL },
  [FI_STR_APPEND] = { "STRING_APPEND", 2, FID_PURE, SIGS(s_str_append), NULL, NULL },
  [FI_DEFINED] = { "DEFINED", 1, FID_VOID_OK, SIGS(s_defined), NULL, NULL },
  [FI_EA_GET] = { "EA_GET", 0, 0, SIGS(s_ea_get), d_ea, same_ea },
  [FI_EA_SET] = { "EA_SET", 1, 0, SIGS(s_ea_set), d_ea, same_ea },
  [FI_EA_UNSET] = { "EA_UNSET", 0, 0, SIGS(s_ea_unset), d_ea, same_ea },
  [FI_RTA_GET] = { "RTA_GET", 0, 0, SIGS(s_rta_get), d_rta, same_arg },
  [FI_RTA_SET] = { "RTA_SET", 1, 0, SIGS(s_rta_set), d_rta, same_arg },
  [FI_TYPE] = { "TYPE", 1, FID_PURE, SIGS(s_type), NULL, NULL },
  [FI_IS_V4] = { "IS_V4", 1, FID_PURE, SIGS(s_is_v4), NULL, NULL },
  [FI_IP] = { "IP", 1, FID_PURE, SIGS(s_ip), NULL, NULL },
  [FI_LENGTH] = { "LENGTH", 1, FID_PURE, SIGS(s_length), NULL, NULL },
  [FI_MAXLEN] = { "ROA_MAXLEN", 1, FID_PURE, SIGS(s_maxlen), NULL, NULL },
  [FI_ASN] = { "ASN", 1, FID_PURE, SIGS(s_asn), NULL, NULL },
  [FI_DATA] = { "DATA", 1, FID_PURE, SIGS(s_data), NULL, NULL },
  [FI_DATA1] = { "DATA1", 1, FID_PURE, SIGS(s_data1), NULL, NULL },
  [FI_DATA2] = { "DATA2", 1, FID_PURE, SIGS(s_data2), NULL, NULL },
  [FI_IP_MASK] = { "IP_MASK", 2, FID_PURE, SIGS(s_ip_mask), NULL, NULL },
  [FI_PATH_FIRST] = { "AS_PATH_FIRST", 1, FID_PURE, SIGS(s_path_first), NULL, NULL },
  [FI_PATH_LAST] = { "AS_PATH_LAST", 1, FID_PURE, SIGS(s_path_last), NULL, NULL },
  [FI_PATH_LAST_NAG] = { "AS_PATH_LAST_NAG", 1, FID_PURE, SIGS(s_path_last_nag), NULL, NULL },
  [FI_MIN] = { "MIN", 1, FID_PURE, SIGS(s_min), NULL, NULL },
  [FI_MAX] = { "MAX", 1, FID_PURE, SIGS(s_max), NULL, NULL },
  [FI_EMPTY] = { "EMPTY", 1, FID_PURE, SIGS(s_empty), NULL, NULL },
  [FI_PATH_PREPEND] = { "PATH_PREPEND", 2, FID_PURE, SIGS(s_prepend), NULL, NULL },
  [FI_CLIST_ADD] = { "CLIST_ADD", 2, FID_PURE, SIGS(s_add_list), NULL, NULL },
  [FI_CLIST_DEL] = { "CLIST_DEL", 2, FID_PURE, SIGS(s_del_list), NULL, NULL },
  [FI_CLIST_FILTER] = { "CLIST_FILTER", 2, FID_PURE, SIGS(s_filter_list), NULL, NULL },
  [FI_PAIR_CONSTRUCT] = { "PAIR_CONSTRUCT", 2, FID_PURE, SIGS(s_pair_c), NULL, NULL },
  [FI_LC_CONSTRUCT] = { "LC_CONSTRUCT", 3, FID_PURE, SIGS(s_lc_c), NULL, NULL },
  [FI_EC_CONSTRUCT] = { "EC_CONSTRUCT", 2, FID_PURE, SIGS(s_ec_c), d_arg, same_arg },
  [FI_PATHMASK_CONSTRUCT] = { "PATHMASK_CONSTRUCT", 0, FID_PURE | FID_VARIADIC, SIGS(s_pathmask_c), d_arg, same_mask },
  [FI_FORMAT] = { "FORMAT", 1, FID_PURE | FID_VOID_OK, SIGS(s_format), NULL, NULL },
  [FI_ROA_CHECK_IMPLICIT] = { "ROA_CHECK", 0, 0, SIGS(s_roa_i), d_table, same_table },
  [FI_ROA_CHECK_EXPLICIT] = { "ROA_CHECK", 2, 0, SIGS(s_roa_e), d_table, same_table },
  [FI_FROM_HEX] = { "FROM_HEX", 1, FID_PURE, SIGS(s_from_hex), NULL, NULL },
  [FI_ASPA_CHECK] = { "ASPA_CHECK", 2, 0, SIGS(s_aspa), d_table, same_table },
  [FI_ASPA_CHECK_UP] = { "ASPA_CHECK_UPSTREAM", 0, 0, SIGS(s_aspa_up), d_table, same_table },
  [FI_ASPA_CHECK_DOWN] = { "ASPA_CHECK_DOWNSTREAM", 0, 0, SIGS(s_aspa_down), d_table, same_table },
  [FI_RD] = { "RD", 1, FID_PURE, SIGS(s_rd), NULL, NULL },
  [FI_SRC] = { "SRC", 1, FID_PURE, SIGS(s_src), NULL, NULL },
  [FI_DST] = { "DST", 1, FID_PURE, SIGS(s_dst), NULL, NULL },
};
