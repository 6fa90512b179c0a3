/*
 * client/json.h: `ternc -j` — BIRD-format replies turned into JSON.
 *
 * The daemon speaks BIRD's text protocol only (so birdc and every existing
 * tool keep working); tools that would rather not scrape text ask ternc for
 * JSON. Each converter reads the reply lines *with their codes* — the codes
 * say what a line is (1002 protocol row, 1007 route, 1012 attribute...) —
 * and writes one JSON document. A reply ending in an 8xxx/9xxx code becomes
 * {"error":{"code":N,"message":"..."}}; commands without a converter give
 * {"code":N,"lines":[...]}.
 */
#ifndef TERN_CLIENT_JSON_H
#define TERN_CLIENT_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "client/wire.h"

/* Growable output buffer, always NUL-terminated. */
struct jbuf {
  char *s;
  size_t len, cap;
};

void jbuf_init(struct jbuf *b);
void jbuf_free(struct jbuf *b);
void jbuf_putn(struct jbuf *b, const char *s, size_t n);
void jbuf_puts(struct jbuf *b, const char *s);

/* Streaming writer: keeps track of commas between members. */
#define JW_MAX_DEPTH 32

struct jw {
  struct jbuf *b;
  int depth;
  bool first[JW_MAX_DEPTH];
  bool after_key;
};

void jw_init(struct jw *w, struct jbuf *b);
void jw_obj(struct jw *w);
void jw_arr(struct jw *w);
void jw_end_obj(struct jw *w);
void jw_end_arr(struct jw *w);
void jw_key(struct jw *w, const char *key);
/* Key made from label text: "IGP IPv4 table" -> "igp_ipv4_table". */
void jw_key_snake(struct jw *w, const char *label, size_t n);
void jw_str(struct jw *w, const char *s);
void jw_strn(struct jw *w, const char *s, size_t n);
void jw_int(struct jw *w, long long v);
void jw_null(struct jw *w);
void jw_bool(struct jw *w, bool v);
/* BIRD cell: an integer becomes a number, "---" null, anything else a string. */
void jw_cell(struct jw *w, const char *s, size_t n);

enum json_kind {
  JSON_GENERIC,
  JSON_STATUS,
  JSON_PROTOCOLS,
  JSON_PERF,
  JSON_ROUTES,
  JSON_COUNT,
  JSON_MEMORY,
  JSON_DPLANE,
};

/* Which converter fits an (expanded) command. */
enum json_kind json_kind_of(const char *cmd);
/* Convert a complete reply; appends the document and a newline to out. */
void json_convert(enum json_kind kind, const struct reply *r, struct jbuf *out);

/* The converters (json-*.c); each writes one value. */
void json_status(struct jw *w, const struct reply *r);
void json_memory(struct jw *w, const struct reply *r);
void json_protocols(struct jw *w, const struct reply *r);
void json_perf(struct jw *w, const struct reply *r);
void json_routes(struct jw *w, const struct reply *r);
void json_count(struct jw *w, const struct reply *r);
void json_dplane(struct jw *w, const struct reply *r);
void json_generic(struct jw *w, const struct reply *r);

/* Small text helpers shared by the converters. */
size_t json_trim_len(const char *s, size_t n);     /* n without trailing blanks */
const char *json_skip_blanks(const char *s);
bool json_is_int(const char *s, size_t n);

#endif
