/*
 * client/cmdtable.h: where ternc gets `struct cli_cmd_info` from: the
 * command table generated from the daemon's grammar fragments
 * (conf/cli-commands.c, declared in conf/cli-commands.h).
 */
#ifndef TERN_CLIENT_CMDTABLE_H
#define TERN_CLIENT_CMDTABLE_H

#include "conf/cli-commands.h"

#endif
