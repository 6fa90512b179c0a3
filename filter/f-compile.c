/*
 * filter/f-compile.c: type checking, constant folding and linearization.
 *
 * The grammar builds typed nodes through f_op() and friends. Every node is
 * checked when it is built, against the signatures of its instruction in
 * f_inst_defs[]: the first signature whose argument types fit is chosen,
 * and its result type becomes the node's static type. No type error can
 * therefore reach the interpreter. A node whose operands are all
 * constants and whose instruction is pure is evaluated on the spot by the
 * same exec function the interpreter would use (constant folding), so
 * `(RS_AS, 1)` or `2 * 3 + 1` cost nothing per route.
 *
 * After a filter or function body is parsed, f_linearize() lays the tree
 * out as a flat array: operands in post-order, then the operator; `if`,
 * `&&`, `||`, `case` and `for` become jumps.
 */
#include <stdlib.h>
#include <string.h>

#include "filter/f-inst.h"
#include "filter/tree.h"
#include "filter/trie.h"
#include "filter/aspath.h"
#include "lib/printf.h"

#define T_ERR 0xff              /* an error was reported; check nothing more */

const char *f_stype_name(f_stype t, char *buf)
{
  if (ST_BASE(t) == T_SET)
  {
    if (ST_ELEM(t) == T_VOID)
      return "set";
    bsnprintf(buf, 32, "%s set", f_type_name(ST_ELEM(t)));
    return buf;
  }
  switch (t)
  {
  case T_ANY: return "any";
  case T_SETOF: return "set of it";
  case T_ENUM: return "enum";
  case T_ERR: return "(error)";
  default: return f_type_name(t);
  }
}

static int is_set_type(f_stype t) { return ST_BASE(t) == T_SET; }

/* Does a value of static type have fit where want is expected? */
int f_type_fits(f_stype have, f_stype want)
{
  if (have == T_ERR)
    return 1;
  if (want == T_ANY)
    return have != T_VOID;
  if (want == T_ENUM)
    return f_type_is_enum(have) && !ST_ELEM(have);
  if (is_set_type(want) && is_set_type(have))
    return ST_ELEM(have) == T_VOID || ST_ELEM(want) == T_VOID || ST_ELEM(have) == ST_ELEM(want);
  return have == want;
}

static int arg_fits(const struct f_sig *sig, uint k, const f_stype *t)
{
  u16 w = sig->arg[k];
  if (w == T_SAME)
    return t[k] == T_ERR || t[0] == T_ERR || (is_set_type(t[0]) ? f_type_fits(t[k], t[0]) : t[k] == t[0]);
  if (w == T_SETOF)
    return t[k] == T_ERR || (is_set_type(t[k]) && (ST_ELEM(t[k]) == T_VOID || ST_ELEM(t[k]) == t[0]));
  return f_type_fits(t[k], w);
}

static int sig_fits(const struct f_sig *sig, uint n, const f_stype *t)
{
  for (uint k = 0; k < n; k++)
    if (!arg_fits(sig, k, t))
      return 0;
  return 1;
}

/* The message says what the first argument that fits no signature should
   have been, given the arguments before it. */
static void sig_error(struct cf_ctx *ctx, const cf_loc *loc, const struct f_inst_def *d,
                      uint n, const f_stype *t)
{
  char b1[32], b2[32];
  for (uint k = 0; k < n; k++)
  {
    f_stype want[64];
    uint nw = 0;
    int same = 0, setof = 0, any_fit = 0;
    for (uint i = 0; i < d->nsig; i++)
    {
      const struct f_sig *s = &d->sig[i];
      int prefix_ok = 1;
      for (uint j = 0; j < k && prefix_ok; j++)
        prefix_ok = arg_fits(s, j, t);
      if (!prefix_ok)
        continue;
      if (arg_fits(s, k, t))
      {
        any_fit = 1;
        break;
      }
      if (s->arg[k] == T_SAME)
        same = 1;
      else if (s->arg[k] == T_SETOF)
        setof = t[0] != T_NET;   /* a set of prefixes is a prefix set */
      else
      {
        uint j;
        for (j = 0; j < nw && want[j] != s->arg[k]; j++)
          ;
        if (j == nw && nw < 64)
          want[nw++] = s->arg[k];
      }
    }
    if (any_fit)
      continue;
    if (same && !nw)
    {
      cf_error(ctx, loc, "Arguments 1 and %u of %s must be of the same type, got types %s and %s",
               k + 1, d->name, f_stype_name(t[0], b1), f_stype_name(t[k], b2));
      return;
    }
    struct strbuf sb;
    sb_init(&sb);
    for (uint j = 0; j < nw; j++)
    {
      if (j)
        sb_puts(&sb, j + 1 == nw && !same && !setof ? " or " : ", ");
      sb_puts(&sb, f_stype_name(want[j], b1));
    }
    if (setof)
      sb_printf(&sb, "%s%s set", nw ? " or " : "", f_stype_name(t[0], b1));
    if (same)
      sb_printf(&sb, "%s%s", nw ? " or " : "", f_stype_name(t[0], b1));
    cf_error(ctx, loc, "Argument %u of %s must be of type %s, got type %s",
             k + 1, d->name, sb_str(&sb), f_stype_name(t[k], b2));
    sb_free(&sb);
    return;
  }
  cf_error(ctx, loc, "Invalid arguments of %s", d->name);
}

static struct f_inst *node_new(struct cf_ctx *ctx, const cf_loc *loc, enum f_op op)
{
  struct f_inst *x = cf_alloc(ctx, sizeof(*x));
  x->op = op;
  if (loc)
    x->loc = *loc;
  return x;
}

int f_is_const(const struct f_inst *i)
{
  return i && i->op == FI_CONSTANT;
}

static f_stype val_stype(const struct f_val *v)
{
  if (v->type == T_SET)
    return ST_SET(v->val.t ? v->val.t->type : T_VOID);
  return v->type;
}

struct f_inst *f_const_typed(struct cf_ctx *ctx, const cf_loc *loc, struct f_val v, f_stype t)
{
  struct f_inst *x = node_new(ctx, loc, FI_CONSTANT);
  x->val = v;
  x->type = t;
  return x;
}

struct f_inst *f_const(struct cf_ctx *ctx, const cf_loc *loc, struct f_val v)
{
  return f_const_typed(ctx, loc, v, val_stype(&v));
}

/* An IPv4 address constant where a quad is wanted (router ids, originator
   ids) is converted, as BIRD's grammar does for literals. */
struct f_inst *f_convert(struct cf_ctx *ctx, struct f_inst *x, f_stype want)
{
  if (want == T_QUAD && x->type == T_IP && f_is_const(x) && ipa_is_ip4(x->val.val.ip))
    return f_const(ctx, &x->loc, f_val_int(T_QUAD, ip4_to_u32(ipa_to_ip4(x->val.val.ip))));
  return x;
}

/* ---- constant folding ---- */

/* Runs one pure instruction on constant operands. */
static struct f_inst *fold(struct cf_ctx *ctx, struct f_inst *x, uint n, struct f_inst **args)
{
  struct f_val vstk[8];
  struct f_frame fstk[1];
  char err[256] = "";
  struct strbuf pb;
  sb_init(&pb);
  struct f_state s = {
    .vstk = vstk, .sp = vstk, .vlimit = vstk + 8, .fstk = fstk, .fp = fstk, .flimit = fstk + 1,
    .pool = ctx->mem, .err = err, .errlen = sizeof(err), .print = &pb, .flags = FF_SILENT,
  };
  for (uint i = 0; i < n; i++)
    *s.sp++ = args[i]->val;
  struct f_item it = {
    .exec = f_inst_defs[x->op].sig[x->sig].exec, .op = x->op, .sig = x->sig, .flags = x->flags,
    .arg = x->n, .type = x->type, .val = x->val, .ptr = x->ptr, .loc = &x->loc,
  };
  enum filter_return r = it.exec(&s, &it);
  sb_free(&pb);
  if (r != F_NOP)
  {
    cf_error(ctx, &x->loc, "%s", err);
    x->type = T_ERR;
    return x;
  }
  struct f_inst *c = f_const_typed(ctx, &x->loc, s.sp[-1], x->type);
  return c;
}

/* ---- node constructors ---- */

static void mark_void_ok(struct f_inst *a)
{
  if (a && (a->op == FI_EA_GET))
    a->flags |= FIF_VOID_OK;
}

/* Checks args against op's signatures; sets x->sig and x->type. */
static int check_sig(struct cf_ctx *ctx, struct f_inst *x, uint n, struct f_inst **args)
{
  const struct f_inst_def *d = &f_inst_defs[x->op];
  f_stype t[3] = { 0 };
  for (uint i = 0; i < n; i++)
  {
    if (args[i]->type == T_VOID)
    {
      cf_error(ctx, &args[i]->loc, "Argument %u of %s has no value", i + 1, d->name);
      x->type = T_ERR;
      return 0;
    }
    t[i] = args[i]->type;
    if (t[i] == T_ERR)
    {
      x->type = T_ERR;
      return 0;
    }
  }
  for (uint i = 0; i < d->nsig; i++)
    if (sig_fits(&d->sig[i], n, t))
    {
      x->sig = i;
      x->type = d->sig[i].result == T_ARG1 ? t[0] : d->sig[i].result;
      return 1;
    }
  sig_error(ctx, &x->loc, d, n, t);
  x->type = T_ERR;
  return 0;
}

struct f_inst *f_op(struct cf_ctx *ctx, const cf_loc *loc, enum f_op op,
                    struct f_inst *a1, struct f_inst *a2, struct f_inst *a3)
{
  return f_op_imm(ctx, loc, op, 0, a1, a2, a3);
}

/* With an immediate operand (it->arg), known before folding. */
struct f_inst *f_op_imm(struct cf_ctx *ctx, const cf_loc *loc, enum f_op op, uint imm,
                        struct f_inst *a1, struct f_inst *a2, struct f_inst *a3)
{
  const struct f_inst_def *d = &f_inst_defs[op];
  struct f_inst *x = node_new(ctx, loc, op);
  x->n = imm;
  struct f_inst *args[3] = { a1, a2, a3 };
  uint n = d->nargs;
  for (uint i = 0; i < n; i++)
    x->a[i] = args[i];
  /* quad-vs-ip comparisons and the like need no conversion; constants of
     ip type where a quad fits are converted for the list operations */
  if ((op == FI_CLIST_ADD || op == FI_CLIST_DEL || op == FI_CLIST_FILTER) && a1 && a1->type == T_CLIST)
    x->a[1] = args[1] = f_convert(ctx, a2, T_QUAD);
  if (!check_sig(ctx, x, n, args))
    return x;
  if (d->flags & FID_VOID_OK)
    for (uint i = 0; i < n; i++)
      mark_void_ok(args[i]);
  if (!(d->flags & FID_PURE))
    return x;
  for (uint i = 0; i < n; i++)
    if (!f_is_const(args[i]))
      return x;
  if (op == FI_AND || op == FI_OR)
  {
    int r = op == FI_AND ? (a1->val.val.i && a2->val.val.i) : (a1->val.val.i || a2->val.val.i);
    return f_const(ctx, loc, f_val_int(T_BOOL, r));
  }
  return fold(ctx, x, n, args);
}

/* Variadic instructions (print, path masks): args chained through next. */
struct f_inst *f_op_n(struct cf_ctx *ctx, const cf_loc *loc, enum f_op op, uint n, struct f_inst *args)
{
  struct f_inst *x = node_new(ctx, loc, op);
  x->a[0] = args;
  x->n = n;
  x->type = f_inst_defs[op].sig[0].result;
  for (struct f_inst *a = args; a; a = a->next)
  {
    if (a->type == T_VOID)
      cf_error(ctx, &a->loc, "Argument of %s has no value", f_inst_defs[op].name);
    if (f_inst_defs[op].flags & FID_VOID_OK)
      mark_void_ok(a);
  }
  return x;
}

/* ---- linearization ---- */

struct lin {
  struct cf_ctx *ctx;
  struct f_item *items;
  uint len, cap;
};

static uint emit(struct lin *l, const struct f_inst *x, enum f_op op)
{
  if (l->len == l->cap)
  {
    l->cap = l->cap ? 2 * l->cap : 64;
    l->items = xrealloc(l->items, l->cap * sizeof(struct f_item));
  }
  struct f_item *it = &l->items[l->len];
  memset(it, 0, sizeof(*it));
  it->op = op;
  if (x)
  {
    it->sig = (op == x->op) ? x->sig : 0;
    it->flags = x->flags;
    it->arg = x->n;
    it->type = x->type;
    it->val = x->val;
    it->ptr = x->ptr;
    it->loc = &x->loc;
  }
  it->exec = f_inst_defs[op].sig[it->sig].exec;
  return l->len++;
}

static void lin_stmts(struct lin *l, const struct f_inst *x);

static void lin_expr(struct lin *l, const struct f_inst *x)
{
  const struct f_inst_def *d = &f_inst_defs[x->op];
  switch (x->op)
  {
  case FI_AND:
  case FI_OR:
  {
    lin_expr(l, x->a[0]);
    uint j = emit(l, x, x->op);
    lin_expr(l, x->a[1]);
    l->items[j].arg = l->len;
    return;
  }
  case FI_CALL:
  case FI_PRINT:
  case FI_PATHMASK_CONSTRUCT:
    for (const struct f_inst *a = x->a[0]; a; a = a->next)
      lin_expr(l, a);
    emit(l, x, x->op);
    return;
  default:
    for (uint i = 0; i < d->nargs; i++)
      lin_expr(l, x->a[i]);
    emit(l, x, x->op);
  }
}

static void lin_case(struct lin *l, const struct f_inst *x)
{
  lin_expr(l, x->a[0]);
  uint c = emit(l, x, FI_CASE);
  uint nitems = 0, njumps = 0;
  for (const struct f_case_arm *a = x->ptr; a; a = a->next)
  {
    nitems += a->count;
    njumps++;
  }
  struct f_tree_item *items = xmalloc((nitems + 1) * sizeof(*items));
  uint *jumps = xmalloc((njumps + 1) * sizeof(uint));
  uint ni = 0, nj = 0, else_target = 0;
  for (const struct f_case_arm *a = x->ptr; a; a = a->next)
  {
    uint target = l->len;
    if (a->is_else)
      else_target = target;
    for (uint i = 0; i < a->count; i++)
    {
      items[ni] = a->items[i];
      items[ni++].data = (const void *) (uintptr_t) target;
    }
    lin_stmts(l, a->body);
    jumps[nj++] = emit(l, NULL, FI_JMP);
  }
  uint end = l->len;
  for (uint i = 0; i < nj; i++)
    l->items[jumps[i]].arg = end;
  struct f_tree *t = ft_build(l->ctx->mem, items, ni);
  if (!t)
  {
    cf_error(l->ctx, &x->loc, "Invalid case labels (mixed types)");
    t = ft_build(l->ctx->mem, items, 0);
  }
  l->items[c].ptr = t;
  l->items[c].arg = else_target ? else_target : end;
  xfree(items);
  xfree(jumps);
}

static void lin_stmt(struct lin *l, const struct f_inst *x)
{
  switch (x->op)
  {
  case FI__MAX:                 /* block */
    lin_stmts(l, x->body);
    return;
  case FI_CONDITION:
  {
    lin_expr(l, x->a[0]);
    uint j = emit(l, x, FI_CONDITION);
    lin_stmts(l, x->body);
    if (x->alt)
    {
      uint k = emit(l, NULL, FI_JMP);
      l->items[j].arg = l->len;
      lin_stmts(l, x->alt);
      l->items[k].arg = l->len;
    }
    else
      l->items[j].arg = l->len;
    return;
  }
  case FI_CASE:
    lin_case(l, x);
    return;
  case FI_FOR_INIT:
  {
    lin_expr(l, x->a[0]);
    emit(l, x, FI_FOR_INIT);
    uint head = l->len;
    uint n = emit(l, x, FI_FOR_NEXT);
    lin_stmts(l, x->body);
    uint j = emit(l, NULL, FI_JMP);
    l->items[j].arg = head;
    l->items[n].ptr = (const void *) (uintptr_t) l->len;
    return;
  }
  case FI_RETURN:
  case FI_ACCEPT:
  case FI_REJECT:
    if (x->a[0])
      lin_expr(l, x->a[0]);
    emit(l, x, x->op);
    return;
  default:
    lin_expr(l, x);
  }
}

static void lin_stmts(struct lin *l, const struct f_inst *x)
{
  for (; x; x = x->next)
    lin_stmt(l, x);
}

struct f_line *f_linearize(struct cf_ctx *ctx, struct f_inst *body, uint nargs,
                           const struct f_compile_state *st, int is_function)
{
  struct lin l = { .ctx = ctx };
  lin_stmts(&l, body);
  if (is_function && st && st->func && st->func->ret == T_VOID)
  {
    uint r = emit(&l, NULL, FI_RETURN);
    l.items[r].arg = 0;
  }
  else
  {
    uint e = emit(&l, NULL, FI_END);
    if (st && st->func)
      l.items[e].ptr = st->func->name;
  }
  struct f_line *fl = cf_alloc(ctx, sizeof(*fl) + l.len * sizeof(struct f_item));
  fl->len = l.len;
  fl->nargs = nargs;
  fl->nslots = st ? st->slots : 0;
  if (fl->nslots)
  {
    f_stype *types = cf_alloc(ctx, fl->nslots * sizeof(f_stype));
    memcpy(types, st->slot_type, fl->nslots * sizeof(f_stype));
    fl->slot_type = types;
  }
  memcpy(fl->items, l.items, l.len * sizeof(struct f_item));
  xfree(l.items);
  f_optimize(fl);
  return fl;
}

/* ---- dump and comparison of linear code ---- */

void f_dump_line(const struct f_line *l, struct strbuf *sb)
{
  for (uint i = 0; i < l->len; i++)
  {
    const struct f_item *it = &l->items[i];
    const struct f_inst_def *d = &f_inst_defs[it->op];
    sb_printf(sb, "%4u %s", i, d->name);
    if (d->dump)
      d->dump(it, sb);
    sb_puts(sb, "\n");
  }
}


int f_line_same(const struct f_line *a, const struct f_line *b, struct f_same_ctx *sc)
{
  if (a == b)
    return 1;
  if (!a || !b || a->len != b->len || a->nargs != b->nargs || a->nslots != b->nslots)
    return 0;
  for (uint i = 0; i < a->nslots; i++)
    if (a->slot_type[i] != b->slot_type[i])
      return 0;
  for (uint i = 0; i < a->len; i++)
  {
    const struct f_item *x = &a->items[i], *y = &b->items[i];
    if (x->op != y->op || x->sig != y->sig)
      return 0;
    const struct f_inst_def *d = &f_inst_defs[x->op];
    if (d->same && !d->same(x, y, sc))
      return 0;
  }
  return 1;
}

/* Functions may recurse: a pair being compared counts as same. */
int f_same_func(const struct f_func *a, const struct f_func *b, struct f_same_ctx *sc)
{
  if (a == b)
    return 1;
  for (uint i = 0; i < sc->n; i++)
    if (sc->a[i] == a && sc->b[i] == b)
      return 1;
  if (sc->n >= F_SAME_MAX)
    return 0;
  sc->a[sc->n] = a;
  sc->b[sc->n] = b;
  sc->n++;
  int r = a->nargs == b->nargs && a->ret == b->ret && f_line_same(a->code, b->code, sc);
  sc->n--;
  return r;
}

int filter_same(const struct filter *a, const struct filter *b)
{
  if (a == b)
    return 1;
  if (a == FILTER_ACCEPT || a == FILTER_REJECT || b == FILTER_ACCEPT || b == FILTER_REJECT)
    return 0;
  struct f_same_ctx sc = { .n = 0 };
  return f_line_same(a->root, b->root, &sc);
}
