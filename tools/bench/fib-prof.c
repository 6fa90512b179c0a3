/*
 * tools/bench/fib-prof.c: a DPDK-free driver for profiling fib/ under
 * valgrind --tool=callgrind (instruction counts and cache-miss estimates
 * repeat from run to run, unlike timings on a shared machine).
 *
 *   fib-prof upd4|upd6 [N]   N withdraw/announce updates of random DFZ prefixes
 *   fib-prof look4|look6 [N] N random-address lookups in bursts of 32, timed
 *                            in 1 M-lookup trials (the best one is printed)
 *
 * The table is bulk loaded first. Environment: FIB_PROF_READER=1 runs a
 * reader thread on CPU 1 (bursts of the same family, quiescent after each;
 * 3: a spin loop instead), FIB_PROF_READER_TABLE=1 gives it addresses
 * inside table prefixes, FIB_PROF_DIR4/FIB_PROF_DIR6 set the direct widths.
 * Not part of the build; from the top of the tree, after tools/build fibp:
 *
 *   gcc -O2 -g -mpopcnt -I. -Ibuild/fibp -DSHARED_DATA_DIR=\"$PWD/../shared/data\" \
 *     tools/bench/fib-prof.c fib/testdata.c build/fibp/fib/libfib.a -lpthread -o fib-prof
 *   valgrind --tool=callgrind --cache-sim=yes --toggle-collect=fib_insert4 \
 *     --toggle-collect=fib_delete4 ./fib-prof upd4 100000
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <pthread.h>
#include <sched.h>
#include "fib/testdata.h"

#define NGW 300

/* FIB_PROF_READER=1: a reader thread on CPU 1 looks up bursts and reports
 * quiescence after each; 2: never quiescent (holds reclamation back until
 * updates fail with -ENOMEM); 3: a spin loop. */
static struct fib_region *reg;
static volatile int stop;
static int reader_mode, reader_v6;
static struct td_pfx *rp4, *rp6;   /* FIB_PROF_READER_TABLE: keys inside table prefixes */
static size_t rn4, rn6;
static uint64_t reader_n;

static void *reader(void *arg)
{
  (void)arg;
  cpu_set_t cs;
  CPU_ZERO(&cs);
  CPU_SET(1, &cs);
  pthread_setaffinity_np(pthread_self(), sizeof cs, &cs);
  uint64_t rng = 99, n = 0, sum = 0;
  uint32_t k[32], out[32];
  uint8_t k6[32][16];
  int slot = reader_mode <= 2 ? fib_reader_register(reg) : -1;
  while (!stop) {
    if (reader_mode == 3) {
      sum += td_rand(&rng);
      n++;
      continue;
    }
    if (reader_v6) {
      for (int j = 0; j < 32; j++) {
        fib_u128 x = ((fib_u128)td_rand(&rng) << 64) | td_rand(&rng);
        if (rp6) {
          const struct td_pfx *q = &rp6[td_rand(&rng) % rn6];
          x = q->key | (q->len < 128 ? x >> q->len : 0);
        }
        td_v6(x, k6[j]);
      }
      fib_lookup6_bulk(reg, (const uint8_t (*)[16])k6, out, 32);
    } else {
      for (int j = 0; j < 32; j++) {
        k[j] = (uint32_t)td_rand(&rng);
        if (rp4) {
          const struct td_pfx *q = &rp4[td_rand(&rng) % rn4];
          k[j] = td_v4(q->key) | (q->len < 32 ? k[j] >> q->len : 0);
        }
      }
      fib_lookup4_bulk(reg, k, out, 32);
    }
    sum += out[0];
    n += 32;
    if (reader_mode == 1)
      fib_reader_quiescent(reg, slot);
  }
  if (slot >= 0)
    fib_reader_unregister(reg, slot);
  reader_n = n + (sum & 1);
  return NULL;
}

int main(int argc, char **argv)
{
  const char *mode = argc > 1 ? argv[1] : "upd4";
  unsigned long n = argc > 2 ? strtoul(argv[2], NULL, 0) : 100000;
  struct td_pfx *p4, *p6;
  size_t n4, n6;
  uint32_t gw[NGW + 1];
  uint64_t rng = 7;
  char err[256];
  if (td_load(td_dfz_path(), &p4, &n4, &p6, &n6) < 0)
    return 1;
  struct fib_config c;
  fib_config_default(&c);
  c.path = "/dev/shm/tern-fib-prof";
  if (getenv("FIB_PROF_DIR4"))
    c.dir_bits4 = (unsigned)atoi(getenv("FIB_PROF_DIR4"));
  if (getenv("FIB_PROF_DIR6"))
    c.dir_bits6 = (unsigned)atoi(getenv("FIB_PROF_DIR6"));
  struct fib_writer *w = fib_writer_create(&c, err, sizeof err);
  if (!w || td_make_gateways(w, NGW, gw) < 0) {
    fprintf(stderr, "%s\n", err);
    return 1;
  }
  reg = fib_writer_region(w);
  struct fib_route4 *r4 = malloc(n4 * sizeof *r4);
  struct fib_route6 *r6 = malloc(n6 * sizeof *r6);
  for (size_t i = 0; i < n4; i++)
    r4[i] = (struct fib_route4){ td_v4(p4[i].key), p4[i].len, gw[td_gateway(&p4[i], NGW)] };
  for (size_t i = 0; i < n6; i++) {
    td_v6(p6[i].key, r6[i].addr);
    r6[i].len = p6[i].len;
    r6[i].nh = gw[td_gateway(&p6[i], NGW)];
  }
  if (fib_bulk4(w, r4, n4) || fib_bulk6(w, r6, n6))
    return 1;
  struct fib_stats st;
  fib_writer_stats(w, &st);
  printf("memory: IPv4 %.1f MiB, IPv6 %.1f MiB\n", st.bytes4 / 1048576.0, st.bytes6 / 1048576.0);
  int v6 = mode[strlen(mode) - 1] == '6';
  pthread_t th;
  reader_mode = getenv("FIB_PROF_READER") ? atoi(getenv("FIB_PROF_READER")) : 0;
  reader_v6 = v6;
  if (getenv("FIB_PROF_READER_TABLE")) {
    rp4 = p4, rn4 = n4;
    rp6 = p6, rn6 = n6;
  }
  if (reader_mode)
    pthread_create(&th, NULL, reader, NULL);
  uint64_t sum = 0;
  unsigned long errs = 0;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  if (!strncmp(mode, "upd", 3)) {
    for (unsigned long i = 0; i < n; i += 2) {
      uint32_t g = gw[1 + td_rand(&rng) % NGW];
      if (v6) {
        const struct td_pfx *q = &p6[td_rand(&rng) % n6];
        uint8_t a[16];
        td_v6(q->key, a);
        errs += fib_delete6(w, a, q->len) != 0;
        errs += fib_insert6(w, a, q->len, g) != 0;
      } else {
        const struct td_pfx *q = &p4[td_rand(&rng) % n4];
        errs += fib_delete4(w, td_v4(q->key), q->len) != 0;
        errs += fib_insert4(w, td_v4(q->key), q->len, g) != 0;
      }
    }
  } else {
    enum { K = 1 << 20 };
    uint32_t *k4 = malloc(K * sizeof *k4), out[32];
    uint8_t (*k6)[16] = malloc(K * sizeof *k6);
    for (unsigned i = 0; i < K; i++) {
      k4[i] = (uint32_t)td_rand(&rng);
      td_v6(((fib_u128)td_rand(&rng) << 64) | td_rand(&rng), k6[i]);
    }
    /* best of 1 M-lookup trials: robust against other load on the machine */
    double best = 1e9;
    for (unsigned long done = 0; done < n;) {
      struct timespec a, b;
      clock_gettime(CLOCK_MONOTONIC, &a);
      for (unsigned long i = 0; i < (1ul << 20); i += 32, done += 32) {
        unsigned o = (unsigned)(done % K);
        if (v6)
          fib_lookup6_bulk(reg, (const uint8_t (*)[16])(k6 + o), out, 32);
        else
          fib_lookup4_bulk(reg, k4 + o, out, 32);
        for (int j = 0; j < 32; j++)
          sum += out[j];
      }
      clock_gettime(CLOCK_MONOTONIC, &b);
      double dt = (double)(b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) * 1e-9;
      if (dt < best)
        best = dt;
    }
    printf("best trial: %.1f Mlps\n", (1 << 20) / best / 1e6);
    clock_gettime(CLOCK_MONOTONIC, &t0);
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  if (reader_mode) {
    stop = 1;
    pthread_join(th, NULL);
    printf("reader: %llu lookups\n", (unsigned long long)reader_n);
  }
  double dt = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9;
  printf("%s: %lu ops in %.3f s, %.0f/s, %lu errors (sum %llu)\n", mode, n, dt, n / dt, errs,
         (unsigned long long)sum);
  fib_writer_destroy(w);
  remove(c.path);
  return errs != 0;
}
