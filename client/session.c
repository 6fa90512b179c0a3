/*
 * client/session.c: control-socket connection, reply reading and dispatch
 * of lines to the printer or the JSON collector.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "client/output.h"
#include "client/session.h"

void session_init(struct session *s, FILE *out)
{
  memset(s, 0, sizeof(*s));
  s->fd = -1;
  s->out = out;
  s->code = -1;
  wire_init(&s->rd);
  reply_init(&s->reply);
}

int session_connect(struct session *s, const char *path)
{
  struct sockaddr_un sa = { .sun_family = AF_UNIX };
  if (strlen(path) >= sizeof(sa.sun_path)) {
    fprintf(stderr, "ternc: socket path too long: %s\n", path);
    return -1;
  }
  strcpy(sa.sun_path, path);
  s->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s->fd < 0 || connect(s->fd, (struct sockaddr *) &sa, sizeof(sa)) < 0) {
    fprintf(stderr, "ternc: unable to connect to server control socket (%s): %s\n",
            path, strerror(errno));
    session_close(s);
    return -1;
  }
  return 0;
}

void session_close(struct session *s)
{
  if (s->fd >= 0)
    close(s->fd);
  s->fd = -1;
  reply_free(&s->reply);
}

void session_reset(struct session *s)
{
  reply_free(&s->reply);
  s->done = false;
  s->code = -1;
}

static void on_line(const struct wire_line *l, void *ctx)
{
  struct session *s = ctx;
  if (l->truncated && !s->warned_long) {
    fprintf(stderr, "ternc: reply line longer than %d bytes truncated\n", WIRE_LINE_MAX);
    s->warned_long = true;
  }
  if (l->kind == WIRE_ASYNC && s->async_hook) {
    s->async_hook(l, s->async_ctx);
    return;
  }
  if (s->json) {
    reply_add(&s->reply, l);
    if (l->kind == WIRE_ASYNC || l->kind == WIRE_GARBLED)
      out_line(stderr, l, false);     /* keep stdout a JSON document */
  } else
    out_line(s->out, l, s->verbose);  /* streamed: a full table may be huge */
  if (l->kind == WIRE_LAST) {
    s->done = true;
    s->code = l->code;
  }
}

int session_send(struct session *s, const char *cmd)
{
  session_reset(s);
  size_t len = strlen(cmd);
  char buf[len + 1];
  memcpy(buf, cmd, len);
  buf[len] = '\n';
  for (size_t at = 0; at <= len; ) {
    ssize_t w = write(s->fd, buf + at, len + 1 - at);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0) {
      fprintf(stderr, "ternc: write to daemon failed: %s\n", strerror(errno));
      return -1;
    }
    at += (size_t) w;
  }
  return 0;
}

int session_read(struct session *s)
{
  char buf[4096];
  ssize_t n;
  do
    n = read(s->fd, buf, sizeof(buf));
  while (n < 0 && errno == EINTR);
  if (n <= 0)
    return n < 0 ? -1 : 0;
  wire_feed(&s->rd, buf, (size_t) n, on_line, s);
  fflush(s->out);
  return 1;
}

int session_wait(struct session *s)
{
  while (!s->done) {
    int r = session_read(s);
    if (r <= 0) {
      fprintf(stderr, "ternc: %s\n", r ? strerror(errno)
                                      : "connection closed by the daemon before the end of the reply");
      return -1;
    }
  }
  return s->code;
}

void session_print_json(struct session *s, const char *cmd)
{
  struct jbuf b;
  jbuf_init(&b);
  json_convert(json_kind_of(cmd), &s->reply, &b);
  fputs(b.s, s->out);
  fflush(s->out);
  jbuf_free(&b);
}
