/*
 * nest/cmds.h: daemon-wide CLI commands.
 */
#ifndef TERN_NEST_CMDS_H
#define TERN_NEST_CMDS_H

struct cli;
struct symbol;
struct cf_ctx;

void cmd_show_status(struct cli *c);
void cmd_show_memory(struct cli *c);
void cmd_show_symbols(struct cli *c, int class, struct symbol *sym);
void cmd_configure(struct cli *c, const char *name, int type, uint timeout);
void cmd_configure_confirm(struct cli *c);
void cmd_configure_undo(struct cli *c);
void cmd_configure_status(struct cli *c);
void cmd_configure_check(struct cli *c, const char *name);
void cmd_down(struct cli *c);
void cmd_echo(struct cli *c, uint mask, uint size);
void cmd_restrict(struct cli *c);

void proto_set_name(struct cf_ctx *ctx, struct symbol *s, const void *loc);
void proto_from_template(struct cf_ctx *ctx, struct symbol *t, const void *loc);

#endif
