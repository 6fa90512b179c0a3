/*
 * lib/resource_test.c: pools, blocks, linear pools, slabs, the temporary
 * arena and accounting. Run it under ASan (tools/build lib-asan) too: then
 * leaks from rp_free() and use-after-free on recycled memory are caught,
 * and the last tests check that the poisoning really works.
 */
#include "lib/resource.h"
#include "test/unit.h"

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void test_blocks(void)
{
  pool *p = rp_new(&root_pool, "blocks");
  CHECK_STR(rp_name(p), "blocks");
  struct resmem m0 = rmemsize(p);
  CHECK_INT(m0.effective, 0);
  CHECK(m0.overhead > 0);

  void *b[1000];
  for (int i = 0; i < 1000; i++) {
    b[i] = mb_alloc(p, 100);
    memset(b[i], i & 0xff, 100);
    CHECK_INT((uintptr_t) b[i] % 16, 0);
  }
  CHECK_INT(rmemsize(p).effective, 100000);
  CHECK(rmemsize(p).overhead > m0.overhead);
  CHECK(mb_pool(b[3]) == p);
  for (int i = 0; i < 1000; i += 2)
    mb_free(b[i]);
  CHECK_INT(rmemsize(p).effective, 50000);

  /* realloc keeps contents and stays accounted in the pool */
  b[1] = mb_realloc(b[1], 10000);
  CHECK_INT(((byte *) b[1])[99], 1);
  CHECK_INT(rmemsize(p).effective, 50000 - 100 + 10000);
  b[1] = mb_realloc(b[1], 10);
  CHECK_INT(((byte *) b[1])[9], 1);
  CHECK(mb_pool(b[1]) == p);

  byte *z = mb_allocz(p, 64);
  int nonzero = 0;
  for (int i = 0; i < 64; i++)
    nonzero |= z[i];
  CHECK_INT(nonzero, 0);
  mb_free(NULL);
  rp_free(p);   /* frees the 500 remaining blocks; ASan would see leaks */
}

struct counted {
  resource r;
  int *freed;
};

static void counted_free(resource *r)
{
  (*((struct counted *) r)->freed)++;
}

static const struct resclass counted_class = {
  .name = "Counted", .size = sizeof(struct counted), .free = counted_free,
};

static void collect_names(pool *child, void *arg)
{
  strcat(arg, rp_name(child));
  strcat(arg, ",");
}

static void test_hierarchy(void)
{
  int freed = 0;
  pool *top = rp_new(&root_pool, "top");
  pool *a = rp_new(top, "a"), *b = rp_new(top, "b");
  pool *a1 = rp_new(a, "a1");
  struct counted *c1 = ralloc(a1, &counted_class), *c2 = ralloc(b, &counted_class);
  c1->freed = c2->freed = &freed;
  mb_alloc(a1, 1000);
  mb_alloc(b, 500);
  lp_alloc(lp_new(a), 300);
  sl_alloc(sl_new(b, 40));

  char names[64] = "";
  rp_walk_children(top, collect_names, names);
  CHECK_STR(names, "a,b,");
  names[0] = 0;
  rp_walk_children(a, collect_names, names);
  CHECK_STR(names, "a1,");

  struct resmem mt = rmemsize(top), ma = rmemsize(a), mb = rmemsize(b);
  CHECK_INT(mt.effective, 1000 + 500 + 304 + 40);   /* linpool rounds to 16 */
  CHECK_INT(ma.effective + mb.effective, mt.effective);
  CHECK(mt.overhead > ma.overhead + mb.overhead);
  CHECK(rmemsize(&root_pool).effective >= mt.effective);

  rfree(c2);
  CHECK_INT(freed, 1);
  rp_free(a);                     /* a1 and its resource go with it */
  CHECK_INT(freed, 2);
  names[0] = 0;
  rp_walk_children(top, collect_names, names);
  CHECK_STR(names, "b,");
  CHECK_INT(rmemsize(top).effective, 540);
  rp_free(top);
}

static void test_linpool(void)
{
  pool *p = rp_new(&root_pool, "lp");
  linpool *lp = lp_new(p);
  for (int i = 0; i < 10000; i++) {
    byte *m = lp_alloc(lp, 1 + i % 100);
    CHECK((uintptr_t) m % 16 == 0);
    memset(m, 0xab, 1 + i % 100);
  }
  struct resmem full = rmemsize(p);
  CHECK(full.effective >= 10000 * 16);
  /* slack per chunk is bounded: overhead well under effective */
  CHECK(full.overhead < full.effective / 4);

  lp_flush(lp);
  struct resmem flushed = rmemsize(p);
  CHECK_INT(flushed.effective, 0);
  CHECK_INT(flushed.overhead, full.effective + full.overhead);   /* chunks kept */

  for (int i = 0; i < 10000; i++)
    lp_alloc(lp, 1 + i % 100);
  struct resmem again = rmemsize(p);
  CHECK_INT(again.effective + again.overhead, full.effective + full.overhead);

  /* a huge request gets its own chunk, released by the flush */
  byte *big = lp_alloc(lp, 1 << 20);
  big[(1 << 20) - 1] = 1;
  CHECK(rmemsize(p).effective >= (1 << 20));
  lp_flush(lp);
  CHECK_INT(rmemsize(p).effective + rmemsize(p).overhead, flushed.effective + flushed.overhead);

  char *s = lp_strdup(lp, "hello");
  CHECK_STR(s, "hello");
  byte *z = lp_allocz(lp, 33);
  int nz = 0;
  for (int i = 0; i < 33; i++)
    nz |= z[i];
  CHECK_INT(nz, 0);
  void *e1 = lp_alloc(lp, 0), *e2 = lp_alloc(lp, 0);
  CHECK(e1 && e2 && e1 != e2);
  rp_free(p);
}

static void test_lp_save_restore(void)
{
  pool *p = rp_new(&root_pool, "lp state");
  linpool *lp = lp_new(p);
  char *keep = lp_strdup(lp, "keep me");
  struct lp_state st;
  lp_save(lp, &st);
  size_t before = rmemsize(p).effective;
  for (int i = 0; i < 2000; i++)   /* spills over several chunks */
    lp_alloc(lp, 64);
  lp_alloc(lp, 100000);             /* and a large one */
  CHECK(rmemsize(p).effective > before + 200000);
  lp_restore(lp, &st);
  CHECK_INT(rmemsize(p).effective, before);
  CHECK_STR(keep, "keep me");
  /* the next allocation starts where the saved state left off */
  char *again = lp_alloc(lp, 16);
  CHECK(again == (char *) keep + 16);
  struct resmem m1 = rmemsize(p);
  for (int i = 0; i < 2000; i++)   /* reuses the chunks, no growth */
    lp_alloc(lp, 64);
  struct resmem m2 = rmemsize(p);
  CHECK_INT(m1.effective + m1.overhead, m2.effective + m2.overhead);

  /* save on a fresh (flushed) pool */
  lp_flush(lp);
  lp_save(lp, &st);
  lp_alloc(lp, 10);
  lp_restore(lp, &st);
  CHECK_INT(rmemsize(p).effective, 0);
  CHECK_STR(lp_strdup(lp, "ok"), "ok");
  rp_free(p);
}

static void test_slab(void)
{
  pool *p = rp_new(&root_pool, "slab");
  slab *s = sl_new(p, 24);
  enum { M = 20000 };
  void **obj = malloc(M * sizeof(void *));
  struct resmem empty = rmemsize(p);
  for (int i = 0; i < M; i++) {
    obj[i] = sl_alloc(s);
    CHECK_INT((uintptr_t) obj[i] % 8, 0);
    memset(obj[i], i & 0xff, 24);
  }
  struct resmem full = rmemsize(p);
  CHECK_INT(full.effective, M * 24);
  CHECK(full.overhead < full.effective / 2);
  uint corrupt = 0;
  for (int i = 0; i < M; i++)
    corrupt += ((byte *) obj[i])[23] != (i & 0xff);
  CHECK_INT(corrupt, 0);

  /* free in a scattered order, reallocate half, then free everything */
  for (int i = 0; i < M; i += 2)
    sl_free(s, obj[i]);
  CHECK_INT(rmemsize(p).effective, M / 2 * 24);
  for (int i = 0; i < M; i += 2)
    obj[i] = sl_allocz(s);
  CHECK_INT(((byte *) obj[M - 2])[5], 0);
  CHECK_INT(rmemsize(p).effective, M * 24);
  for (int i = M - 1; i >= 0; i--)
    sl_free(s, obj[i]);
  struct resmem after = rmemsize(p);
  CHECK_INT(after.effective, 0);
  /* all pages but one spare went back to libc */
  CHECK(after.overhead <= empty.overhead + 65536);
  CHECK(after.overhead < (full.effective + full.overhead) / 10);
  sl_free(s, NULL);

  /* big objects get bigger pages but work the same */
  slab *big = sl_new(p, 3000);
  void *x = sl_alloc(big), *y = sl_alloc(big);
  CHECK(x != y);
  memset(x, 1, 3000);
  memset(y, 2, 3000);
  CHECK_INT(((byte *) x)[2999], 1);
  sl_free(big, x);
  free(obj);
  rp_free(p);   /* y and its slab go with the pool */
}

/* Random alloc/free against a model: every live object must keep the
 * pattern written into it, so overlapping or reused-while-live objects
 * show up as corruption. */
static void test_slab_random(void)
{
  enum { SLOTS = 3000, OPS = 200000, SIZE = 40 };
  pool *p = rp_new(&root_pool, "slab random");
  slab *s = sl_new(p, SIZE);
  static byte *live[SLOTS];
  u32 seed = 1;
  uint corrupt = 0, count = 0;
  for (int op = 0; op < OPS; op++) {
    seed = seed * 1664525u + 1013904223u;
    uint i = (seed >> 8) % SLOTS;
    if (live[i]) {
      for (int j = 0; j < SIZE; j++)
        corrupt += live[i][j] != (byte) i;
      sl_free(s, live[i]);
      live[i] = NULL;
      count--;
    } else {
      live[i] = sl_alloc(s);
      memset(live[i], (byte) i, SIZE);
      count++;
    }
  }
  CHECK_INT(corrupt, 0);
  CHECK_INT(rmemsize(p).effective, count * SIZE);
  for (uint i = 0; i < SLOTS; i++)
    if (live[i])
      sl_free(s, live[i]);
  CHECK_INT(rmemsize(p).effective, 0);
  rp_free(p);
}

static void test_linpool_random(void)
{
  enum { ALLOCS = 20000 };
  linpool *lp = lp_new(&root_pool);
  static byte *where[ALLOCS];
  static u16 len[ALLOCS];
  u32 seed = 7;
  for (int i = 0; i < ALLOCS; i++) {
    seed = seed * 1664525u + 1013904223u;
    len[i] = (seed >> 16) % (i % 100 ? 200 : 5000);   /* some large ones */
    where[i] = lp_alloc(lp, len[i]);
    memset(where[i], (byte) i, len[i]);
  }
  uint corrupt = 0;
  for (int i = 0; i < ALLOCS; i++)
    for (int j = 0; j < len[i]; j++)
      corrupt += where[i][j] != (byte) i;
  CHECK_INT(corrupt, 0);
  rfree(lp);
}

static void test_tmp(void)
{
  char *early = tmp_strdup("before init");
  tmp_init();
  CHECK_STR(early, "before init");
  char *t = tmp_alloc(100);
  memset(t, 'x', 100);
  CHECK(rmemsize(&root_pool).effective >= 100);
  void *z = tmp_allocz(16);
  CHECK(((byte *) z)[15] == 0);
  tmp_flush();
  CHECK_STR(tmp_strdup("after flush"), "after flush");
  tmp_init();   /* idempotent */
  tmp_flush();
}

static int hook_calls, hook_was_bug;

static void fatal_hook(int is_bug, const char *msg)
{
  hook_calls++;
  hook_was_bug = is_bug;
  if (!strcmp(msg, "boom 42"))
    _exit(7);   /* proves the hook ran with the formatted message */
}

static int run_child(void (*fn)(void))
{
  fflush(NULL);
  pid_t pid = fork();
  if (!pid) {
    fn();
    _exit(0);
  }
  int st;
  waitpid(pid, &st, 0);
  return st;
}

static void child_die(void)
{
  lib_fatal_hook = fatal_hook;
  die("boom %d", 42);
}

static void dying_hook(int is_bug, const char *msg)
{
  die("the logger failed too");
}

static void child_die_in_hook(void)
{
  freopen("/dev/null", "w", stderr);
  lib_fatal_hook = dying_hook;
  die("first");
}

static void child_die_plain(void)
{
  freopen("/dev/null", "w", stderr);
  die("plain");
}

static void child_bug(void)
{
  freopen("/dev/null", "w", stderr);
  bug("broken %s", "invariant");
}

static void test_fatal(void)
{
  int st = run_child(child_die);
  CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 7);
  st = run_child(child_die_plain);
  CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 1);
  st = run_child(child_die_in_hook);
  CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 1);
  st = run_child(child_bug);
  CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
  (void) hook_calls;
  (void) hook_was_bug;
}

#if defined(__SANITIZE_ADDRESS__)
static volatile int sink;

static void child_slab_uaf(void)
{
  freopen("/dev/null", "w", stderr);
  slab *s = sl_new(&root_pool, 32);
  int *a = sl_alloc(s);
  sl_alloc(s);                    /* keep the page alive */
  sl_free(s, a);
  sink = *a;                      /* must be reported */
}

static void child_lp_uaf(void)
{
  freopen("/dev/null", "w", stderr);
  linpool *lp = lp_new(&root_pool);
  int *a = lp_alloc(lp, 16);
  lp_flush(lp);
  sink = *a;
}

static void test_poisoning(void)
{
  CHECK(run_child(child_slab_uaf) != 0);
  CHECK(run_child(child_lp_uaf) != 0);
}
#endif

int main(void)
{
  test_blocks();
  test_hierarchy();
  test_linpool();
  test_lp_save_restore();
  test_slab();
  test_slab_random();
  test_linpool_random();
  test_tmp();
  test_fatal();
#if defined(__SANITIZE_ADDRESS__)
  test_poisoning();
#endif
  rp_free(&root_pool);
  return unit_done("resource");
}
