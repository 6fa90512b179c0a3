/*
 * nest/aspa.c: ASPA-based AS_PATH verification (see aspa.h).
 *
 * Follows draft-ietf-sidrops-aspa-verification-16, section "AS_PATH
 * Verification", as BIRD 2.16 does. Later revisions restate the downstream
 * procedure with max/min up-ramp and down-ramp lengths; the outcomes are the
 * same (Invalid iff max_up_ramp + max_down_ramp < N, Valid iff min_up_ramp +
 * min_down_ramp >= N, which are the u_min <= v_max and L - K <= 1 tests
 * below with max_up_ramp = u_min - 1, max_down_ramp = N - v_max,
 * min_up_ramp = K, min_down_ramp = N - L + 1).
 *
 * Notation of the draft: with prepends collapsed, the path is
 * {AS(N), AS(N-1), ..., AS(2), AS(1)}, AS(1) the origin and AS(N) the
 * neighbour. In our arrays the neighbour comes first, so AS(k) is the k-th
 * distinct AS counted from the end. The scans below walk the array and skip
 * repeats, so no collapsed copy is needed.
 *
 * hop(AS(i), AS(j)), AS(i) taken as the customer:
 *   "No Attestation" if AS(i) has no ASPA,
 *   "Provider+"      if AS(j) is in the union of AS(i)'s provider sets,
 *   "Not Provider+"  otherwise (always, for an ASPA listing no providers,
 *                    which BIRD's static `route aspa N transit;` makes).
 *
 * Beyond the draft, as BIRD: an empty path and any confederation segment
 * give Invalid (the draft's procedures start from a non-empty path of
 * AS_SEQUENCEs; an AS_SET is Invalid by the draft itself).
 */
#include <stdlib.h>

#include "nest/aspa.h"
#include "filter/aspath.h"
#include "lib/cursor.h"

enum hop { HOP_NOT_PROVIDER = -1, HOP_NO_ATTESTATION = 0, HOP_PROVIDER = 1 };

struct path {
  const u32 *asns;              /* neighbour first, repeats allowed */
  uint n;                       /* entries in asns */
  uint N;                       /* distinct ASes after collapsing repeats */
  aspa_lookup_fn lookup;
  void *ctx;
};

static enum hop hop(const struct path *p, u32 customer, u32 provider)
{
  int r = p->lookup(p->ctx, customer, provider);
  return r > 0 ? HOP_PROVIDER : r < 0 ? HOP_NOT_PROVIDER : HOP_NO_ATTESTATION;
}

static uint count_distinct(const u32 *asns, uint n)
{
  uint N = n ? 1 : 0;
  for (uint q = 1; q < n; q++)
    N += asns[q] != asns[q - 1];
  return N;
}

/*
 * Walks the hops from one end of the path, hop(prev, cur) each: from the
 * origin up, hop(AS(i-1), AS(i)) for i = 2..N; from the neighbour down,
 * hop(AS(j+1), AS(j)) for j = N-1..1. Hops are numbered 1, 2, ... from that
 * end.
 *   *refused: the first hop that is "Not Provider+", 0 if none (the walk
 *             stops there: nothing past it changes the result);
 *   *proven:  how many hops from that end are "Provider+" without a break.
 */
static void scan(const struct path *p, int from_origin, uint *refused, uint *proven)
{
  int step = from_origin ? -1 : 1;
  int q = from_origin ? (int) p->n - 1 : 0;
  u32 prev = p->asns[q];
  uint k = 0;
  int unbroken = 1;
  *refused = *proven = 0;
  for (uint left = p->n - 1; left--; )
  {
    q += step;
    u32 cur = p->asns[q];
    if (cur == prev)
      continue;
    k++;
    enum hop h = hop(p, prev, cur);
    if (h == HOP_NOT_PROVIDER) {
      *refused = k;
      return;
    }
    if (h == HOP_PROVIDER && unbroken)
      *proven = k;
    else
      unbroken = 0;
    prev = cur;
  }
}

/*
 * Algorithm for Upstream Paths (route from a customer or lateral peer):
 *   N = 1: Valid.
 *   Some 2 <= i <= N with hop(AS(i-1), AS(i)) = "Not Provider+": Invalid.
 *   Else some such hop is "No Attestation": Unknown.
 *   Else Valid.
 * The neighbour's own ASPA is never consulted: AS(N) is no one's customer.
 */
static enum aspa_result verify_upstream(const struct path *p)
{
  if (p->N == 1)
    return ASPA_VALID;
  uint refused, proven;
  scan(p, 1, &refused, &proven);
  if (refused)
    return ASPA_INVALID;
  return proven == p->N - 1 ? ASPA_VALID : ASPA_UNKNOWN;
}

/*
 * Algorithm for Downstream Paths (route from a provider): an up-ramp from
 * the origin, at most one lateral (peer) hop at the apex, a down-ramp to
 * the neighbour.
 *   1 <= N <= 2: Valid (any such path can be valley-free).
 *   u_min <= v_max: Invalid (an up hop is refused below a down hop that is
 *     refused too: a valley). u_min is the lowest i with hop(AS(i-1), AS(i))
 *     refused (N+1 if none), v_max the highest j with hop(AS(j+1), AS(j))
 *     refused (0 if none).
 *   Up-ramp to AS(K), down-ramp from AS(L): L - K <= 1 Valid, else Unknown.
 */
static enum aspa_result verify_downstream(const struct path *p)
{
  if (p->N <= 2)
    return ASPA_VALID;
  uint up_refused, up_proven, down_refused, down_proven;
  scan(p, 1, &up_refused, &up_proven);
  scan(p, 0, &down_refused, &down_proven);
  uint u_min = up_refused ? up_refused + 1 : p->N + 1;
  uint v_max = down_refused ? p->N - down_refused : 0;
  if (u_min <= v_max)
    return ASPA_INVALID;
  uint K = 1 + up_proven, L = p->N - down_proven;
  return L <= K + 1 ? ASPA_VALID : ASPA_UNKNOWN;
}

enum aspa_result aspa_verify(const u32 *asns, uint n, int upstream,
                             aspa_lookup_fn lookup, void *ctx)
{
  if (!n)
    return ASPA_INVALID;
  struct path p = {
    .asns = asns, .n = n, .N = count_distinct(asns, n),
    .lookup = lookup, .ctx = ctx,
  };
  return upstream ? verify_upstream(&p) : verify_downstream(&p);
}

/*
 * Walks the segments of a wire-format path. With out == NULL only checks
 * and counts; else also stores the ASNs with repeats collapsed. Returns the
 * number of (collapsed) ASNs, or -1 for a path the draft rejects (AS_SET,
 * confederation segments) or a malformed one.
 */
static long path_collect(const struct adata *path, u32 *out)
{
  struct cursor c;
  long m = 0;
  u32 last = 0;
  cur_init(&c, path->data, path->length);
  while (cur_left(&c))
  {
    u8 type, count;
    cur_get_u8(&c, &type);
    cur_get_u8(&c, &count);
    if (c.error || type != AS_PATH_SEQUENCE)
      return -1;
    for (uint i = 0; i < count; i++)
    {
      u32 asn;
      if (!cur_get_u32(&c, &asn))
        return -1;
      if (m && asn == last)
        continue;
      if (out)
        out[m] = asn;
      last = asn;
      m++;
    }
  }
  return m;
}

#define ASPA_STACK_ASNS 128

enum aspa_result aspa_verify_path(const struct adata *path, int upstream,
                                  aspa_lookup_fn lookup, void *ctx, linpool *tmp)
{
  if (!path || !path->length)
    return ASPA_INVALID;
  long m = path_collect(path, NULL);
  if (m <= 0)
    return ASPA_INVALID;

  u32 stack[ASPA_STACK_ASNS], *asns = stack, *heap = NULL;
  if (m > ASPA_STACK_ASNS)
  {
    size_t size = (size_t) m * sizeof(u32);
    asns = tmp ? lp_alloc(tmp, size) : (heap = xmalloc(size));
  }
  path_collect(path, asns);
  enum aspa_result r = aspa_verify(asns, (uint) m, upstream, lookup, ctx);
  free(heap);
  return r;
}
