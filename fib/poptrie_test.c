/*
 * fib/poptrie_test.c: the Poptrie against deliberately naive references (a
 * pointer binary trie, and a linear scan for small tables) on random
 * tables: every prefix boundary and its neighbours, /0, host routes,
 * default routes, random keys; after every insert, delete and replace of a
 * long random update sequence. Also next-hop sharing and reclamation with
 * live, quiescent and dead readers.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "fib/testdata.h"
#include "test/unit.h"

static unsigned scale = 4; /* divided under sanitizers */
static char path[256];
static uint64_t rng = 0x1234567887654321ULL;

static struct fib_writer *new_writer(void)
{
  char err[256];
  struct fib_config c;
  fib_config_default(&c);
  c.path = path;
  c.nodes4 = c.nodes6 = 1u << 19;
  c.leaves4 = c.leaves6 = 1u << 22;
  struct fib_writer *w = fib_writer_create(&c, err, sizeof err);
  if (!w)
    fprintf(stderr, "fib_writer_create: %s\n", err);
  return w;
}

/* ---- the model: reference trie plus the list of routes ------------------ */

struct route { fib_u128 k; uint8_t len; uint32_t nh; };
struct model { struct td_ref *ref; struct route *rt; size_t n, cap; unsigned keybits; };

static void model_init(struct model *m, unsigned keybits)
{
  memset(m, 0, sizeof *m);
  m->ref = td_ref_new();
  m->keybits = keybits;
}

static void model_free(struct model *m)
{
  td_ref_free(m->ref);
  free(m->rt);
}

static long model_find(const struct model *m, fib_u128 k, unsigned len)
{
  for (size_t i = 0; i < m->n; i++)
    if (m->rt[i].len == len && m->rt[i].k == k)
      return (long)i;
  return -1;
}

static uint32_t linear_lookup(const struct model *m, fib_u128 k)
{
  int bl = -1;
  uint32_t nh = 0;
  for (size_t i = 0; i < m->n; i++)
    if ((int)m->rt[i].len > bl && td_first(k, m->rt[i].len) == m->rt[i].k) {
      bl = m->rt[i].len;
      nh = m->rt[i].nh;
    }
  return nh;
}

static uint32_t fib_get(struct fib_writer *w, unsigned keybits, fib_u128 k)
{
  struct fib_region *r = fib_writer_region(w);
  if (keybits == 32)
    return fib_lookup4(r, td_v4(k));
  uint8_t a[16];
  td_v6(k, a);
  return fib_lookup6(r, a);
}

/* Compare one key; returns 0 if it matched. */
static int check_key(struct fib_writer *w, const struct model *m, fib_u128 k, int linear)
{
  k = td_first(k, m->keybits);
  uint32_t want = td_ref_lookup(m->ref, k), got = fib_get(w, m->keybits, k);
  if (linear)
    CHECK_INT(linear_lookup(m, k), want);
  if (got != want) {
    CHECK_INT(got, want);
    fprintf(stderr, "  key %016llx%016llx\n", (unsigned long long)(k >> 64), (unsigned long long)k);
    return 1;
  }
  unit_passed++;
  return 0;
}

/* First and last address of p and their outside neighbours. */
static int check_bounds(struct fib_writer *w, const struct model *m, fib_u128 k, unsigned len)
{
  fib_u128 lo = td_first(k, len), hi = td_last(k, len, m->keybits);
  fib_u128 unit = (fib_u128)1 << (128 - m->keybits);
  int bad = check_key(w, m, lo, 0) + check_key(w, m, hi, 0);
  bad += check_key(w, m, lo - unit, 0) + check_key(w, m, hi + unit, 0);
  return bad;
}

static fib_u128 rand_key(void)
{
  return ((fib_u128)td_rand(&rng) << 64) | td_rand(&rng);
}

/* Random prefixes clustered under a few roots, so that subtrees are dense
 * and nest, with a sprinkling of short, host and default routes. */
static void rand_prefix(unsigned keybits, fib_u128 *k, unsigned *len)
{
  static fib_u128 roots[8];
  if (!roots[0])
    for (int i = 0; i < 8; i++)
      roots[i] = rand_key();
  uint64_t r = td_rand(&rng);
  unsigned l;
  switch (r % 8) {
  case 0: l = (unsigned)(td_rand(&rng) % (keybits + 1)); break;
  case 1: l = keybits; break;
  case 2: l = (unsigned)(td_rand(&rng) % 20); break;
  default: l = keybits == 32 ? 16 + (unsigned)(td_rand(&rng) % 17) : 24 + (unsigned)(td_rand(&rng) % 41);
  }
  fib_u128 base = roots[(r >> 8) % 8];
  fib_u128 keep = ((fib_u128)1 << (128 - (keybits == 32 ? 12 : 20))) - 1;
  *k = td_first((base & ~keep) | (rand_key() & keep), l);
  *len = l;
}

static int do_insert(struct fib_writer *w, struct model *m, fib_u128 k, unsigned len, uint32_t nh)
{
  uint8_t a[16];
  td_v6(k, a);
  int r = m->keybits == 32 ? fib_insert4(w, td_v4(k), len, nh) : fib_insert6(w, a, len, nh);
  if (r == 0) {
    td_ref_set(m->ref, k, len, nh);
    if (m->n == m->cap) {
      m->cap = m->cap ? 2 * m->cap : 256;
      m->rt = realloc(m->rt, m->cap * sizeof *m->rt);
    }
    m->rt[m->n++] = (struct route){ k, (uint8_t)len, nh };
  }
  return r;
}

static int do_delete(struct fib_writer *w, struct model *m, size_t i)
{
  uint8_t a[16];
  struct route rt = m->rt[i];
  td_v6(rt.k, a);
  int r = m->keybits == 32 ? fib_delete4(w, td_v4(rt.k), rt.len) : fib_delete6(w, a, rt.len);
  if (r == 0) {
    td_ref_set(m->ref, rt.k, rt.len, 0);
    m->rt[i] = m->rt[--m->n];
  }
  return r;
}

static int do_replace(struct fib_writer *w, struct model *m, size_t i, uint32_t nh)
{
  uint8_t a[16];
  struct route *rt = &m->rt[i];
  td_v6(rt->k, a);
  int r = m->keybits == 32 ? fib_replace4(w, td_v4(rt->k), rt->len, nh)
                           : fib_replace6(w, a, rt->len, nh);
  if (r == 0) {
    td_ref_set(m->ref, rt->k, rt->len, nh);
    rt->nh = nh;
  }
  return r;
}

static int check_all(struct fib_writer *w, const struct model *m, unsigned nrandom, int linear)
{
  int bad = 0;
  for (size_t i = 0; i < m->n && bad < 5; i++)
    bad += check_bounds(w, m, m->rt[i].k, m->rt[i].len);
  for (unsigned i = 0; i < nrandom && bad < 5; i++)
    bad += check_key(w, m, rand_key(), linear);
  bad += check_key(w, m, 0, linear) + check_key(w, m, ~(fib_u128)0, linear);
  return bad;
}

/* ---- tests -------------------------------------------------------------- */

static void test_basics(void)
{
  struct fib_writer *w = new_writer();
  CHECK(w != NULL);
  if (!w)
    return;
  struct fib_region *r = fib_writer_region(w);
  uint32_t gw[4];
  CHECK_INT(td_make_gateways(w, 3, gw), 0);
  uint8_t a[16] = { 0x20, 0x01, 0x0d, 0xb8 }, z[16] = { 0 };
  CHECK_INT(fib_lookup4(r, 0x01020304), 0);
  CHECK_INT(fib_lookup6(r, a), 0);
  /* default routes cover everything */
  CHECK_INT(fib_insert4(w, 0, 0, gw[1]), 0);
  CHECK_INT(fib_insert6(w, z, 0, gw[1]), 0);
  CHECK_INT(fib_lookup4(r, 0xffffffff), gw[1]);
  CHECK_INT(fib_lookup6(r, a), gw[1]);
  /* host routes: exactly one address */
  CHECK_INT(fib_insert4(w, 0x01020304, 32, gw[2]), 0);
  CHECK_INT(fib_lookup4(r, 0x01020304), gw[2]);
  CHECK_INT(fib_lookup4(r, 0x01020305), gw[1]);
  CHECK_INT(fib_lookup4(r, 0x01020303), gw[1]);
  a[15] = 7;
  CHECK_INT(fib_insert6(w, a, 128, gw[3]), 0);
  CHECK_INT(fib_lookup6(r, a), gw[3]);
  a[15] = 6;
  CHECK_INT(fib_lookup6(r, a), gw[1]);
  /* errors */
  CHECK_INT(fib_insert4(w, 0x01020304, 32, gw[3]), -EEXIST);
  CHECK_INT(fib_replace4(w, 0x01020300, 24, gw[3]), -ENOENT);
  CHECK_INT(fib_delete4(w, 0x01020300, 24), -ENOENT);
  CHECK_INT(fib_insert4(w, 0x01020300, 33, gw[3]), -EINVAL);
  CHECK_INT(fib_insert6(w, a, 129, gw[3]), -EINVAL);
  CHECK_INT(fib_insert4(w, 0x01020300, 24, 0), -EINVAL);
  CHECK_INT(fib_insert4(w, 0x01020300, 24, 999), -EINVAL);
  /* host bits are ignored: 1.2.3.4/24 is 1.2.3.0/24 */
  CHECK_INT(fib_insert4(w, 0x01020304, 24, gw[3]), 0);
  CHECK_INT(fib_lookup4(r, 0x010203ff), gw[3]);
  CHECK_INT(fib_delete4(w, 0x01020300, 24), 0);
  CHECK_INT(fib_lookup4(r, 0x010203ff), gw[1]);
  CHECK_INT(fib_delete4(w, 0, 0), 0);
  CHECK_INT(fib_lookup4(r, 0x010203ff), 0);
  CHECK_INT(fib_lookup4(r, 0x01020304), gw[2]);
  fib_writer_destroy(w);
}

/* A random table, bulk loaded, then checked everywhere. */
static void test_random_table(unsigned keybits, unsigned n, int linear)
{
  struct fib_writer *w = new_writer();
  if (!w)
    return;
  uint32_t gw[65];
  CHECK_INT(td_make_gateways(w, 64, gw), 0);
  struct model m;
  model_init(&m, keybits);
  struct fib_route4 *r4 = calloc(n, sizeof *r4);
  struct fib_route6 *r6 = calloc(n, sizeof *r6);
  size_t cnt = 0;
  for (unsigned i = 0; i < n; i++) {
    fib_u128 k;
    unsigned len;
    rand_prefix(keybits, &k, &len);
    if (model_find(&m, k, len) >= 0 && linear)
      continue;
    uint32_t nh = gw[1 + td_rand(&rng) % 64];
    long j = linear ? -1 : model_find(&m, k, len);
    (void)j;
    td_ref_set(m.ref, k, len, nh);
    if (linear) {
      if (m.n == m.cap) {
        m.cap = m.cap ? 2 * m.cap : 256;
        m.rt = realloc(m.rt, m.cap * sizeof *m.rt);
      }
      m.rt[m.n++] = (struct route){ k, (uint8_t)len, nh };
    }
    r4[cnt] = (struct fib_route4){ td_v4(k), (uint8_t)len, nh };
    td_v6(k, r6[cnt].addr);
    r6[cnt].len = (uint8_t)len;
    r6[cnt++].nh = nh;
  }
  CHECK_INT(keybits == 32 ? fib_bulk4(w, r4, cnt) : fib_bulk6(w, r6, cnt), 0);
  if (!linear) /* the model holds only what the boundaries loop needs */
    for (size_t i = 0; i < cnt; i++) {
      if (m.n == m.cap) {
        m.cap = m.cap ? 2 * m.cap : 256;
        m.rt = realloc(m.rt, m.cap * sizeof *m.rt);
      }
      m.rt[m.n++] = (struct route){ keybits == 32 ? (fib_u128)r4[i].addr << 96 : fib_load6(r6[i].addr),
                                   r4[i].len, 0 };
    }
  CHECK_INT(check_all(w, &m, 20000, linear), 0);

  /* bursts agree with single lookups, including a ragged tail */
  enum { B = 1000 };
  uint32_t a4[B], out[B];
  uint8_t a6[B][16];
  for (unsigned i = 0; i < B; i++) {
    fib_u128 k = i % 2 ? rand_key() : m.rt[td_rand(&rng) % m.n].k | (rand_key() >> 100);
    a4[i] = td_v4(k);
    td_v6(k, a6[i]);
  }
  struct fib_region *reg = fib_writer_region(w);
  int bad = 0;
  if (keybits == 32) {
    fib_lookup4_bulk(reg, a4, out, B);
    for (unsigned i = 0; i < B; i++)
      bad += out[i] != fib_lookup4(reg, a4[i]);
  } else {
    fib_lookup6_bulk(reg, (const uint8_t (*)[16])a6, out, B);
    for (unsigned i = 0; i < B; i++)
      bad += out[i] != fib_lookup6(reg, a6[i]);
  }
  CHECK_INT(bad, 0);
  free(r4);
  free(r6);
  model_free(&m);
  fib_writer_destroy(w);
}

/* A long random sequence of insert/delete/replace, checked after each. */
static void test_updates(unsigned keybits, unsigned nops)
{
  struct fib_writer *w = new_writer();
  if (!w)
    return;
  uint32_t gw[33];
  CHECK_INT(td_make_gateways(w, 32, gw), 0);
  struct model m;
  model_init(&m, keybits);
  int bad = 0;
  for (unsigned op = 0; op < nops && bad < 5; op++) {
    uint64_t r = td_rand(&rng) % 10;
    fib_u128 k;
    unsigned len;
    uint32_t nh = gw[1 + td_rand(&rng) % 32];
    if (r < 5 || m.n < 10) {
      rand_prefix(keybits, &k, &len);
      int e = do_insert(w, &m, k, len, nh);
      CHECK(e == 0 || e == -EEXIST);
    } else {
      size_t i = td_rand(&rng) % m.n;
      k = m.rt[i].k;
      len = m.rt[i].len;
      CHECK_INT(r < 8 ? do_delete(w, &m, i) : do_replace(w, &m, i, nh), 0);
    }
    bad += check_bounds(w, &m, k, len);
    for (int j = 0; j < 8; j++) /* keys inside and around the change */
      bad += check_key(w, &m, td_first(k, len > 8 ? len - 8 : 0) |
                                  (rand_key() >> (len > 8 ? len - 8 : 0)), 0);
    if (op % 1000 == 999)
      bad += check_all(w, &m, 2000, 0);
  }
  CHECK_INT(bad, 0);
  CHECK_INT(check_all(w, &m, 20000, 1), 0);
  /* delete everything: the trie and the next-hop refs go back to nothing */
  while (m.n && bad == 0)
    bad += do_delete(w, &m, m.n - 1) != 0;
  CHECK_INT(fib_writer_reclaim(w), 0);
  struct fib_stats st;
  fib_writer_stats(w, &st);
  CHECK_INT(keybits == 32 ? st.nodes4 : st.nodes6, 0);
  CHECK_INT(keybits == 32 ? st.leaves4 : st.leaves6, 0);
  CHECK_INT(keybits == 32 ? st.routes4 : st.routes6, 0);
  CHECK_INT(fib_nh_refcount(w, gw[1]), 1);
  model_free(&m);
  fib_writer_destroy(w);
}

static void test_nexthops(void)
{
  struct fib_writer *w = new_writer();
  if (!w)
    return;
  struct fib_nh a = { .kind = FIB_NH_FORWARD, .family = 4, .port = 3, .addr = { 192, 0, 2, 1 } };
  struct fib_nh b = a;
  b.port = 4;
  int ia = fib_nh_acquire(w, &a), ia2 = fib_nh_acquire(w, &a), ib = fib_nh_acquire(w, &b);
  CHECK(ia > 0);
  CHECK_INT(ia2, ia);
  CHECK(ib > 0 && ib != ia);
  struct fib_nh bad = { .kind = FIB_NH_NOROUTE };
  CHECK_INT(fib_nh_acquire(w, &bad), -EINVAL);
  /* a thousand routes through one gateway: one entry, one ref each */
  for (uint32_t i = 0; i < 1000; i++)
    CHECK_INT(fib_insert4(w, 0x0a000000 + (i << 8), 24, (uint32_t)ia), 0);
  CHECK_INT(fib_nh_refcount(w, (uint32_t)ia), 1002);
  struct fib_stats st;
  fib_writer_stats(w, &st);
  CHECK_INT(st.nexthops, 2);
  fib_nh_release(w, (uint32_t)ia);
  fib_nh_release(w, (uint32_t)ia);
  for (uint32_t i = 0; i < 1000; i++)
    CHECK_INT(fib_delete4(w, 0x0a000000 + (i << 8), 24), 0);
  CHECK_INT(fib_nh_refcount(w, (uint32_t)ia), 0);
  /* the entry is gone; the index comes back only after the grace period */
  struct fib_region *r = fib_writer_region(w);
  int slot = fib_reader_register(r);
  CHECK(slot >= 0);
  struct fib_nh c = a;
  c.port = 9;
  int ic = fib_nh_acquire(w, &c);
  CHECK(ic != ia);
  fib_reader_quiescent(r, slot);
  fib_writer_reclaim(w);
  fib_reader_unregister(r, slot);
  fib_nh_release(w, (uint32_t)ib);
  fib_writer_reclaim(w);
  int id = fib_nh_acquire(w, &a);
  CHECK(id == ia || id == ib);
  fib_writer_destroy(w);
}

/* Live readers hold reclamation back until quiescent; dead ones are
 * detected and reported. */
static void test_readers(void)
{
  struct fib_writer *w = new_writer();
  if (!w)
    return;
  struct fib_region *r = fib_writer_region(w);
  uint32_t gw[3];
  CHECK_INT(td_make_gateways(w, 2, gw), 0);
  int slot = fib_reader_register(r);
  CHECK(slot >= 0);
  for (uint32_t i = 0; i < 100; i++)
    CHECK_INT(fib_insert4(w, 0x0a000000 + (i << 4), 28, gw[1 + i % 2]), 0);
  CHECK(fib_writer_reclaim(w) > 0);          /* the reader may hold blocks */
  fib_reader_quiescent(r, slot);
  CHECK_INT(fib_writer_reclaim(w), 0);       /* now it does not */
  CHECK_INT(fib_replace4(w, 0x0a000000, 28, gw[2]), 0);
  fib_reader_offline(r, slot);
  CHECK_INT(fib_writer_reclaim(w), 0);       /* offline readers do not count */
  fib_reader_unregister(r, slot);

  /* a reader process that dies while online */
  pid_t pid = fork();
  if (pid == 0) {
    char err[256];
    struct fib_region *cr = fib_attach(path, err, sizeof err);
    if (!cr || fib_reader_register(cr) < 0)
      _exit(1);
    _exit(0); /* dies holding its slot */
  }
  int st = -1;
  waitpid(pid, &st, 0);
  CHECK_INT(st, 0);
  CHECK_INT(fib_replace4(w, 0x0a000000, 28, gw[1]), 0);
  CHECK_INT(fib_writer_reclaim(w), 0);
  pid_t dead[4];
  CHECK_INT(fib_writer_dead_readers(w, dead, 4), 1);
  CHECK_INT(dead[0], pid);
  CHECK_INT(fib_writer_dead_readers(w, dead, 4), 0);
  fib_writer_destroy(w);
}

int main(void)
{
#if defined(__SANITIZE_ADDRESS__)
  scale = 1;
#endif
  if (getenv("FIB_TEST_SCALE"))
    scale = (unsigned)atoi(getenv("FIB_TEST_SCALE"));
  snprintf(path, sizeof path, "/tmp/fib-poptrie-test.%d", (int)getpid());
  test_basics();
  test_random_table(32, 300, 1);
  test_random_table(128, 300, 1);
  test_random_table(32, 50000 * scale, 0);
  test_random_table(128, 20000 * scale, 0);
  test_updates(32, 10000 * scale);
  test_updates(128, 10000 * scale);
  test_nexthops();
  test_readers();
  unlink(path);
  return unit_done("poptrie_test");
}
