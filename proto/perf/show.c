/*
 * proto/perf/show.c: `show perf [name|"pattern"]`.
 *
 * One row per perf protocol and exponent (reply code 1031, heading 2031):
 * how many runs were made and, for gen, update and withdraw, the median
 * and the minimum over those runs in nanoseconds per route. An export-mode
 * protocol gets one row for its feeds, with the feed time in the update
 * columns. A value that does not exist (withdraw with `keep on`, gen of a
 * feed, anything before the first run) is `---`. doc/perf.md has the
 * layout; `ternc -j show perf` turns it into JSON (client/json-perf.c).
 */
#include <string.h>

#include "proto/perf/perf.h"
#include "nest/cli.h"
#include "lib/printf.h"

#define PERF_ROW "%-12s %-6s %4s %9s %5s %8s %8s %11s %11s %13s %13s"

/* Median and minimum of v[0..n-1] (n >= 1), in ns per route, as text. */
static void perf_med_min(u64 *v, uint n, u64 routes, char *med, char *min)
{
  u64 m2, lo;
  perf_median_min(v, n, &m2, &lo);
  bsprintf(med, "%lu", (unsigned long) ((m2 + routes) / (2 * routes)));
  bsprintf(min, "%lu", (unsigned long) ((lo + routes / 2) / routes));
}

static void perf_row(struct cli *c, struct perf_proto *p, const char *exp, const char *routes,
                     uint runs, char cells[6][24])
{
  char r[16];
  bsprintf(r, "%u", runs);
  cli_msg(c, -1031, PERF_ROW, p->p.name,
          perf_cf(p)->mode == PERF_MODE_IMPORT ? "import" : "export", exp, routes, r,
          cells[0], cells[1], cells[2], cells[3], cells[4], cells[5]);
}

static void perf_cells_none(char cells[6][24])
{
  for (int i = 0; i < 6; i++)
    strcpy(cells[i], "---");
}

static void perf_show_import(struct cli *c, struct perf_proto *p)
{
  struct perf_config *cf = perf_cf(p);
  int shown = 0;
  for (uint e = cf->from; p->stats && e <= cf->to; e++) {
    struct perf_exp_stats *st = &p->stats[e - cf->from];
    if (!st->runs)
      continue;
    u64 n = 1ULL << e, *v = xmalloc(3 * st->runs * sizeof(u64));
    for (uint i = 0; i < st->runs; i++) {
      v[i] = st->s[i].gen;
      v[st->runs + i] = st->s[i].update;
      v[2 * st->runs + i] = st->s[i].withdraw;
    }
    char cells[6][24], exp[8], routes[24];
    for (int k = 0; k < 3; k++)
      perf_med_min(v + k * st->runs, st->runs, n, cells[2 * k], cells[2 * k + 1]);
    xfree(v);
    if (cf->keep)
      strcpy(cells[4], "---"), strcpy(cells[5], "---");
    bsprintf(exp, "%u", e);
    bsprintf(routes, "%lu", (unsigned long) n);
    perf_row(c, p, exp, routes, st->runs, cells);
    shown = 1;
  }
  if (!shown) {
    char cells[6][24];
    perf_cells_none(cells);
    perf_row(c, p, "---", "---", 0, cells);
  }
}

/* Feeds: ns per exported route over the feeds that exported anything. */
static void perf_show_export(struct cli *c, struct perf_proto *p)
{
  struct perf_config *cf = perf_cf(p);
  uint feeds = p->feed ? MIN(p->feeds - p->feeding, cf->repeat) : 0;
  u64 *per = xmalloc((feeds + 1) * sizeof(u64)), routes = 0;
  uint n = 0;
  for (uint i = 0; i < feeds; i++) {
    routes = p->feed[i].routes;
    if (p->feed[i].routes)
      per[n++] = p->feed[i].ns * 1000 / p->feed[i].routes;   /* ps per route */
  }
  char cells[6][24], r[24];
  perf_cells_none(cells);
  if (n)
    perf_med_min(per, n, 1000, cells[2], cells[3]);
  xfree(per);
  bsprintf(r, "%lu", (unsigned long) routes);
  perf_row(c, p, "---", feeds ? r : "---", feeds, cells);
}

void perf_show(struct cli *c, const char *pattern)
{
  int found = 0;
  struct proto *P;
  WALK_LIST(P, proto_list) {
    if (P->proto != &proto_perf || P->deleting || (pattern && !patmatch(pattern, P->name)))
      continue;
    if (!found)
      cli_msg(c, -2031, PERF_ROW, "Name", "Mode", "Exp", "Routes", "Runs", "Gen/med", "Gen/min",
              "Update/med", "Update/min", "Withdraw/med", "Withdraw/min");
    found = 1;
    struct perf_proto *p = (struct perf_proto *) P;
    if (perf_cf(p)->mode == PERF_MODE_IMPORT)
      perf_show_import(c, p);
    else
      perf_show_export(c, p);
  }
  if (!found)
    cli_msg(c, 8003, "No protocols match");
  else
    cli_msg(c, 0, "");
}
