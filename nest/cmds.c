/*
 * nest/cmds.c: daemon-wide CLI commands: status, memory, symbols,
 * configure, down, echo, restrict. Output follows BIRD 2.0.12 line for line.
 */
#include <string.h>
#include <unistd.h>

#include "nest/nest.h"
#include "nest/cmds.h"
#include "nest/cli.h"
#include "nest/route.h"
#include "nest/protocol.h"
#include "lib/printf.h"
#include "sysdep/unix/io.h"
#include "sysdep/unix/log.h"

void cmd_show_status(struct cli *c)
{
  char now[64], boot[64], reconf[64], host[256] = "";
  struct timeformat *tf = &config->tf[TF_BASE];
  tm_format_time(now, sizeof(now), tf, current_real_time());
  tm_format_time(boot, sizeof(boot), tf, boot_time);
  tm_format_time(reconf, sizeof(reconf), tf, config->load_time);
  gethostname(host, sizeof(host) - 1);
  cli_msg(c, -1000, "BIRD %s", BIRD_COMPAT_VERSION);
  cli_msg(c, -1011, "Router ID is %R", config->router_id);
  cli_msg(c, -1011, "Hostname is %s", host);
  cli_msg(c, -1011, "Current server time is %s", now);
  cli_msg(c, -1011, "Last reboot on %s", boot);
  cli_msg(c, -1011, "Last reconfiguration on %s", reconf);
  if (gr_recovery)
    cli_msg(c, -24, "Graceful restart recovery in progress");
  if (shutting_down)
    cli_msg(c, 13, "Shutdown in progress");
  else if (config_status() == CONF_CONFIRM)
    cli_msg(c, 13, "Reconfiguration in progress");
  else
    cli_msg(c, 13, "Daemon is up and running");
}

/* Sizes as BIRD prints them: "45.5 kB", "2148.0  B". */
static void fmt_size(char *buf, size_t len, size_t v)
{
  static const char *const units[] = { " B", "kB", "MB", "GB", "TB" };
  double d = v;
  uint u = 0;
  while (d >= 10000 && u < ARRAY_SIZE(units) - 1) {
    d /= 1024;
    u++;
  }
  bsnprintf(buf, len, "%.1f %s", d, units[u]);
}

static void mem_line(struct cli *c, const char *label, struct resmem m)
{
  char e[32], o[32];
  fmt_size(e, sizeof(e), m.effective);
  fmt_size(o, sizeof(o), m.overhead);
  cli_msg(c, -1018, "%-17s %9s %11s", label, e, o);
}

struct pool_find { const char *name; struct resmem sum; };

static void sum_named(pool *p, void *arg)
{
  struct pool_find *f = arg;
  if (!strcmp(rp_name(p), f->name)) {
    struct resmem m = rmemsize(p);
    f->sum.effective += m.effective;
    f->sum.overhead += m.overhead;
  }
}

static struct resmem named_pools(const char *name)
{
  struct pool_find f = { .name = name };
  rp_walk_children(&root_pool, sum_named, &f);
  return f.sum;
}

void cmd_show_memory(struct cli *c)
{
  struct resmem tables = named_pools("Routing tables");
  struct resmem attrs = named_pools("Attributes");
  struct resmem protos = named_pools("Protocols");
  struct resmem conf = rmemsize(config->pool);
  struct resmem total = rmemsize(&root_pool);
  struct resmem standby = { 0, 0 };
  cli_msg(c, -1018, "BIRD memory usage");
  cli_msg(c, -1018, "%-17s %9s %11s", "", "Effective", "Overhead");
  mem_line(c, "Routing tables:", tables);
  mem_line(c, "Route attributes:", attrs);
  mem_line(c, "Protocols:", protos);
  mem_line(c, "Current config:", conf);
  mem_line(c, "Standby memory:", standby);
  mem_line(c, "Total:", total);
  cli_msg(c, 0, "");
}

struct sym_show { struct cli *c; int class; int count; };

static void show_one_symbol(struct symbol *s, void *arg)
{
  struct sym_show *w = arg;
  if (w->class >= 0 && (int) s->class != w->class)
    return;
  const char *cls = sym_class_name(s->class);
  if (s->class == SYM_TABLE && s->table)
    cls = s->table->addr_type == NET_IP4 ? "routing table" : "routing table";
  cli_msg(w->c, -1010, "%-8s \t%s", s->name, cls);
  w->count++;
}

void cmd_show_symbols(struct cli *c, int class, struct symbol *sym)
{
  if (sym) {
    if (sym->class == SYM_VOID)
      cli_msg(c, 1010, "%-8s \t%s", sym->name, "undefined");
    else
      cli_msg(c, 1010, "%-8s \t%s", sym->name, sym_class_name(sym->class));
    return;
  }
  struct sym_show w = { c, class, 0 };
  sym_walk(config->root_scope, show_one_symbol, &w);
  if (class < 0 || class == SYM_ATTRIBUTE) {
    /* Custom attributes of the running config are in its root scope too. */
  }
  cli_msg(c, 0, "");
}

static void configure_report(struct cli *c, int status, uint timeout)
{
  switch (status) {
  case CONF_DONE:
    cli_msg(c, 3, "Reconfigured");
    break;
  case CONF_CONFIRM:
    cli_msg(c, -22, "Undo scheduled in %u s", timeout);
    cli_msg(c, 3, "Reconfigured");
    break;
  case CONF_SHUTDOWN:
    cli_msg(c, 6, "Reconfiguration ignored, shutting down");
    break;
  default:
    cli_msg(c, 4, "Reconfiguration in progress");
  }
}

/* Reads and checks a config; on errors prints them (8002) and returns NULL. */
static struct config *cli_read_config(struct cli *c, const char *name)
{
  const char *file = name ? name : config_name;
  cli_msg(c, -2, "Reading configuration from %s", file);
  struct strbuf err;
  sb_init(&err);
  struct config *nc = sysdep_read_config(file, &err);
  if (!nc) {
    /* Every error, one line each; the last line ends the reply. */
    char *s = err.data ? err.data : (char *) "";
    char *line = s;
    int n = 0;
    for (char *p = s; *p; p++)
      if (*p == '\n')
        n++;
    while (*line) {
      char *nl = strchr(line, '\n');
      if (nl)
        *nl = 0;
      cli_msg(c, --n > 0 ? -8002 : 8002, "%s", line);
      if (!nl)
        break;
      line = nl + 1;
    }
    if (!*s)
      cli_msg(c, 8002, "%s: configuration error", file);
  }
  sb_free(&err);
  return nc;
}

void cmd_configure(struct cli *c, const char *name, int type, uint timeout)
{
  if (cli_access_restricted(c))
    return;
  struct config *nc = cli_read_config(c, name);
  if (!nc)
    return;
  int st = config_commit(nc, type, timeout);
  configure_report(c, st, timeout);
}

void cmd_configure_check(struct cli *c, const char *name)
{
  if (cli_access_restricted(c))
    return;
  struct config *nc = cli_read_config(c, name);
  if (!nc)
    return;
  config_free(nc);
  cli_msg(c, 20, "Configuration OK");
}

void cmd_configure_confirm(struct cli *c)
{
  if (cli_access_restricted(c))
    return;
  if (config_confirm() == CONF_NOTHING)
    cli_msg(c, 19, "Nothing to do");
  else
    cli_msg(c, 18, "Reconfiguration confirmed");
}

void cmd_configure_undo(struct cli *c)
{
  if (cli_access_restricted(c))
    return;
  if (config_undo() == CONF_NOTHING) {
    cli_msg(c, 19, "Nothing to do");
    return;
  }
  cli_msg(c, -21, "Undo requested");
  cli_msg(c, 3, "Reconfigured");
}

void cmd_configure_status(struct cli *c)
{
  if (shutting_down)
    cli_msg(c, -6, "Shutdown in progress");
  else
    cli_msg(c, -3, "Daemon is up and running");
  btime r = config_timer_remains();
  if (r >= 0)
    cli_msg(c, -22, "Configuration unconfirmed, undo in %u.%03u s",
            (uint) (r / 1000000), (uint) (r % 1000000 / 1000));
  cli_msg(c, 0, "");
}

void cmd_down(struct cli *c)
{
  if (cli_access_restricted(c))
    return;
  cli_msg(c, 7, "Shutdown requested");
  order_shutdown(0);
}

void cmd_echo(struct cli *c, uint mask, uint size)
{
  c->log_mask = mask;
  c->log_size = size;
  cli_msg(c, 0, "");
}

void cmd_restrict(struct cli *c)
{
  c->restricted = 1;
  cli_msg(c, 16, "Access restricted");
}

/* Protocol names: `protocol static x`, or a generated "static1". */
void proto_set_name(struct cf_ctx *ctx, struct symbol *s, const void *vloc)
{
  const cf_loc *loc = vloc;
  struct proto_config *pc = ctx->this_proto;
  if (!s) {
    struct protocol *pr = pc->protocol;
    for (uint i = 1;; i++) {
      char name[64];
      bsnprintf(name, sizeof(name), pr->template, i);
      if (!cf_find_symbol(ctx->scope, name)) {
        s = cf_get_symbol(ctx, name);
        break;
      }
    }
  }
  if (s->class != SYM_VOID && s->scope == ctx->scope) {
    cf_error(ctx, loc, "Symbol '%s' already defined", s->name);
    s = NULL;
  }
  if (s) {
    s = cf_define_symbol(ctx, s, pc->is_template ? SYM_TEMPLATE : SYM_PROTO, pc, loc);
    pc->name = s->name;
    pc->sym = s;
  } else {
    pc->name = "(invalid)";
  }
  if (!pc->is_template)
    add_tail(&ctx->conf->protos, &pc->n);
}

void proto_from_template(struct cf_ctx *ctx, struct symbol *t, const void *vloc)
{
  const cf_loc *loc = vloc;
  if (t->class != SYM_TEMPLATE && t->class != SYM_PROTO) {
    cf_error(ctx, loc, "Template '%s' not found", t->name);
    return;
  }
  struct proto_config *tc = t->proto;
  if (tc->protocol != ctx->this_proto->protocol) {
    cf_error(ctx, loc, "Incompatible template type");
    return;
  }
  proto_copy_config(ctx->this_proto, tc);
}
