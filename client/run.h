/*
 * client/run.h: what ternc does with one typed command line, shared by the
 * one-shot, batch (stdin not a terminal) and interactive modes.
 *
 * A line is expanded first (abbreviations, from the command table); client
 * commands (quit, exit, help) are handled here; everything else goes to the
 * daemon. The connection is opened on first use: greeting, then `restrict`
 * with -r (which must answer 0016).
 */
#ifndef TERN_CLIENT_RUN_H
#define TERN_CLIENT_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "client/cmdtable.h"
#include "client/help.h"
#include "client/session.h"

#define CMD_LINE_MAX 4096     /* the daemon's receive buffer */

struct ternc_opts {
  const char *socket;
  bool restricted;
  bool verbose;
  bool json;
};

struct runner {
  struct session s;
  struct ternc_opts o;
  const struct cli_cmd_info *table;
  bool open;
};

enum line_result {
  LINE_OK,        /* done, reply code < 8000 (or nothing was sent) */
  LINE_FAILED,    /* expansion error, or reply code >= 8000 */
  LINE_QUIT,      /* quit / exit */
  LINE_LOST,      /* no connection, or it closed mid-reply */
};

void runner_init(struct runner *r, const struct ternc_opts *o, const struct cli_cmd_info *table);
void runner_done(struct runner *r);
/* Connect, read the greeting, restrict if asked; false on failure. */
bool runner_open(struct runner *r);
/* Expand a typed line into cmd. Returns LINE_OK with *client set to what
 * the client must do itself (CLIENT_NONE: send cmd to the daemon), or
 * LINE_FAILED with the message printed. Blank lines give cmd "". */
enum line_result runner_prepare(struct runner *r, const char *line, char *cmd, size_t len,
                                enum client_cmd *client);
/* Handle a client command (help text to stdout). */
enum line_result runner_client(struct runner *r, enum client_cmd c, const char *cmd);
/* After a reply is complete: print it as JSON with -j; its result. */
enum line_result runner_finish(struct runner *r, const char *cmd);
/* Everything for one line, blocking. */
enum line_result runner_line(struct runner *r, const char *line);

#endif
