/*
 * fib/concurrency_test.c: reader threads hammer lookups (single and burst,
 * reporting quiescence) while the writer inserts, deletes and replaces
 * nested prefixes around the probe addresses, including default routes.
 * Every answer must be the next hop of some state between the last update
 * completed before the lookup and the one in flight after it: the old or
 * the new next hop, nothing else. Reclamation runs throughout, so reusing
 * a block too early shows up as a wrong answer.
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#include "fib/testdata.h"
#include "test/unit.h"

#define NPROBE 8
#define NREADERS 2

struct pfx { fib_u128 k; unsigned len; };
static const char *changing4[] = { "0.0.0.0/0", "10.0.0.0/8", "10.1.0.0/16", "10.1.16.0/20",
                                   "10.1.17.0/24", "10.1.17.16/28", "10.1.17.17/32", "10.1.17.0/26" };
static const char *changing6[] = { "::/0", "2001::/16", "2001:db8::/32", "2001:db8:1::/48",
                                   "2001:db8:1:2::/64", "2001:db8:1:2::17/128", "2001:db8:1:2::/120",
                                   "2001:db8:1::/47" };
static const char *probe4[NPROBE] = { "10.1.17.17", "10.1.17.18", "10.1.17.100", "10.1.30.1",
                                      "10.1.200.1", "10.200.0.1", "11.0.0.1", "10.1.17.31" };
static const char *probe6[NPROBE] = { "2001:db8:1:2::17", "2001:db8:1:2::18", "2001:db8:1:2::1:0",
                                      "2001:db8:1:3::1", "2001:db8:2::1", "2001:1::1", "3000::1",
                                      "2001:db8:0:ffff::1" };

static unsigned nsteps = 20000;
static uint32_t *hist[2][NPROBE];  /* answer of probe i after step j */
static uint32_t a4[NPROBE];
static uint8_t a6[NPROBE][16];
static uint64_t done_steps;        /* atomic */
static int finished;               /* atomic */
static uint64_t errors, lookups;   /* atomic */
static struct fib_region *reg;

static fib_u128 parse(const char *s, unsigned *len, int v6)
{
  struct td_pfx p;
  char buf[80];
  snprintf(buf, sizeof buf, strchr(s, '/') ? "%s" : "%s/%d", s, v6 ? 128 : 32);
  CHECK_INT(td_parse_line(buf, &p), 0);
  if (len)
    *len = p.len;
  return p.key;
}

/* Is got one of the answers probe i can legally give between steps c1, c2? */
static int legal(int fam, int i, uint64_t c1, uint64_t c2, uint32_t got)
{
  uint64_t hi = c2 + 1 < nsteps ? c2 + 1 : nsteps;
  for (uint64_t j = c1; j <= hi; j++)
    if (hist[fam][i][j] == got)
      return 1;
  return 0;
}

static void *reader(void *arg)
{
  int slot = fib_reader_register(reg);
  unsigned long n = 0, bad = 0;
  uint32_t out[NPROBE];
  (void)arg;
  while (!__atomic_load_n(&finished, __ATOMIC_ACQUIRE)) {
    for (int rep = 0; rep < 16; rep++, n += 4 * NPROBE) {
      uint64_t c1 = __atomic_load_n(&done_steps, __ATOMIC_ACQUIRE);
      uint32_t s4[NPROBE], s6[NPROBE];
      for (int i = 0; i < NPROBE; i++) {
        s4[i] = fib_lookup4(reg, a4[i]);
        s6[i] = fib_lookup6(reg, a6[i]);
      }
      uint64_t c2 = __atomic_load_n(&done_steps, __ATOMIC_ACQUIRE);
      for (int i = 0; i < NPROBE; i++)
        bad += !legal(0, i, c1, c2, s4[i]) + !legal(1, i, c1, c2, s6[i]);
      c1 = c2;
      fib_lookup4_bulk(reg, a4, out, NPROBE);
      c2 = __atomic_load_n(&done_steps, __ATOMIC_ACQUIRE);
      for (int i = 0; i < NPROBE; i++)
        bad += !legal(0, i, c1, c2, out[i]);
      c1 = c2;
      fib_lookup6_bulk(reg, (const uint8_t (*)[16])a6, out, NPROBE);
      c2 = __atomic_load_n(&done_steps, __ATOMIC_ACQUIRE);
      for (int i = 0; i < NPROBE; i++)
        bad += !legal(1, i, c1, c2, out[i]);
    }
    fib_reader_quiescent(reg, slot);
  }
  fib_reader_unregister(reg, slot);
  __atomic_add_fetch(&errors, bad, __ATOMIC_RELAXED);
  __atomic_add_fetch(&lookups, n, __ATOMIC_RELAXED);
  return NULL;
}

struct step { int fam, which, op; uint32_t nh; }; /* op: 0 insert, 1 delete, 2 replace */

int main(void)
{
#if defined(__SANITIZE_ADDRESS__)
  nsteps = 8000;
#endif
  char path[256], err[256];
  snprintf(path, sizeof path, "/tmp/fib-concurrency-test.%d", (int)getpid());
  struct fib_config c;
  fib_config_default(&c);
  c.path = path;
  c.nodes4 = c.nodes6 = 1u << 18;
  c.leaves4 = c.leaves6 = 1u << 21;
  struct fib_writer *w = fib_writer_create(&c, err, sizeof err);
  CHECK(w != NULL);
  if (!w)
    return unit_done("concurrency_test");
  reg = fib_writer_region(w);
  uint32_t gw[51];
  CHECK_INT(td_make_gateways(w, 50, gw), 0);

  struct pfx ch[2][8];
  for (int i = 0; i < 8; i++) {
    ch[0][i].k = parse(changing4[i], &ch[0][i].len, 0);
    ch[1][i].k = parse(changing6[i], &ch[1][i].len, 1);
  }
  for (int i = 0; i < NPROBE; i++) {
    a4[i] = td_v4(parse(probe4[i], NULL, 0));
    td_v6(parse(probe6[i], NULL, 1), a6[i]);
  }
  /* background routes near the probes, then the plan and its answers */
  uint64_t rng = 7;
  struct td_ref *ref[2] = { td_ref_new(), td_ref_new() };
  for (int i = 0; i < 4000; i++) {
    uint32_t nh = gw[1 + td_rand(&rng) % 50];
    uint32_t a = 0x0a000000 | (uint32_t)(td_rand(&rng) & 0x00ffff00);
    if ((a & 0xffff0000) == 0x0a010000)
      continue;
    if (fib_insert4(w, a, 24, nh) == 0)
      td_ref_set(ref[0], (fib_u128)a << 96, 24, nh);
    uint8_t b[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, (uint8_t)(2 + td_rand(&rng) % 200), (uint8_t)td_rand(&rng) };
    if (fib_insert6(w, b, 56, nh) == 0)
      td_ref_set(ref[1], fib_load6(b), 56, nh);
  }
  struct step *plan = calloc(nsteps, sizeof *plan);
  uint32_t present[2][8] = { { 0 } };
  for (int f = 0; f < 2; f++)
    for (int i = 0; i < NPROBE; i++) {
      hist[f][i] = calloc(nsteps + 1, sizeof(uint32_t));
      hist[f][i][0] = td_ref_lookup(ref[f], f ? fib_load6(a6[i]) : (fib_u128)a4[i] << 96);
    }
  for (unsigned j = 0; j < nsteps; j++) {
    struct step *s = &plan[j];
    s->fam = (int)(td_rand(&rng) % 2);
    s->which = (int)(td_rand(&rng) % 8);
    if (s->which == 0 && td_rand(&rng) % 8) /* default route changes are rarer */
      s->which = 1 + (int)(td_rand(&rng) % 7);
    s->nh = gw[1 + td_rand(&rng) % 50];
    uint32_t *pr = &present[s->fam][s->which];
    s->op = !*pr ? 0 : (td_rand(&rng) % 2 ? 1 : 2);
    *pr = s->op == 1 ? 0 : s->nh;
    struct pfx *p = &ch[s->fam][s->which];
    td_ref_set(ref[s->fam], p->k, p->len, *pr);
    for (int f = 0; f < 2; f++)
      for (int i = 0; i < NPROBE; i++)
        hist[f][i][j + 1] = td_ref_lookup(ref[f], f ? fib_load6(a6[i]) : (fib_u128)a4[i] << 96);
  }

  pthread_t th[NREADERS];
  for (int i = 0; i < NREADERS; i++)
    pthread_create(&th[i], NULL, reader, NULL);
  int failed = 0;
  for (unsigned j = 0; j < nsteps; j++) {
    struct step *s = &plan[j];
    struct pfx *p = &ch[s->fam][s->which];
    uint8_t b[16];
    td_v6(p->k, b);
    uint32_t a = td_v4(p->k);
    int r;
    if (s->op == 0)
      r = s->fam ? fib_insert6(w, b, p->len, s->nh) : fib_insert4(w, a, p->len, s->nh);
    else if (s->op == 1)
      r = s->fam ? fib_delete6(w, b, p->len) : fib_delete4(w, a, p->len);
    else
      r = s->fam ? fib_replace6(w, b, p->len, s->nh) : fib_replace4(w, a, p->len, s->nh);
    failed += r != 0;
    __atomic_store_n(&done_steps, j + 1, __ATOMIC_RELEASE);
  }
  __atomic_store_n(&finished, 1, __ATOMIC_RELEASE);
  for (int i = 0; i < NREADERS; i++)
    pthread_join(th[i], NULL);
  CHECK_INT(failed, 0);
  CHECK_INT(errors, 0);
  CHECK(lookups > 0);
  fprintf(stderr, "%u updates, %llu concurrent lookups, %llu wrong\n", nsteps,
          (unsigned long long)lookups, (unsigned long long)errors);
  /* final state exact, and everything reclaimable once readers are gone */
  for (int i = 0; i < NPROBE; i++) {
    CHECK_INT(fib_lookup4(reg, a4[i]), hist[0][i][nsteps]);
    CHECK_INT(fib_lookup6(reg, a6[i]), hist[1][i][nsteps]);
  }
  CHECK_INT(fib_writer_reclaim(w), 0);
  for (int f = 0; f < 2; f++) {
    td_ref_free(ref[f]);
    for (int i = 0; i < NPROBE; i++)
      free(hist[f][i]);
  }
  free(plan);
  fib_writer_destroy(w);
  unlink(path);
  return unit_done("concurrency_test");
}
