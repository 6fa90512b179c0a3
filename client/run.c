/*
 * client/run.c: expanding, sending and finishing one command line (see
 * run.h); the blocking path used by one-shot and batch modes.
 */
#include <stdio.h>
#include <string.h>

#include "client/expand.h"
#include "client/run.h"

void runner_init(struct runner *r, const struct ternc_opts *o, const struct cli_cmd_info *table)
{
  memset(r, 0, sizeof(*r));
  r->o = *o;
  r->table = table;
  session_init(&r->s, stdout);
  r->s.verbose = o->verbose;
  r->s.json = o->json;
}

void runner_done(struct runner *r)
{
  session_close(&r->s);
  r->open = false;
}

bool runner_open(struct runner *r)
{
  if (r->open)
    return true;
  if (session_connect(&r->s, r->o.socket) < 0)
    return false;
  /* the greeting is printed like any reply (birdc does) except with -j */
  if (session_wait(&r->s) < 0 || r->s.code >= 8000)
    return false;
  if (r->o.restricted) {
    if (session_send(&r->s, "restrict") < 0 || session_wait(&r->s) < 0)
      return false;
    if (r->s.code != 16) {
      fprintf(stderr, "ternc: the daemon refused restricted mode (reply %04d)\n", r->s.code);
      return false;
    }
  }
  session_reset(&r->s);
  r->open = true;
  return true;
}

enum line_result runner_prepare(struct runner *r, const char *line, char *cmd, size_t len,
                                enum client_cmd *client)
{
  char err[512];
  *client = CLIENT_NONE;
  if (cmd_expand(r->table, line, cmd, len, err, sizeof(err)) < 0) {
    fprintf(stderr, "%s\n", err);
    return LINE_FAILED;
  }
  *client = client_command(cmd);
  return LINE_OK;
}

enum line_result runner_client(struct runner *r, enum client_cmd c, const char *cmd)
{
  if (c == CLIENT_QUIT)
    return LINE_QUIT;
  cmd_help(r->table, cmd + strlen("help"), stdout);
  fflush(stdout);
  return LINE_OK;
}

enum line_result runner_finish(struct runner *r, const char *cmd)
{
  if (r->o.json)
    session_print_json(&r->s, cmd);
  return r->s.code < 8000 ? LINE_OK : LINE_FAILED;
}

enum line_result runner_line(struct runner *r, const char *line)
{
  char cmd[CMD_LINE_MAX];
  enum client_cmd client;
  enum line_result res = runner_prepare(r, line, cmd, sizeof(cmd), &client);
  if (res != LINE_OK || !cmd[0])
    return res;
  if (client != CLIENT_NONE)
    return runner_client(r, client, cmd);
  if (!runner_open(r))
    return LINE_LOST;
  if (session_send(&r->s, cmd) < 0 || session_wait(&r->s) < 0) {
    runner_done(r);
    return LINE_LOST;
  }
  return runner_finish(r, cmd);
}
