/*
 * filter/filter.h: what the rest of the daemon sees of filters.
 *
 * Channels hold `const struct filter *`: FILTER_ACCEPT and FILTER_REJECT
 * are the constant filters behind `import all` / `import none`; every
 * other filter is compiled code run by f_run().
 */
#ifndef TERN_FILTER_FILTER_H
#define TERN_FILTER_FILTER_H

#include "lib/tern.h"
#include "lib/resource.h"
#include "nest/route.h"

struct filter {
  const char *name;             /* NULL for an unnamed (inline) filter */
  struct symbol *sym;
  struct f_line *root;          /* compiled code */
};

#define FILTER_ACCEPT ((const struct filter *) 0)
#define FILTER_REJECT ((const struct filter *) 1)

enum filter_return {
  F_NOP = 0, F_NONL, F_RETURN, F_ACCEPT, F_REJECT, F_ERROR,
};

/* f_run() flags */
#define FF_SILENT 2             /* no log messages on run-time errors */
#define FF_COMMANDS 4           /* commands, not a filter: falling off the end accepts */

/* Runs f on *rte. A filter that changes the route replaces *rte with a
   temporary copy (copy-on-write); the caller owns the result. */
enum filter_return f_run(const struct filter *f, rte **rte, linpool *tmp, int flags);
int filter_same(const struct filter *a, const struct filter *b);
const char *filter_name(const struct filter *f);
int filter_uses_roa(const struct filter *f, rtable **tables, int max);

#endif
