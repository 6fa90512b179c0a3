/*
 * client/wire.c: splitting the control-socket byte stream into reply lines
 * and classifying them (see wire.h for the framing rules).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "client/wire.h"

void wire_init(struct wire_reader *r)
{
  r->len = 0;
  r->overflow = false;
  r->last_code = -1;
}

static bool has_code(const char *s)
{
  for (int i = 0; i < 4; i++)
    if (!isdigit((unsigned char) s[i]))
      return false;
  return s[4] == '-' || s[4] == ' ';
}

void wire_parse(const char *line, int last_code, struct wire_line *out)
{
  out->raw = line;
  out->truncated = false;
  if (has_code(line)) {
    out->code = atoi(line);   /* four digits, nothing else before s[4] */
    out->kind = line[4] == '-' ? WIRE_MORE : WIRE_LAST;
    out->text = line + 5;
  } else if (line[0] == ' ' && last_code >= 0) {
    out->kind = WIRE_CONT;
    out->code = last_code;
    out->text = line + 1;
  } else if (line[0] == '+') {
    out->kind = WIRE_ASYNC;
    out->code = -1;
    out->text = line + 1;
  } else {
    out->kind = WIRE_GARBLED;
    out->code = -1;
    out->text = line;
  }
}

static void emit(struct wire_reader *r, wire_line_fn fn, void *ctx)
{
  struct wire_line l;
  r->buf[r->len] = 0;
  wire_parse(r->buf, r->last_code, &l);
  l.truncated = r->overflow;
  if (l.kind == WIRE_MORE)
    r->last_code = l.code;
  else if (l.kind == WIRE_LAST)
    r->last_code = -1;          /* a new reply must start with a code */
  fn(&l, ctx);
  r->len = 0;
  r->overflow = false;
}

void wire_feed(struct wire_reader *r, const char *data, size_t n,
               wire_line_fn fn, void *ctx)
{
  for (size_t i = 0; i < n; i++) {
    char c = data[i];
    if (c == '\n') {
      emit(r, fn, ctx);
      continue;
    }
    if (r->len >= WIRE_LINE_MAX) {
      r->overflow = true;       /* keep the head: it carries the code */
      continue;
    }
    /* An embedded NUL would silently cut the line when printed as a C
     * string; make it visible instead. */
    r->buf[r->len++] = c ? c : '?';
  }
}

bool wire_pending(const struct wire_reader *r)
{
  return r->len > 0 || r->overflow;
}

void reply_init(struct reply *r)
{
  memset(r, 0, sizeof(*r));
  r->code = -1;
}

void reply_free(struct reply *r)
{
  for (size_t i = 0; i < r->n; i++)
    free(r->v[i].text);
  free(r->v);
  reply_init(r);
}

static void *xrealloc(void *p, size_t n)
{
  void *q = realloc(p, n);
  if (!q)
    abort();                    /* a CLI client cannot do anything useful */
  return q;
}

void reply_push(struct reply *r, int code, const char *text)
{
  if (r->n == r->cap) {
    r->cap = r->cap ? 2 * r->cap : 32;
    r->v = xrealloc(r->v, r->cap * sizeof(*r->v));
  }
  char *t = strdup(text);
  if (!t)
    abort();
  r->v[r->n++] = (struct reply_line) { .code = code, .text = t };
}

void reply_add(struct reply *r, const struct wire_line *l)
{
  if (l->kind == WIRE_ASYNC || l->kind == WIRE_GARBLED)
    return;
  reply_push(r, l->code, l->text);
  if (l->kind == WIRE_LAST)
    r->code = l->code;
}

static void add_cb(const struct wire_line *l, void *ctx)
{
  reply_add(ctx, l);
}

void reply_from_text(struct reply *r, const char *raw)
{
  struct wire_reader rd;
  wire_init(&rd);
  wire_feed(&rd, raw, strlen(raw), add_cb, r);
}
