/*
 * client/json-perf.c: `show perf` as JSON.
 *
 * Each 1031 line is a row "name mode exp routes runs gen-med gen-min
 * update-med update-min withdraw-med withdraw-min" (blank-separated; the
 * 2031 heading is skipped). Times are nanoseconds per route; "---" means
 * the value does not exist (no run yet, withdraw with `keep on`, gen and
 * withdraw of an export-mode protocol) and becomes null:
 *
 *   {"perf":[{"name":"p1","mode":"import","exp":10,"routes":1024,"runs":2,
 *             "gen":{"median":63,"min":25},"update":{...},"withdraw":null}]}
 */
#include <string.h>

#include "client/json.h"

#define PERF_COLS 11

/* Split a row into blank-separated words; returns how many there were. */
static int perf_words(const char *s, const char *w[], size_t len[], int max)
{
  int n = 0;
  for (s = json_skip_blanks(s); *s && n < max; s = json_skip_blanks(s)) {
    size_t l = strcspn(s, " \t");
    w[n] = s;
    len[n++] = l;
    s += l;
  }
  return *s ? max + 1 : n;
}

static bool perf_dash(const char *s, size_t n)
{
  return n == 3 && !memcmp(s, "---", 3);
}

/* {"median":M,"min":N}, or null when both are "---". */
static void perf_pair(struct jw *w, const char *key, const char *m, size_t ml,
                      const char *n, size_t nl)
{
  jw_key(w, key);
  if (perf_dash(m, ml) && perf_dash(n, nl)) {
    jw_null(w);
    return;
  }
  jw_obj(w);
  jw_key(w, "median");
  jw_cell(w, m, ml);
  jw_key(w, "min");
  jw_cell(w, n, nl);
  jw_end_obj(w);
}

static void perf_row(struct jw *w, const char *text)
{
  const char *c[PERF_COLS];
  size_t l[PERF_COLS];
  if (perf_words(text, c, l, PERF_COLS) != PERF_COLS)
    return;                     /* not a row this converter knows */
  static const char *const keys[] = { "name", "mode", "exp", "routes", "runs" };
  jw_obj(w);
  for (int i = 0; i < 5; i++) {
    jw_key(w, keys[i]);
    if (i < 2)
      jw_strn(w, c[i], l[i]);
    else
      jw_cell(w, c[i], l[i]);
  }
  perf_pair(w, "gen", c[5], l[5], c[6], l[6]);
  perf_pair(w, "update", c[7], l[7], c[8], l[8]);
  perf_pair(w, "withdraw", c[9], l[9], c[10], l[10]);
  jw_end_obj(w);
}

void json_perf(struct jw *w, const struct reply *r)
{
  jw_obj(w);
  jw_key(w, "perf");
  jw_arr(w);
  for (size_t i = 0; i < r->n; i++)
    if (r->v[i].code == 1031)
      perf_row(w, r->v[i].text);
  jw_end_arr(w);
  jw_end_obj(w);
}
