/*
 * client/json-route.c: `show route [...]` and `show route count` as JSON.
 *
 * Route listing (codes from BIRD 2.0.12, nest/rt-show.c):
 *   1007 "Table master4:"                      starts a table
 *   1007 "<net> <dest> [<proto> <since>[ from <ip>]] [*|!] (<pref>[/<metric>]) [AS<n><o>]"
 *        a route; a blank net column repeats the previous net
 *   1007 "\tvia <gw> on <iface> [weight N] [mpls L] [onlink]" / "\tdev <iface>"
 *   1008 "\tType: <source> <scope>"            (with `all`)
 *   1012 "\t<attr>: <value>", "\t\t<more>" wraps a long value
 * Count: "<n> of <m> routes for <k> networks in table <t>" lines and
 * "Total: <n> of <m> routes for <k> networks in <x> tables".
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/json.h"

static bool is_table_line(const struct reply_line *l)
{
  size_t n = strlen(l->text);
  return l->code == 1007 && !strncmp(l->text, "Table ", 6) && n > 7 && l->text[n - 1] == ':';
}

static bool is_route_row(const struct reply_line *l)
{
  return l->code == 1007 && l->text[0] != '\t' && *json_skip_blanks(l->text)
         && !is_table_line(l) && strchr(l->text, '[');
}

static const char *const dests[] = { "unicast", "blackhole", "unreachable", "prohibited" };

static bool is_dest(const char *s, size_t n)
{
  for (size_t i = 0; i < sizeof(dests) / sizeof(dests[0]); i++)
    if (n == strlen(dests[i]) && !memcmp(s, dests[i], n))
      return true;
  return false;
}

/* Net and destination: the text before '['. The destination is the last
 * word if it names one; everything before it is the net (ROA nets print as
 * "192.0.2.0/24-24 AS65002"). A blank net column means "same net". */
static void row_net(struct jw *w, const char *text, const char *bracket, const char **net,
                    size_t *netlen)
{
  size_t len = json_trim_len(text, (size_t) (bracket - text));
  const char *last = text + len;
  while (last > text && !isspace((unsigned char) last[-1]))
    last--;
  bool dest = is_dest(last, (size_t) (text + len - last));
  if (!isspace((unsigned char) text[0])) {
    size_t nl = dest ? json_trim_len(text, (size_t) (last - text)) : len;
    if (nl) {
      *net = text;
      *netlen = nl;
    }
  }
  jw_key(w, "prefix");
  if (*net)
    jw_strn(w, *net, *netlen);
  else
    jw_null(w);
  jw_key(w, "dest");
  if (dest)
    jw_strn(w, last, (size_t) (text + len - last));
  else
    jw_null(w);
}

/* "[static_a 11:43:18.546]" or "[peer_b 2026-11-26 11:43:22 from 127.0.0.2]" */
static void row_source(struct jw *w, const char *b, const char *e)
{
  const char *p = json_skip_blanks(b + 1);
  size_t pl = strcspn(p, " \t]");
  jw_key(w, "proto");
  jw_strn(w, p, pl);
  const char *since = json_skip_blanks(p + pl);
  const char *from = strstr(since, " from ");
  if (from && from > e)
    from = NULL;
  const char *send = from ? from : e;
  jw_key(w, "since");
  jw_strn(w, since, since < send ? json_trim_len(since, (size_t) (send - since)) : 0);
  jw_key(w, "from");
  if (from) {
    from = json_skip_blanks(from + 6);
    jw_strn(w, from, json_trim_len(from, (size_t) (e - from)));
  } else
    jw_null(w);
}

/* " * (100/20) [AS65002i]" */
static void row_tail(struct jw *w, const char *t)
{
  const char *paren = strchr(t, '(');
  const char *as = strstr(t, "[AS");
  jw_key(w, "primary");
  jw_bool(w, strchr(t, '*') && (!paren || strchr(t, '*') < paren));
  long long pref = 0, metric = 0;
  int got = 0;
  if (paren) {
    char *end;
    pref = strtoll(paren + 1, &end, 10);
    got = end > paren + 1;
    if (got && *end == '/' && isdigit((unsigned char) end[1])) {
      metric = strtoll(end + 1, NULL, 10);
      got = 2;                 /* "/-" unresolvable, "/?" unknown: null */
    }
  }
  jw_key(w, "preference");
  got ? jw_int(w, pref) : jw_null(w);
  jw_key(w, "metric");
  got == 2 ? jw_int(w, metric) : jw_null(w);
  jw_key(w, "bgp_as");
  if (as && isdigit((unsigned char) as[3]))
    jw_int(w, strtoll(as + 3, NULL, 10));
  else
    jw_null(w);
}

static void nexthop(struct jw *w, const char *t)
{
  char word[8][64];
  int n = sscanf(t, "%63s %63s %63s %63s %63s %63s %63s %63s", word[0], word[1], word[2],
                 word[3], word[4], word[5], word[6], word[7]);
  int i = 0;
  jw_obj(w);
  jw_key(w, "gw");
  if (n >= 2 && !strcmp(word[0], "via")) {
    jw_str(w, word[1]);
    i = 2;
  } else
    jw_null(w);
  jw_key(w, "iface");
  if (i + 1 < n && (!strcmp(word[i], "on") || !strcmp(word[i], "dev"))) {
    jw_str(w, word[i + 1]);
    i += 2;
  } else
    jw_null(w);
  for (; i < n; i++) {
    if (!strcmp(word[i], "onlink")) {
      jw_key(w, "onlink");
      jw_bool(w, true);
    } else if (i + 1 < n && (!strcmp(word[i], "weight") || !strcmp(word[i], "mpls"))) {
      jw_key(w, word[i]);
      jw_cell(w, word[i + 1], strlen(word[i + 1]));
      i++;
    }
  }
  jw_end_obj(w);
}

static void route_nexthops(struct jw *w, const struct reply_line *l, size_t n)
{
  jw_key(w, "via");
  jw_arr(w);
  for (size_t i = 0; i < n; i++)
    if (l[i].code == 1007 && l[i].text[0] == '\t')
      nexthop(w, l[i].text + 1);
  jw_end_arr(w);
}

/* Attribute value plus its "\t\t" wrapped continuation lines. */
static void attr_value(struct jw *w, const char *v, const struct reply_line *more, size_t n)
{
  struct jbuf b;
  jbuf_init(&b);
  jbuf_putn(&b, v, json_trim_len(v, strlen(v)));
  for (size_t i = 0; i < n && more[i].code == 1012 && !strncmp(more[i].text, "\t\t", 2); i++) {
    const char *m = json_skip_blanks(more[i].text);
    jbuf_putn(&b, " ", 1);
    jbuf_putn(&b, m, json_trim_len(m, strlen(m)));
  }
  jw_strn(w, b.s, b.len);
  jbuf_free(&b);
}

static void route_details(struct jw *w, const struct reply_line *l, size_t n)
{
  const char *type = NULL;
  for (size_t i = 0; i < n; i++)
    if (l[i].code == 1008 && !strncmp(json_skip_blanks(l[i].text), "Type: ", 6))
      type = json_skip_blanks(l[i].text) + 6;
  jw_key(w, "type");
  type ? jw_strn(w, type, json_trim_len(type, strlen(type))) : jw_null(w);
  jw_key(w, "attributes");
  if (!type) {                 /* listed without `all`: not known */
    jw_null(w);
    return;
  }
  jw_obj(w);
  for (size_t i = 0; i < n; i++) {
    if (l[i].code != 1012 || l[i].text[0] != '\t' || l[i].text[1] == '\t')
      continue;
    const char *k = l[i].text + 1;
    const char *c = strstr(k, ": ");
    if (!c)
      continue;
    char key[128];
    snprintf(key, sizeof(key), "%.*s", (int) (c - k), k);
    jw_key(w, key);
    attr_value(w, c + 2, l + i + 1, n - i - 1);
  }
  jw_end_obj(w);
}

static void route(struct jw *w, const struct reply_line *l, size_t n, const char **net,
                  size_t *netlen)
{
  const char *text = l[0].text;
  const char *b = strchr(text, '[');
  const char *e = strchr(b, ']');
  if (!e)
    e = b + strlen(b);
  jw_obj(w);
  row_net(w, text, b, net, netlen);
  row_source(w, b, e);
  row_tail(w, *e ? e + 1 : e);
  route_nexthops(w, l + 1, n - 1);
  route_details(w, l + 1, n - 1);
  jw_end_obj(w);
}

static void table_routes(struct jw *w, const struct reply_line *l, size_t n)
{
  const char *net = NULL;
  size_t netlen = 0;
  jw_key(w, "routes");
  jw_arr(w);
  for (size_t i = 0; i < n; ) {
    if (!is_route_row(&l[i])) {
      i++;
      continue;
    }
    size_t end = i + 1;
    while (end < n && !is_route_row(&l[end]))
      end++;
    route(w, l + i, end - i, &net, &netlen);
    i = end;
  }
  jw_end_arr(w);
}

void json_routes(struct jw *w, const struct reply *r)
{
  jw_obj(w);
  jw_key(w, "tables");
  jw_arr(w);
  size_t i = 0;
  while (i < r->n && !is_table_line(&r->v[i]) && !is_route_row(&r->v[i]))
    i++;
  while (i < r->n) {
    size_t end = i + 1;
    while (end < r->n && !is_table_line(&r->v[end]))
      end++;
    jw_obj(w);
    jw_key(w, "name");
    if (is_table_line(&r->v[i]))
      jw_strn(w, r->v[i].text + 6, strlen(r->v[i].text) - 7);
    else
      jw_null(w);              /* routes before any table heading */
    table_routes(w, r->v + i, end - i);
    jw_end_obj(w);
    i = end;
  }
  jw_end_arr(w);
  jw_end_obj(w);
}

static void count_obj(struct jw *w, long long rt, long long of, long long nets)
{
  jw_key(w, "routes");
  jw_int(w, rt);
  jw_key(w, "of");
  jw_int(w, of);
  jw_key(w, "networks");
  jw_int(w, nets);
}

void json_count(struct jw *w, const struct reply *r)
{
  long long a, b, c, t;
  char name[256];
  int total = -1;
  jw_obj(w);
  jw_key(w, "tables");
  jw_arr(w);
  for (size_t i = 0; i < r->n; i++) {
    const char *s = json_skip_blanks(r->v[i].text);
    if (sscanf(s, "%lld of %lld routes for %lld networks in table %255s", &a, &b, &c, name) == 4) {
      jw_obj(w);
      jw_key(w, "name");
      jw_str(w, name);
      count_obj(w, a, b, c);
      jw_end_obj(w);
    } else if (!strncmp(s, "Total: ", 7))
      total = (int) i;
  }
  jw_end_arr(w);
  jw_key(w, "total");
  if (total >= 0 && sscanf(r->v[total].text, "Total: %lld of %lld routes for %lld networks in %lld",
                           &a, &b, &c, &t) == 4) {
    jw_obj(w);
    count_obj(w, a, b, c);
    jw_key(w, "tables");
    jw_int(w, t);
    jw_end_obj(w);
  } else
    jw_null(w);
  jw_end_obj(w);
}
