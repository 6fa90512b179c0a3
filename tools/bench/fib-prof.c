/*
 * tools/bench/fib-prof.c: a DPDK-free driver for profiling fib/ under
 * valgrind --tool=callgrind (instruction counts and cache-miss estimates
 * repeat from run to run, unlike timings on a shared machine).
 *
 *   fib-prof upd4|upd6 [N]   N withdraw/announce updates of random DFZ prefixes
 *   fib-prof look4|look6 [N] N random-address lookups in bursts of 32
 *
 * The table is bulk loaded first; compare the counts of fib_insert4 and
 * fib_delete4 (or fib_lookup4_bulk, ...) between builds.
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
 * quiescence after each; 2: the same without quiescence; 3: a spin loop. */
static struct fib_region *reg;
static volatile int stop;
static int reader_mode;
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
  int slot = reader_mode <= 2 ? fib_reader_register(reg) : -1;
  while (!stop) {
    if (reader_mode == 3) {
      sum += td_rand(&rng);
      n++;
      continue;
    }
    for (int j = 0; j < 32; j++)
      k[j] = (uint32_t)td_rand(&rng);
    fib_lookup4_bulk(reg, k, out, 32);
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
    enum { K = 1 << 16 };
    uint32_t *k4 = malloc(K * sizeof *k4), out[32];
    uint8_t (*k6)[16] = malloc(K * sizeof *k6);
    for (unsigned i = 0; i < K; i++) {
      k4[i] = (uint32_t)td_rand(&rng);
      td_v6(((fib_u128)td_rand(&rng) << 64) | td_rand(&rng), k6[i]);
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (unsigned long i = 0; i < n; i += 32) {
      unsigned o = (unsigned)(i % K);
      if (v6)
        fib_lookup6_bulk(reg, (const uint8_t (*)[16])(k6 + o), out, 32);
      else
        fib_lookup4_bulk(reg, k4 + o, out, 32);
      for (int j = 0; j < 32; j++)
        sum += out[j];
    }
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
