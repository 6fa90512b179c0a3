/*
 * filter/f-util.c: the filter API the rest of the daemon uses, and the
 * built-in symbols of the filter language.
 *
 * filter_init() puts into the global scope every named attribute class
 * registered so far (protocols register theirs first, see
 * proto/bgp/attrs.c) and the enum constants (RTS_*, ORIGIN_*, ROA_*, ...).
 * f_run() is in f-interp.c, filter_same() in f-compile.c.
 */
#include <string.h>

#include "filter/filter.h"
#include "filter/f-inst.h"
#include "filter/data.h"
#include "conf/conf.h"
#include "nest/route.h"
#include "nest/cli.h"
#include "filter/f-parse.h"

const char *filter_name(const struct filter *f)
{
  if (f == FILTER_ACCEPT)
    return "ACCEPT";
  if (f == FILTER_REJECT)
    return "REJECT";
  return f->name ? f->name : "(unnamed)";
}

struct filter *f_new_filter(struct cf_ctx *ctx, const char *name, struct f_line *code)
{
  struct filter *f = cf_alloc(ctx, sizeof(*f));
  f->name = name;
  f->root = code;
  return f;
}

/* ROA tables a filter (and every function it calls) checks against. */
struct roa_walk {
  rtable **tables;
  int max, n;
  const struct f_line *seen[256];
  uint nseen;
};

static void roa_walk_line(struct roa_walk *w, const struct f_line *l)
{
  for (uint i = 0; i < w->nseen; i++)
    if (w->seen[i] == l)
      return;
  if (w->nseen < ARRAY_SIZE(w->seen))
    w->seen[w->nseen++] = l;
  for (uint i = 0; i < l->len; i++)
  {
    const struct f_item *it = &l->items[i];
    if (it->op == FI_CALL)
      roa_walk_line(w, ((const struct f_func *) it->ptr)->code);
    else if (it->op == FI_ROA_CHECK_IMPLICIT || it->op == FI_ROA_CHECK_EXPLICIT ||
             it->op == FI_ASPA_CHECK || it->op == FI_ASPA_CHECK_UP || it->op == FI_ASPA_CHECK_DOWN)
    {
      rtable *t = ((const struct rtable_config *) it->ptr)->table;
      int dup = 0;
      for (int k = 0; k < w->n; k++)
        dup |= w->tables[k] == t;
      if (t && !dup && w->n < w->max)
        w->tables[w->n++] = t;
    }
  }
}

int filter_uses_roa(const struct filter *f, rtable **tables, int max)
{
  if (f == FILTER_ACCEPT || f == FILTER_REJECT)
    return 0;
  struct roa_walk w = { .tables = tables, .max = max };
  roa_walk_line(&w, f->root);
  return w.n;
}

/* Constants are filter values. */
int cf_sym_is_int(const struct symbol *s)
{
  return s->class == SYM_CONSTANT && s->val && s->val->type == T_INT;
}

uint cf_sym_int(const struct symbol *s)
{
  return s->val->val.i;
}

int cf_sym_is_string(const struct symbol *s)
{
  return s->class == SYM_CONSTANT && s->val && s->val->type == T_STRING;
}

const char *cf_sym_string(const struct symbol *s)
{
  return s->val->val.s;
}

/* ---- built-in symbols ---- */

struct f_enum_const {
  const char *name;
  enum f_type type;
  uint value;
};

static const struct f_enum_const enum_consts[] = {
  { "RTS_DUMMY", T_ENUM_RTS, RTS_DUMMY }, { "RTS_STATIC", T_ENUM_RTS, RTS_STATIC },
  { "RTS_INHERIT", T_ENUM_RTS, RTS_INHERIT }, { "RTS_DEVICE", T_ENUM_RTS, RTS_DEVICE },
  { "RTS_STATIC_DEVICE", T_ENUM_RTS, RTS_STATIC_DEVICE }, { "RTS_REDIRECT", T_ENUM_RTS, RTS_REDIRECT },
  { "RTS_RIP", T_ENUM_RTS, RTS_RIP }, { "RTS_OSPF", T_ENUM_RTS, RTS_OSPF },
  { "RTS_OSPF_IA", T_ENUM_RTS, RTS_OSPF_IA }, { "RTS_OSPF_EXT1", T_ENUM_RTS, RTS_OSPF_EXT1 },
  { "RTS_OSPF_EXT2", T_ENUM_RTS, RTS_OSPF_EXT2 }, { "RTS_BGP", T_ENUM_RTS, RTS_BGP },
  { "RTS_PIPE", T_ENUM_RTS, RTS_PIPE }, { "RTS_BABEL", T_ENUM_RTS, RTS_BABEL },
  { "RTS_RPKI", T_ENUM_RTS, RTS_RPKI }, { "RTS_PERF", T_ENUM_RTS, RTS_PERF },
  { "ORIGIN_IGP", T_ENUM_BGP_ORIGIN, 0 }, { "ORIGIN_EGP", T_ENUM_BGP_ORIGIN, 1 },
  { "ORIGIN_INCOMPLETE", T_ENUM_BGP_ORIGIN, 2 },
  { "SCOPE_HOST", T_ENUM_SCOPE, SCOPE_HOST }, { "SCOPE_LINK", T_ENUM_SCOPE, SCOPE_LINK },
  { "SCOPE_SITE", T_ENUM_SCOPE, SCOPE_SITE }, { "SCOPE_ORGANIZATION", T_ENUM_SCOPE, SCOPE_ORGANIZATION },
  { "SCOPE_UNIVERSE", T_ENUM_SCOPE, SCOPE_UNIVERSE }, { "SCOPE_UNDEFINED", T_ENUM_SCOPE, SCOPE_UNDEFINED },
  { "RTD_UNICAST", T_ENUM_RTD, RTD_UNICAST }, { "RTD_BLACKHOLE", T_ENUM_RTD, RTD_BLACKHOLE },
  { "RTD_UNREACHABLE", T_ENUM_RTD, RTD_UNREACHABLE }, { "RTD_PROHIBIT", T_ENUM_RTD, RTD_PROHIBIT },
  { "ROA_UNKNOWN", T_ENUM_ROA, 0 }, { "ROA_VALID", T_ENUM_ROA, 1 }, { "ROA_INVALID", T_ENUM_ROA, 2 },
  { "NET_IP4", T_ENUM_NETTYPE, NET_IP4 }, { "NET_IP6", T_ENUM_NETTYPE, NET_IP6 },
  { "NET_VPN4", T_ENUM_NETTYPE, NET_VPN4 }, { "NET_VPN6", T_ENUM_NETTYPE, NET_VPN6 },
  { "NET_ROA4", T_ENUM_NETTYPE, NET_ROA4 }, { "NET_ROA6", T_ENUM_NETTYPE, NET_ROA6 },
  { "NET_FLOW4", T_ENUM_NETTYPE, NET_FLOW4 }, { "NET_FLOW6", T_ENUM_NETTYPE, NET_FLOW6 },
  { "NET_IP6_SADR", T_ENUM_NETTYPE, NET_IP6_SADR }, { "NET_MPLS", T_ENUM_NETTYPE, NET_MPLS },
  { "NET_ASPA", T_ENUM_NETTYPE, NET_ASPA },
  { "ASPA_UNKNOWN", T_ENUM_ASPA, 0 }, { "ASPA_VALID", T_ENUM_ASPA, 1 }, { "ASPA_INVALID", T_ENUM_ASPA, 2 },
  { "RA_PREFERENCE_LOW", T_ENUM_RA_PREFERENCE, 3 }, { "RA_PREFERENCE_MEDIUM", T_ENUM_RA_PREFERENCE, 0 },
  { "RA_PREFERENCE_HIGH", T_ENUM_RA_PREFERENCE, 1 },
  { "AF_IPV4", T_ENUM_AF, 1 }, { "AF_IPV6", T_ENUM_AF, 2 },
};

static struct f_val enum_vals[ARRAY_SIZE(enum_consts)];

void filter_init(void)
{
  for (uint i = 0; i < ARRAY_SIZE(enum_consts); i++)
  {
    enum_vals[i] = f_val_int(enum_consts[i].type, enum_consts[i].value);
    cf_global_symbol(enum_consts[i].name, SYM_CONSTANT, &enum_vals[i]);
  }
  /* Protocol attributes registered before us become filter symbols. */
  for (uint id = 1; id < ea_class_max; id++)
  {
    struct ea_class *c = ea_class_find(id);
    if (c && c->name)
      cf_global_symbol(c->name, SYM_ATTRIBUTE, c);
  }
}

/* `eval EXPR`: 0023 with the value, 8008 on a run-time error. Type errors
   never get here: they are parse errors (9001). */
void f_cli_eval(struct cf_ctx *ctx, struct f_inst *x)
{
  if (ctx->err_count)
    return;
  struct f_line *l = f_expr_line(ctx, x);
  if (!l || ctx->err_count)
    return;
  struct f_val v;
  char err[256];
  enum filter_return r = f_eval(l, ctx->mem, &v, err, sizeof(err));
  if (r == F_ERROR)
  {
    cli_msg(ctx->cli, 8008, "runtime error: %s", err);
    return;
  }
  char *s = val_format_str(ctx->mem, &v);
  cli_msg(ctx->cli, 23, "%s", s);
}
