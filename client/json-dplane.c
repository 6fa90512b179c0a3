/*
 * client/json-dplane.c: `show dplane` as JSON.
 *
 * The reply is a 1050 block per dplane protocol (doc/dplane.md): a
 * "Protocol: <name>" line, "Label: value" lines, then "Reader: ..." and
 * "Next hop: ..." lines. Output:
 *   {"dplane":[{"protocol":"dp","region":"...","generation":N,...,
 *     "readers":[{"slot":0,"pid":1,"tid":1,"online":true,"epoch":N,"lag":0}],
 *     "nexthops":[{"index":1,"kind":"forward","port":2,"via":"10.0.0.2","refs":3}]}]}
 * Values that are integers become numbers, anything else a string.
 */
#include <stdlib.h>
#include <string.h>

#include "client/json.h"

#define DPLANE_CODE 1050

static const char *after(const char *text, const char *prefix)
{
  const char *t = json_skip_blanks(text);
  size_t n = strlen(prefix);
  return strncmp(t, prefix, n) ? NULL : json_skip_blanks(t + n);
}

/* "word value word value ..." -> members; a lone word (e.g. "offline")
 * is skipped here and handled by the caller. */
static void word_pairs(struct jw *w, const char *s, const char *const *keys)
{
  while (*s) {
    size_t kl = strcspn(s, " \t");
    const char *v = json_skip_blanks(s + kl);
    size_t vl = strcspn(v, " \t");
    const char *key = NULL;
    for (size_t i = 0; keys[i]; i++)
      if (strlen(keys[i]) == kl && !strncmp(keys[i], s, kl))
        key = keys[i];
    if (key && vl) {
      jw_key(w, key);
      jw_cell(w, v, vl);
      s = json_skip_blanks(v + vl);
    } else {
      s = v;
    }
  }
}

static void reader(struct jw *w, const char *s)
{
  static const char *const keys[] = { "slot", "pid", "tid", "epoch", "lag", NULL };
  jw_obj(w);
  word_pairs(w, s, keys);
  jw_key(w, "online");
  jw_bool(w, !strstr(s, "offline"));
  jw_end_obj(w);
}

/* "<index> <kind> [port P] [via GW] [sa S] refs R" */
static void nexthop(struct jw *w, const char *s)
{
  static const char *const keys[] = { "port", "via", "sa", "refs", NULL };
  size_t il = strcspn(s, " \t");
  const char *k = json_skip_blanks(s + il);
  size_t kl = strcspn(k, " \t");
  jw_obj(w);
  jw_key(w, "index");
  jw_cell(w, s, il);
  jw_key(w, "kind");
  jw_strn(w, k, kl);
  word_pairs(w, json_skip_blanks(k + kl), keys);
  jw_end_obj(w);
}

static void scalar(struct jw *w, const char *text)
{
  const char *t = json_skip_blanks(text);
  const char *colon = strchr(t, ':');
  if (!colon)
    return;
  const char *v = json_skip_blanks(colon + 1);
  jw_key_snake(w, t, (size_t) (colon - t));
  jw_cell(w, v, json_trim_len(v, strlen(v)));
}

/* One protocol: lines [from, to). */
static void block(struct jw *w, const struct reply *r, size_t from, size_t to)
{
  jw_obj(w);
  for (size_t i = from; i < to; i++)
    if (!after(r->v[i].text, "Reader:") && !after(r->v[i].text, "Next hop:"))
      scalar(w, r->v[i].text);
  jw_key(w, "readers");
  jw_arr(w);
  for (size_t i = from; i < to; i++) {
    const char *s = after(r->v[i].text, "Reader:");
    if (s)
      reader(w, s);
  }
  jw_end_arr(w);
  jw_key(w, "nexthops");
  jw_arr(w);
  for (size_t i = from; i < to; i++) {
    const char *s = after(r->v[i].text, "Next hop:");
    if (s)
      nexthop(w, s);
  }
  jw_end_arr(w);
  jw_end_obj(w);
}

void json_dplane(struct jw *w, const struct reply *r)
{
  jw_obj(w);
  jw_key(w, "dplane");
  jw_arr(w);
  size_t start = r->n;
  for (size_t i = 0; i <= r->n; i++) {
    int is_start = i < r->n && r->v[i].code == DPLANE_CODE && after(r->v[i].text, "Protocol:");
    int is_end = i == r->n || r->v[i].code != DPLANE_CODE;
    if ((is_start || is_end) && start < i)
      block(w, r, start, i);
    if (is_start)
      start = i;
    else if (is_end)
      start = r->n;
  }
  jw_end_arr(w);
  jw_end_obj(w);
}
