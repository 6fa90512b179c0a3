/*
 * client/wire.h: BIRD 2 control-socket reply framing, as ternd speaks it.
 *
 * A reply is a sequence of '\n'-terminated lines:
 *   "NNNN-text"  coded line, more lines follow
 *   "NNNN text"  coded line, the last one of the reply
 *   " text"      continuation: same code as the previous coded line
 *   "+text"      asynchronous message (log echo), not part of any reply
 * The reader is push-style (feed it whatever read() returned) so that the
 * tests can split a byte stream at every possible point, and so that the
 * interactive client can poll the socket and the terminal together.
 */
#ifndef TERN_CLIENT_WIRE_H
#define TERN_CLIENT_WIRE_H

#include <stdbool.h>
#include <stddef.h>

/* BIRD limits lines to 512 bytes (CLI_LINE_SIZE); we accept more than that
 * so a newer or foreign server is not cut short, and truncate beyond. */
#define WIRE_LINE_MAX 4096

enum wire_kind {
  WIRE_MORE,     /* "NNNN-" */
  WIRE_LAST,     /* "NNNN " */
  WIRE_CONT,     /* " "     */
  WIRE_ASYNC,    /* "+"     */
  WIRE_GARBLED,  /* anything else, or a continuation with no code before it */
};

struct wire_line {
  enum wire_kind kind;
  int code;           /* own or inherited code; -1 for async and garbled */
  const char *text;   /* payload after the prefix; whole line if garbled */
  const char *raw;    /* the complete line, without '\n' */
  bool truncated;     /* the line was longer than WIRE_LINE_MAX */
};

typedef void (*wire_line_fn)(const struct wire_line *line, void *ctx);

struct wire_reader {
  char buf[WIRE_LINE_MAX + 1];
  size_t len;
  bool overflow;      /* current line overflowed; drop bytes until '\n' */
  int last_code;      /* code inherited by continuation lines, -1 if none */
};

void wire_init(struct wire_reader *r);
/* Parse one complete line (no '\n'); last_code is what " text" inherits. */
void wire_parse(const char *line, int last_code, struct wire_line *out);
/* Feed received bytes; calls fn for every completed line. */
void wire_feed(struct wire_reader *r, const char *data, size_t n,
               wire_line_fn fn, void *ctx);
/* Bytes of an unfinished line are pending (matters at EOF). */
bool wire_pending(const struct wire_reader *r);

/* A whole reply kept for the JSON converters: lines with their effective
 * code and text (prefix stripped), in order. */
struct reply_line {
  int code;
  char *text;
};

struct reply {
  struct reply_line *v;
  size_t n, cap;
  int code;           /* code of the final line, -1 until it arrived */
};

void reply_init(struct reply *r);
void reply_free(struct reply *r);
/* Append a parsed line (async and garbled lines are ignored). */
void reply_add(struct reply *r, const struct wire_line *l);
/* Append text with an explicit code; used by tests and by reply_add. */
void reply_push(struct reply *r, int code, const char *text);
/* Parse a complete raw reply held in memory (fixtures, tests). */
void reply_from_text(struct reply *r, const char *raw);

#endif
