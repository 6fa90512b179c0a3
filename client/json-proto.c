/*
 * client/json-proto.c: `show protocols [all]` as JSON.
 *
 * A 1002 line is a summary row "name proto table state since info"
 * (printf-padded columns; `since` may be "YYYY-MM-DD HH:MM:SS" with
 * `timeformat ... iso long`). With `all`, 1006 lines follow: an indented
 * "Label: value" tree ending at a blank line. Labels become snake_case keys
 * (the names birdwatcher's parser already gives them). A label with a value
 * and sub-lines ("BGP state: Established" + neighbor fields) keeps both at
 * the same level; a label without value gets an object of its sub-lines, or
 * true if it has none (capabilities). "Channel X" blocks go into a
 * "channels" array, with "Routes:" and the "Route change stats" table
 * parsed into numbers.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/json.h"

/* One line of a detail block. */
struct ditem {
  int indent;
  const char *key;
  size_t klen;
  const char *val;      /* NULL: no value */
  size_t vlen;
};

#define DITEM_MAX 512

static void ditem_parse(const char *text, struct ditem *d)
{
  const char *t = json_skip_blanks(text);
  d->indent = (int) (t - text);
  d->key = t;
  d->val = NULL;
  d->vlen = 0;
  /* the key ends at the first ':' followed by a blank or the end, so that
   * values may contain colons ("Last error: Socket: Connection refused") */
  const char *c = t;
  while ((c = strchr(c, ':')) && c[1] && !isspace((unsigned char) c[1]))
    c++;
  size_t tl = json_trim_len(t, strlen(t));
  if (!c || c >= t + tl) {
    d->klen = tl;
    return;
  }
  d->klen = json_trim_len(t, (size_t) (c - t));
  const char *v = json_skip_blanks(c + 1);
  size_t vl = json_trim_len(v, strlen(v));
  if (vl) {
    d->val = v;
    d->vlen = vl;
  }
}

static bool key_is(const struct ditem *d, const char *k)
{
  return d->klen == strlen(k) && !memcmp(d->key, k, d->klen);
}

static bool is_channel(const struct ditem *d)
{
  return !d->val && d->klen > 8 && !memcmp(d->key, "Channel ", 8);
}

/* Index after the sub-lines of it[i]. */
static size_t subtree_end(const struct ditem *it, size_t i, size_t n)
{
  size_t j = i + 1;
  while (j < n && it[j].indent > it[i].indent)
    j++;
  return j;
}

/* "2 imported, 1 filtered, 2 exported, 2 preferred" */
static void routes_value(struct jw *w, const char *v, size_t n)
{
  static const char *const names[] = { "imported", "filtered", "exported", "preferred" };
  long long val[4];
  bool have[4] = { false };
  char buf[256];
  snprintf(buf, sizeof(buf), "%.*s", (int) n, v);
  for (char *p = strtok(buf, ","); p; p = strtok(NULL, ",")) {
    char word[32];
    long long x;
    if (sscanf(p, "%lld %31s", &x, word) != 2)
      continue;
    for (int k = 0; k < 4; k++)
      if (!strcmp(word, names[k])) {
        val[k] = x;
        have[k] = true;
      }
  }
  jw_obj(w);
  for (int k = 0; k < 4; k++) {
    jw_key(w, names[k]);
    if (have[k])
      jw_int(w, val[k]);
    else
      jw_null(w);
  }
  jw_end_obj(w);
}

/* The 5-column table: header words name the columns of each row. */
static void stats_table(struct jw *w, const struct ditem *hd, const struct ditem *rows, size_t n)
{
  char cols[8][16];
  int nc = 0;
  for (const char *p = hd->val, *e = hd->val + hd->vlen; p < e && nc < 8; ) {
    size_t l = strcspn(p, " \t");
    if (l > (size_t) (e - p))
      l = (size_t) (e - p);
    snprintf(cols[nc++], sizeof(cols[0]), "%.*s", (int) l, p);
    p = json_skip_blanks(p + l);
  }
  jw_obj(w);
  for (size_t i = 0; i < n; i++) {
    jw_key_snake(w, rows[i].key, rows[i].klen);
    jw_obj(w);
    const char *p = rows[i].val ? rows[i].val : "";
    const char *e = p + rows[i].vlen;
    for (int c = 0; c < nc && p < e; c++) {
      size_t l = strcspn(p, " \t");
      if (l > (size_t) (e - p))
        l = (size_t) (e - p);
      jw_key(w, cols[c]);
      jw_cell(w, p, l);
      p = json_skip_blanks(p + l);
    }
    jw_end_obj(w);
  }
  jw_end_obj(w);
}

static void emit_items(struct jw *w, const struct ditem *it, size_t n, bool skip_channels);

static void emit_item(struct jw *w, const struct ditem *it, size_t i, size_t end)
{
  const struct ditem *d = &it[i];
  if (key_is(d, "Route change stats") && d->val) {
    jw_key(w, "route_change_stats");
    stats_table(w, d, it + i + 1, end - i - 1);
    return;
  }
  jw_key_snake(w, d->key, d->klen);
  if (key_is(d, "Routes") && d->val)
    routes_value(w, d->val, d->vlen);
  else if (key_is(d, "Description"))
    jw_strn(w, d->val ? d->val : "", d->vlen);     /* free text, never a number */
  else if (d->val)
    jw_cell(w, d->val, d->vlen);
  else if (end > i + 1) {
    jw_obj(w);
    emit_items(w, it + i + 1, end - i - 1, false);
    jw_end_obj(w);
    return;
  } else
    jw_bool(w, true);
  /* value and sub-lines: the sub-lines belong to the same object */
  if (end > i + 1)
    emit_items(w, it + i + 1, end - i - 1, false);
}

static void emit_items(struct jw *w, const struct ditem *it, size_t n, bool skip_channels)
{
  for (size_t i = 0; i < n; ) {
    size_t end = subtree_end(it, i, n);
    if (!(skip_channels && is_channel(&it[i])))
      emit_item(w, it, i, end);
    i = end;
  }
}

static void emit_channels(struct jw *w, const struct ditem *it, size_t n)
{
  jw_key(w, "channels");
  jw_arr(w);
  for (size_t i = 0; i < n; ) {
    size_t end = subtree_end(it, i, n);
    if (is_channel(&it[i])) {
      jw_obj(w);
      jw_key(w, "name");
      jw_strn(w, it[i].key + 8, it[i].klen - 8);
      emit_items(w, it + i + 1, end - i - 1, false);
      jw_end_obj(w);
    }
    i = end;
  }
  jw_end_arr(w);
}

static void proto_details(struct jw *w, const struct reply_line *l, size_t n)
{
  struct ditem it[DITEM_MAX];
  size_t k = 0;
  for (size_t i = 0; i < n && k < DITEM_MAX; i++)
    if (*json_skip_blanks(l[i].text))
      ditem_parse(l[i].text, &it[k++]);
  emit_items(w, it, k, true);
  emit_channels(w, it, k);
}

static bool is_date(const char *s, size_t n)
{
  return n == 10 && isdigit((unsigned char) s[0]) && s[4] == '-' && s[7] == '-';
}

/* Next blank-separated word of s: start in *p, returns its length. */
static size_t next_word(const char **p)
{
  *p = json_skip_blanks(*p);
  return strcspn(*p, " \t");
}

static void proto_row(struct jw *w, const char *text)
{
  static const char *const keys[] = { "name", "proto", "table", "state", "since" };
  const char *p = text;
  for (int k = 0; k < 5; k++) {
    size_t l = next_word(&p);
    jw_key(w, keys[k]);
    if (k == 4 && is_date(p, l)) {          /* "YYYY-MM-DD HH:MM:SS" */
      const char *t = p + l;
      size_t tl = next_word(&t);
      if (tl && strchr(t, ':') && strchr(t, ':') < t + tl)
        l = (size_t) (t + tl - p);
    }
    if (k == 2 && l == 3 && !memcmp(p, "---", 3))
      jw_null(w);                            /* no main table: multi-channel */
    else
      jw_strn(w, p, l);
    p += l;
  }
  p = json_skip_blanks(p);
  jw_key(w, "info");
  jw_strn(w, p, json_trim_len(p, strlen(p)));
}

void json_protocols(struct jw *w, const struct reply *r)
{
  jw_obj(w);
  jw_key(w, "protocols");
  jw_arr(w);
  for (size_t i = 0; i < r->n; ) {
    if (r->v[i].code != 1002) {
      i++;
      continue;
    }
    jw_obj(w);
    proto_row(w, r->v[i].text);
    size_t end = ++i;
    while (end < r->n && r->v[end].code == 1006)
      end++;
    if (end > i)
      proto_details(w, r->v + i, end - i);
    jw_end_obj(w);
    i = end;
  }
  jw_end_arr(w);
  jw_end_obj(w);
}
