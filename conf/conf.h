/*
 * conf/conf.h: configuration objects and the parse context.
 *
 * A configuration is parsed into its own pool (struct config), fully
 * checked, and only then committed: nest diffs it against the running one
 * protocol by protocol. Parsing never touches running state, so a config
 * with errors changes nothing. Errors are collected (all of them, each as
 * "file:line:col: message") instead of aborting at the first.
 *
 * The same grammar parses CLI commands: the lexer hands the parser a
 * CLI_MARKER token first, which selects the cli_cmd start rule.
 */
#ifndef TERN_CONF_CONF_H
#define TERN_CONF_CONF_H

#include "lib/tern.h"
#include "lib/lists.h"
#include "lib/resource.h"
#include "lib/hash.h"
#include "lib/buffer.h"
#include "lib/ip.h"
#include "lib/net.h"

typedef int64_t btime;   /* microseconds; same typedef as sysdep/unix/io.h */

/* Location of a token: file, line and column (1-based). */
typedef struct cf_loc {
  const char *file;
  int first_line, first_column, last_line, last_column;
} cf_loc;

/* What a symbol names. */
enum sym_class {
  SYM_VOID = 0,
  SYM_PROTO,
  SYM_TEMPLATE,
  SYM_TABLE,
  SYM_FILTER,
  SYM_FUNCTION,
  SYM_ATTRIBUTE,
  SYM_CONSTANT,
  SYM_VARIABLE,
  SYM_METHOD,
};

struct symbol {
  struct hnode hn;
  const char *name;
  struct sym_scope *scope;
  enum sym_class class;
  cf_loc loc;
  union {
    struct proto_config *proto;
    struct rtable_config *table;
    struct filter *filter;
    struct f_func *function;
    struct ea_class *attribute;
    struct f_val *val;          /* SYM_CONSTANT */
    struct f_var *var;          /* SYM_VARIABLE */
    void *ptr;
  };
};

struct sym_scope {
  struct sym_scope *next;       /* enclosing scope */
  struct htable hash;
  pool *pool;
  uint slots;                   /* local variables allocated in this scope */
  uint soft:1;                  /* a block scope inside a function */
};

/* Time formats (BIRD's `timeformat route|protocol|base|log`). */
struct timeformat {
  const char *fmt1, *fmt2;      /* recent / older than limit */
  btime limit;                /* seconds, as btime (us) */
};

enum timeformat_kind { TF_ROUTE, TF_PROTO, TF_BASE, TF_LOG, TF_MAX };

/* `log` destinations, as written in the config. */
struct log_config_item {
  node n;
  int kind;                     /* LOG_DEST_* from sysdep/unix/log.h */
  const char *path;
  const char *syslog_name;
  u32 mask;
};

/* `cli "path" { restrict; }` extra control sockets. */
struct cli_config {
  node n;
  const char *path;
  uint restricted:1;
};

struct config {
  pool *pool;
  linpool *mem;
  const char *file_name;        /* main file as given */
  const char *err_file;

  u32 router_id;
  list router_id_from;          /* struct iface_patt_node (nest/iface.h) */
  list logfiles;                /* struct log_config_item */
  int log_set;                  /* any `log` statement seen */
  list tables;                  /* struct rtable_config */
  list protos;                  /* struct proto_config, in config order */
  list cli_sockets;             /* struct cli_config */
  struct rtable_config *def_tables[NET_MAX];
  struct sym_scope *root_scope;
  struct timeformat tf[TF_MAX];
  u32 proto_default_debug;
  u32 proto_default_mrtdump;
  uint gr_wait;                 /* graceful restart wait, s */
  btime load_time;
  void *filter_state;           /* owned by filter/: attribute ids etc. */
};

/* The parse context: no parser state lives in globals. */
struct cf_ctx {
  struct config *conf;
  pool *pool;                   /* where parsed objects go: the config's, */
  linpool *mem;                 /* or a CLI command's own */
  void *scanner;                /* flex reentrant scanner */
  struct cf_include *inc;       /* include stack (top) */
  struct sym_scope *scope;      /* current symbol scope */
  struct strbuf errors;         /* "file:line:col: msg\n" lines */
  uint err_count;
  cf_loc last_loc;

  /* CLI mode */
  int cli_mode;
  struct cli *cli;
  int cli_token_sent;

  /* Objects being built by the grammar */
  struct proto_config *this_proto;
  struct channel_config *this_channel;
  void *this_extra;             /* protocol-specific object under construction */
  struct f_compile_state *fstate;  /* filter compiler state (filter/) */
  struct flow_builder *this_flow;  /* flow4/flow6 literal (filter/flow.Y) */

  /* Keywords of a scope (%keywords(S) in a fragment), known to the lexer
     besides the global ones while set; the lexer clears it at '}'. */
  const struct cf_keyword *kw_scope;
};

struct cf_keyword {
  const char *name;
  int token;
};
extern const struct cf_keyword cf_keywords[];

/* conf.c */
struct config *config_alloc(const char *file_name);
void config_free(struct config *c);
int config_parse_file(struct config *c, const char *file, struct strbuf *errors);
int config_parse_string(struct config *c, const char *name, const char *text, struct strbuf *errors);
int cli_parse_line(struct config *c, struct cli *cli, const char *line, pool *p, struct strbuf *errors);

void cf_error(struct cf_ctx *ctx, const cf_loc *loc, const char *fmt, ...);
void *cf_alloc(struct cf_ctx *ctx, size_t size);
char *cf_strdup(struct cf_ctx *ctx, const char *s);

struct symbol *cf_find_symbol(struct sym_scope *scope, const char *name);
struct symbol *cf_find_local_symbol(struct sym_scope *scope, const char *name);
struct symbol *cf_define_symbol(struct cf_ctx *ctx, struct symbol *sym, enum sym_class class,
                                void *def, const cf_loc *loc);
struct symbol *cf_get_symbol(struct cf_ctx *ctx, const char *name);
void cf_push_scope(struct cf_ctx *ctx, int soft);
void cf_pop_scope(struct cf_ctx *ctx);
void sym_walk(struct sym_scope *scope, void (*cb)(struct symbol *, void *), void *arg);

/* Global scope for built-in symbols (route attributes registered by nest
   and protocols); every config's root scope chains to it. */
extern struct sym_scope *cf_global_scope;
struct symbol *cf_global_symbol(const char *name, enum sym_class class, void *def);

const char *sym_class_name(enum sym_class c);

/* The parser entry point (cf-parse.y) and the lexer glue (cf-lex.l). */
int cf_lex_init(struct cf_ctx *ctx, const char *file, const char *text);
void cf_lex_cleanup(struct cf_ctx *ctx);
int cf_include(struct cf_ctx *ctx, const char *name, const cf_loc *loc);



/* Constants are filter values; these accessors live in filter/. */
int cf_sym_is_int(const struct symbol *s);
uint cf_sym_int(const struct symbol *s);
int cf_sym_is_string(const struct symbol *s);
const char *cf_sym_string(const struct symbol *s);

const net_addr *cf_net_normalized(const net_addr *n);
extern void (*cf_postconfig_hook)(struct cf_ctx *ctx);
/* Called on the first error while parsing a CLI command, so that the CLI
   can drop whatever the command's actions print after it. */
extern void (*cf_cli_error_hook)(struct cli *cli);
#endif
