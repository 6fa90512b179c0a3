/*
 * tools/bench/fib-bench.c: Poptrie (fib/) against DPDK's rte_lpm (DIR-24-8)
 * and rte_fib (DIR24_8) for IPv4, rte_lpm6 and rte_fib6 (trie) for IPv6,
 * all built from the 2024 DFZ table in one process on one core. Prints one
 * row per structure: build time, memory, lookup rates (Mlps) for random and
 * table-drawn addresses, single and burst-of-32, and the rate of updates
 * the writer applied while a reader thread looked up on another core (with
 * that reader's lookup rate). Measurements alternate between
 * structures round by round; the medians are printed.
 *
 * rte_lpm takes minutes to build from the full table, so by default it is
 * built from every 8th prefix (same length distribution) and its row says
 * so; --full-lpm builds it from the full table.
 *
 * usage: fib-bench [EAL args] -- [--full-lpm] [--rounds N]
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <rte_eal.h>
#include <rte_fib.h>
#include <rte_fib6.h>
#include <rte_lpm.h>
#include <rte_lpm6.h>
#include <rte_malloc.h>
#include "fib/testdata.h"

#define NGW 300
#define NKEYS (1u << 20)
#define BURST 32
#define MAXROUNDS 15

enum { S_POP4, S_LPM, S_FIB, S_POP6, S_LPM6, S_FIB6, NS };
enum { M_RAND1, M_RAND32, M_TBL1, M_TBL32, NM };
static const char *sname[NS] = { "poptrie", "rte_lpm", "rte_fib", "poptrie", "rte_lpm6", "rte_fib6" };
static const char *mname[NM] = { "rand", "rand x32", "table", "table x32" };

static struct td_pfx *p4, *p6;
static size_t n4, n6, lpm_n;
static int full_lpm, rounds = 5;
static uint32_t gw[NGW + 1];
static struct fib_writer *w;
static struct fib_region *reg;
static struct rte_lpm *lpm;
static struct rte_fib *fib4;
static struct rte_lpm6 *lpm6;
static struct rte_fib6 *fib6;
static uint32_t *k4[2];          /* [0] random, [1] table-drawn */
static uint8_t (*k6[2])[16];
static double build_s[NS], mem_mib[NS];
static double samples[NS][NM][MAXROUNDS];
static volatile uint64_t sink;
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static double now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static size_t heap_used(void)
{
  struct rte_malloc_socket_stats st;
  size_t t = 0;
  for (int s = 0; s < RTE_MAX_NUMA_NODES; s++)
    if (rte_malloc_get_socket_stats(s, &st) == 0)
      t += st.heap_allocsz_bytes;
  return t;
}

static uint32_t nh_of(const struct td_pfx *p) { return td_gateway(p, NGW); }

/* ---- builds ---------------------------------------------------------------- */

static void build_poptrie(void)
{
  char err[256];
  struct fib_config c;
  fib_config_default(&c);
  c.path = "/dev/shm/tern-fib-bench";
  w = fib_writer_create(&c, err, sizeof err);
  if (!w || td_make_gateways(w, NGW, gw) < 0) {
    fprintf(stderr, "poptrie: %s\n", err);
    exit(1);
  }
  reg = fib_writer_region(w);
  struct fib_route4 *r4 = malloc(n4 * sizeof *r4);
  struct fib_route6 *r6 = malloc(n6 * sizeof *r6);
  for (size_t i = 0; i < n4; i++)
    r4[i] = (struct fib_route4){ td_v4(p4[i].key), p4[i].len, gw[nh_of(&p4[i])] };
  for (size_t i = 0; i < n6; i++) {
    td_v6(p6[i].key, r6[i].addr);
    r6[i].len = p6[i].len;
    r6[i].nh = gw[nh_of(&p6[i])];
  }
  double t0 = now();
  int e4 = fib_bulk4(w, r4, n4);
  double t1 = now();
  int e6 = fib_bulk6(w, r6, n6);
  double t2 = now();
  if (e4 || e6) {
    fprintf(stderr, "poptrie bulk load failed: %d %d\n", e4, e6);
    exit(1);
  }
  build_s[S_POP4] = t1 - t0;
  build_s[S_POP6] = t2 - t1;
  struct fib_stats st;
  fib_writer_stats(w, &st);
  mem_mib[S_POP4] = st.bytes4 / 1048576.0;
  mem_mib[S_POP6] = st.bytes6 / 1048576.0;
  free(r4);
  free(r6);
}

static void build_lpm(void)
{
  lpm_n = full_lpm ? n4 : (n4 + 7) / 8;
  struct rte_lpm_config c = { .max_rules = (uint32_t)lpm_n + 1024, .number_tbl8s = 1 << 16 };
  size_t m0 = heap_used();
  double t0 = now();
  lpm = rte_lpm_create("bench_lpm", SOCKET_ID_ANY, &c);
  if (!lpm) {
    fprintf(stderr, "rte_lpm_create failed\n");
    exit(1);
  }
  for (size_t i = 0; i < n4; i += full_lpm ? 1 : 8)
    if (rte_lpm_add(lpm, td_v4(p4[i].key), p4[i].len, nh_of(&p4[i])) < 0) {
      fprintf(stderr, "rte_lpm_add failed\n");
      exit(1);
    }
  build_s[S_LPM] = now() - t0;
  mem_mib[S_LPM] = (heap_used() - m0) / 1048576.0;
}

static void build_fib4(void)
{
  struct rte_fib_conf c = { .type = RTE_FIB_DIR24_8, .default_nh = 0, .max_routes = (int)n4 + 1024 };
  c.dir24_8.nh_sz = RTE_FIB_DIR24_8_2B;
  c.dir24_8.num_tbl8 = (1 << 15) - 1; /* the 2-byte maximum */
  size_t m0 = heap_used();
  double t0 = now();
  fib4 = rte_fib_create("bench_fib", SOCKET_ID_ANY, &c);
  if (!fib4) {
    fprintf(stderr, "rte_fib_create failed\n");
    exit(1);
  }
  for (size_t i = 0; i < n4; i++)
    if (rte_fib_add(fib4, td_v4(p4[i].key), p4[i].len, nh_of(&p4[i])) < 0) {
      fprintf(stderr, "rte_fib_add failed at %zu\n", i);
      exit(1);
    }
  build_s[S_FIB] = now() - t0;
  mem_mib[S_FIB] = (heap_used() - m0) / 1048576.0;
}

static void build_lpm6(void)
{
  struct rte_lpm6_config c = { .max_rules = (uint32_t)n6 + 1024, .number_tbl8s = 1 << 18 };
  size_t m0 = heap_used();
  double t0 = now();
  lpm6 = rte_lpm6_create("bench_lpm6", SOCKET_ID_ANY, &c);
  if (!lpm6) {
    fprintf(stderr, "rte_lpm6_create failed\n");
    exit(1);
  }
  for (size_t i = 0; i < n6; i++) {
    uint8_t a[16];
    td_v6(p6[i].key, a);
    if (rte_lpm6_add(lpm6, a, p6[i].len, nh_of(&p6[i])) < 0) {
      fprintf(stderr, "rte_lpm6_add failed at %zu\n", i);
      exit(1);
    }
  }
  build_s[S_LPM6] = now() - t0;
  mem_mib[S_LPM6] = (heap_used() - m0) / 1048576.0;
}

static void build_fib6(void)
{
  struct rte_fib6_conf c = { .type = RTE_FIB6_TRIE, .default_nh = 0, .max_routes = (int)n6 + 1024 };
  c.trie.nh_sz = RTE_FIB6_TRIE_4B;
  c.trie.num_tbl8 = 1 << 18;
  size_t m0 = heap_used();
  double t0 = now();
  fib6 = rte_fib6_create("bench_fib6", SOCKET_ID_ANY, &c);
  if (!fib6) {
    fprintf(stderr, "rte_fib6_create failed\n");
    exit(1);
  }
  for (size_t i = 0; i < n6; i++) {
    uint8_t a[16];
    td_v6(p6[i].key, a);
    if (rte_fib6_add(fib6, a, p6[i].len, nh_of(&p6[i])) < 0) {
      fprintf(stderr, "rte_fib6_add failed at %zu\n", i);
      exit(1);
    }
  }
  build_s[S_FIB6] = now() - t0;
  mem_mib[S_FIB6] = (heap_used() - m0) / 1048576.0;
}

/* ---- keys ------------------------------------------------------------------ */

static fib_u128 rand_key(void)
{
  return ((fib_u128)td_rand(&rng) << 64) | td_rand(&rng);
}

static void make_keys(void)
{
  for (int t = 0; t < 2; t++) {
    k4[t] = malloc(NKEYS * sizeof *k4[t]);
    k6[t] = malloc(NKEYS * sizeof *k6[t]);
  }
  for (unsigned i = 0; i < NKEYS; i++) {
    k4[0][i] = (uint32_t)td_rand(&rng);
    td_v6(rand_key(), k6[0][i]);
    /* table-drawn: a random prefix, random host bits */
    const struct td_pfx *a = &p4[td_rand(&rng) % n4], *b = &p6[td_rand(&rng) % n6];
    k4[1][i] = td_v4(a->key | (a->len < 128 ? rand_key() >> a->len : 0));
    td_v6(b->key | (b->len < 128 ? rand_key() >> b->len : 0), k6[1][i]);
  }
}

/* ---- lookups --------------------------------------------------------------- */

static uint64_t run4(int s, const uint32_t *k, int bulk)
{
  uint64_t sum = 0;
  uint32_t out[BURST];
  uint64_t out64[BURST];
  uint32_t ipbuf[BURST];
  for (unsigned i = 0; i < NKEYS; i += bulk ? BURST : 1) {
    if (!bulk) {
      uint32_t nh = 0;
      uint64_t nh64 = 0;
      uint32_t ip = k[i];
      switch (s) {
      case S_POP4: nh = fib_lookup4(reg, ip); break;
      case S_LPM: rte_lpm_lookup(lpm, ip, &nh); break;
      default: rte_fib_lookup_bulk(fib4, &ip, &nh64, 1); nh = (uint32_t)nh64;
      }
      sum += nh;
      continue;
    }
    switch (s) {
    case S_POP4: fib_lookup4_bulk(reg, k + i, out, BURST); break;
    case S_LPM: rte_lpm_lookup_bulk(lpm, k + i, out, BURST); break;
    default:
      memcpy(ipbuf, k + i, sizeof ipbuf);
      rte_fib_lookup_bulk(fib4, ipbuf, out64, BURST);
      for (int j = 0; j < BURST; j++)
        out[j] = (uint32_t)out64[j];
    }
    for (int j = 0; j < BURST; j++)
      sum += out[j];
  }
  return sum;
}

static uint64_t run6(int s, uint8_t (*k)[16], int bulk)
{
  uint64_t sum = 0;
  uint32_t out[BURST];
  int32_t outi[BURST];
  uint64_t out64[BURST];
  for (unsigned i = 0; i < NKEYS; i += bulk ? BURST : 1) {
    if (!bulk) {
      uint32_t nh = 0;
      uint64_t nh64 = 0;
      switch (s) {
      case S_POP6: nh = fib_lookup6(reg, k[i]); break;
      case S_LPM6: rte_lpm6_lookup(lpm6, k[i], &nh); break;
      default: rte_fib6_lookup_bulk(fib6, &k[i], &nh64, 1); nh = (uint32_t)nh64;
      }
      sum += nh;
      continue;
    }
    switch (s) {
    case S_POP6:
      fib_lookup6_bulk(reg, (const uint8_t (*)[16])(k + i), out, BURST);
      for (int j = 0; j < BURST; j++)
        sum += out[j];
      break;
    case S_LPM6:
      rte_lpm6_lookup_bulk_func(lpm6, k + i, outi, BURST);
      for (int j = 0; j < BURST; j++)
        sum += (uint32_t)outi[j];
      break;
    default:
      rte_fib6_lookup_bulk(fib6, k + i, out64, BURST);
      for (int j = 0; j < BURST; j++)
        sum += out64[j];
    }
  }
  return sum;
}

static int have(int s)
{
  return s != S_LPM || lpm;
}

static void measure_round(int r)
{
  for (int m = 0; m < NM; m++)
    for (int s = 0; s < NS; s++) {
      if (!have(s))
        continue;
      int tbl = m >= M_TBL1, bulk = m == M_RAND32 || m == M_TBL32;
      double t0 = now();
      sink += s < S_POP6 ? run4(s, k4[tbl], bulk) : run6(s, k6[tbl], bulk);
      samples[s][m][r] = NKEYS / (now() - t0) / 1e6;
    }
}

static int cmpd(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median_of(const double *x)
{
  double v[MAXROUNDS];
  memcpy(v, x, sizeof v);
  qsort(v, (size_t)rounds, sizeof v[0], cmpd);
  return rounds % 2 ? v[rounds / 2] : (v[rounds / 2 - 1] + v[rounds / 2]) / 2;
}

static double median(int s, int m)
{
  return median_of(samples[s][m]);
}

/* ---- updates while a reader runs ------------------------------------------ */

/*
 * The writer (this thread, lcore 0) withdraws and re-announces random table
 * prefixes while a reader thread on the second core looks up table-drawn
 * bursts, reporting quiescence after each burst as ternfwd does. The clock
 * starts once the reader is running; only updates the structure accepted
 * count. Each round measures every structure for a short window, so the
 * figures alternate like the lookups; the medians are printed, with the
 * reader's own lookup rate during the window.
 */
#define UPD_WINDOW_S 0.25
#define UPD_MAX 200000

static int upd_s;
static volatile int upd_stop, upd_started;
static uint64_t reader_lookups;
static double upd_samples[NS][MAXROUNDS], rd_samples[NS][MAXROUNDS];
static unsigned upd_refused[NS];

static void *reader_thread(void *arg)
{
  (void)arg;
  cpu_set_t cs;
  CPU_ZERO(&cs);
  CPU_SET(1 % (int)sysconf(_SC_NPROCESSORS_ONLN), &cs);
  pthread_setaffinity_np(pthread_self(), sizeof cs, &cs);
  int slot = upd_s == S_POP4 || upd_s == S_POP6 ? fib_reader_register(reg) : -1;
  uint64_t n = 0, sum = 0;
  while (!upd_stop) {
    unsigned off = (unsigned)(n % NKEYS) & ~(BURST - 1);
    uint32_t out[BURST];
    uint64_t o64[BURST];
    int32_t oi[BURST];
    uint32_t ip[BURST];
    switch (upd_s) {
    case S_POP4: fib_lookup4_bulk(reg, k4[1] + off, out, BURST); sum += out[0]; break;
    case S_POP6: fib_lookup6_bulk(reg, (const uint8_t (*)[16])(k6[1] + off), out, BURST); sum += out[0]; break;
    case S_LPM: rte_lpm_lookup_bulk(lpm, k4[1] + off, out, BURST); sum += out[0]; break;
    case S_FIB: memcpy(ip, k4[1] + off, sizeof ip); rte_fib_lookup_bulk(fib4, ip, o64, BURST); sum += o64[0]; break;
    case S_LPM6: rte_lpm6_lookup_bulk_func(lpm6, k6[1] + off, oi, BURST); sum += (uint32_t)oi[0]; break;
    default: rte_fib6_lookup_bulk(fib6, k6[1] + off, o64, BURST); sum += o64[0];
    }
    n += BURST;
    if (slot >= 0)
      fib_reader_quiescent(reg, slot);
    if (n == BURST)
      __atomic_store_n(&upd_started, 1, __ATOMIC_RELEASE);
  }
  if (slot >= 0)
    fib_reader_unregister(reg, slot);
  sink += sum;
  reader_lookups = n;
  return NULL;
}

static int one_update(int s, const struct td_pfx *p, int del, uint32_t g)
{
  uint8_t a[16];
  td_v6(p->key, a);
  uint32_t ip = td_v4(p->key);
  switch (s) {
  case S_POP4: return del ? fib_delete4(w, ip, p->len) : fib_insert4(w, ip, p->len, gw[g]);
  case S_POP6: return del ? fib_delete6(w, a, p->len) : fib_insert6(w, a, p->len, gw[g]);
  case S_LPM: return del ? rte_lpm_delete(lpm, ip, p->len) : rte_lpm_add(lpm, ip, p->len, g);
  case S_FIB: return del ? rte_fib_delete(fib4, ip, p->len) : rte_fib_add(fib4, ip, p->len, g);
  case S_LPM6: return del ? rte_lpm6_delete(lpm6, a, p->len) : rte_lpm6_add(lpm6, a, p->len, g);
  default: return del ? rte_fib6_delete(fib6, a, p->len) : rte_fib6_add(fib6, a, p->len, g);
  }
}

/* Withdraw and re-announce random table prefixes (with a new gateway) for
 * UPD_WINDOW_S seconds or UPD_MAX updates, whichever comes first. */
static void measure_updates(int s, int r)
{
  pthread_t th;
  upd_s = s;
  upd_stop = upd_started = 0;
  reader_lookups = 0;
  pthread_create(&th, NULL, reader_thread, NULL);
  while (!__atomic_load_n(&upd_started, __ATOMIC_ACQUIRE))
    sched_yield();
  const struct td_pfx *p = s < S_POP6 ? p4 : p6;
  size_t n = s < S_POP6 ? n4 : n6, step = s == S_LPM && !full_lpm ? 8 : 1;
  unsigned done = 0, errs = 0;
  double t0 = now(), t1 = t0;
  while (done < UPD_MAX && t1 - t0 < UPD_WINDOW_S) {
    for (int j = 0; j < 64; j++) {
      const struct td_pfx *q = &p[(td_rand(&rng) % (n / step)) * step];
      uint32_t g = 1 + (uint32_t)(td_rand(&rng) % NGW);
      int e1 = one_update(s, q, 1, g) != 0, e2 = one_update(s, q, 0, g) != 0;
      errs += e1 + e2;
      done += 2 - e1 - e2;
    }
    t1 = now();
  }
  upd_stop = 1;
  pthread_join(th, NULL);
  upd_refused[s] += errs;
  upd_samples[s][r] = done / (t1 - t0);
  if (getenv("FIB_BENCH_VERBOSE"))
    fprintf(stderr, "%s round %d: %u updates in %.3f s\n", sname[s], r + 1, done, t1 - t0);
  rd_samples[s][r] = reader_lookups / (now() - t0) / 1e6;
}

/* ---- main ------------------------------------------------------------------ */

static void print_row(int s)
{
  printf("IPv%d  %-9s %8.2f %9.1f", s < S_POP6 ? 4 : 6, sname[s], build_s[s], mem_mib[s]);
  for (int m = 0; m < NM; m++)
    printf(" %9.1f", median(s, m));
  printf(" %10.0f %7.1f", median_of(upd_samples[s]), median_of(rd_samples[s]));
  if (s == S_LPM && !full_lpm)
    printf("  (every 8th prefix: %zu routes; --full-lpm for all)", lpm_n);
  printf("\n");
}

int main(int argc, char **argv)
{
  int n = rte_eal_init(argc, argv);
  if (n < 0) {
    fprintf(stderr, "rte_eal_init failed\n");
    return 1;
  }
  for (int i = n + 1; i < argc; i++) {
    if (!strcmp(argv[i], "--full-lpm"))
      full_lpm = 1;
    else if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
      rounds = atoi(argv[++i]);
  }
  if (rounds < 1 || rounds > MAXROUNDS)
    rounds = 5;
  if (td_load(td_dfz_path(), &p4, &n4, &p6, &n6) < 0)
    return 1;
  printf("table: %zu IPv4, %zu IPv6 prefixes, %d gateways; %u keys per run, %d rounds, medians\n",
         n4, n6, NGW, NKEYS, rounds);
  fflush(stdout);
  build_poptrie();
  build_fib4();
  build_lpm();
  build_fib6();
  build_lpm6();
  make_keys();
  for (int r = 0; r < rounds; r++)
    measure_round(r);
  for (int r = 0; r < rounds; r++)
    for (int s = 0; s < NS; s++)
      measure_updates(s, r);
  printf("%-15s %8s %9s %9s %9s %9s %9s %10s %7s\n", "", "build_s", "mem_MiB",
         "rand", "rand_x32", "table", "table_x32", "updates/s", "reader");
  printf("%-15s %8s %9s %9s %9s %9s %9s %10s %7s\n", "", "", "", "Mlps", "Mlps", "Mlps", "Mlps", "(applied)", "Mlps");
  for (int s = 0; s < NS; s++)
    print_row(s);
  (void)mname;
  for (int s = 0; s < NS; s++)
    if (upd_refused[s])
      printf("IPv%d %s refused %u updates (not counted)\n", s < S_POP6 ? 4 : 6, sname[s], upd_refused[s]);
  printf("ratio4 poptrie/rte_fib=%.2f\n", median(S_POP4, M_RAND32) / median(S_FIB, M_RAND32));
  printf("ratio6 poptrie/rte_fib6=%.2f\n", median(S_POP6, M_RAND32) / median(S_FIB6, M_RAND32));
  fib_writer_destroy(w);
  unlink("/dev/shm/tern-fib-bench");
  rte_eal_cleanup();
  return 0;
}
