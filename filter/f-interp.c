/*
 * filter/f-interp.c: the interpreter.
 *
 * One loop fetches the next f_item of the current frame and calls its exec
 * function; there is no C recursion, function calls push a frame on an
 * explicit frame stack (so deep recursion in a filter is a clean run-time
 * error, not a crash). Values live on a value stack array; a frame's
 * variables are a window of it starting at vbase (arguments first, then
 * locals). Nothing is allocated except from the linpool passed in.
 *
 * The route is copied on the first write only (f_rte_cow in f-attr.c):
 * a filter that only reads the route never copies anything.
 */
#include <stdarg.h>
#include <string.h>

#include "filter/f-inst.h"
#include "filter/tree.h"
#include "filter/trie.h"
#include "filter/aspath.h"
#include "lib/printf.h"
#include "sysdep/unix/log.h"

/* Where print output goes: the log, or a test runner's stdout. */
void (*f_print_hook)(const char *line);

void f_print_flush(struct f_state *s)
{
  if (!(s->flags & FF_SILENT))
  {
    if (f_print_hook)
      f_print_hook(sb_str(s->print));
    else
      log_msg(L_INFO "%s", sb_str(s->print));
  }
  sb_reset(s->print);
}

enum filter_return f_runtime(struct f_state *s, const char *fmt, ...)
{
  va_list args;
  va_start(args, fmt);
  if (s->err && s->errlen)
    bvsnprintf(s->err, s->errlen, fmt, args);
  va_end(args);
  return F_ERROR;
}

static const net_addr_ip4 zero_net4 = { NET_IP4, 0, sizeof(net_addr_ip4), { 0 } };
static const struct f_path_mask empty_mask = { 0 };
static struct f_trie *empty_trie;
static linpool *interp_lp;

/* The value a declared but unassigned variable has. */
struct f_val f_zero_value(f_stype t)
{
  struct f_val v = { .type = ST_BASE(t) };
  switch (ST_BASE(t))
  {
  case T_IP: v.val.ip = IPA_NONE; break;
  case T_NET: v.val.net = (const net_addr *) &zero_net4; break;
  case T_STRING: v.val.s = ""; break;
  case T_PATH_MASK: v.val.path_mask = &empty_mask; break;
  case T_PREFIX_SET:
    if (!empty_trie)
    {
      interp_lp = lp_new(&root_pool);
      empty_trie = f_trie_new(interp_lp, -1);
    }
    v.val.ti = empty_trie;
    break;
  default: break;
  }
  return v;
}

static void err_prefix(struct f_state *s, const char *what)
{
  /* "file:line:col: message" for logs and tests */
  if (!s->cur || !s->cur->loc || !s->cur->loc->file || !s->err)
    return;
  char tmp[512];
  bsnprintf(tmp, sizeof(tmp), "%s:%d:%d: %s", s->cur->loc->file, s->cur->loc->first_line,
            s->cur->loc->first_column, s->err);
  bsnprintf(s->err, s->errlen, "%s", tmp);
  (void) what;
}

/* Runs from the current frame until a terminal result. */
static enum filter_return f_exec(struct f_state *s)
{
  for (;;)
  {
    const struct f_item *it = s->ip++;
    enum filter_return r = it->exec(s, it);
    if (r != F_NOP)
    {
      s->cur = s->err_at ? s->err_at : it;
      return r;
    }
  }
}

struct f_stacks {
  struct f_val v[F_VAL_STACK];
  struct f_frame f[F_FRAME_STACK];
};

/* Inline: f_run() calls it for every route. */
static inline void state_init(struct f_state *s, struct f_stacks *st, const struct f_line *code,
                              linpool *lp, struct strbuf *pb, char *err, size_t errlen)
{
  *s = (struct f_state) {
    .ip = code->items,
    .sp = st->v + code->nslots,
    .vlimit = st->v + F_VAL_STACK,
    .fp = st->f,
    .flimit = st->f + F_FRAME_STACK,
    .vstk = st->v,
    .fstk = st->f,
    .pool = lp,
    .err = err,
    .errlen = errlen,
    .print = pb,
  };
  s->fp->line = code;
  s->fp->vbase = st->v;
  for (uint i = 0; i < code->nslots; i++)
    st->v[i] = f_zero_value(code->slot_type[i]);
  if (err && errlen)
    err[0] = 0;
}

/* Evaluates code that leaves one value (an expression, or a function's
   body whose RETURN ends the run) without a route. */
enum filter_return f_eval_rte(const struct f_line *code, rte **e, linpool *lp, int flags,
                              struct f_val *res, char *err, size_t errlen)
{
  struct f_stacks *st = xmalloc(sizeof(*st));
  struct strbuf pb;
  sb_init(&pb);
  struct f_state s;
  state_init(&s, st, code, lp, &pb, err, errlen);
  s.flags = flags;
  if (e)
  {
    s.rte = e;
    s.rta = (*e)->attrs;
  }
  enum filter_return r = f_exec(&s);
  if (r == F_ERROR)
    err_prefix(&s, "eval");
  if (res)
    *res = (s.sp > st->v + code->nslots) ? s.sp[-1] : (struct f_val) { .type = T_VOID };
  sb_free(&pb);
  xfree(st);
  return r;
}

enum filter_return f_eval(const struct f_line *code, linpool *lp, struct f_val *res, char *err, size_t errlen)
{
  return f_eval_rte(code, NULL, lp, 0, res, err, errlen);
}

/* The stacks of f_run live here: filters run on the main loop only, and
   f_run is not re-entered (nothing a filter does runs another filter). */
static struct f_stacks run_stacks;
static struct strbuf run_print;
static int run_active;

enum filter_return f_run(const struct filter *f, rte **e, linpool *tmp, int flags)
{
  if (f == FILTER_ACCEPT)
    return F_ACCEPT;
  if (f == FILTER_REJECT)
    return F_REJECT;
  if (run_active)
    bug("f_run re-entered");
  run_active = 1;

  char err[256];
  struct f_state s;
  state_init(&s, &run_stacks, f->root, tmp, &run_print, err, sizeof(err));
  s.flags = flags;
  s.rte = e;
  s.rta = (*e)->attrs;
  enum filter_return r = f_exec(&s);
  run_active = 0;

  switch (r)
  {
  case F_ACCEPT:
  case F_REJECT:
    return r;
  case F_ERROR:
    err_prefix(&s, "run");
    if (!(flags & FF_SILENT))
      log_msg(L_ERR "Filter %s: %s", filter_name(f), err);
    return F_ERROR;
  default:
    if (flags & FF_COMMANDS)
      return F_ACCEPT;
    if (!(flags & FF_SILENT))
      log_msg(L_ERR "Filter %s did not return accept nor reject. Make up your mind", filter_name(f));
    return F_REJECT;
  }
}

/* Runs a test function: its bt_assert results go to hook. */
enum filter_return f_run_hooked(const struct f_line *code, rte **e, linpool *lp,
                                void (*hook)(struct f_state *, const struct f_item *, int), void *data,
                                char *err, size_t errlen)
{
  struct f_stacks *st = xmalloc(sizeof(*st));
  struct strbuf pb;
  sb_init(&pb);
  struct f_state s;
  state_init(&s, st, code, lp, &pb, err, errlen);
  s.assert_hook = hook;
  s.hook_data = data;
  if (e)
  {
    s.rte = e;
    s.rta = (*e)->attrs;
  }
  enum filter_return r = f_exec(&s);
  if (r == F_ERROR)
    err_prefix(&s, "test");
  sb_free(&pb);
  xfree(st);
  return r;
}
