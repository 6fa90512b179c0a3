/*
 * filter/f-inst.h: instructions of the filter engine, defined once.
 *
 * How the pieces fit:
 *
 *   config.Y  --builds-->  struct f_inst (typed AST; f-compile.c checks
 *                          every node against the instruction table as it
 *                          is built, folds constants, picks a signature)
 *             --f_linearize()-->  struct f_line (flat array of f_item:
 *                          post-order, jumps for control flow)
 *             --f_run()/f_eval()-->  results (f-interp.c: one loop, an
 *                          explicit value stack and frame stack, no C
 *                          recursion)
 *
 * The table f_inst_defs[] (f-inst.c) is the single definition of every
 * instruction: its name (used in error messages, as BIRD's), its argument
 * count, the typed signatures it accepts with one interpreter function
 * per signature, and how to dump and compare its immediate operands. The
 * type checker, the constant folder, the interpreter, filter_same() and
 * the dumper all read that table; nothing else knows about opcodes except
 * the few control-flow instructions the linearizer lays out itself.
 */
#ifndef TERN_FILTER_F_INST_H
#define TERN_FILTER_F_INST_H

#include <stdio.h>

#include "filter/data.h"
#include "filter/filter.h"
#include "conf/conf.h"
#include "lib/buffer.h"

/*
 * Static types. The low byte is an enum f_type; sets carry their element
 * type in bits 8..15 ("int set" = ST_SET(T_INT)). An empty set literal
 * `[]` has element type T_VOID and fits any set.
 */
typedef uint f_stype;
#define ST_SET(e) ((f_stype) (T_SET | ((uint) (e) << 8)))
#define ST_BASE(t) ((enum f_type) ((t) & 0xff))
#define ST_ELEM(t) ((enum f_type) (((t) >> 8) & 0xff))

/* Pseudo types, used in signatures only. */
#define T_ANY 0xf0              /* any value */
#define T_SAME 0xf1             /* the same type as argument 1 */
#define T_ARG1 0xf2             /* (result) the type of argument 1 */
#define T_SETOF 0xf3            /* a set of argument 1's type */

const char *f_stype_name(f_stype t, char *buf);   /* buf >= 32 */

enum f_op {
  /* data movement */
  FI_CONSTANT, FI_VAR_GET, FI_VAR_SET, FI_VAR_INIT0, FI_POP,
  /* control flow (laid out by the linearizer) */
  FI_JMP, FI_CONDITION, FI_AND, FI_OR, FI_CALL, FI_RETURN, FI_END,
  FI_ACCEPT, FI_REJECT, FI_PRINT, FI_CASE, FI_FOR_INIT, FI_FOR_NEXT, FI_ASSERT,
  /* operators */
  FI_ADD, FI_SUBTRACT, FI_MULTIPLY, FI_DIVIDE, FI_BITAND, FI_BITOR, FI_NOT,
  FI_EQ, FI_NEQ, FI_LT, FI_LTE, FI_MATCH, FI_NOT_MATCH, FI_STR_APPEND,
  /* route attributes */
  FI_DEFINED, FI_EA_GET, FI_EA_SET, FI_EA_UNSET, FI_RTA_GET, FI_RTA_SET,
  /* methods and builtins */
  FI_TYPE, FI_IS_V4, FI_IP, FI_LENGTH, FI_MAXLEN, FI_ASN, FI_DATA, FI_DATA1, FI_DATA2,
  FI_IP_MASK, FI_PATH_FIRST, FI_PATH_LAST, FI_PATH_LAST_NAG, FI_MIN, FI_MAX, FI_EMPTY,
  FI_PATH_PREPEND, FI_CLIST_ADD, FI_CLIST_DEL, FI_CLIST_FILTER,
  FI_PAIR_CONSTRUCT, FI_LC_CONSTRUCT, FI_EC_CONSTRUCT, FI_PATHMASK_CONSTRUCT,
  FI_FORMAT, FI_ROA_CHECK_IMPLICIT, FI_ROA_CHECK_EXPLICIT, FI_FROM_HEX,
  FI_ASPA_CHECK, FI_ASPA_CHECK_UP, FI_ASPA_CHECK_DOWN, FI_RD, FI_SRC, FI_DST,
  FI__MAX
};

struct f_item;
struct f_state;
struct f_same_ctx;
typedef enum filter_return (*f_exec_fn)(struct f_state *s, const struct f_item *it);

/* One accepted combination of argument types and its implementation. */
struct f_sig {
  u16 arg[3];
  u16 result;                   /* f_stype or T_ARG1 */
  f_exec_fn exec;
};

#define FID_PURE 1              /* no side effects, no route: may be folded */
#define FID_VOID_OK 2           /* accepts the value of an unset attribute */
#define FID_VARIADIC 4          /* it->arg arguments of any type (print) */

struct f_inst_def {
  const char *name;             /* BIRD's name: "ADD", "EA_SET", ... */
  u8 nargs;
  u8 flags;
  u8 nsig;
  const struct f_sig *sig;
  /* Immediate operands (it->arg, it->val, it->ptr): dump and compare. */
  void (*dump)(const struct f_item *it, struct strbuf *sb);
  int (*same)(const struct f_item *a, const struct f_item *b, struct f_same_ctx *sc);
};

extern const struct f_inst_def f_inst_defs[FI__MAX];

/* One instruction of linear code. */
struct f_item {
  f_exec_fn exec;
  u16 op;
  u8 sig;
  u8 flags;
#define FIF_VOID_OK 1           /* EA_GET: an unset scalar pushes void */
#define FIF_NEWLINE 2           /* PRINT: print (not printn) */
  u32 arg;                      /* slot, jump target, count, attribute id, ... */
  f_stype type;                 /* VAR_INIT0/VAR_SET: variable type; EA: attr type */
  struct f_val val;             /* CONSTANT; CASE else target in val.val.i */
  const void *ptr;              /* function, attribute class, table, case tree */
  const cf_loc *loc;
};

/* Linear code of a filter or a function. */
struct f_line {
  uint len;
  uint nargs;                   /* arguments (the first slots) */
  uint nslots;                  /* all variable slots incl. arguments */
  const f_stype *slot_type;     /* zero values for locals at entry */
  struct f_item items[];
};

struct f_func {
  struct symbol *sym;
  const char *name;
  uint nargs;
  f_stype *arg_type;
  f_stype ret;                  /* T_VOID: returns nothing */
  u8 ret_known;                 /* declared with -> or seen a return */
  u8 defining;                  /* body being parsed */
  struct f_line *code;
  cf_loc loc;
};

/* A local variable (struct symbol's var). */
struct f_var {
  uint slot;
  f_stype type;
};

/* Typed AST node. Statements are chained through next. */
struct f_inst {
  struct f_inst *next;
  u16 op;
  u8 sig;
  u8 flags;
  f_stype type;                 /* static type of the result (T_VOID: none) */
  struct f_inst *a[3];
  uint n;                       /* slot, count, attribute id, ... */
  struct f_val val;
  const void *ptr;
  struct f_inst *body, *alt;    /* if/else branches, loop body, case arms */
  cf_loc loc;
};

/* A `case` arm during parsing. */
struct f_case_arm {
  struct f_case_arm *next;
  struct f_tree_item *items;
  uint count;
  struct f_inst *body;          /* NULL body for else: is marked by is_else */
  int is_else;
};

/* Compile-time state of the filter or function being parsed (ctx->fstate). */
struct f_compile_state {
  struct f_compile_state *up;
  struct f_func *func;          /* NULL inside a filter */
  uint slots;
  uint slots_cap;
  f_stype *slot_type;
  int in_test;                  /* body of a test suite may use bt_assert */
};

/* f-compile.c: node constructors. Each checks the operand types against
   the table, reports errors with cf_error() at loc, and folds constants.
   On error they still return a node of a plausible type, so that parsing
   continues and every error is reported. */
struct f_inst *f_const(struct cf_ctx *ctx, const cf_loc *loc, struct f_val v);
struct f_inst *f_const_typed(struct cf_ctx *ctx, const cf_loc *loc, struct f_val v, f_stype t);
struct f_inst *f_op(struct cf_ctx *ctx, const cf_loc *loc, enum f_op op, struct f_inst *a1, struct f_inst *a2, struct f_inst *a3);
struct f_inst *f_op_imm(struct cf_ctx *ctx, const cf_loc *loc, enum f_op op, uint imm,
                        struct f_inst *a1, struct f_inst *a2, struct f_inst *a3);
struct f_inst *f_op_n(struct cf_ctx *ctx, const cf_loc *loc, enum f_op op, uint n, struct f_inst *args);
int f_is_const(const struct f_inst *i);

/* Typed conversion of a constant (ip literal to quad etc.); NULL = no. */
struct f_inst *f_convert(struct cf_ctx *ctx, struct f_inst *x, f_stype want);
int f_type_fits(f_stype have, f_stype want);

/* f-compile.c: linearization. */
struct f_line *f_linearize(struct cf_ctx *ctx, struct f_inst *body, uint nargs,
                           const struct f_compile_state *st, int is_function);

#define F_SAME_MAX 64
struct f_same_ctx {
  const void *a[F_SAME_MAX], *b[F_SAME_MAX];
  uint n;
};
int f_same_func(const struct f_func *a, const struct f_func *b, struct f_same_ctx *sc);

void f_dump_line(const struct f_line *l, struct strbuf *sb);
int f_line_same(const struct f_line *a, const struct f_line *b, struct f_same_ctx *sc);

/* f-interp.c */
enum filter_return f_eval(const struct f_line *code, linpool *lp, struct f_val *res, char *err, size_t errlen);
enum filter_return f_eval_rte(const struct f_line *code, rte **e, linpool *lp, int flags,
                              struct f_val *res, char *err, size_t errlen);

/* Interpreter state, visible to the exec functions in f-inst.c. */
#define F_VAL_STACK 4096
#define F_FRAME_STACK 512

struct f_frame {
  const struct f_line *line;
  const struct f_item *ret;     /* where a call from this frame goes on */
  struct f_val *vbase;
};

struct f_state {
  const struct f_item *ip;      /* next item of the current frame's line */
  struct f_val *sp;             /* next free value slot */
  struct f_val *vlimit;
  struct f_frame *fp;           /* current frame */
  struct f_frame *flimit;
  struct f_val *vstk;
  struct f_frame *fstk;
  rte **rte;                    /* NULL: no route (eval, constant folding) */
  rta *rta;                     /* == (*rte)->attrs */
  u8 cow;                       /* rte and rta are private copies */
  u8 ea_own;                    /* rta->eattrs is ours and has room */
  uint ea_cap;
  linpool *pool;
  int flags;
  const struct f_item *cur;     /* for error locations */
  const struct f_item *err_at;  /* set by a superinstruction (f-opt.c):
                                   the item inside it that failed */
  char *err;
  size_t errlen;
  struct strbuf *print;         /* print output being assembled */
  uint asserts_failed;          /* bt_assert in test mode */
  uint asserts_passed;
  void (*assert_hook)(struct f_state *s, const struct f_item *it, int ok);
  void *hook_data;
};

enum filter_return f_runtime(struct f_state *s, const char *fmt, ...);

/* Continue at item pc of the current frame's line. */
static inline void f_jump(struct f_state *s, uint pc) { s->ip = s->fp->line->items + pc; }

/* f-attr.c: attributes (route fields and extended attributes). */
enum f_rta_code {
  RA_NET = 1, RA_FROM, RA_GW, RA_PROTO, RA_SOURCE, RA_SCOPE, RA_DEST, RA_IFNAME,
  RA_IFINDEX, RA_PREFERENCE, RA_IGP_METRIC, RA_WEIGHT, RA_ONLINK, RA_MAX
};
struct f_rta_def {
  const char *name;
  f_stype type;
  u8 readonly;
};
extern const struct f_rta_def f_rta_defs[RA_MAX];

struct f_val f_ea_to_val(const eattr *e, f_stype type);
void f_val_to_ea(linpool *lp, const struct f_val *v, eattr *e);
enum filter_return f_rta_get(struct f_state *s, uint code, struct f_val *out);
enum filter_return f_rta_set(struct f_state *s, uint code, const struct f_val *v);
/* Index of the first attribute of l with an id >= id. Attribute lists
   are short (a BGP route has about ten), so a forward scan beats a
   binary search; long lists still get one. */
static inline uint f_ea_pos(const ea_list *l, uint id)
{
  uint lo = 0, hi = l->count;
  if (hi > 16)
  {
    while (lo < hi)
    {
      uint mid = (lo + hi) / 2;
      if (l->attrs[mid].id < id)
        lo = mid + 1;
      else
        hi = mid;
    }
    return lo;
  }
  while (lo < hi && l->attrs[lo].id < id)
    lo++;
  return lo;
}

static inline const eattr *f_ea_find(struct f_state *s, uint id)
{
  const ea_list *l = s->rta->eattrs;
  if (!l)
    return NULL;
  uint i = f_ea_pos(l, id);
  return i < l->count && l->attrs[i].id == id ? &l->attrs[i] : NULL;
}
void f_ea_write(struct f_state *s, const eattr *e);
void f_ea_remove(struct f_state *s, uint id);
void f_rte_cow(struct f_state *s);
int f_roa_check(rtable *t, const net_addr *n, u32 asn);
int f_attr_type_ok_for_custom(f_stype t);
struct ea_class *f_custom_attr(struct cf_ctx *ctx, const char *name, f_stype type);
void f_ea_format_custom(const eattr *a, struct strbuf *sb);

/* f-opt.c: specialised exec functions and superinstructions. */
void f_optimize(struct f_line *l);

/* f-util.c */
void filter_init(void);
struct filter *f_new_filter(struct cf_ctx *ctx, const char *name, struct f_line *code);

/* f-test.c: bt_test_suite registry and the `ternd -t` runner. */
struct f_test_suite {
  node n;
  struct f_func *fn;
  const char *desc;
  cf_loc loc;
};
struct f_test_same {
  node n;
  struct f_func *a, *b;
  int expect;
  cf_loc loc;
};
void f_test_register(struct cf_ctx *ctx, struct f_func *fn, const char *desc, const cf_loc *loc);
void f_test_register_same(struct cf_ctx *ctx, struct f_func *a, struct f_func *b, int expect, const cf_loc *loc);
int f_test_run_all(struct config *c, FILE *out);
/* ternd -t: count the bt_assert()s that run in protocols' filters (the
   route-context tests of BIRD's test.conf), reported as one more suite. */
void f_test_count_route_asserts(void);
extern void (*f_assert_route_hook)(const struct f_item *it, int ok);

#endif
