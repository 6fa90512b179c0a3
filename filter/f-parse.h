/*
 * filter/f-parse.h: helpers for the grammar actions of filter/config.Y.
 */
#ifndef TERN_FILTER_F_PARSE_H
#define TERN_FILTER_F_PARSE_H

#include "filter/f-inst.h"
#include "filter/tree.h"
#include "filter/trie.h"

/* Something that can be assigned to. */
enum { FLV_SYM = 1, FLV_RTA };
struct f_lvalue {
  int kind;
  struct symbol *sym;           /* FLV_SYM: variable or attribute */
  uint code;                    /* FLV_RTA: enum f_rta_code */
};

/* A component of a pair/lc/ec set item: a..b, or * for the full range. */
struct f_range {
  u32 lo, hi;
};

struct f_set_builder {
  struct f_tree_item *items;
  uint count, cap;
  struct f_trie *trie;
  uint prefixes;
};

struct f_mask_builder {
  struct f_path_mask_item *items;
  uint len, cap;
  struct f_inst *head, **tail;  /* expression items, in order */
  uint nexpr;
};

void f_state_push(struct cf_ctx *ctx, struct f_func *fn);
void f_state_pop(struct cf_ctx *ctx);
uint f_new_slot(struct cf_ctx *ctx, f_stype type);
struct symbol *f_declare_var(struct cf_ctx *ctx, struct symbol *sym, f_stype type, const cf_loc *loc);

struct f_inst *f_sym_value(struct cf_ctx *ctx, const cf_loc *loc, struct symbol *s);
struct f_inst *f_rta_value(struct cf_ctx *ctx, const cf_loc *loc, uint code);
struct f_inst *f_lval_get(struct cf_ctx *ctx, const cf_loc *loc, const struct f_lvalue *lv);
struct f_inst *f_assign(struct cf_ctx *ctx, const cf_loc *loc, const struct f_lvalue *lv, struct f_inst *v);
struct f_inst *f_unset(struct cf_ctx *ctx, const cf_loc *loc, const struct f_lvalue *lv);
struct f_inst *f_method(struct cf_ctx *ctx, const cf_loc *loc, struct f_inst *obj, const char *name,
                        struct f_inst *args, int has_parens);
struct f_inst *f_method_stmt(struct cf_ctx *ctx, const cf_loc *loc, const struct f_lvalue *lv,
                             const char *name, struct f_inst *args);
struct f_inst *f_call(struct cf_ctx *ctx, const cf_loc *loc, struct symbol *sym, struct f_inst *args);
struct f_inst *f_expr_stmt(struct cf_ctx *ctx, const cf_loc *loc, struct f_inst *x);

struct f_inst *f_block(struct cf_ctx *ctx, const cf_loc *loc, struct f_inst *list);
struct f_inst *f_if(struct cf_ctx *ctx, const cf_loc *loc, struct f_inst *c, struct f_inst *then, struct f_inst *els);
struct f_inst *f_return(struct cf_ctx *ctx, const cf_loc *loc, struct f_inst *v);
struct f_inst *f_accept_reject(struct cf_ctx *ctx, const cf_loc *loc, int accept, struct f_inst *msg);
struct f_inst *f_assert(struct cf_ctx *ctx, const cf_loc *loc, struct f_inst *c);
struct f_inst *f_var_init(struct cf_ctx *ctx, const cf_loc *loc, struct symbol *s);
struct f_inst *f_for(struct cf_ctx *ctx, const cf_loc *loc, struct symbol *var, struct f_inst *list,
                     struct f_inst *body);
struct f_inst *f_case(struct cf_ctx *ctx, const cf_loc *loc, struct f_inst *v, struct f_case_arm *arms);
struct f_inst *f_print(struct cf_ctx *ctx, const cf_loc *loc, struct f_inst *args, int newline);
struct f_inst *f_aspa_check_node(struct cf_ctx *ctx, const cf_loc *loc, struct symbol *t,
                                 struct f_inst *path, struct f_inst *upstream, int up);
struct f_inst *f_roa_check_node(struct cf_ctx *ctx, const cf_loc *loc, struct symbol *t,
                           struct f_inst *net, struct f_inst *asn);

int f_const_value(struct cf_ctx *ctx, struct f_inst *x, struct f_val *out);
uint f_const_int(struct cf_ctx *ctx, struct f_inst *x);
void f_define_const(struct cf_ctx *ctx, struct symbol *sym, struct f_inst *x, const cf_loc *loc);
void f_define_attr(struct cf_ctx *ctx, f_stype type, struct symbol *sym, const cf_loc *loc);

struct f_func *f_func_start(struct cf_ctx *ctx, struct symbol *sym, const cf_loc *loc);
void f_func_arg(struct cf_ctx *ctx, f_stype type, struct symbol *sym, const cf_loc *loc);
void f_func_ret(struct cf_ctx *ctx, f_stype type);
void f_func_finish(struct cf_ctx *ctx, struct f_inst *body);
struct filter *f_filter_finish(struct cf_ctx *ctx, const char *name, struct f_inst *body);
struct filter *f_where_filter(struct cf_ctx *ctx, const cf_loc *loc, struct f_inst *cond);

void f_set_init(struct f_set_builder *b);
void f_set_add_range(struct cf_ctx *ctx, struct f_set_builder *b, struct f_inst *from, struct f_inst *to,
                     const cf_loc *loc);
void f_set_add_pair(struct cf_ctx *ctx, struct f_set_builder *b, const struct f_range *x, const struct f_range *y,
                    const cf_loc *loc);
void f_set_add_lc(struct cf_ctx *ctx, struct f_set_builder *b, const struct f_range *x, const struct f_range *y,
                  const struct f_range *z, const cf_loc *loc);
void f_set_add_ec(struct cf_ctx *ctx, struct f_set_builder *b, uint kind, struct f_inst *key,
                  const struct f_range *v, const cf_loc *loc);
void f_set_add_prefix(struct cf_ctx *ctx, struct f_set_builder *b, const net_addr *n, int lo, int hi,
                      const cf_loc *loc);
struct f_inst *f_set_finish(struct cf_ctx *ctx, struct f_set_builder *b, const cf_loc *loc);

void f_mask_add(struct cf_ctx *ctx, struct f_mask_builder *m, struct f_path_mask_item it, struct f_inst *expr);
struct f_inst *f_mask_finish(struct cf_ctx *ctx, struct f_mask_builder *m, const cf_loc *loc);

struct f_line *f_expr_line(struct cf_ctx *ctx, struct f_inst *x);
void f_cli_eval(struct cf_ctx *ctx, struct f_inst *x);

#endif
