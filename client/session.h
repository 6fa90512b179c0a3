/*
 * client/session.h: one connection to the daemon's control socket.
 *
 * Commands go out one at a time; the reply is read until its final line
 * ("NNNN text"). Lines are printed as they arrive (text mode) or collected
 * for a JSON converter (-j). Asynchronous "+" lines may arrive at any time
 * and go to the async hook if one is set (the interactive client uses it to
 * print around the readline prompt).
 */
#ifndef TERN_CLIENT_SESSION_H
#define TERN_CLIENT_SESSION_H

#include <stdbool.h>
#include <stdio.h>

#include "client/json.h"
#include "client/wire.h"

struct session {
  int fd;
  struct wire_reader rd;
  bool verbose;          /* -v: keep reply codes */
  bool json;             /* -j: collect replies, print JSON */
  FILE *out;
  struct reply reply;    /* lines of the current reply (-j and quiet only) */
  bool done;             /* its final line arrived */
  int code;              /* and this was its code */
  bool warned_long;
  void (*async_hook)(const struct wire_line *l, void *ctx);
  void *async_ctx;
};

void session_init(struct session *s, FILE *out);
/* Connect to the UNIX socket; prints the reason and returns -1 on failure. */
int session_connect(struct session *s, const char *path);
void session_close(struct session *s);
/* Start a new reply and send one command line. */
int session_send(struct session *s, const char *cmd);
/* Read once from the socket and process what arrived: 1 data, 0 EOF,
 * -1 error. */
int session_read(struct session *s);
/* Block until the current reply is complete; returns its code, or -1 if the
 * daemon closed the connection first (message printed). */
int session_wait(struct session *s);
/* Forget the collected reply and expect a new one. */
void session_reset(struct session *s);
/* -j: print the current reply as JSON for the given command. */
void session_print_json(struct session *s, const char *cmd);

#endif
