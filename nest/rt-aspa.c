/*
 * nest/rt-aspa.c: ASPA tables for aspa_check() (BIRD 2.16).
 *
 * An ASPA table holds one net per customer AS (NET_ASPA); each route on it
 * carries the attested providers as the `aspa_providers` attribute, a
 * sorted list of ASNs (empty for a "transit" record). Several routes for
 * one customer (two RPKI caches, a static override) count as the union of
 * their providers. The verification itself is nest/aspa.c.
 */
#include <stdlib.h>

#include "nest/route.h"
#include "nest/aspa.h"
#include "lib/buffer.h"

static void aspa_providers_format(const eattr *a, struct strbuf *sb)
{
  const struct adata *ad = a->u.ptr;
  uint n = ad->length / 4;
  if (!n) {
    sb_puts(sb, "0");           /* no providers: AS0, as in an RPKI ASPA */
    return;
  }
  for (uint i = 0; i < n; i++)
    sb_printf(sb, "%s%u", i ? " " : "", ((const u32 *) ad->data)[i]);
}

/* Read-only for filters: its value is a list of ASNs, not communities. */
struct ea_class ea_aspa_providers = {
  .name = "aspa_providers", .legacy_name = "aspa_providers", .type = T_CLIST,
  .readonly = 1, .format = aspa_providers_format,
};

void rt_aspa_init(void)
{
  ea_register(&ea_aspa_providers);
}

static int providers_contain(const struct adata *ad, u32 asn)
{
  const u32 *v = (const u32 *) ad->data;
  uint lo = 0, hi = ad->length / 4;
  while (lo < hi) {
    uint m = (lo + hi) / 2;
    if (v[m] == asn)
      return 1;
    if (v[m] < asn)
      lo = m + 1;
    else
      hi = m;
  }
  return 0;
}

static int aspa_table_lookup(void *data, u32 cas, u32 pas)
{
  rtable *t = data;
  net_addr n;
  net_fill_aspa(&n, cas);
  net *x = net_find(t, &n);
  int found = 0;
  for (rte *e = x ? x->routes : NULL; e; e = e->next) {
    if (!rte_is_valid(e))
      continue;
    const eattr *a = ea_find(e->attrs->eattrs, ea_aspa_providers.id);
    if (!a)
      continue;
    found = 1;
    if (providers_contain(a->u.ptr, pas))
      return 1;
  }
  return found ? -1 : 0;
}

int rt_aspa_check(rtable *t, const struct adata *path, int upstream, linpool *lp)
{
  return aspa_verify_path(path, upstream, aspa_table_lookup, t, lp);
}
