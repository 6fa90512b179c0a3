/*
 * nest/cli.h: the control socket server (BIRD 2 wire protocol).
 *
 * Each client gets a struct cli. A reply is a sequence of lines, each with
 * a 4-digit code: "NNNN-text" continues, "NNNN text" ends the reply, and a
 * line with the same code as the previous one is sent as " text". Callers
 * use cli_msg(c, -code, ...) for a continued line and cli_msg(c, code, ...)
 * for the final one. Long replies (show route) set c->cont, which is called
 * again whenever the client has drained its output.
 */
#ifndef TERN_NEST_CLI_H
#define TERN_NEST_CLI_H

#include "lib/tern.h"
#include "lib/lists.h"
#include "lib/resource.h"
#include "sysdep/unix/io.h"

#define CLI_RX_BUF_SIZE 4096
#define CLI_LINE_SIZE 512
#define CLI_TX_HIGH_WATER 65536
#define CLI_ASYNC_CODE 10000

struct cli {
  node n;
  pool *pool;
  sock sk;
  u32 id;
  int last_reply;               /* code of the last line sent, 0 = none open */
  u8 restricted;
  u8 in_command;                /* a reply is being produced */
  u8 closing;
  u8 parse_failed;              /* drop output until the 9001 reply */
  u8 discarding;                /* skipping the rest of a too long line */
  void (*cont)(struct cli *c);
  void (*cleanup)(struct cli *c);
  void *rover;                  /* state of a continued command */
  pool *cmd_pool;               /* freed when the command completes */
  u32 log_mask;                 /* `echo` classes */
  uint log_size;
  list async_queue;             /* log lines waiting for the command to end */
  uint async_queued;
};

void cli_init_unix(const char *path, int restricted);
void cli_close_listeners(void);
void cli_start_listeners(list *cli_configs);
void cli_msg(struct cli *c, int code, const char *fmt, ...);
void cli_write_line(struct cli *c, int code, const char *text);
int cli_access_restricted(struct cli *c);
void cli_echo(int class, const char *msg);
extern list cli_list;

#define cli_printf cli_msg

#endif
