/*
 * fib/dfz_test.c: the real 2024 DFZ table (901 899 IPv4, 160 147 IPv6
 * prefixes, a few hundred gateways) bulk loaded and loaded route by route,
 * checked against the naive reference at every prefix boundary and its
 * neighbours and at random keys, then through a random churn of deletes,
 * re-inserts and replaces. A missing data file is a failure, not a skip.
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include "fib/testdata.h"
#include "test/unit.h"

#define NGW 300
static unsigned scale = 3;
static char path[256];
static uint64_t rng = 42;

static double now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static struct fib_writer *new_writer(void)
{
  char err[256];
  struct fib_config c;
  fib_config_default(&c);
  c.path = path;
  struct fib_writer *w = fib_writer_create(&c, err, sizeof err);
  if (!w)
    fprintf(stderr, "fib_writer_create: %s\n", err);
  return w;
}

static uint32_t get(struct fib_region *r, unsigned kb, fib_u128 k)
{
  if (kb == 32)
    return fib_lookup4(r, td_v4(k));
  uint8_t a[16];
  td_v6(k, a);
  return fib_lookup6(r, a);
}

static int check_key(struct fib_region *r, const struct td_ref *ref, unsigned kb, fib_u128 k)
{
  k = td_first(k, kb);
  uint32_t want = td_ref_lookup(ref, k), got = get(r, kb, k);
  if (got == want)
    return 0;
  fprintf(stderr, "FAIL key %016llx%016llx: got %u want %u\n",
          (unsigned long long)(k >> 64), (unsigned long long)k, got, want);
  return 1;
}

static int check_bounds(struct fib_region *r, const struct td_ref *ref, unsigned kb,
                        fib_u128 k, unsigned len)
{
  fib_u128 u = (fib_u128)1 << (128 - kb), lo = td_first(k, len), hi = td_last(k, len, kb);
  return check_key(r, ref, kb, lo) + check_key(r, ref, kb, hi) +
         check_key(r, ref, kb, lo - u) + check_key(r, ref, kb, hi + u);
}

static int check_table(struct fib_region *r, const struct td_ref *ref, unsigned kb,
                       const struct td_pfx *p, size_t n)
{
  int bad = 0;
  for (size_t i = 0; i < n && bad < 10; i++)
    bad += check_bounds(r, ref, kb, p[i].key, p[i].len);
  for (unsigned i = 0; i < 200000 && bad < 10; i++) {
    fib_u128 k = ((fib_u128)td_rand(&rng) << 64) | td_rand(&rng);
    if (i % 2) { /* inside a random prefix */
      const struct td_pfx *q = &p[td_rand(&rng) % n];
      k = q->key | (q->len < 128 ? k >> q->len : 0);
    }
    bad += check_key(r, ref, kb, k);
  }
  return bad;
}

static int insert(struct fib_writer *w, unsigned kb, fib_u128 k, unsigned len, uint32_t nh)
{
  uint8_t a[16];
  td_v6(k, a);
  return kb == 32 ? fib_insert4(w, td_v4(k), len, nh) : fib_insert6(w, a, len, nh);
}

static int delete(struct fib_writer *w, unsigned kb, fib_u128 k, unsigned len)
{
  uint8_t a[16];
  td_v6(k, a);
  return kb == 32 ? fib_delete4(w, td_v4(k), len) : fib_delete6(w, a, len);
}

static int replace(struct fib_writer *w, unsigned kb, fib_u128 k, unsigned len, uint32_t nh)
{
  uint8_t a[16];
  td_v6(k, a);
  return kb == 32 ? fib_replace4(w, td_v4(k), len, nh) : fib_replace6(w, a, len, nh);
}

static int bulk(struct fib_writer *w, unsigned kb, const struct td_pfx *p, size_t n, const uint32_t *gw)
{
  int r;
  if (kb == 32) {
    struct fib_route4 *rt = malloc(n * sizeof *rt);
    for (size_t i = 0; i < n; i++)
      rt[i] = (struct fib_route4){ td_v4(p[i].key), p[i].len, gw[td_gateway(&p[i], NGW)] };
    r = fib_bulk4(w, rt, n);
    free(rt);
  } else {
    struct fib_route6 *rt = malloc(n * sizeof *rt);
    for (size_t i = 0; i < n; i++) {
      td_v6(p[i].key, rt[i].addr);
      rt[i].len = p[i].len;
      rt[i].nh = gw[td_gateway(&p[i], NGW)];
    }
    r = fib_bulk6(w, rt, n);
    free(rt);
  }
  return r;
}

static void test_family(unsigned kb, struct td_pfx *p, size_t n)
{
  uint32_t gw[NGW + 1];
  struct fib_writer *w = new_writer();
  CHECK(w != NULL);
  if (!w)
    return;
  struct fib_region *r = fib_writer_region(w);
  CHECK_INT(td_make_gateways(w, NGW, gw), 0);
  struct td_ref *ref = td_ref_new();
  for (size_t i = 0; i < n; i++)
    td_ref_set(ref, p[i].key, p[i].len, gw[td_gateway(&p[i], NGW)]);

  double t0 = now();
  CHECK_INT(bulk(w, kb, p, n, gw), 0);
  double t1 = now();
  struct fib_stats st;
  fib_writer_stats(w, &st);
  fprintf(stderr, "IPv%u: %zu prefixes, bulk load %.2f s, %.2f MiB\n", kb == 32 ? 4 : 6, n,
          t1 - t0, (kb == 32 ? st.bytes4 : st.bytes6) / 1048576.0);
  CHECK_INT(kb == 32 ? st.routes4 : st.routes6, n);
  CHECK_INT(check_table(r, ref, kb, p, n), 0);

  /* churn: delete, re-insert with another gateway, replace */
  unsigned ops = 20000 * scale;
  int bad = 0;
  t0 = now();
  for (unsigned i = 0; i < ops && bad < 10; i++) {
    struct td_pfx *q = &p[td_rand(&rng) % n];
    uint32_t nh = gw[1 + td_rand(&rng) % NGW];
    if (i % 3 == 0) {
      bad += delete(w, kb, q->key, q->len) != 0;
      td_ref_set(ref, q->key, q->len, 0);
      bad += check_bounds(r, ref, kb, q->key, q->len);
      bad += insert(w, kb, q->key, q->len, nh) != 0;
    } else {
      int e = replace(w, kb, q->key, q->len, nh);
      bad += e != 0;
    }
    td_ref_set(ref, q->key, q->len, nh);
    bad += check_bounds(r, ref, kb, q->key, q->len);
  }
  t1 = now();
  fprintf(stderr, "IPv%u: %u churn steps checked in %.2f s\n", kb == 32 ? 4 : 6, ops, t1 - t0);
  CHECK_INT(bad, 0);
  CHECK_INT(check_table(r, ref, kb, p, n), 0);
  fib_writer_destroy(w);

  /* the same table loaded route by route gives the same answers */
  w = new_writer();
  if (!w)
    return;
  r = fib_writer_region(w);
  CHECK_INT(td_make_gateways(w, NGW, gw), 0);
  td_ref_free(ref);
  ref = td_ref_new();
  t0 = now();
  bad = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t nh = gw[td_gateway(&p[i], NGW)];
    bad += insert(w, kb, p[i].key, p[i].len, nh) != 0;
    td_ref_set(ref, p[i].key, p[i].len, nh);
  }
  t1 = now();
  fprintf(stderr, "IPv%u: route-by-route load %.2f s (%.0f inserts/s)\n", kb == 32 ? 4 : 6,
          t1 - t0, n / (t1 - t0));
  CHECK_INT(bad, 0);
  CHECK_INT(check_table(r, ref, kb, p, n), 0);
  fib_writer_destroy(w);
  td_ref_free(ref);
}

int main(void)
{
#if defined(__SANITIZE_ADDRESS__)
  scale = 1;
#endif
  if (getenv("FIB_TEST_SCALE"))
    scale = (unsigned)atoi(getenv("FIB_TEST_SCALE"));
  snprintf(path, sizeof path, "/tmp/fib-dfz-test.%d", (int)getpid());
  struct td_pfx *p4, *p6;
  size_t n4, n6;
  if (td_load(td_dfz_path(), &p4, &n4, &p6, &n6) < 0) {
    fprintf(stderr, "FAIL: the real-table test needs %s\n", td_dfz_path());
    CHECK(0);
    return unit_done("dfz_test");
  }
  CHECK_INT(n4, 901899);
  CHECK_INT(n6, 160147);
  test_family(32, p4, n4);
  test_family(128, p6, n6);
  unlink(path);
  free(p4);
  free(p6);
  return unit_done("dfz_test");
}
