/*
 * client/help.h: `?` help and the client's own commands.
 *
 * The command table the client works with is the daemon's table (generated
 * from its grammar) followed by the few commands the client handles itself
 * (quit, exit, help), so that those abbreviate and show up in help too.
 */
#ifndef TERN_CLIENT_HELP_H
#define TERN_CLIENT_HELP_H

#include <stdio.h>

#include "client/cmdtable.h"

/* Daemon table + client commands, in a new array the caller frees (the
 * strings stay the tables' own). */
struct cli_cmd_info *cmdtab_with_client(const struct cli_cmd_info *daemon);

/* Is the (expanded) command one the client handles itself? */
enum client_cmd { CLIENT_NONE, CLIENT_QUIT, CLIENT_HELP };
enum client_cmd client_command(const char *expanded);

/* List the commands matching the words typed so far (each word a prefix of
 * the keyword at its position), "command args" then the help text. Returns
 * how many were listed. */
int cmd_help(const struct cli_cmd_info *table, const char *line, FILE *out);

#endif
