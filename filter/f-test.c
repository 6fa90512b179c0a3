/*
 * filter/f-test.c: tests written in the filter language.
 *
 *   bt_test_suite(fn, "description");   fn takes no arguments; every
 *                                      bt_assert(expr) in it is counted
 *   bt_test_same(f1, f2, 1);            compiled f1 and f2 compare equal
 *                                      (0: they must differ), the check
 *                                      reconfiguration uses
 *
 * `ternd -t FILE` loads FILE as a config, starts it, and calls
 * f_test_run_all(): one line per suite, "PASS name" or "FAIL name:
 * file:line:col: assertion text", then "N passed, N failed" counting
 * assertions. A run-time error in a suite fails the suite.
 */
#include <stdio.h>
#include <string.h>

#include "filter/f-inst.h"
#include "lib/printf.h"
#include "nest/route.h"

struct f_tests {
  list suites;                  /* struct f_test_suite */
  list sames;                   /* struct f_test_same */
};

static struct f_tests *tests_of(struct cf_ctx *ctx)
{
  struct f_tests *t = ctx->conf->filter_state;
  if (!t)
  {
    t = cf_alloc(ctx, sizeof(*t));
    init_list(&t->suites);
    init_list(&t->sames);
    ctx->conf->filter_state = t;
  }
  return t;
}

void f_test_register(struct cf_ctx *ctx, struct f_func *fn, const char *desc, const cf_loc *loc)
{
  if (ctx->cli_mode)
    return;
  struct f_test_suite *s = cf_alloc(ctx, sizeof(*s));
  s->fn = fn;
  s->desc = desc;
  s->loc = *loc;
  add_tail(&tests_of(ctx)->suites, &s->n);
}

void f_test_register_same(struct cf_ctx *ctx, struct f_func *a, struct f_func *b, int expect, const cf_loc *loc)
{
  if (ctx->cli_mode)
    return;
  struct f_test_same *s = cf_alloc(ctx, sizeof(*s));
  s->a = a;
  s->b = b;
  s->expect = expect;
  s->loc = *loc;
  add_tail(&tests_of(ctx)->sames, &s->n);
}

/* The source text of an assertion, read back from its file. */
static void source_text(const cf_loc *loc, char *buf, size_t len)
{
  buf[0] = 0;
  FILE *f = loc->file ? fopen(loc->file, "r") : NULL;
  if (!f)
    return;
  char line[4096];
  size_t n = 0;
  for (int ln = 1; fgets(line, sizeof(line), f) && ln <= loc->last_line; ln++)
  {
    if (ln < loc->first_line)
      continue;
    int from = ln == loc->first_line ? loc->first_column - 1 : 0;
    int to = ln == loc->last_line ? loc->last_column - 1 : (int) strlen(line);
    for (int i = from; i < to && line[i] && line[i] != '\n' && n + 1 < len; i++)
      buf[n++] = line[i];
    if (ln != loc->last_line && n + 1 < len)
      buf[n++] = ' ';
  }
  buf[n] = 0;
  fclose(f);
}

struct suite_run {
  uint passed, failed;
  char first[1024];
};

static void assert_hook(struct f_state *s, const struct f_item *it, int ok)
{
  struct suite_run *r = s->hook_data;
  if (ok)
  {
    r->passed++;
    return;
  }
  r->failed++;
  if (!r->first[0] && it->loc)
  {
    char text[700];
    source_text(it->loc, text, sizeof(text));
    bsnprintf(r->first, sizeof(r->first), "%s:%d:%d: %s", it->loc->file, it->loc->first_line,
              it->loc->first_column, text);
  }
}

/* Assertions in filters that protocols run while `ternd -t` commits the
   config and its routes flow. */
static struct suite_run route_run;
void (*f_assert_route_hook)(const struct f_item *it, int ok);

static void route_assert(const struct f_item *it, int ok)
{
  struct f_state s = { .hook_data = &route_run };
  assert_hook(&s, it, ok);
}

void f_test_count_route_asserts(void)
{
  f_assert_route_hook = route_assert;
}

static FILE *test_out;
extern void (*f_print_hook)(const char *line);
static void print_to_out(const char *line) { fprintf(test_out, "%s\n", line); }

enum filter_return f_run_hooked(const struct f_line *code, rte **e, linpool *lp,
                                void (*hook)(struct f_state *, const struct f_item *, int), void *data,
                                char *err, size_t errlen);

int f_test_run_all(struct config *c, FILE *out)
{
  struct f_tests *t = c->filter_state;
  uint passed = 0, failed = 0;
  test_out = out;
  f_print_hook = print_to_out;
  linpool *lp = lp_new(c->pool);
  if (t)
  {
    struct f_test_suite *s;
    WALK_LIST(s, t->suites)
    {
      struct suite_run r = { 0 };
      char err[512];
      /* Each suite gets a fresh route to read and modify: 192.0.2.0/24,
         static, unreachable, preference 100, no extended attributes. */
      struct network *n = lp_allocz(lp, sizeof(struct network));
      net_fill_ip4(&n->n, ip4_from_u32(0xc0000200), 24);
      rta *a = lp_allocz(lp, sizeof(rta));
      a->source = RTS_STATIC;
      a->scope = SCOPE_UNIVERSE;
      a->dest = RTD_UNREACHABLE;
      a->from = IPA_NONE;
      a->nh.gw = IPA_NONE;
      rte *e = lp_allocz(lp, sizeof(rte));
      e->attrs = a;
      e->net = n;
      e->pref = 100;
      e->flags = REF_DISCARD;
      enum filter_return res = f_run_hooked(s->fn->code, &e, lp, assert_hook, &r, err, sizeof(err));
      passed += r.passed;
      failed += r.failed;
      if (res == F_ERROR)
      {
        failed++;
        fprintf(out, "FAIL %s: %s\n", s->fn->name, err);
      }
      else if (r.failed)
        fprintf(out, "FAIL %s: %s\n", s->fn->name, r.first);
      else
        fprintf(out, "PASS %s\n", s->fn->name);
      lp_flush(lp);
    }
    struct f_test_same *m;
    WALK_LIST(m, t->sames)
    {
      struct f_same_ctx sc = { .n = 0 };
      int same = f_same_func(m->a, m->b, &sc);
      int ok = !!same == !!m->expect;
      if (ok)
      {
        passed++;
        fprintf(out, "PASS same(%s, %s)\n", m->a->name, m->b->name);
      }
      else
      {
        failed++;
        fprintf(out, "FAIL same(%s, %s): %s:%d:%d: expected %s\n", m->a->name, m->b->name, m->loc.file,
                m->loc.first_line, m->loc.first_column, m->expect ? "same" : "different");
      }
    }
  }
  if (route_run.passed || route_run.failed)
  {
    passed += route_run.passed;
    failed += route_run.failed;
    if (route_run.failed)
      fprintf(out, "FAIL route filters: %s\n", route_run.first);
    else
      fprintf(out, "PASS route filters\n");
  }
  f_assert_route_hook = NULL;
  fprintf(out, "%u passed, %u failed\n", passed, failed);
  f_print_hook = NULL;
  return failed ? 1 : 0;
}
