/*
 * client/json-status.c: `show status` and `show memory` as JSON.
 *
 * show status: 1000 version, 1011 block (Router ID, Hostname, times) and
 * the final 0013 line, each recognised by its leading words.
 * show memory: 1018 block, one "Label:  <num> <unit>  [<num> <unit>]" line
 * per pool class; sizes are printed with B/kB/MB/GB (powers of 1024) and
 * converted back to bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "client/json.h"

static const struct {
  const char *prefix;
  const char *key;
} status_fields[] = {
  { "BIRD ", "version" },
  { "Router ID is ", "router_id" },
  { "Hostname is ", "hostname" },
  { "Current server time is ", "server_time" },
  { "Last reboot on ", "last_reboot" },
  { "Last reconfiguration on ", "last_reconfiguration" },
};

static void status_line(struct jw *w, const char *text)
{
  for (size_t f = 0; f < sizeof(status_fields) / sizeof(status_fields[0]); f++) {
    size_t pl = strlen(status_fields[f].prefix);
    if (!strncmp(text, status_fields[f].prefix, pl)) {
      jw_key(w, status_fields[f].key);
      jw_strn(w, text + pl, json_trim_len(text + pl, strlen(text + pl)));
      return;
    }
  }
}

void json_status(struct jw *w, const struct reply *r)
{
  jw_obj(w);
  for (size_t i = 0; i + 1 < r->n; i++)
    status_line(w, r->v[i].text);
  if (r->n) {   /* the final line: "Daemon is up and running" or a variant */
    jw_key(w, "status");
    jw_str(w, r->v[r->n - 1].text);
  }
  jw_end_obj(w);
}

static const struct {
  const char *unit;
  double mult;
} mem_units[] = {
  { "B", 1 }, { "kB", 1024.0 }, { "MB", 1048576.0 }, { "GB", 1073741824.0 },
  { "TB", 1099511627776.0 },
};

/* Parse "<num> <unit>"; advances *s. Returns false if there is none. */
static bool mem_size(const char **s, long long *bytes)
{
  char *end;
  double v = strtod(*s, &end);
  if (end == *s)
    return false;
  const char *u = json_skip_blanks(end);
  size_t ul = strcspn(u, " \t");
  for (size_t i = 0; i < sizeof(mem_units) / sizeof(mem_units[0]); i++)
    if (ul == strlen(mem_units[i].unit) && !strncmp(u, mem_units[i].unit, ul)) {
      *bytes = (long long) (v * mem_units[i].mult + 0.5);   /* sizes are >= 0 */
      *s = json_skip_blanks(u + ul);
      return true;
    }
  return false;
}

static void mem_line(struct jw *w, const char *text)
{
  const char *t = json_skip_blanks(text);
  const char *colon = strchr(t, ':');
  long long eff, ovh;
  if (!colon)
    return;                     /* title or column header */
  const char *s = json_skip_blanks(colon + 1);
  if (!mem_size(&s, &eff))
    return;
  jw_key_snake(w, t, (size_t) (colon - t));
  jw_obj(w);
  jw_key(w, "effective");
  jw_int(w, eff);
  jw_key(w, "overhead");
  if (mem_size(&s, &ovh))
    jw_int(w, ovh);
  else
    jw_null(w);                 /* single-column layout of older versions */
  jw_end_obj(w);
}

void json_memory(struct jw *w, const struct reply *r)
{
  jw_obj(w);
  for (size_t i = 0; i < r->n; i++)
    if (r->v[i].code == 1018)
      mem_line(w, r->v[i].text);
  jw_end_obj(w);
}
