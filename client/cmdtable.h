/*
 * client/cmdtable.h: where ternc gets `struct cli_cmd_info` from.
 *
 * The command table is generated from the daemon's grammar fragments into
 * conf/cli-commands.c (declared in conf/cli-commands.h). The client code is
 * written against that declaration only; while the conf side is still being
 * written the header may be missing, so an identical fallback declaration
 * keeps client/ buildable on its own. Once the header is in the tree it wins.
 */
#ifndef TERN_CLIENT_CMDTABLE_H
#define TERN_CLIENT_CMDTABLE_H

#if defined(__has_include) && __has_include("conf/cli-commands.h")
#include "conf/cli-commands.h"
#else
struct cli_cmd_info {
  const char *command;  /* keywords separated by one space, e.g. "show route" */
  const char *args;     /* argument synopsis, may be "" */
  const char *help;     /* one-line help */
};
extern const struct cli_cmd_info cli_cmd_table[];  /* ends with command == NULL */
#endif

#endif
