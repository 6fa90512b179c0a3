/*
 * filter/f-parse.c: what the grammar actions of filter/config.Y call.
 *
 * Symbols and scopes (variables, functions, filters, constants, custom
 * attributes), statements (assignment, if, case, for, return, ...), method
 * calls, set and path mask literals. Every type rule lives in the
 * instruction table; this file only maps syntax to instructions and
 * reports errors that are about names rather than types.
 */
#include <string.h>

#include "filter/f-parse.h"
#include "filter/tree.h"
#include "filter/trie.h"
#include "filter/aspath.h"
#include "filter/aset.h"
#include "nest/route.h"
#include "lib/printf.h"

#define T_ERR 0xff

static struct f_inst *mknode(struct cf_ctx *ctx, const cf_loc *loc, enum f_op op)
{
  struct f_inst *x = cf_alloc(ctx, sizeof(*x));
  x->op = op;
  if (loc)
    x->loc = *loc;
  return x;
}

static struct f_inst *err_node(struct cf_ctx *ctx, const cf_loc *loc)
{
  struct f_inst *x = f_const(ctx, loc, f_val_int(T_INT, 0));
  x->type = T_ERR;
  return x;
}

/* ---- compile state, variables ---- */

void f_state_push(struct cf_ctx *ctx, struct f_func *fn)
{
  struct f_compile_state *st = cf_alloc(ctx, sizeof(*st));
  st->up = ctx->fstate;
  st->func = fn;
  ctx->fstate = st;
  cf_push_scope(ctx, 0);
}

void f_state_pop(struct cf_ctx *ctx)
{
  struct f_compile_state *st = ctx->fstate;
  if (st)
  {
    xfree(st->slot_type);
    ctx->fstate = st->up;
  }
  cf_pop_scope(ctx);
}

uint f_new_slot(struct cf_ctx *ctx, f_stype type)
{
  struct f_compile_state *st = ctx->fstate;
  if (st->slots == st->slots_cap)
  {
    st->slots_cap = st->slots_cap ? 2 * st->slots_cap : 16;
    st->slot_type = xrealloc(st->slot_type, st->slots_cap * sizeof(f_stype));
  }
  st->slot_type[st->slots] = type;
  return st->slots++;
}

struct symbol *f_declare_var(struct cf_ctx *ctx, struct symbol *sym, f_stype type, const cf_loc *loc)
{
  if (!ctx->fstate)
  {
    cf_error(ctx, loc, "Variables can be declared only in filters and functions");
    return sym;
  }
  if (ST_BASE(type) == T_VOID)
    type = T_INT;
  struct f_var *v = cf_alloc(ctx, sizeof(*v));
  v->type = type;
  v->slot = f_new_slot(ctx, type);
  if (v->slot >= 255 + 32)
    cf_error(ctx, loc, "Too many variables, at most 255 allowed");
  return cf_define_symbol(ctx, sym, SYM_VARIABLE, v, loc);
}

/* ---- expressions ---- */

struct f_inst *f_sym_value(struct cf_ctx *ctx, const cf_loc *loc, struct symbol *s)
{
  struct f_inst *x;
  switch (s->class)
  {
  case SYM_CONSTANT:
    x = f_const(ctx, loc, *s->val);
    return x;
  case SYM_VARIABLE:
    x = mknode(ctx, loc, FI_VAR_GET);
    x->n = s->var->slot;
    x->type = s->var->type;
    return x;
  case SYM_ATTRIBUTE:
    x = mknode(ctx, loc, FI_EA_GET);
    x->n = s->attribute->id;
    x->ptr = s->attribute;
    x->type = s->attribute->type;
    return x;
  case SYM_FUNCTION:
    cf_error(ctx, loc, "Function '%s' must be called with arguments in parentheses", s->name);
    return err_node(ctx, loc);
  default:
    cf_error(ctx, loc, "Symbol '%s' is a %s, not a value", s->name, sym_class_name(s->class));
    return err_node(ctx, loc);
  }
}

struct f_inst *f_rta_value(struct cf_ctx *ctx, const cf_loc *loc, uint code)
{
  struct f_inst *x = mknode(ctx, loc, FI_RTA_GET);
  x->n = code;
  x->type = f_rta_defs[code].type;
  return x;
}

struct f_inst *f_lval_get(struct cf_ctx *ctx, const cf_loc *loc, const struct f_lvalue *lv)
{
  if (lv->kind == FLV_RTA)
    return f_rta_value(ctx, loc, lv->code);
  if (!lv->sym)
    return err_node(ctx, loc);
  return f_sym_value(ctx, loc, lv->sym);
}

static void type_error_assign(struct cf_ctx *ctx, const cf_loc *loc, const char *op, f_stype want, f_stype got)
{
  char b1[32], b2[32];
  cf_error(ctx, loc, "Argument 1 of %s must be of type %s, got type %s", op,
           f_stype_name(want, b1), f_stype_name(got, b2));
}

struct f_inst *f_assign(struct cf_ctx *ctx, const cf_loc *loc, const struct f_lvalue *lv, struct f_inst *v)
{
  struct f_inst *x;
  f_stype want;
  const char *opname;
  if (lv->kind == FLV_RTA)
  {
    if (f_rta_defs[lv->code].readonly)
    {
      cf_error(ctx, loc, "Attribute '%s' is read-only", f_rta_defs[lv->code].name);
      return NULL;
    }
    x = mknode(ctx, loc, FI_RTA_SET);
    x->n = lv->code;
    want = f_rta_defs[lv->code].type;
    opname = "RTA_SET";
  }
  else if (lv->sym && lv->sym->class == SYM_VARIABLE)
  {
    x = mknode(ctx, loc, FI_VAR_SET);
    x->n = lv->sym->var->slot;
    want = lv->sym->var->type;
    opname = "VAR_SET";
  }
  else if (lv->sym && lv->sym->class == SYM_ATTRIBUTE)
  {
    struct ea_class *c = lv->sym->attribute;
    if (c->readonly)
    {
      cf_error(ctx, loc, "Attribute '%s' is read-only", c->name);
      return NULL;
    }
    x = mknode(ctx, loc, FI_EA_SET);
    x->n = c->id;
    x->ptr = c;
    want = c->type;
    opname = "EA_SET";
  }
  else
  {
    cf_error(ctx, loc, "Symbol '%s' can't be assigned to", lv->sym ? lv->sym->name : "?");
    return NULL;
  }
  v = f_convert(ctx, v, want);
  if (v->type == T_VOID)
    cf_error(ctx, &v->loc, "Argument 1 of %s has no value", opname);
  else if (v->type != T_ERR && !f_type_fits(v->type, want))
    type_error_assign(ctx, &v->loc, opname, want, v->type);
  x->a[0] = v;
  x->type = want;
  return x;
}

struct f_inst *f_unset(struct cf_ctx *ctx, const cf_loc *loc, const struct f_lvalue *lv)
{
  if (lv->kind != FLV_SYM || !lv->sym || lv->sym->class != SYM_ATTRIBUTE)
  {
    cf_error(ctx, loc, "Only extended attributes can be unset");
    return NULL;
  }
  if (lv->sym->attribute->readonly)
  {
    cf_error(ctx, loc, "Attribute '%s' is read-only", lv->sym->attribute->name);
    return NULL;
  }
  struct f_inst *x = mknode(ctx, loc, FI_EA_UNSET);
  x->n = lv->sym->attribute->id;
  x->ptr = lv->sym->attribute;
  x->type = lv->sym->attribute->type;
  return x;
}

/* ---- methods ---- */

struct f_method {
  const char *name;
  enum f_op op;
  uint nargs;                   /* besides the object */
};

static const struct f_method methods[] = {
  { "len", FI_LENGTH, 0 }, { "length", FI_LENGTH, 0 }, { "ip", FI_IP, 0 }, { "type", FI_TYPE, 0 },
  { "is_v4", FI_IS_V4, 0 }, { "maxlen", FI_MAXLEN, 0 }, { "asn", FI_ASN, 0 },
  { "data", FI_DATA, 0 }, { "data1", FI_DATA1, 0 }, { "data2", FI_DATA2, 0 },
  { "mask", FI_IP_MASK, 1 }, { "first", FI_PATH_FIRST, 0 }, { "last", FI_PATH_LAST, 0 },
  { "last_nonaggregated", FI_PATH_LAST_NAG, 0 }, { "min", FI_MIN, 0 }, { "max", FI_MAX, 0 },
  { "empty", FI_EMPTY, 0 }, { "prepend", FI_PATH_PREPEND, 1 }, { "add", FI_CLIST_ADD, 1 },
  { "delete", FI_CLIST_DEL, 1 }, { "filter", FI_CLIST_FILTER, 1 },
  { "rd", FI_RD, 0 }, { "src", FI_SRC, 0 }, { "dst", FI_DST, 0 },
};

static const struct f_method *method_find(const char *name)
{
  for (uint i = 0; i < ARRAY_SIZE(methods); i++)
    if (!strcmp(methods[i].name, name))
      return &methods[i];
  return NULL;
}

struct f_inst *f_method(struct cf_ctx *ctx, const cf_loc *loc, struct f_inst *obj, const char *name,
                        struct f_inst *args, int has_parens)
{
  const struct f_method *m = method_find(name);
  char b[32];
  if (!m)
  {
    cf_error(ctx, loc, "Unknown method '%s' of type %s", name, f_stype_name(obj->type, b));
    return err_node(ctx, loc);
  }
  uint n = 0;
  for (struct f_inst *a = args; a; a = a->next)
    n++;
  if (n != m->nargs)
  {
    cf_error(ctx, loc, "Method '%s' takes %u argument%s, got %u", name, m->nargs, m->nargs == 1 ? "" : "s", n);
    return err_node(ctx, loc);
  }
  (void) has_parens;
  struct f_inst *a1 = args;
  if (a1)
    a1->next = NULL;
  return f_op(ctx, loc, m->op, obj, a1, NULL);
}

/* `lvalue.method(args);` stores the result back (bgp_path.prepend(x)). */
struct f_inst *f_method_stmt(struct cf_ctx *ctx, const cf_loc *loc, const struct f_lvalue *lv,
                             const char *name, struct f_inst *args)
{
  struct f_inst *obj = f_lval_get(ctx, loc, lv);
  struct f_inst *r = f_method(ctx, loc, obj, name, args, 1);
  return f_assign(ctx, loc, lv, r);
}

/* ---- calls ---- */

struct f_inst *f_call(struct cf_ctx *ctx, const cf_loc *loc, struct symbol *sym, struct f_inst *args)
{
  if (sym->class != SYM_FUNCTION)
  {
    cf_error(ctx, loc, "'%s' is not a function", sym->name);
    return err_node(ctx, loc);
  }
  struct f_func *fn = sym->function;
  uint n = 0;
  for (struct f_inst *a = args; a; a = a->next)
    n++;
  if (n != fn->nargs)
  {
    cf_error(ctx, loc, "Function '%s' expects %u arguments, got %u arguments", fn->name, fn->nargs, n);
    return err_node(ctx, loc);
  }
  uint i = 0;
  struct f_inst *head = NULL, **tail = &head;
  char b1[32], b2[32];
  for (struct f_inst *a = args, *nx; a; a = nx, i++)
  {
    nx = a->next;
    a->next = NULL;
    struct f_inst *c = f_convert(ctx, a, fn->arg_type[i]);
    if (c->type == T_VOID)
      cf_error(ctx, &c->loc, "Argument %u of '%s' has no value", i + 1, fn->name);
    else if (c->type != T_ERR && !f_type_fits(c->type, fn->arg_type[i]))
      cf_error(ctx, &c->loc, "Argument %u of '%s' must be %s, got %s", i + 1, fn->name,
               f_stype_name(fn->arg_type[i], b1), f_stype_name(c->type, b2));
    *tail = c;
    tail = &c->next;
  }
  struct f_inst *x = mknode(ctx, loc, FI_CALL);
  x->a[0] = head;
  x->n = n;
  x->ptr = fn;
  if (fn->defining && !fn->ret_known)
  {
    cf_error(ctx, loc, "Function '%s' is called before its return type is known; declare it with '-> type'", fn->name);
    x->type = T_ERR;
  }
  else
    x->type = fn->ret;
  return x;
}

struct f_inst *f_expr_stmt(struct cf_ctx *ctx, const cf_loc *loc, struct f_inst *x)
{
  if (x->type == T_VOID)
    return x;
  struct f_inst *p = mknode(ctx, loc, FI_POP);
  p->a[0] = x;
  return p;
}

/* ---- statements ---- */

struct f_inst *f_block(struct cf_ctx *ctx, const cf_loc *loc, struct f_inst *list)
{
  struct f_inst *x = mknode(ctx, loc, FI__MAX);
  x->body = list;
  return x;
}

static struct f_inst *cond_check(struct cf_ctx *ctx, struct f_inst *c, const char *what)
{
  char b[32];
  if (c->type != T_ERR && c->type != T_BOOL)
    cf_error(ctx, &c->loc, "Argument 1 of %s must be of type bool, got type %s", what, f_stype_name(c->type, b));
  return c;
}

struct f_inst *f_if(struct cf_ctx *ctx, const cf_loc *loc, struct f_inst *c, struct f_inst *then, struct f_inst *els)
{
  cond_check(ctx, c, "CONDITION");
  struct f_inst *x = mknode(ctx, loc, FI_CONDITION);
  x->a[0] = c;
  x->body = then;
  x->alt = els;
  return x;
}

struct f_inst *f_return(struct cf_ctx *ctx, const cf_loc *loc, struct f_inst *v)
{
  struct f_compile_state *st = ctx->fstate;
  char b1[32], b2[32];
  if (!st || !st->func)
  {
    cf_error(ctx, loc, "Return is allowed only in functions; filters end with accept or reject");
    return NULL;
  }
  struct f_func *fn = st->func;
  if (v)
    v = f_convert(ctx, v, fn->ret_known ? fn->ret : T_VOID);
  f_stype t = v ? v->type : T_VOID;
  if (t == T_ERR)
    ;
  else if (!fn->ret_known)
  {
    fn->ret = t;
    fn->ret_known = 1;
  }
  else if (t == T_VOID && fn->ret != T_VOID)
    cf_error(ctx, loc, "Function '%s' must return a value of type %s", fn->name, f_stype_name(fn->ret, b1));
  else if (!f_type_fits(t, fn->ret) || (t != T_VOID && fn->ret == T_VOID))
    cf_error(ctx, v ? &v->loc : loc, "Function '%s' must return type %s, got type %s", fn->name,
             f_stype_name(fn->ret, b1), f_stype_name(t, b2));
  struct f_inst *x = mknode(ctx, loc, FI_RETURN);
  x->a[0] = v && v->type != T_VOID ? v : NULL;
  x->n = x->a[0] ? 1 : 0;
  return x;
}

struct f_inst *f_accept_reject(struct cf_ctx *ctx, const cf_loc *loc, int accept, struct f_inst *msg)
{
  struct f_inst *x = mknode(ctx, loc, accept ? FI_ACCEPT : FI_REJECT);
  if (msg && msg->type == T_VOID)
    cf_error(ctx, &msg->loc, "Argument 1 of %s has no value", accept ? "ACCEPT" : "REJECT");
  x->a[0] = msg;
  x->n = msg ? 1 : 0;
  return x;
}

struct f_inst *f_assert(struct cf_ctx *ctx, const cf_loc *loc, struct f_inst *c)
{
  cond_check(ctx, c, "ASSERT");
  struct f_inst *x = mknode(ctx, loc, FI_ASSERT);
  x->a[0] = c;
  /* remember the source span for the test report */
  x->val.type = T_VOID;
  x->loc = *loc;
  return x;
}

struct f_inst *f_var_init(struct cf_ctx *ctx, const cf_loc *loc, struct symbol *s)
{
  if (s->class != SYM_VARIABLE)
    return NULL;
  struct f_inst *x = mknode(ctx, loc, FI_VAR_INIT0);
  x->n = s->var->slot;
  x->type = s->var->type;
  return x;
}

static enum f_type list_elem(f_stype t)
{
  switch (t)
  {
  case T_PATH: return T_INT;
  case T_CLIST: return T_PAIR;
  case T_ECLIST: return T_EC;
  case T_LCLIST: return T_LC;
  default: return T_VOID;
  }
}

struct f_inst *f_for(struct cf_ctx *ctx, const cf_loc *loc, struct symbol *var, struct f_inst *list,
                     struct f_inst *body)
{
  char b1[32], b2[32];
  if (var->class != SYM_VARIABLE)
  {
    cf_error(ctx, loc, "'%s' is not a variable", var->name);
    return NULL;
  }
  if (list->type == T_ERR)
    return NULL;
  enum f_type e = list_elem(list->type);
  if (!e)
  {
    cf_error(ctx, &list->loc, "Argument 1 of FOR_INIT must be of type bgppath, clist, eclist or lclist, got type %s",
             f_stype_name(list->type, b1));
    return NULL;
  }
  if (var->var->type != e)
  {
    cf_error(ctx, loc, "Loop variable '%s' of type %s can't iterate over %s (elements of type %s)", var->name,
             f_stype_name(var->var->type, b1), f_stype_name(list->type, b2), f_type_name(e));
    return NULL;
  }
  struct f_inst *x = f_op(ctx, loc, FI_FOR_INIT, list, NULL, NULL);
  x->n = f_new_slot(ctx, list->type);
  f_new_slot(ctx, T_INT);
  x->val = f_val_int(T_INT, var->var->slot);
  x->type = e;
  x->body = body;
  return x;
}

struct f_inst *f_case(struct cf_ctx *ctx, const cf_loc *loc, struct f_inst *v, struct f_case_arm *arms)
{
  char b1[32], b2[32];
  int seen_else = 0;
  for (struct f_case_arm *a = arms; a; a = a->next)
  {
    if (a->is_else)
    {
      if (seen_else)
        cf_error(ctx, loc, "Multiple else branches in case");
      seen_else = 1;
      continue;
    }
    for (uint i = 0; i < a->count; i++)
    {
      enum f_type t = a->items[i].from.type;
      if (v->type != T_ERR && t != v->type && !(v->type == T_QUAD && t == T_IP))
      {
        cf_error(ctx, loc, "Case label of type %s does not match the value of type %s",
                 f_type_name(t), f_stype_name(v->type, b1));
        (void) b2;
        return NULL;
      }
    }
  }
  if (v->type != T_ERR && (v->type == T_VOID || (!f_type_is_enum(v->type) && v->type != T_INT && v->type != T_PAIR &&
      v->type != T_QUAD && v->type != T_IP && v->type != T_EC && v->type != T_LC && v->type != T_RD &&
      v->type != T_BOOL)))
  {
    cf_error(ctx, &v->loc, "Argument 1 of SWITCH must be of a scalar type, got type %s", f_stype_name(v->type, b1));
    return NULL;
  }
  struct f_inst *x = f_op(ctx, loc, FI_CASE, v, NULL, NULL);
  x->ptr = arms;
  return x;
}

struct f_inst *f_print(struct cf_ctx *ctx, const cf_loc *loc, struct f_inst *args, int newline)
{
  uint n = 0;
  for (struct f_inst *a = args; a; a = a->next)
    n++;
  struct f_inst *x = f_op_n(ctx, loc, FI_PRINT, n, args);
  if (newline)
    x->flags |= FIF_NEWLINE;
  return x;
}

/* The table of roa_check()/aspa_check(): a table of one of two types. */
static struct rtable_config *rpki_table(struct cf_ctx *ctx, const cf_loc *loc, struct symbol *t,
                                        const char *fn, uint type1, uint type2, const char *what)
{
  if (t->class != SYM_TABLE)
  {
    cf_error(ctx, loc, "%s: '%s' is not a table", fn, t->name);
    return NULL;
  }
  if (t->table->addr_type != type1 && t->table->addr_type != type2)
  {
    cf_error(ctx, loc, "%s: table '%s' is not %s table (its type is %s)", fn, t->name, what,
             net_label[t->table->addr_type]);
    return NULL;
  }
  return t->table;
}

/* The check node: `op` with its explicit arguments, or `implicit` reading
   the route's bgp_path. */
static struct f_inst *rpki_check(struct cf_ctx *ctx, const cf_loc *loc, struct rtable_config *tc,
                                 uint op, uint implicit, struct f_inst *a1, struct f_inst *a2)
{
  struct f_inst *x;
  if (a1)
    x = f_op(ctx, loc, op, a1, a2, NULL);
  else
  {
    x = f_op(ctx, loc, implicit, NULL, NULL, NULL);
    struct ea_class *p = ea_class_find_by_name("bgp_path");
    x->n = p ? p->id : 0;
  }
  x->ptr = tc;
  return x;
}

struct f_inst *f_roa_check_node(struct cf_ctx *ctx, const cf_loc *loc, struct symbol *t,
                           struct f_inst *net, struct f_inst *asn)
{
  struct rtable_config *tc = rpki_table(ctx, loc, t, "roa_check", NET_ROA4, NET_ROA6, "a ROA");
  if (!tc)
    return err_node(ctx, loc);
  return rpki_check(ctx, loc, tc, FI_ROA_CHECK_EXPLICIT, FI_ROA_CHECK_IMPLICIT, net, asn);
}

/* aspa_check(table, path, upstream), or with only the table
   (aspa_check_upstream/_downstream): the route's bgp_path. */
struct f_inst *f_aspa_check_node(struct cf_ctx *ctx, const cf_loc *loc, struct symbol *t,
                                 struct f_inst *path, struct f_inst *upstream, int up)
{
  struct rtable_config *tc = rpki_table(ctx, loc, t, "aspa_check", NET_ASPA, NET_ASPA, "an ASPA");
  if (!tc)
    return err_node(ctx, loc);
  return rpki_check(ctx, loc, tc, FI_ASPA_CHECK, up ? FI_ASPA_CHECK_UP : FI_ASPA_CHECK_DOWN,
                    path, upstream);
}

/* ---- constants ---- */

int f_const_value(struct cf_ctx *ctx, struct f_inst *x, struct f_val *out)
{
  if (x->type == T_ERR)
    return 0;
  if (!f_is_const(x))
  {
    cf_error(ctx, &x->loc, "Constant expression expected");
    return 0;
  }
  *out = x->val;
  return 1;
}

uint f_const_int(struct cf_ctx *ctx, struct f_inst *x)
{
  struct f_val v;
  char b[32];
  if (!f_const_value(ctx, x, &v))
    return 0;
  if (v.type != T_INT)
  {
    cf_error(ctx, &x->loc, "Number expected, got type %s", f_stype_name(x->type, b));
    return 0;
  }
  return v.val.i;
}

void f_define_const(struct cf_ctx *ctx, struct symbol *sym, struct f_inst *x, const cf_loc *loc)
{
  struct f_val v;
  if (!f_const_value(ctx, x, &v))
    return;
  struct f_val *p = cf_alloc(ctx, sizeof(*p));
  *p = v;
  cf_define_symbol(ctx, sym, SYM_CONSTANT, p, loc);
}

void f_define_attr(struct cf_ctx *ctx, f_stype type, struct symbol *sym, const cf_loc *loc)
{
  char b[32];
  if (!f_attr_type_ok_for_custom(type))
  {
    cf_error(ctx, loc, "Custom route attribute of unsupported type %s", f_stype_name(type, b));
    return;
  }
  cf_define_symbol(ctx, sym, SYM_ATTRIBUTE, f_custom_attr(ctx, sym->name, type), loc);
}

/* ---- functions and filters ---- */

struct f_func *f_func_start(struct cf_ctx *ctx, struct symbol *sym, const cf_loc *loc)
{
  struct f_func *fn = cf_alloc(ctx, sizeof(*fn));
  fn->name = sym->name;
  fn->loc = *loc;
  fn->defining = 1;
  fn->sym = cf_define_symbol(ctx, sym, SYM_FUNCTION, fn, loc);
  f_state_push(ctx, fn);
  return fn;
}

void f_func_arg(struct cf_ctx *ctx, f_stype type, struct symbol *sym, const cf_loc *loc)
{
  struct f_func *fn = ctx->fstate->func;
  fn->arg_type = xrealloc(fn->arg_type, (fn->nargs + 1) * sizeof(f_stype));
  fn->arg_type[fn->nargs++] = type;
  f_declare_var(ctx, sym, type, loc);
}

void f_func_ret(struct cf_ctx *ctx, f_stype type)
{
  struct f_func *fn = ctx->fstate->func;
  fn->ret = type;
  fn->ret_known = 1;
}

void f_func_finish(struct cf_ctx *ctx, struct f_inst *body)
{
  struct f_func *fn = ctx->fstate->func;
  if (!fn->ret_known)
  {
    fn->ret = T_VOID;
    fn->ret_known = 1;
  }
  /* argument types move to config memory */
  f_stype *at = cf_alloc(ctx, (fn->nargs + 1) * sizeof(f_stype));
  if (fn->nargs)
    memcpy(at, fn->arg_type, fn->nargs * sizeof(f_stype));
  xfree(fn->arg_type);
  fn->arg_type = at;
  fn->code = f_linearize(ctx, body, fn->nargs, ctx->fstate, 1);
  fn->defining = 0;
  f_state_pop(ctx);
}

struct filter *f_filter_finish(struct cf_ctx *ctx, const char *name, struct f_inst *body)
{
  struct f_line *code = f_linearize(ctx, body, 0, ctx->fstate, 0);
  f_state_pop(ctx);
  return f_new_filter(ctx, name, code);
}

/* `where expr`: accept when expr holds. */
struct filter *f_where_filter(struct cf_ctx *ctx, const cf_loc *loc, struct f_inst *cond)
{
  struct f_inst *acc = f_accept_reject(ctx, loc, 1, NULL);
  struct f_inst *rej = f_accept_reject(ctx, loc, 0, NULL);
  struct f_inst *x = f_if(ctx, loc, cond, acc, rej);
  struct f_line *code = f_linearize(ctx, x, 0, NULL, 0);
  return f_new_filter(ctx, NULL, code);
}

/* ---- sets ---- */

void f_set_init(struct f_set_builder *b)
{
  memset(b, 0, sizeof(*b));
}

static void set_push(struct cf_ctx *ctx, struct f_set_builder *b, const struct f_tree_item *items, int n, const cf_loc *loc)
{
  if (n < 0)
  {
    cf_error(ctx, loc, "Invalid set item range");
    return;
  }
  if (b->count + n > b->cap)
  {
    b->cap = b->count + n + 16;
    struct f_tree_item *ni = cf_alloc(ctx, b->cap * sizeof(*ni));
    if (b->count)
      memcpy(ni, b->items, b->count * sizeof(*ni));
    b->items = ni;
  }
  memcpy(b->items + b->count, items, n * sizeof(*items));
  b->count += n;
}

static int set_atom_ok(struct cf_ctx *ctx, const struct f_val *v, const cf_loc *loc)
{
  switch (v->type)
  {
  case T_INT: case T_PAIR: case T_QUAD: case T_IP: case T_EC: case T_LC: case T_RD: case T_BOOL:
    return 1;
  default:
    if (f_type_is_enum(v->type))
      return 1;
    cf_error(ctx, loc, "Values of type %s can't be set elements", f_type_name(v->type));
    return 0;
  }
}

void f_set_add_range(struct cf_ctx *ctx, struct f_set_builder *b, struct f_inst *from, struct f_inst *to,
                     const cf_loc *loc)
{
  struct f_val a, z;
  if (!f_const_value(ctx, from, &a) || (to && !f_const_value(ctx, to, &z)))
    return;
  if (!to)
    z = a;
  if (!set_atom_ok(ctx, &a, loc) || !set_atom_ok(ctx, &z, loc))
    return;
  if (a.type != z.type)
  {
    cf_error(ctx, loc, "Range bounds of different types %s and %s", f_type_name(a.type), f_type_name(z.type));
    return;
  }
  int c = val_compare(&a, &z);
  if (c > 0)
  {
    cf_error(ctx, loc, "Invalid set item range (lower bound above upper bound)");
    return;
  }
  struct f_tree_item it = ft_item_range(a, z);
  set_push(ctx, b, &it, 1, loc);
}

/* (a1..a2, b1..b2): pair ranges; wildcard = the full 16-bit range. */
void f_set_add_pair(struct cf_ctx *ctx, struct f_set_builder *b, const struct f_range *x, const struct f_range *y,
                    const cf_loc *loc)
{
  if (x->hi > 0xffff || y->hi > 0xffff)
  {
    cf_error(ctx, loc, "Pair set item out of range (max 65535)");
    return;
  }
  struct f_tree_item *items = xmalloc(70000 * sizeof(*items));
  int n = ft_pair_range(items, 70000, x->lo, x->hi, y->lo, y->hi);
  set_push(ctx, b, items, n, loc);
  xfree(items);
}

void f_set_add_lc(struct cf_ctx *ctx, struct f_set_builder *b, const struct f_range *x, const struct f_range *y,
                  const struct f_range *z, const cf_loc *loc)
{
  if (x->lo != x->hi)
  {
    if (y->lo != 0 || y->hi != 0xffffffffu || z->lo != 0 || z->hi != 0xffffffffu)
    {
      cf_error(ctx, loc, "Large community set item: a range of global parts needs (a..b, *, *)");
      return;
    }
    struct f_tree_item it = ft_item_range(f_val_lc(x->lo, 0, 0), f_val_lc(x->hi, 0xffffffffu, 0xffffffffu));
    set_push(ctx, b, &it, 1, loc);
    return;
  }
  struct f_tree_item *items = xmalloc(70000 * sizeof(*items));
  int n = ft_lc_range(items, 70000, x->lo, y->lo, y->hi, z->lo, z->hi);
  set_push(ctx, b, items, n, loc);
  xfree(items);
}

void f_set_add_ec(struct cf_ctx *ctx, struct f_set_builder *b, uint kind, struct f_inst *key,
                  const struct f_range *v, const cf_loc *loc)
{
  struct f_val k;
  if (!f_const_value(ctx, key, &k))
    return;
  u64 lo, hi;
  if (kind == EC_GENERIC)
  {
    if (k.type != T_INT)
    {
      cf_error(ctx, loc, "Generic extended community needs a number");
      return;
    }
    lo = ec_generic(k.val.i, v->lo);
    hi = ec_generic(k.val.i, v->hi);
  }
  else if (k.type == T_IP || k.type == T_QUAD)
  {
    ip4_addr a = k.type == T_IP ? ipa_to_ip4(k.val.ip) : ip4_from_u32(k.val.i);
    lo = ec_ip4(kind, a, v->lo);
    hi = ec_ip4(kind, a, v->hi > 0xffff ? 0xffff : v->hi);
  }
  else if (k.type == T_INT && k.val.i <= 0xffff)
  {
    lo = ec_as2(kind, k.val.i, v->lo);
    hi = ec_as2(kind, k.val.i, v->hi);
  }
  else if (k.type == T_INT)
  {
    lo = ec_as4(kind, k.val.i, v->lo);
    hi = ec_as4(kind, k.val.i, v->hi > 0xffff ? 0xffff : v->hi);
  }
  else
  {
    cf_error(ctx, loc, "Invalid extended community key of type %s", f_type_name(k.type));
    return;
  }
  struct f_tree_item it = ft_item_range(f_val_ec(lo), f_val_ec(hi));
  set_push(ctx, b, &it, 1, loc);
}

void f_set_add_prefix(struct cf_ctx *ctx, struct f_set_builder *b, const net_addr *n, int lo, int hi,
                      const cf_loc *loc)
{
  uint max = net_max_pxlen(n);
  uint len = net_pxlen(n);
  /* lo < 0: the net's length; hi: -1 max, -2/-3 the net's length */
  if (lo < 0)
    lo = len;
  if (hi == -1)
    hi = max;
  else if (hi < -1)
    hi = len;
  if ((uint) hi > max || lo > hi)
  {
    cf_error(ctx, loc, "Invalid prefix pattern range: {%d, %d}", lo, hi);
    return;
  }
  if (!b->trie)
    b->trie = f_trie_new(ctx->mem, -1);
  if (!trie_add_prefix(b->trie, n, lo, hi))
    cf_error(ctx, loc, "Mixed IPv4/IPv6 prefixes in prefix set");
  b->prefixes++;
}

struct f_inst *f_set_finish(struct cf_ctx *ctx, struct f_set_builder *b, const cf_loc *loc)
{
  if (b->prefixes && b->count)
  {
    cf_error(ctx, loc, "Mixed prefix and non-prefix items in a set");
    return err_node(ctx, loc);
  }
  if (b->prefixes)
    return f_const(ctx, loc, (struct f_val) { .type = T_PREFIX_SET, .val.ti = b->trie });
  for (uint i = 1; i < b->count; i++)
    if (b->items[i].from.type != b->items[0].from.type)
    {
      cf_error(ctx, loc, "Mixed types in a set: %s and %s", f_type_name(b->items[0].from.type),
               f_type_name(b->items[i].from.type));
      return err_node(ctx, loc);
    }
  struct f_tree *t = ft_build(ctx->mem, b->items, b->count);
  if (!t)
  {
    cf_error(ctx, loc, "Invalid set");
    return err_node(ctx, loc);
  }
  return f_const(ctx, loc, (struct f_val) { .type = T_SET, .val.t = t });
}

/* ---- path masks ---- */

void f_mask_add(struct cf_ctx *ctx, struct f_mask_builder *m, struct f_path_mask_item it, struct f_inst *expr)
{
  if (m->len == m->cap)
  {
    m->cap = m->cap ? 2 * m->cap : 16;
    struct f_path_mask_item *ni = cf_alloc(ctx, m->cap * sizeof(*ni));
    if (m->len)
      memcpy(ni, m->items, m->len * sizeof(*ni));
    m->items = ni;
  }
  if (expr)
  {
    char b[32];
    if (expr->type != T_ERR && expr->type != T_INT && expr->type != ST_SET(T_INT))
      cf_error(ctx, &expr->loc, "Path mask item must be an int or an int set, got type %s", f_stype_name(expr->type, b));
    if (f_is_const(expr))
    {
      if (expr->val.type == T_SET)
      {
        it.kind = PM_ASN_SET;
        it.set = expr->val.val.t;
      }
      else
      {
        it.kind = PM_ASN;
        it.asn = expr->val.val.i;
      }
    }
    else
    {
      it.kind = PM_ASN_EXPR;
      expr->next = NULL;
      *m->tail = expr;
      m->tail = &expr->next;
      m->nexpr++;
    }
  }
  if (it.kind == PM_LOOP && (!m->len || m->items[m->len - 1].kind == PM_ASTERISK ||
                             m->items[m->len - 1].kind == PM_LOOP))
    cf_error(ctx, &ctx->last_loc, "Path mask '+' must follow an item it repeats");
  m->items[m->len++] = it;
}

struct f_inst *f_mask_finish(struct cf_ctx *ctx, struct f_mask_builder *m, const cf_loc *loc)
{
  struct f_path_mask *pm = cf_alloc(ctx, sizeof(*pm) + m->len * sizeof(pm->item[0]));
  pm->len = m->len;
  if (m->len)
    memcpy(pm->item, m->items, m->len * sizeof(pm->item[0]));
  if (!m->nexpr)
    return f_const(ctx, loc, (struct f_val) { .type = T_PATH_MASK, .val.path_mask = pm });
  struct f_inst *x = f_op_n(ctx, loc, FI_PATHMASK_CONSTRUCT, m->nexpr, m->head);
  x->ptr = pm;
  return x;
}

/* ---- eval (CLI) ---- */

struct f_line *f_expr_line(struct cf_ctx *ctx, struct f_inst *x)
{
  if (x->type == T_VOID)
  {
    cf_error(ctx, &x->loc, "Expression has no value");
    return NULL;
  }
  struct f_compile_state st = { 0 };
  return f_linearize(ctx, x, 0, &st, 0);
}
