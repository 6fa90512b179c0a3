/*
 * nest/aspa_test.c: ASPA AS_PATH verification against a small ASPA set:
 * a table of paths covering every step of both algorithms of
 * draft-ietf-sidrops-aspa-verification-16, the wire-format wrapper (sets,
 * confederations, prepends, long paths), the lookup budget, and random
 * paths checked against a naive model that tries every valley-free shape.
 *
 * The ASPA set (customer: providers). 65002 and 65005 are "transit" ASPAs
 * (no providers), 65009, 65010, 65020, 65030 have no ASPA at all:
 *
 *            65005 (transit) ....peer.... 65002 (transit)
 *              |                            |
 *            65004                          |
 *              |                            |
 *            65003 ------------------------ 65001   (65001: 65002, 65003)
 *              |
 *            65006          65009 (no ASPA)
 *              |              |
 *            65007          65008
 *
 * Paths are written as bgp_path shows them: neighbour first, origin last.
 * test/filter/aspa.conf asserts the same cases through aspa_check().
 */
#include <stdlib.h>

#include "nest/aspa.h"
#include "filter/aspath.h"
#include "test/unit.h"

#define MAXPROV 4

struct record {
  u32 cas;
  uint n;
  u32 pas[MAXPROV];
};

struct aspa_set {
  const struct record *r;
  uint n;
  uint calls;                   /* lookups made */
  uint self_calls;              /* lookups with cas == pas (must be 0) */
};

static const struct record topo[] = {
  { 65001, 2, { 65002, 65003 } },
  { 65002, 0, { 0 } },
  { 65003, 1, { 65004 } },
  { 65004, 1, { 65005 } },
  { 65005, 0, { 0 } },
  { 65006, 1, { 65003 } },
  { 65007, 1, { 65006 } },
  { 65008, 1, { 65009 } },
};

/* The union over every record of the customer, as the lookup contract says. */
static int set_lookup(void *ctx, u32 cas, u32 pas)
{
  struct aspa_set *s = ctx;
  int found = 0;
  s->calls++;
  s->self_calls += cas == pas;
  for (uint i = 0; i < s->n; i++)
  {
    if (s->r[i].cas != cas)
      continue;
    found = 1;
    for (uint j = 0; j < s->r[i].n; j++)
      if (s->r[i].pas[j] == pas)
        return 1;
  }
  return found ? -1 : 0;
}

static uint parse_path(const char *s, u32 *out, uint max)
{
  uint n = 0;
  char *end;
  while (n < max)
  {
    unsigned long v = strtoul(s, &end, 10);
    if (end == s)
      break;
    out[n++] = (u32) v;
    s = end;
  }
  return n;
}

static const char *result_name(enum aspa_result r)
{
  return r == ASPA_VALID ? "valid" : r == ASPA_INVALID ? "invalid" : "unknown";
}

#define U 1                     /* upstream: from a customer or lateral peer */
#define D 0                     /* downstream: from a provider */

struct path_case {
  const char *path;
  int upstream;
  enum aspa_result want;
  const char *why;
};

static const struct path_case cases[] = {
  /* Upstream: every hop customer-to-provider. */
  { "65001", U, ASPA_VALID, "N = 1" },
  { "65010", U, ASPA_VALID, "N = 1 without any ASPA" },
  { "65003 65001", U, ASPA_VALID, "N = 2, one Provider+ hop" },
  { "65002 65001", U, ASPA_VALID, "neighbour's own (transit) ASPA is not consulted" },
  { "65010 65001", U, ASPA_INVALID, "N = 2, origin does not attest the neighbour" },
  { "65001 65010", U, ASPA_UNKNOWN, "N = 2, origin has no ASPA" },
  { "65004 65003 65001", U, ASPA_VALID, "two Provider+ hops" },
  { "65005 65004 65003 65001", U, ASPA_VALID, "up to the top" },
  { "65004 65003 65003 65003 65001 65001", U, ASPA_VALID, "prepends collapse" },
  { "65003 65002 65001", U, ASPA_INVALID, "transit ASPA: every hop from it is Not Provider+" },
  { "65004 65009 65008", U, ASPA_UNKNOWN, "no attestation in the middle" },
  { "65005 65003 65009 65008", U, ASPA_INVALID, "Not Provider+ wins over an earlier No Attestation" },
  { "65009 65008", U, ASPA_VALID, "the neighbour needs no ASPA" },
  { "65006 65003 65001", U, ASPA_INVALID, "a down hop is a leak upstream" },
  { "65003 65006", U, ASPA_VALID, "customer route of 65003" },
  { "65002 65005 65004", U, ASPA_INVALID, "peer hop between transits is not up" },
  { "65003 65001 65002 65005 65004", U, ASPA_INVALID, "leak through 65001" },
  { "65010 65020 65030", U, ASPA_UNKNOWN, "nobody has an ASPA" },

  /* Downstream: up-ramp, at most one peer hop, down-ramp. */
  { "65001", D, ASPA_VALID, "N = 1" },
  { "65010 65020", D, ASPA_VALID, "N = 2, no ASPAs" },
  { "65002 65005", D, ASPA_VALID, "N = 2, both hops Not Provider+ (peers)" },
  { "65003 65001", D, ASPA_VALID, "N = 2, up" },
  { "65006 65003 65001", D, ASPA_VALID, "up, then down" },
  { "65007 65006 65003 65001", D, ASPA_VALID, "up one, down two" },
  { "65007 65006 65006 65003 65003 65001", D, ASPA_VALID, "same with prepends" },
  { "65001 65003 65004 65005", D, ASPA_VALID, "down-ramp only" },
  { "65005 65004 65003 65001", D, ASPA_VALID, "up-ramp only" },
  { "65006 65003 65004 65005 65002 65001", D, ASPA_VALID, "peer apex between two transits (K = 2, L = 3)" },
  { "65004 65005 65002 65001", D, ASPA_VALID, "up, peer, down" },
  { "65002 65005 65004", D, ASPA_VALID, "up, peer" },
  { "65002 65001 65003", D, ASPA_INVALID, "valley: 65001 leaks its provider's route to another" },
  { "65003 65001 65002 65005 65004", D, ASPA_INVALID, "valley after a peer apex (u_min 3 <= v_max 4)" },
  { "65010 65020 65030", D, ASPA_UNKNOWN, "no ASPAs, N = 3 (L - K = 2)" },
  { "65004 65009 65008", D, ASPA_VALID, "apex peer hop 65009-65004 needs no attestation" },
  { "65003 65004 65010 65009 65008", D, ASPA_UNKNOWN, "two unattested hops in the middle" },
  { "65010 65006 65003", D, ASPA_UNKNOWN, "down hop from 65006 unattested" },
  { "65001 65010 65002 65001", D, ASPA_INVALID, "a loop: transit 65002 refuses 65010 going up, 65001 refuses it going down" },
};

static enum aspa_result model(const u32 *as, uint N, int upstream, struct aspa_set *s);

/* The model wants AS(1) (the origin) first, prepends collapsed. */
static uint model_order(const u32 *path, uint n, u32 *out)
{
  uint m = 0;
  for (uint i = n; i-- > 0; )
    if (!m || out[m - 1] != path[i])
      out[m++] = path[i];
  return m;
}

static void test_table(void)
{
  for (uint i = 0; i < ARRAY_SIZE(cases); i++)
  {
    const struct path_case *c = &cases[i];
    struct aspa_set s = { topo, ARRAY_SIZE(topo), 0, 0 };
    u32 asns[32];
    uint n = parse_path(c->path, asns, 32);
    enum aspa_result r = aspa_verify(asns, n, c->upstream, set_lookup, &s);
    if (r == c->want)
      unit_passed++;
    else {
      unit_failed++;
      fprintf(stderr, "FAIL %s [%s]: %s, want %s (%s)\n", c->path, c->upstream ? "up" : "down",
              result_name(r), result_name(c->want), c->why);
    }
    CHECK_INT(s.self_calls, 0);
    /* the expectations were worked by hand; the model agrees with them */
    u32 rev[32];
    CHECK_INT(model(rev, model_order(asns, n, rev), c->upstream, &s), c->want);
  }
  struct aspa_set s = { topo, ARRAY_SIZE(topo), 0, 0 };
  CHECK_INT(aspa_verify(NULL, 0, 1, set_lookup, &s), ASPA_INVALID);
  CHECK_INT(aspa_verify(NULL, 0, 0, set_lookup, &s), ASPA_INVALID);
  CHECK_INT(s.calls, 0);
}

/* Several records for one customer answer for the union of providers. */
static void test_union(void)
{
  static const struct record two[] = {
    { 65001, 1, { 65002 } },
    { 65001, 1, { 65003 } },
    { 65001, 0, { 0 } },        /* a transit record adds nothing */
  };
  struct aspa_set s = { two, ARRAY_SIZE(two), 0, 0 };
  u32 p1[] = { 65002, 65001 }, p2[] = { 65003, 65001 }, p3[] = { 65004, 65001 };
  CHECK_INT(aspa_verify(p1, 2, 1, set_lookup, &s), ASPA_VALID);
  CHECK_INT(aspa_verify(p2, 2, 1, set_lookup, &s), ASPA_VALID);
  CHECK_INT(aspa_verify(p3, 2, 1, set_lookup, &s), ASPA_INVALID);
}

/* --- wire-format wrapper --- */

/* An adata with room for 4 KiB of segments. */
static struct adata *wire_new(void)
{
  struct adata *a = malloc(sizeof(*a) + 4096);
  a->length = 0;
  return a;
}

static void wire_seg(struct adata *w, uint type, const u32 *asns, uint n)
{
  byte *o = w->data + w->length;
  *o++ = type;
  *o++ = n;
  for (uint i = 0; i < n; i++, o += 4)
  {
    o[0] = asns[i] >> 24; o[1] = asns[i] >> 16; o[2] = asns[i] >> 8; o[3] = asns[i];
  }
  w->length += 2 + 4 * n;
}

static enum aspa_result wire_verify(struct adata *w, int up, struct aspa_set *s)
{
  return aspa_verify_path(w, up, set_lookup, s, NULL);
}

static void test_wire(void)
{
  struct aspa_set s = { topo, ARRAY_SIZE(topo), 0, 0 };
  struct adata *w = wire_new();
  u32 up[] = { 65004, 65003, 65003 }, tail[] = { 65003, 65001 };

  CHECK_INT(aspa_verify_path(NULL, 1, set_lookup, &s, NULL), ASPA_INVALID);
  CHECK_INT(wire_verify(w, 1, &s), ASPA_INVALID);          /* empty */
  CHECK_INT(wire_verify(w, 0, &s), ASPA_INVALID);
  wire_seg(w, AS_PATH_SEQUENCE, NULL, 0);                  /* only an empty segment */
  CHECK_INT(wire_verify(w, 1, &s), ASPA_INVALID);

  /* prepends split across segments collapse as well */
  w->length = 0;
  wire_seg(w, AS_PATH_SEQUENCE, up, 3);
  wire_seg(w, AS_PATH_SEQUENCE, tail, 2);
  CHECK_INT(wire_verify(w, 1, &s), ASPA_VALID);
  CHECK_INT(wire_verify(w, 0, &s), ASPA_VALID);
  CHECK_INT(s.self_calls, 0);

  /* AS_SET anywhere, even of one ASN, even where the path would be Valid */
  static const uint bad[] = { AS_PATH_SET, AS_PATH_CONFED_SEQUENCE, AS_PATH_CONFED_SET, 0, 5 };
  for (uint i = 0; i < ARRAY_SIZE(bad); i++)
  {
    u32 one = 65001;
    w->length = 0;
    wire_seg(w, AS_PATH_SEQUENCE, up, 3);
    wire_seg(w, bad[i], &one, 1);
    CHECK_INT(wire_verify(w, 1, &s), ASPA_INVALID);
    CHECK_INT(wire_verify(w, 0, &s), ASPA_INVALID);
    w->length = 0;
    wire_seg(w, bad[i], &one, 1);
    wire_seg(w, AS_PATH_SEQUENCE, tail, 2);
    CHECK_INT(wire_verify(w, 1, &s), ASPA_INVALID);
    CHECK_INT(wire_verify(w, 0, &s), ASPA_INVALID);
  }

  /* truncated encodings: every strict prefix of a good path but the whole
     first segment is malformed */
  w->length = 0;
  wire_seg(w, AS_PATH_SEQUENCE, up, 3);
  wire_seg(w, AS_PATH_SEQUENCE, tail, 2);
  uint full = w->length;
  for (uint len = 1; len < full; len++)
  {
    w->length = len;
    enum aspa_result r = wire_verify(w, 1, &s);
    if (len == 2 + 4 * 3)
      CHECK_INT(r, ASPA_VALID);                             /* "65004 65003" */
    else
      CHECK_INT(r, ASPA_INVALID);
  }
  free(w);
}

/* Longer than the stack buffer: with the linpool and without one. */
static void test_long(void)
{
  enum { LEN = 600 };
  static struct record chain[LEN];
  static u32 asns[LEN];
  /* origin 1 -> 2 -> ... -> 300 (apex) <- 301 <- ... <- 600 (neighbour) */
  for (uint k = 1; k <= LEN; k++)
  {
    chain[k - 1].cas = k;
    chain[k - 1].n = 1;
    chain[k - 1].pas[0] = k <= 300 ? k + 1 : k - 1;
    asns[LEN - k] = k;
  }
  chain[299].n = 0;             /* the apex is transit */
  struct aspa_set s = { chain, LEN, 0, 0 };
  struct adata *w = wire_new();
  for (uint i = 0; i < LEN; i += 200)
  {
    wire_seg(w, AS_PATH_SEQUENCE, asns + i, 100);
    wire_seg(w, AS_PATH_SEQUENCE, asns + i + 99, 101);     /* repeats asns[i+99] */
  }
  pool *p = rp_new(&root_pool, "aspa_test");
  linpool *lp = lp_new(p);
  CHECK_INT(aspa_verify(asns, LEN, 0, set_lookup, &s), ASPA_VALID);
  CHECK(s.calls <= 2 * (LEN - 1));
  CHECK_INT(aspa_verify_path(w, 0, set_lookup, &s, lp), ASPA_VALID);
  CHECK_INT(aspa_verify_path(w, 0, set_lookup, &s, NULL), ASPA_VALID);
  CHECK_INT(aspa_verify_path(w, 1, set_lookup, &s, lp), ASPA_INVALID);
  /* Without AS 451's ASPA the down-ramp is proven only from the neighbour
     to 451 (L = 451, K = 300), and nothing is refuted below it: Unknown. */
  chain[450].cas = 0;
  CHECK_INT(aspa_verify_path(w, 0, set_lookup, &s, lp), ASPA_UNKNOWN);
  CHECK_INT(aspa_verify_path(w, 1, set_lookup, &s, lp), ASPA_INVALID);
  rp_free(p);
  free(w);
}

/*
 * Naive model: a path is valley-free when some apex split works. The
 * up-ramp is AS(1)..AS(a), then the down-ramp starts at AS(b), b = a
 * (apex AS) or b = a + 1 (one peer hop AS(a)-AS(a+1), not checked). Every
 * up hop hop(AS(i), AS(i+1)), i < a, and down hop hop(AS(j+1), AS(j)),
 * j >= b, must hold. A split is proven if all its hops are Provider+,
 * refuted if one is Not Provider+. Valid: some split proven. Invalid:
 * every split refuted. Unknown: otherwise. Upstream paths allow only the
 * split a = b = N. Exhaustive over splits: O(N^2) lookups, on purpose.
 */
static enum aspa_result model(const u32 *as, uint N, int upstream, struct aspa_set *s)
{
  if (!N)
    return ASPA_INVALID;
  int proven = 0, open = 0;
  for (uint a = upstream ? N : 1; a <= N; a++)
    for (uint b = a; b <= a + 1 && b <= N; b++)
    {
      int refuted = 0, all = 1;
      for (uint i = 1; i < a; i++)
      {
        int h = set_lookup(s, as[i - 1], as[i]);
        refuted |= h < 0;
        all &= h > 0;
      }
      for (uint j = b; j < N; j++)
      {
        int h = set_lookup(s, as[j], as[j - 1]);
        refuted |= h < 0;
        all &= h > 0;
      }
      proven |= all;
      open |= !refuted;
    }
  return proven ? ASPA_VALID : open ? ASPA_UNKNOWN : ASPA_INVALID;
}

static u32 rnd_state = 12345;
static u32 rnd(u32 n)
{
  rnd_state = rnd_state * 1103515245u + 12345u;
  return (rnd_state >> 16) % n;
}

static void test_random(void)
{
  enum { ASES = 6, ROUNDS = 20000 };
  struct record recs[ASES];
  uint mismatches = 0, seen[3] = { 0 };
  for (uint round = 0; round < ROUNDS; round++)
  {
    uint nrec = 0;
    for (u32 as = 1; as <= ASES; as++)
    {
      uint kind = rnd(4);                   /* none, transit, some providers */
      if (!kind)
        continue;
      struct record *r = &recs[nrec++];
      r->cas = as;
      r->n = 0;
      if (kind > 1)
        for (u32 p = 1; p <= ASES; p++)
          if (p != as && rnd(3) == 0 && r->n < MAXPROV)
            r->pas[r->n++] = p;
    }
    struct aspa_set s = { recs, nrec, 0, 0 };
    u32 path[12], collapsed[12];
    uint n = rnd(9), N = 0;
    for (uint i = 0; i < n; i++)
    {
      path[i] = (i && rnd(4) == 0) ? path[i - 1] : 1 + rnd(ASES);   /* some prepends */
      if (!i || path[i] != path[i - 1])
        N++;
    }
    uint m = model_order(path, n, collapsed);
    for (int up = 0; up <= 1; up++)
    {
      s.calls = 0;
      enum aspa_result got = aspa_verify(path, n, up, set_lookup, &s);
      uint calls = s.calls;
      enum aspa_result want = model(collapsed, m, up, &s);
      seen[want]++;
      if (got != want && mismatches++ < 5)
      {
        fprintf(stderr, "MISMATCH round %u %s path", round, up ? "up" : "down");
        for (uint i = 0; i < n; i++)
          fprintf(stderr, " %u", path[i]);
        fprintf(stderr, ": %s, model %s\n", result_name(got), result_name(want));
      }
      CHECK(calls <= (N ? 2 * (N - 1) : 0));
      if (N <= (up ? 1u : 2u))
        CHECK_INT(calls, 0);    /* decided by length alone (draft step 3) */
      CHECK_INT(s.self_calls, 0);
    }
  }
  CHECK_INT(mismatches, 0);
  /* the random walk must reach every outcome, or it proves little */
  CHECK(seen[ASPA_VALID] > 1000 && seen[ASPA_INVALID] > 1000 && seen[ASPA_UNKNOWN] > 1000);
}

int main(void)
{
  test_table();
  test_union();
  test_wire();
  test_long();
  test_random();
  return unit_done("aspa_test");
}
