/*
 * filter/f-opt.c: specialised execution of linear code.
 *
 * f_optimize() runs once over each f_line that f_linearize() produced and
 * changes only the exec pointers of its items, never their op, sig or
 * operands: dumps, filter_same() and the type checker see the code as it
 * was compiled. Two kinds of rewrite:
 *
 *  - attribute reads and writes (EA_GET, EA_SET) get a function for the
 *    class of their attribute's type (a list, a 32-bit scalar), chosen
 *    here once instead of by a switch per route;
 *
 *  - superinstructions: the first item of a known short sequence gets a
 *    function that executes the whole sequence and moves ip past it, so
 *    one dispatch does the work of several. A sequence is only fused when
 *    no jump lands inside it. The sequences are those route-server
 *    filters are made of:
 *
 *      EA_GET a; CONSTANT c; <list op>; EA_SET a    a.prepend(c), a.add(c),
 *                                                   a.delete(c), a.filter(c)
 *      (the above for prepend, k times in a row)    a.prepend(x); a.prepend(y)
 *      CONSTANT c; EA_SET a                         a = c
 *      CONSTANT c; <op>; CONDITION t                if x = c then ...
 *      CONSTANT c; <op>                             x < c, x ~ set, ...
 *      <op>; CONDITION t                            if x < y then ...
 *
 *    where <op> is a pure operator (no jumps, no side effects).
 *
 * Each fused function does exactly what the items would have done one by
 * one (it calls the list code or the operator's own exec function), and
 * reports a run-time error at the location of the item that failed.
 * Another read of the same attribute cannot happen inside a sequence, so
 * intermediate values (the paths between two prepends) are not kept.
 */
#include <string.h>

#include "filter/f-inst.h"
#include "filter/tree.h"
#include "filter/aspath.h"
#include "filter/aset.h"
#include "nest/route.h"

static inline void push(struct f_state *s, struct f_val v) { *s->sp++ = v; }
static inline struct f_val pop(struct f_state *s) { return *--s->sp; }

static int is_list_type(f_stype t)
{
  return t == T_PATH || t == T_CLIST || t == T_ECLIST || t == T_LCLIST;
}

static int is_u32_type(f_stype t)
{
  return t == T_INT || t == T_BOOL || t == T_PAIR || t == T_QUAD || f_type_is_enum(t);
}

/* What EA_SET stores for a list value: an unset (NULL) list is stored as
   an empty blob, as f_val_to_ea() does. */
static const struct adata *list_blob(struct f_state *s, const struct adata *ad)
{
  if (ad)
    return ad;
  struct adata *e = lp_alloc(s->pool, sizeof(*e));
  e->length = 0;
  return e;
}

/* ---- attribute access by type class ---- */

static enum filter_return x_ea_get_list(struct f_state *s, const struct f_item *it)
{
  if (!s->rte)
    return f_runtime(s, "Can't read route attributes without a route");
  const eattr *e = f_ea_find(s, it->arg);
  /* As BIRD: an unset list reads as an empty list. The fields are written
     in place (a list value has nothing else in its union). */
  struct f_val *v = s->sp++;
  v->type = it->type;
  v->val.ad = e ? e->u.ptr : NULL;
  return F_NOP;
}

static enum filter_return x_ea_get_u32(struct f_state *s, const struct f_item *it)
{
  if (!s->rte)
    return f_runtime(s, "Can't read route attributes without a route");
  const eattr *e = f_ea_find(s, it->arg);
  if (e)
  {
    push(s, (struct f_val) { .type = it->type, .val.i = e->u.data });
    return F_NOP;
  }
  if (!(it->flags & FIF_VOID_OK))
    return f_runtime(s, "Attribute %s is not set", ((const struct ea_class *) it->ptr)->name);
  push(s, (struct f_val) { .type = T_VOID });
  return F_NOP;
}

static enum filter_return x_ea_set_list(struct f_state *s, const struct f_item *it)
{
  if (!s->rte)
    return f_runtime(s, "Can't set route attributes without a route");
  struct f_val v = pop(s);
  eattr e = { .id = it->arg, .type = it->type, .u.ptr = list_blob(s, v.val.ad) };
  f_ea_write(s, &e);
  return F_NOP;
}

static enum filter_return x_ea_set_u32(struct f_state *s, const struct f_item *it)
{
  if (!s->rte)
    return f_runtime(s, "Can't set route attributes without a route");
  struct f_val v = pop(s);
  eattr e = { .id = it->arg, .type = it->type };
  e.u.data = v.val.i;
  f_ea_write(s, &e);
  return F_NOP;
}

/* ---- superinstructions ---- */

/*
 * EA_GET a; CONSTANT c; OP; EA_SET a, for a list attribute a. The read
 * finds the attribute's slot, the write reuses it when the list is the
 * run's own copy. The common operations call the list code directly with
 * the constant (what their exec functions in f-inst.c do with it);
 * x_sx_ea_update runs any other through its exec function.
 */
static inline const struct adata *upd_read(struct f_state *s, const struct f_item *it, eattr **slot)
{
  ea_list *l = s->rta->eattrs;
  uint pos = l ? f_ea_pos(l, it->arg) : 0;
  eattr *e = l && pos < l->count && l->attrs[pos].id == it->arg ? &l->attrs[pos] : NULL;
  *slot = e;
  return e ? e->u.ptr : NULL;
}

static inline enum filter_return upd_write_skip(struct f_state *s, const struct f_item *it, eattr *slot,
                                                const struct adata *ad, uint skip)
{
  eattr ne = { .id = it[3].arg, .type = it[3].type, .u.ptr = list_blob(s, ad) };
  if (slot && s->ea_own)
    *slot = ne;                 /* our own list: replace in place */
  else
    f_ea_write(s, &ne);
  s->ip += skip;
  return F_NOP;
}

static inline enum filter_return upd_write(struct f_state *s, const struct f_item *it, eattr *slot,
                                           const struct adata *ad)
{
  return upd_write_skip(s, it, slot, ad, 3);
}

#define UPD_ROUTE_CHECK \
  if (!s->rte) \
    return f_runtime(s, "Can't read route attributes without a route")

static enum filter_return x_sx_ea_update(struct f_state *s, const struct f_item *it)
{
  UPD_ROUTE_CHECK;
  eattr *slot;
  push(s, (struct f_val) { .type = it->type, .val.ad = upd_read(s, it, &slot) });
  push(s, it[1].val);
  enum filter_return r = it[2].exec(s, &it[2]);
  if (r != F_NOP)
  {
    s->err_at = &it[2];
    return r;
  }
  return upd_write(s, it, slot, pop(s).val.ad);
}

/* a.prepend(asn) */
static enum filter_return x_sx_path_prepend(struct f_state *s, const struct f_item *it)
{
  UPD_ROUTE_CHECK;
  eattr *slot;
  const struct adata *ad = upd_read(s, it, &slot);
  return upd_write(s, it, slot, as_path_prepend(s->pool, ad, it[1].val.val.i));
}

/*
 * a.prepend(x); a.prepend(y); ... (AS path prepending, as synthetic or
 * traffic-engineering policies do it): the leader runs the whole run of
 * prepend groups, which as_path_prepend_n() builds in one allocation; the
 * intermediate paths were never visible to anything. The leaders of the
 * following groups are marked with x_sx_path_prepend_cont, which alone
 * would do one prepend, as a group does.
 */
#define F_PREPEND_RUN 16

static enum filter_return x_sx_path_prepend_cont(struct f_state *s, const struct f_item *it)
{
  return x_sx_path_prepend(s, it);
}

static enum filter_return x_sx_path_prepend_n(struct f_state *s, const struct f_item *it)
{
  UPD_ROUTE_CHECK;
  u32 asn[F_PREPEND_RUN];
  uint n = 0;
  do
    asn[n] = it[4 * n + 1].val.val.i;
  while (++n < F_PREPEND_RUN && it[4 * n].exec == x_sx_path_prepend_cont);
  eattr *slot;
  const struct adata *ad = upd_read(s, it, &slot);
  return upd_write_skip(s, it, slot, as_path_prepend_n(s->pool, ad, asn, n), 4 * n - 1);
}

/* a.add(pair or quad) */
static enum filter_return x_sx_clist_add(struct f_state *s, const struct f_item *it)
{
  UPD_ROUTE_CHECK;
  eattr *slot;
  const struct adata *ad = upd_read(s, it, &slot);
  return upd_write(s, it, slot, int_set_add(s->pool, ad, it[1].val.val.i));
}

/* a.add(ec) */
static enum filter_return x_sx_eclist_add(struct f_state *s, const struct f_item *it)
{
  UPD_ROUTE_CHECK;
  eattr *slot;
  const struct adata *ad = upd_read(s, it, &slot);
  return upd_write(s, it, slot, ec_set_add(s->pool, ad, it[1].val.val.ec));
}

/* a.add(lc) */
static enum filter_return x_sx_lclist_add(struct f_state *s, const struct f_item *it)
{
  UPD_ROUTE_CHECK;
  eattr *slot;
  const struct adata *ad = upd_read(s, it, &slot);
  return upd_write(s, it, slot, lc_set_add(s->pool, ad, it[1].val.val.lc));
}

/* a.delete(x), a.filter(x): x an element, a list or a set */
static enum filter_return x_sx_list_filter(struct f_state *s, const struct f_item *it)
{
  UPD_ROUTE_CHECK;
  eattr *slot;
  const struct adata *ad = upd_read(s, it, &slot);
  int pos = it[2].op == FI_CLIST_FILTER;
  const struct f_val *what = &it[1].val;
  switch (it->type)
  {
  case T_CLIST: ad = int_set_filter(s->pool, ad, what, pos); break;
  case T_ECLIST: ad = ec_set_filter(s->pool, ad, what, pos); break;
  case T_LCLIST: ad = lc_set_filter(s->pool, ad, what, pos); break;
  default: ad = as_path_filter(s->pool, ad, what, pos); break;
  }
  return upd_write(s, it, slot, ad);
}

/* The fused function for a list update with constant c. */
static f_exec_fn update_fn(const struct f_item *it)
{
  enum f_type c = it[1].val.type;
  switch (it[2].op)
  {
  case FI_PATH_PREPEND:
    return c == T_INT ? x_sx_path_prepend : x_sx_ea_update;
  case FI_CLIST_ADD:
    if (it->type == T_CLIST && (c == T_PAIR || c == T_QUAD))
      return x_sx_clist_add;
    if (it->type == T_ECLIST && c == T_EC)
      return x_sx_eclist_add;
    if (it->type == T_LCLIST && c == T_LC)
      return x_sx_lclist_add;
    return x_sx_ea_update;
  case FI_CLIST_DEL:
  case FI_CLIST_FILTER:
    return x_sx_list_filter;
  default:
    return x_sx_ea_update;
  }
}

/* CONSTANT c; OP, for a pure operator OP whose last operand is c. */
static enum filter_return x_sx_const_op(struct f_state *s, const struct f_item *it)
{
  push(s, it->val);
  enum filter_return r = it[1].exec(s, &it[1]);
  if (r != F_NOP)
  {
    s->err_at = &it[1];
    return r;
  }
  s->ip += 1;
  return F_NOP;
}

/* CONSTANT c; OP; CONDITION t: `if x OP c then` */
static enum filter_return x_sx_const_op_cond(struct f_state *s, const struct f_item *it)
{
  push(s, it->val);
  enum filter_return r = it[1].exec(s, &it[1]);
  if (r != F_NOP)
  {
    s->err_at = &it[1];
    return r;
  }
  if (!pop(s).val.i)
    f_jump(s, it[2].arg);
  else
    s->ip += 2;
  return F_NOP;
}

/* OP; CONDITION t, for a pure operator OP (its exec is its signature's) */
static enum filter_return x_sx_op_cond(struct f_state *s, const struct f_item *it)
{
  enum filter_return r = f_inst_defs[it->op].sig[it->sig].exec(s, it);
  if (r != F_NOP)
    return r;
  if (!pop(s).val.i)
    f_jump(s, it[1].arg);
  else
    s->ip += 1;
  return F_NOP;
}

/* RTA_GET net */
static enum filter_return x_rta_get_net(struct f_state *s, const struct f_item *it)
{
  if (!s->rte)
    return f_runtime(s, "Can't read %s without a route", f_rta_defs[RA_NET].name);
  const rte *e = *s->rte;
  if (!e->net)
    return f_runtime(s, "The route has no network yet");
  struct f_val *v = s->sp++;
  v->type = T_NET;
  v->val.net = &e->net->n;
  return F_NOP;
}

/* CONSTANT c; EA_SET a */
static enum filter_return x_sx_ea_set_const(struct f_state *s, const struct f_item *it)
{
  const struct f_item *set = &it[1];
  if (!s->rte)
  {
    s->err_at = set;
    return f_runtime(s, "Can't set route attributes without a route");
  }
  eattr e = { .id = set->arg, .type = set->type };
  if (is_u32_type(set->type))
    e.u.data = it->val.val.i;
  else
    f_val_to_ea(s->pool, &it->val, &e);
  f_ea_write(s, &e);
  s->ip += 1;
  return F_NOP;
}

/* ---- the pass ---- */

static void mark(u8 *target, uint len, uint pc)
{
  if (pc < len)
    target[pc] = 1;
}

/* Items that some jump (or a return from a call) may land on. */
static void find_targets(const struct f_line *l, u8 *target)
{
  for (uint i = 0; i < l->len; i++)
  {
    const struct f_item *it = &l->items[i];
    switch (it->op)
    {
    case FI_JMP: case FI_CONDITION: case FI_AND: case FI_OR:
      mark(target, l->len, it->arg);
      break;
    case FI_CASE:
      mark(target, l->len, it->arg);
      for (uint k = 0; k < ft_count(it->ptr); k++)
        mark(target, l->len, (uint) (uintptr_t) ft_item(it->ptr, k)->data);
      break;
    case FI_FOR_NEXT:
      mark(target, l->len, (uint) (uintptr_t) it->ptr);
      break;
    case FI_CALL:
      mark(target, l->len, i + 1);
      break;
    }
  }
}

/* Items i+1 .. i+n-1 exist and no jump lands on them. */
static int fusable(const struct f_line *l, const u8 *target, uint i, uint n)
{
  if (i + n > l->len)
    return 0;
  for (uint k = 1; k < n; k++)
    if (target[i + k])
      return 0;
  return 1;
}

static int is_list_update_op(uint op)
{
  return op == FI_PATH_PREPEND || op == FI_CLIST_ADD || op == FI_CLIST_DEL || op == FI_CLIST_FILTER;
}

/* An operator that only works on the stack: no jumps, no frames, no
   variadic operands (AND and OR are pure but jump). */
static int is_stack_op(const struct f_item *it)
{
  const struct f_inst_def *d = &f_inst_defs[it->op];
  return (d->flags & FID_PURE) && !(d->flags & FID_VARIADIC) && d->nargs >= 1 &&
    it->op != FI_AND && it->op != FI_OR && it->op != FI_CONSTANT;
}

/* Is items i..i+3 a.prepend(c), for a bgppath attribute a and an int c? */
static int is_prepend_group(const struct f_line *l, uint i, const struct f_item *lead)
{
  const struct f_item *it = &l->items[i];
  return i + 4 <= l->len && it->op == FI_EA_GET && it->arg == lead->arg && it->type == T_PATH &&
    it[1].op == FI_CONSTANT && it[1].val.type == T_INT && it[2].op == FI_PATH_PREPEND &&
    it[3].op == FI_EA_SET && it[3].arg == lead->arg && it[3].type == T_PATH;
}

/* How many prepend groups to the same attribute follow one another from
   item i on, with no jump landing inside the run. */
static uint prepend_run(const struct f_line *l, const u8 *target, uint i)
{
  uint n = 1;
  while (n < F_PREPEND_RUN && is_prepend_group(l, i + 4 * n, &l->items[i]) &&
         fusable(l, target, i, 4 * n + 4))
    n++;
  return n;
}

void f_optimize(struct f_line *l)
{
  u8 *target = xmalloc(l->len + 1);
  memset(target, 0, l->len + 1);
  find_targets(l, target);

  for (uint i = 0; i < l->len; i++)
  {
    struct f_item *it = &l->items[i];
    if (it->op == FI_EA_GET && is_list_type(it->type))
      it->exec = x_ea_get_list;
    else if (it->op == FI_EA_GET && is_u32_type(it->type))
      it->exec = x_ea_get_u32;
    else if (it->op == FI_EA_SET && is_list_type(it->type))
      it->exec = x_ea_set_list;
    else if (it->op == FI_EA_SET && is_u32_type(it->type))
      it->exec = x_ea_set_u32;
    else if (it->op == FI_RTA_GET && it->arg == RA_NET)
      it->exec = x_rta_get_net;
  }

  for (uint i = 0; i < l->len; i++)
  {
    struct f_item *it = &l->items[i];
    if (it->op == FI_EA_GET && is_list_type(it->type) && fusable(l, target, i, 4) &&
        it[1].op == FI_CONSTANT && is_list_update_op(it[2].op) &&
        it[3].op == FI_EA_SET && it[3].arg == it->arg && it[3].type == it->type)
    {
      it->exec = update_fn(it);
      if (it->exec == x_sx_path_prepend)
      {
        uint n = prepend_run(l, target, i);
        if (n > 1)
        {
          it->exec = x_sx_path_prepend_n;
          for (uint k = 1; k < n; k++)
            it[4 * k].exec = x_sx_path_prepend_cont;
          i += 4 * (n - 1);
        }
      }
      i += 3;
    }
    else if (it->op == FI_CONSTANT && fusable(l, target, i, 2) && it[1].op == FI_EA_SET &&
             it->val.type != T_VOID)
    {
      it->exec = x_sx_ea_set_const;
      i += 1;
    }
    else if (it->op == FI_CONSTANT && fusable(l, target, i, 3) && is_stack_op(&it[1]) &&
             it[2].op == FI_CONDITION)
    {
      it->exec = x_sx_const_op_cond;
      i += 2;
    }
    else if (it->op == FI_CONSTANT && fusable(l, target, i, 2) && is_stack_op(&it[1]))
    {
      it->exec = x_sx_const_op;
      i += 1;
    }
    else if (is_stack_op(it) && fusable(l, target, i, 2) && it[1].op == FI_CONDITION)
    {
      it->exec = x_sx_op_cond;
      i += 1;
    }
  }
  xfree(target);
}
