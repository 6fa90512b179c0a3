/*
 * client/json.c: the JSON writer, converter dispatch and the generic and
 * error documents. Strings are escaped per RFC 8259 and kept valid UTF-8
 * (invalid bytes become U+FFFD) whatever the daemon sent.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/expand.h"
#include "client/json.h"

void jbuf_init(struct jbuf *b)
{
  b->s = NULL;
  b->len = b->cap = 0;
  jbuf_putn(b, "", 0);
}

void jbuf_free(struct jbuf *b)
{
  free(b->s);
  b->s = NULL;
  b->len = b->cap = 0;
}

void jbuf_putn(struct jbuf *b, const char *s, size_t n)
{
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n + 1)
      cap *= 2;
    char *p = realloc(b->s, cap);
    if (!p)
      abort();
    b->s = p;
    b->cap = cap;
  }
  memcpy(b->s + b->len, s, n);
  b->len += n;
  b->s[b->len] = 0;
}

void jbuf_puts(struct jbuf *b, const char *s)
{
  jbuf_putn(b, s, strlen(s));
}

void jw_init(struct jw *w, struct jbuf *b)
{
  w->b = b;
  w->depth = 0;
  w->first[0] = true;
  w->after_key = false;
}

/* Comma before a value or key, unless it is the first in its container
 * or the value of a key just written. */
static void sep(struct jw *w)
{
  if (w->after_key) {
    w->after_key = false;
    return;
  }
  if (!w->first[w->depth])
    jbuf_putn(w->b, ",", 1);
  w->first[w->depth] = false;
}

static void open_c(struct jw *w, const char *c)
{
  sep(w);
  jbuf_puts(w->b, c);
  if (w->depth < JW_MAX_DEPTH - 1)
    w->depth++;
  w->first[w->depth] = true;
}

static void close_c(struct jw *w, const char *c)
{
  if (w->depth > 0)
    w->depth--;
  jbuf_puts(w->b, c);
}

void jw_obj(struct jw *w) { open_c(w, "{"); }
void jw_arr(struct jw *w) { open_c(w, "["); }
void jw_end_obj(struct jw *w) { close_c(w, "}"); }
void jw_end_arr(struct jw *w) { close_c(w, "]"); }

/* Length of a valid UTF-8 sequence at s (at most n bytes), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
  size_t len;
  unsigned min;
  if (s[0] < 0xc2 || s[0] > 0xf4)
    return 0;
  if (s[0] < 0xe0) { len = 2; min = 0x80; }
  else if (s[0] < 0xf0) { len = 3; min = 0x800; }
  else { len = 4; min = 0x10000; }
  if (len > n)
    return 0;
  unsigned cp = s[0] & (0x7f >> len);
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xc0) != 0x80)
      return 0;
    cp = (cp << 6) | (s[i] & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
    return 0;
  return len;
}

static void put_escaped(struct jbuf *b, const char *str, size_t n)
{
  const unsigned char *s = (const unsigned char *) str;
  jbuf_putn(b, "\"", 1);
  for (size_t i = 0; i < n; ) {
    unsigned char c = s[i];
    char esc[8];
    if (c == '"' || c == '\\') {
      esc[0] = '\\'; esc[1] = (char) c;
      jbuf_putn(b, esc, 2);
    } else if (c < 0x20) {
      const char *short_esc = c == '\n' ? "\\n" : c == '\t' ? "\\t" : c == '\r' ? "\\r" : NULL;
      if (short_esc)
        jbuf_puts(b, short_esc);
      else {
        snprintf(esc, sizeof(esc), "\\u%04x", c);
        jbuf_puts(b, esc);
      }
    } else if (c < 0x80) {
      jbuf_putn(b, (const char *) s + i, 1);
    } else {
      size_t l = utf8_len(s + i, n - i);
      if (!l) {
        jbuf_puts(b, "\\ufffd");
        i++;
        continue;
      }
      jbuf_putn(b, (const char *) s + i, l);
      i += l;
      continue;
    }
    i++;
  }
  jbuf_putn(b, "\"", 1);
}

void jw_key(struct jw *w, const char *key)
{
  sep(w);
  put_escaped(w->b, key, strlen(key));
  jbuf_putn(w->b, ":", 1);
  w->after_key = true;
}

void jw_key_snake(struct jw *w, const char *label, size_t n)
{
  char k[128];
  size_t o = 0;
  for (size_t i = 0; i < n && o < sizeof(k) - 1; i++) {
    unsigned char c = (unsigned char) label[i];
    if (isalnum(c))
      k[o++] = (char) tolower(c);
    else if (o && k[o - 1] != '_')
      k[o++] = '_';
  }
  while (o && k[o - 1] == '_')
    o--;
  k[o] = 0;
  jw_key(w, k);
}

void jw_strn(struct jw *w, const char *s, size_t n)
{
  sep(w);
  put_escaped(w->b, s, n);
}

void jw_str(struct jw *w, const char *s)
{
  jw_strn(w, s, strlen(s));
}

void jw_int(struct jw *w, long long v)
{
  char num[32];
  sep(w);
  snprintf(num, sizeof(num), "%lld", v);
  jbuf_puts(w->b, num);
}

void jw_null(struct jw *w)
{
  sep(w);
  jbuf_puts(w->b, "null");
}

void jw_bool(struct jw *w, bool v)
{
  sep(w);
  jbuf_puts(w->b, v ? "true" : "false");
}

bool json_is_int(const char *s, size_t n)
{
  size_t i = (n && s[0] == '-');
  if (i == n || n - i > 18)         /* must fit a long long */
    return false;
  for (; i < n; i++)
    if (!isdigit((unsigned char) s[i]))
      return false;
  return true;
}

void jw_cell(struct jw *w, const char *s, size_t n)
{
  if (n == 3 && !memcmp(s, "---", 3))
    jw_null(w);
  else if (json_is_int(s, n))
    jw_int(w, strtoll(s, NULL, 10));
  else
    jw_strn(w, s, n);
}

size_t json_trim_len(const char *s, size_t n)
{
  while (n && isspace((unsigned char) s[n - 1]))
    n--;
  return n;
}

const char *json_skip_blanks(const char *s)
{
  while (*s && isspace((unsigned char) *s))
    s++;
  return s;
}

static bool tok_is(struct cmd_token t, const char *s)
{
  return t.len == strlen(s) && !memcmp(t.s, s, t.len);
}

/* `show route ... count|stats` counts; words after where/filter/{ are a
 * filter expression and do not count. */
static enum json_kind route_kind(const struct cmd_token *t, int n)
{
  for (int i = 2; i < n; i++) {
    if (tok_is(t[i], "where") || tok_is(t[i], "filter") || t[i].s[0] == '{')
      break;
    if (tok_is(t[i], "count") || tok_is(t[i], "stats"))
      return JSON_COUNT;
  }
  return JSON_ROUTES;
}

enum json_kind json_kind_of(const char *cmd)
{
  struct cmd_token t[CMD_MAX_TOKENS];
  int n = cmd_tokenize(cmd, t, CMD_MAX_TOKENS);
  if (n < 2 || !tok_is(t[0], "show"))
    return JSON_GENERIC;
  if (tok_is(t[1], "status"))
    return JSON_STATUS;
  if (tok_is(t[1], "memory"))
    return JSON_MEMORY;
  if (tok_is(t[1], "protocols"))
    return JSON_PROTOCOLS;
  if (tok_is(t[1], "perf"))
    return JSON_PERF;
  if (tok_is(t[1], "route"))
    return route_kind(t, n);
  if (tok_is(t[1], "dplane"))
    return JSON_DPLANE;
  return JSON_GENERIC;
}

static void json_error(struct jw *w, const struct reply *r)
{
  const char *msg = r->n ? r->v[r->n - 1].text : "";
  jw_obj(w);
  jw_key(w, "error");
  jw_obj(w);
  jw_key(w, "code");
  jw_int(w, r->code);
  jw_key(w, "message");
  jw_str(w, msg);
  jw_end_obj(w);
  jw_end_obj(w);
}

void json_generic(struct jw *w, const struct reply *r)
{
  jw_obj(w);
  jw_key(w, "code");
  jw_int(w, r->code);
  jw_key(w, "lines");
  jw_arr(w);
  for (size_t i = 0; i < r->n; i++)
    if (r->v[i].code != 0 || r->v[i].text[0])   /* birdc hides "0000 " too */
      jw_str(w, r->v[i].text);
  jw_end_arr(w);
  jw_end_obj(w);
}

void json_convert(enum json_kind kind, const struct reply *r, struct jbuf *out)
{
  struct jw w;
  jw_init(&w, out);
  if (r->code >= 8000)
    json_error(&w, r);
  else if (kind == JSON_STATUS)
    json_status(&w, r);
  else if (kind == JSON_MEMORY)
    json_memory(&w, r);
  else if (kind == JSON_PROTOCOLS)
    json_protocols(&w, r);
  else if (kind == JSON_PERF)
    json_perf(&w, r);
  else if (kind == JSON_ROUTES)
    json_routes(&w, r);
  else if (kind == JSON_COUNT)
    json_count(&w, r);
  else if (kind == JSON_DPLANE)
    json_dplane(&w, r);
  else
    json_generic(&w, r);
  jbuf_putn(out, "\n", 1);
}
