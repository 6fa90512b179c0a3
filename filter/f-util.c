/*
 * filter/f-util.c: the filter API the rest of the daemon uses.
 *
 * Until the compiled filter language lands (filter/config.Y), the only
 * filters a config can express are `all` and `none`; f_run() handles
 * exactly those and refuses anything else loudly rather than guessing.
 */
#include <string.h>

#include "filter/filter.h"
#include "filter/data.h"
#include "conf/conf.h"

enum filter_return f_run(const struct filter *f, rte **rte, linpool *tmp, int flags)
{
  if (f == FILTER_ACCEPT)
    return F_ACCEPT;
  if (f == FILTER_REJECT)
    return F_REJECT;
  bug("f_run: compiled filter %s without an interpreter", f->name ? f->name : "(unnamed)");
}

int filter_same(const struct filter *a, const struct filter *b)
{
  if (a == b)
    return 1;
  if (a == FILTER_ACCEPT || a == FILTER_REJECT || b == FILTER_ACCEPT || b == FILTER_REJECT)
    return 0;
  return 0;
}

const char *filter_name(const struct filter *f)
{
  if (f == FILTER_ACCEPT)
    return "ACCEPT";
  if (f == FILTER_REJECT)
    return "REJECT";
  return f->name ? f->name : "(unnamed)";
}

int filter_uses_roa(const struct filter *f, rtable **tables, int max)
{
  return 0;
}

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
