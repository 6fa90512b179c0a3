/*
 * conf/conf.c: config objects, the parse driver, error collection and
 * symbol scopes.
 *
 * config_parse_file() runs the generated Bison parser over a file (and its
 * includes) into a fresh struct config. Every error is recorded with its
 * location and parsing goes on (Bison error recovery for syntax errors,
 * plain continuation for semantic ones), so the user sees all of them.
 * The caller (nest) decides what to do with a config that parsed cleanly.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>

#include "conf/conf.h"
#include "conf/cf-parse.h"
#include "lib/printf.h"

int yyparse(struct cf_ctx *ctx);

struct sym_scope *cf_global_scope;
void (*cf_cli_error_hook)(struct cli *cli);

static struct sym_scope *scope_new(pool *p, struct sym_scope *next, int soft)
{
  struct sym_scope *s = mb_allocz(p, sizeof(*s));
  s->next = next;
  s->pool = p;
  s->soft = soft;
  ht_init(&s->hash, p, 6);
  return s;
}

struct config *config_alloc(const char *file_name)
{
  pool *p = rp_new(&root_pool, "Config");
  struct config *c = mb_allocz(p, sizeof(*c));
  c->pool = p;
  c->mem = lp_new(p);
  c->file_name = lp_strdup(c->mem, file_name ? file_name : "");
  init_list(&c->logfiles);
  init_list(&c->tables);
  init_list(&c->protos);
  init_list(&c->cli_sockets);
  init_list(&c->router_id_from);
  if (!cf_global_scope)
    cf_global_scope = scope_new(&root_pool, NULL, 0);
  c->root_scope = scope_new(p, cf_global_scope, 0);
  c->gr_wait = 240;
  return c;
}

void config_free(struct config *c)
{
  if (c)
    rp_free(c->pool);
}

void *cf_alloc(struct cf_ctx *ctx, size_t size)
{
  return lp_allocz(ctx->mem, size);
}

char *cf_strdup(struct cf_ctx *ctx, const char *s)
{
  return lp_strdup(ctx->mem, s);
}

void cf_error(struct cf_ctx *ctx, const cf_loc *loc, const char *fmt, ...)
{
  char msg[1024];
  va_list args;
  va_start(args, fmt);
  if (bvsnprintf(msg, sizeof(msg), fmt, args) < 0)
    strcpy(msg + sizeof(msg) - 5, "...");
  va_end(args);
  if (!ctx->err_count && ctx->cli_mode && ctx->cli && cf_cli_error_hook)
    cf_cli_error_hook(ctx->cli);
  ctx->err_count++;
  if (ctx->cli_mode || !loc || !loc->file)
    sb_printf(&ctx->errors, "%s\n", msg);
  else
    sb_printf(&ctx->errors, "%s:%d:%d: %s\n", loc->file, loc->first_line, loc->first_column, msg);
}

const net_addr *cf_net_normalized(const net_addr *n)
{
  net_addr *m = tmp_alloc(sizeof(net_addr));
  net_copy(m, n);
  net_normalize(m);
  return m;
}

/* Symbols */

struct symbol *cf_find_local_symbol(struct sym_scope *scope, const char *name)
{
  u32 h = str_hash(name);
  for (struct hnode *n = ht_first(&scope->hash, h); n; n = ht_next_same(n)) {
    struct symbol *s = SKIP_BACK(struct symbol, hn, n);
    if (!strcmp(s->name, name))
      return s;
  }
  return NULL;
}

struct symbol *cf_find_symbol(struct sym_scope *scope, const char *name)
{
  for (; scope; scope = scope->next) {
    struct symbol *s = cf_find_local_symbol(scope, name);
    if (s && s->class != SYM_VOID)
      return s;
  }
  return NULL;
}

static struct symbol *sym_new(struct sym_scope *scope, const char *name)
{
  struct symbol *s = mb_allocz(scope->pool, sizeof(*s) + strlen(name) + 1);
  char *copy = (char *) (s + 1);
  strcpy(copy, name);
  s->name = copy;
  s->scope = scope;
  ht_insert(&scope->hash, &s->hn, str_hash(name));
  return s;
}

/* An undefined name seen by the lexer: a SYM_VOID placeholder in the
   current scope, which a definition may then fill in. */
struct symbol *cf_get_symbol(struct cf_ctx *ctx, const char *name)
{
  struct symbol *s = cf_find_local_symbol(ctx->scope, name);
  return s ? s : sym_new(ctx->scope, name);
}

struct symbol *cf_define_symbol(struct cf_ctx *ctx, struct symbol *sym, enum sym_class class,
                                void *def, const cf_loc *loc)
{
  if (sym->class != SYM_VOID && sym->scope == ctx->scope) {
    cf_error(ctx, loc, "Symbol '%s' already defined", sym->name);
    return sym;
  }
  if (sym->scope != ctx->scope)
    sym = cf_get_symbol(ctx, sym->name);   /* shadowing an outer symbol */
  sym->class = class;
  sym->ptr = def;
  if (loc)
    sym->loc = *loc;
  return sym;
}

struct symbol *cf_global_symbol(const char *name, enum sym_class class, void *def)
{
  if (!cf_global_scope)
    cf_global_scope = scope_new(&root_pool, NULL, 0);
  struct symbol *s = cf_find_local_symbol(cf_global_scope, name);
  if (!s)
    s = sym_new(cf_global_scope, name);
  s->class = class;
  s->ptr = def;
  return s;
}

void cf_push_scope(struct cf_ctx *ctx, int soft)
{
  ctx->scope = scope_new(ctx->pool, ctx->scope, soft);
}

void cf_pop_scope(struct cf_ctx *ctx)
{
  if (ctx->scope->next)
    ctx->scope = ctx->scope->next;
}

struct sym_walk_ctx { void (*cb)(struct symbol *, void *); void *arg; };

static void sym_walk_node(struct hnode *n, void *arg)
{
  struct sym_walk_ctx *w = arg;
  struct symbol *s = SKIP_BACK(struct symbol, hn, n);
  if (s->class != SYM_VOID)
    w->cb(s, w->arg);
}

void sym_walk(struct sym_scope *scope, void (*cb)(struct symbol *, void *), void *arg)
{
  struct sym_walk_ctx w = { cb, arg };
  ht_walk(&scope->hash, sym_walk_node, &w);
}

const char *sym_class_name(enum sym_class c)
{
  static const char *const names[] = {
    [SYM_VOID] = "undefined", [SYM_PROTO] = "protocol", [SYM_TEMPLATE] = "protocol template",
    [SYM_TABLE] = "routing table", [SYM_FILTER] = "filter", [SYM_FUNCTION] = "function",
    [SYM_ATTRIBUTE] = "custom attribute", [SYM_CONSTANT] = "constant",
    [SYM_VARIABLE] = "variable", [SYM_METHOD] = "method",
  };
  return c < ARRAY_SIZE(names) && names[c] ? names[c] : "?";
}

/* Parse driver */

/* Hooks run after a successful parse, in registration order: cross-object
   checks (e.g. default tables, protocol postconfig) that need the whole
   config. They report errors through cf_error like the grammar does. */
void (*cf_postconfig_hook)(struct cf_ctx *ctx);

static int run_parser(struct cf_ctx *ctx, struct strbuf *errors)
{
  if (!ctx->pool) {
    ctx->pool = ctx->conf->pool;
    ctx->mem = ctx->conf->mem;
  }
  ctx->scope = ctx->conf->root_scope;
  if (ctx->cli_mode)
    ctx->scope = scope_new(ctx->pool, ctx->scope, 0);
  int r = yyparse(ctx);
  /* Post-parse checks run even after (recovered) errors, to report all. */
  if (r == 0 && !ctx->cli_mode && cf_postconfig_hook)
    cf_postconfig_hook(ctx);
  if (r != 0 && !ctx->err_count)
    cf_error(ctx, &ctx->last_loc, "Parse error");
  cf_lex_cleanup(ctx);
  if (errors)
    sb_append(errors, ctx->errors.data ? ctx->errors.data : "", ctx->errors.len);
  sb_free(&ctx->errors);
  return ctx->err_count == 0;
}

int config_parse_file(struct config *c, const char *file, struct strbuf *errors)
{
  struct cf_ctx ctx = { .conf = c, .pool = c->pool, .mem = c->mem };
  sb_init(&ctx.errors);
  if (cf_lex_init(&ctx, file, NULL) < 0) {
    sb_printf(errors, "%s: %s\n", file, strerror(errno));
    cf_lex_cleanup(&ctx);
    sb_free(&ctx.errors);
    return 0;
  }
  return run_parser(&ctx, errors);
}

int config_parse_string(struct config *c, const char *name, const char *text, struct strbuf *errors)
{
  struct cf_ctx ctx = { .conf = c, .pool = c->pool, .mem = c->mem };
  sb_init(&ctx.errors);
  cf_lex_init(&ctx, name, text);
  return run_parser(&ctx, errors);
}

/* A CLI command is parsed with the running config's symbols visible, into
   a temporary scope so that it can define nothing permanent. */
int cli_parse_line(struct config *c, struct cli *cli, const char *line, pool *p, struct strbuf *errors)
{
  struct cf_ctx ctx = { .conf = c, .cli_mode = 1, .cli = cli, .pool = p, .mem = lp_new(p) };
  sb_init(&ctx.errors);
  cf_lex_init(&ctx, "<cli>", line);
  return run_parser(&ctx, errors);
}
