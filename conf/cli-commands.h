/*
 * conf/cli-commands.h: the CLI command table, generated from the %cli lines
 * of the grammar fragments. ternc uses it for abbreviations, completion and
 * `?` help; the daemon's grammar parses the same commands.
 */
#ifndef TERN_CONF_CLI_COMMANDS_H
#define TERN_CONF_CLI_COMMANDS_H

struct cli_cmd_info {
  const char *command;  /* keywords separated by one space, e.g. "show route" */
  const char *args;     /* argument synopsis, may be "" */
  const char *help;     /* one-line help */
};

extern const struct cli_cmd_info cli_cmd_table[];  /* ends with command == NULL */

#endif
