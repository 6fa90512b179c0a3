/*
 * nest/cli.c: control socket connections and reply framing.
 *
 * The wire protocol is BIRD 2.0.12's (see doc/cli.md): a greeting line,
 * one command per line (at most 4096 bytes, else "9000 Command too long"),
 * replies framed by 4-digit codes. Commands are parsed by the config grammar
 * in CLI mode; parse errors answer "9001 <message>". A client is not read
 * while its reply is being written, so a slow reader only slows itself.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nest/cli.h"
#include "nest/nest.h"
#include "conf/conf.h"
#include "lib/printf.h"
#include "sysdep/unix/log.h"

list cli_list;
static list cli_listeners;
static u32 cli_next_id;

struct cli_listener {
  node n;
  sock sk;
  char *path;
  int restricted;
};

struct async_line {
  node n;
  char text[];
};

static void cli_run(struct cli *c);

void cli_write_line(struct cli *c, int code, const char *text)
{
  char hdr[8];
  int cont = code < 0;
  int num = cont ? -code : code;
  size_t len = strlen(text);
  if (len > CLI_LINE_SIZE - 8) {
    text = "<line overflow>";
    len = strlen(text);
    num = 8000;
  }
  if (num == CLI_ASYNC_CODE) {
    sk_send(&c->sk, "+", 1);
  } else if (cont && num == c->last_reply) {
    sk_send(&c->sk, " ", 1);
  } else {
    bsnprintf(hdr, sizeof(hdr), "%04d%c", num, cont ? '-' : ' ');
    sk_send(&c->sk, hdr, 5);
  }
  sk_send(&c->sk, text, len);
  sk_send(&c->sk, "\n", 1);
  if (num != CLI_ASYNC_CODE)
    c->last_reply = cont ? num : 0;
}

void cli_msg(struct cli *c, int code, const char *fmt, ...)
{
  if (c->parse_failed)
    return;
  char buf[CLI_LINE_SIZE];
  va_list args;
  va_start(args, fmt);
  int n = bvsnprintf(buf, sizeof(buf), fmt, args);
  va_end(args);
  if (n < 0 || n > CLI_LINE_SIZE - 8) {
    cli_write_line(c, code < 0 ? -8000 : 8000, "<line overflow>");
    return;
  }
  cli_write_line(c, code, buf);
}

int cli_access_restricted(struct cli *c)
{
  if (c->restricted) {
    cli_msg(c, 8007, "Access denied");
    return 1;
  }
  return 0;
}

/* Flush log lines queued while a command was running. */
static void cli_flush_async(struct cli *c)
{
  node *n, *nxt;
  WALK_LIST_DELSAFE(n, nxt, c->async_queue) {
    struct async_line *l = (struct async_line *) n;
    cli_write_line(c, CLI_ASYNC_CODE, l->text);
    rem_node(n);
    mb_free(l);
  }
  c->async_queued = 0;
}

static void cli_command_done(struct cli *c)
{
  if (c->last_reply)
    cli_write_line(c, 0, "");
  if (c->cleanup)
    c->cleanup(c);
  c->cleanup = NULL;
  c->cont = NULL;
  c->rover = NULL;
  c->in_command = 0;
  if (c->cmd_pool) {
    rp_free(c->cmd_pool);
    c->cmd_pool = NULL;
  }
  cli_flush_async(c);
  sk_pause_rx(&c->sk, 0);
}

static void cli_parse_error(struct cli *c)
{
  c->parse_failed = 1;
}

static void cli_execute(struct cli *c, const char *line)
{
  struct strbuf err;
  sb_init(&err);
  cf_cli_error_hook = cli_parse_error;
  c->parse_failed = 0;
  c->in_command = 1;
  c->last_reply = 0;
  c->cmd_pool = rp_new(c->pool, "CLI command");
  if (!cli_parse_line(config, c, line, c->cmd_pool, &err)) {
    /* A parse error aborts whatever the command had started to print. */
    if (c->cleanup)
      c->cleanup(c);
    c->cleanup = NULL;
    c->cont = NULL;
    char *msg = err.data ? err.data : "Parse error";
    char *nl = strchr(msg, '\n');
    if (nl)
      *nl = 0;
    c->parse_failed = 0;
    c->last_reply = 0;
    cli_msg(c, 9001, "%s", msg);
  }
  sb_free(&err);
  cli_run(c);
}

/* Produce output until the command is done or the socket buffer is full. */
static void cli_run(struct cli *c)
{
  while (c->cont && sk_tx_pending(&c->sk) < CLI_TX_HIGH_WATER && !c->closing)
    c->cont(c);
  if (!c->cont && c->in_command)
    cli_command_done(c);
}

static void cli_free(struct cli *c)
{
  if (c->cleanup)
    c->cleanup(c);
  rem_node(&c->n);
  sk_close(&c->sk);
  rp_free(c->pool);
}

static void cli_err(sock *s, int err)
{
  struct cli *c = s->data;
  if (err)
    log_msg(L_TRACE "CLI connection dropped: %s", strerror(err));
  cli_free(c);
}

static void cli_tx(sock *s)
{
  struct cli *c = s->data;
  if (c->in_command)
    cli_run(c);
}

static int cli_rx(sock *s, size_t len)
{
  struct cli *c = s->data;
  size_t used = 0;
  while (used < len && !c->in_command) {
    char *start = (char *) s->rbuf + used;
    char *nl = memchr(start, '\n', len - used);
    if (c->discarding) {
      if (!nl)
        return len;
      c->discarding = 0;
      used = (nl - (char *) s->rbuf) + 1;
      continue;
    }
    if (!nl) {
      if (len - used >= CLI_RX_BUF_SIZE - 1) {
        cli_msg(c, 9000, "Command too long");
        c->discarding = 1;     /* the rest of this line is garbage too */
        return len;
      }
      break;
    }
    *nl = 0;
    if (nl > start && nl[-1] == '\r')
      nl[-1] = 0;
    used = (nl - (char *) s->rbuf) + 1;
    if (nl - start >= CLI_RX_BUF_SIZE - 1) {
      cli_msg(c, 9000, "Command too long");
      continue;
    }
    if (!*start)
      continue;
    sk_pause_rx(s, 1);
    cli_execute(c, start);
  }
  return used;
}

static void cli_accept(sock *ls, int fd)
{
  struct cli_listener *l = ls->data;
  pool *p = rp_new(&root_pool, "CLI");
  struct cli *c = mb_allocz(p, sizeof(*c));
  c->pool = p;
  c->id = ++cli_next_id;
  c->restricted = l->restricted;
  init_list(&c->async_queue);
  sk_init(&c->sk);
  c->sk.rbsize = CLI_RX_BUF_SIZE;
  c->sk.rx_hook = cli_rx;
  c->sk.tx_hook = cli_tx;
  c->sk.err_hook = cli_err;
  c->sk.data = c;
  if (sk_attach(&c->sk, fd, SK_UNIX) < 0) {
    close(fd);
    rp_free(p);
    return;
  }
  add_tail(&cli_list, &c->n);
  cli_msg(c, 1, "BIRD %s ready.", BIRD_COMPAT_VERSION);
}

static struct cli_listener *cli_listen(const char *path, int restricted)
{
  struct cli_listener *l = xmalloc(sizeof(*l));
  memset(l, 0, sizeof(*l));
  l->path = xstrdup(path);
  l->restricted = restricted;
  sk_init(&l->sk);
  l->sk.accept_hook = cli_accept;
  l->sk.data = l;
  if (sk_listen_unix(&l->sk, path, restricted ? 0666 : 0660) < 0) {
    log_msg(L_ERR "Cannot create control socket %s: %m", path);
    xfree(l->path);
    xfree(l);
    return NULL;
  }
  add_tail(&cli_listeners, &l->n);
  return l;
}

void cli_init_unix(const char *path, int restricted)
{
  static int inited;
  if (!inited) {
    init_list(&cli_list);
    init_list(&cli_listeners);
    inited = 1;
  }
  if (!cli_listen(path, restricted))
    die("Cannot create control socket %s: %s", path, strerror(errno));
}

/* Extra sockets from `cli "path" { restrict; }`: the main socket stays;
   the configured ones are replaced on every reconfiguration. */
void cli_start_listeners(list *cli_configs)
{
  struct cli_listener *l, *nxt;
  int first = 1;
  WALK_LIST_DELSAFE(l, nxt, cli_listeners) {
    if (first) {
      first = 0;
      continue;
    }
    sk_close(&l->sk);
    unlink(l->path);
    rem_node(&l->n);
    xfree(l->path);
    xfree(l);
  }
  struct cli_config *cc;
  WALK_LIST(cc, *cli_configs)
    cli_listen(cc->path, cc->restricted);
}

void cli_close_listeners(void)
{
  struct cli_listener *l;
  WALK_LIST(l, cli_listeners) {
    sk_close(&l->sk);
    unlink(l->path);
  }
}

/* Log echo (`echo all`): lines go out at once between commands, else wait. */
void cli_echo(int class, const char *msg)
{
  struct cli *c;
  if (!cli_list.head.next)
    return;
  WALK_LIST(c, cli_list) {
    if (!(c->log_mask & (1u << class)))
      continue;
    if (!c->in_command) {
      cli_write_line(c, CLI_ASYNC_CODE, msg);
    } else if (c->async_queued < 64) {
      size_t len = strlen(msg);
      struct async_line *l = mb_alloc(c->pool, sizeof(*l) + len + 1);
      memcpy(l->text, msg, len + 1);
      add_tail(&c->async_queue, &l->n);
      c->async_queued++;
    }
  }
}
