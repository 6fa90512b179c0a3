/*
 * fib/writer.c: creating the region, the writer's route API, and memory
 * reclamation.
 *
 * Every change runs as: update the shadow, build new blocks (journaled so a
 * failure can give them back), publish with release stores, retire the
 * replaced blocks tagged with the current generation, bump the generation.
 * A retired block is reused once every online reader's epoch is past its
 * tag; a reader whose process died is detected with kill(pid, 0) and
 * dropped, and reported through fib_writer_dead_readers.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fib/internal.h"

void fib_region_view(struct fib_region *r);

#define RECLAIM_EVERY 64

void fib_config_default(struct fib_config *c)
{
  memset(c, 0, sizeof *c);
  c->path = "/dev/shm/tern-fib";
  c->nh_cap = FIB_NH_MAX;
  c->sa_cap = 4096;
  c->sa_size = 256;
  c->dir_bits4 = 18;
  c->dir_bits6 = 16;
  c->nodes4 = 1u << 20;
  c->leaves4 = 1u << 23;
  c->nodes6 = 1u << 20;
  c->leaves6 = 1u << 23;
}

static uint64_t align_up(uint64_t x, uint64_t a) { return (x + a - 1) & ~(a - 1); }

/* Lay the arrays out one after another, page aligned. */
static uint64_t layout(struct fib_header *h, const struct fib_config *c)
{
  uint64_t off = align_up(sizeof *h, 4096);
  h->hdr_size = (uint32_t)off;
  h->nh_off = off;
  h->nh_cap = c->nh_cap;
  h->nh_size = sizeof(struct fib_nh);
  off = align_up(off + (uint64_t)c->nh_cap * sizeof(struct fib_nh), 4096);
  h->sa_off = off;
  h->sa_cap = c->sa_cap;
  h->sa_size = c->sa_size;
  off = align_up(off + (uint64_t)c->sa_cap * c->sa_size, 4096);
  unsigned db[2] = { c->dir_bits4, c->dir_bits6 };
  uint32_t nc[2] = { c->nodes4, c->nodes6 }, lc[2] = { c->leaves4, c->leaves6 };
  for (int f = 0; f < 2; f++) {
    struct fib_trie_hdr *t = &h->trie[f];
    t->key_bits = f ? 128 : 32;
    t->dir_bits = db[f];
    t->dir_off = off;
    off = align_up(off + ((uint64_t)4 << db[f]), 4096);
    t->node_off = off;
    t->node_cap = nc[f] & ~63u;
    off = align_up(off + (uint64_t)t->node_cap * sizeof(struct fib_node), 4096);
    t->leaf_off = off;
    t->leaf_cap = lc[f] & ~63u;
    off = align_up(off + (uint64_t)t->leaf_cap * sizeof(fib_leaf_t), 4096);
  }
  h->region_size = off;
  return off;
}

/* Remember the region currently at path, to mark it superseded later. */
static void grab_old(struct fib_writer *w, const char *path)
{
  int fd = open(path, O_RDWR | O_CLOEXEC);
  if (fd < 0)
    return;
  struct fib_header h;
  if (pread(fd, &h, sizeof h, 0) == (ssize_t)sizeof h && h.magic == FIB_MAGIC) {
    void *p = mmap(NULL, sizeof h, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p != MAP_FAILED) {
      w->old_hdr = p;
      w->old_len = sizeof h;
    }
  }
  close(fd);
}

static int map_new(struct fib_writer *w, const struct fib_config *c, char *err, size_t errlen)
{
  struct fib_header h;
  memset(&h, 0, sizeof h);
  uint64_t size = layout(&h, c);
  size_t pl = strlen(c->path);
  char *tmp = malloc(pl + 16);
  if (!tmp)
    return fib_fail(err, errlen, "out of memory");
  snprintf(tmp, pl + 16, "%s.%d", c->path, (int)getpid());
  int fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0 || ftruncate(fd, (off_t)size) < 0) {
    fib_fail(err, errlen, "FIB region %s: %s", tmp, strerror(errno));
    goto out;
  }
  void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (p == MAP_FAILED) {
    fib_fail(err, errlen, "FIB region %s: mmap: %s", tmp, strerror(errno));
    goto out;
  }
  h.magic = FIB_MAGIC;
  h.version = FIB_LAYOUT_VERSION;
  h.generation = 1;
  h.writer_pid = (uint32_t)getpid();
  memcpy(p, &h, sizeof h);
  w->reg.hdr = p;
  w->reg.base = p;
  w->reg.size = size;
  w->reg.writer = 1;
  w->fd = fd;
  grab_old(w, c->path);
  if (rename(tmp, c->path) < 0) {
    fib_fail(err, errlen, "FIB region %s: rename: %s", c->path, strerror(errno));
    unlink(tmp);
    goto out;
  }
  free(tmp);
  return 0;
out:
  if (fd >= 0)
    close(fd);
  w->fd = -1;
  free(tmp);
  return -1;
}

struct fib_writer *fib_writer_create(const struct fib_config *c, char *err, size_t errlen)
{
  if (c->nh_cap < 2 || c->nh_cap > FIB_NH_MAX || c->dir_bits4 < 8 || c->dir_bits4 > 24 ||
      c->dir_bits6 < 8 || c->dir_bits6 > 24 || c->nodes4 < 64 || c->nodes6 < 64 ||
      c->leaves4 < 64 || c->leaves6 < 64) {
    fib_fail(err, errlen, "FIB config out of range");
    return NULL;
  }
  struct fib_writer *w = calloc(1, sizeof *w);
  if (!w) {
    fib_fail(err, errlen, "out of memory");
    return NULL;
  }
  w->fd = -1;
  if (map_new(w, c, err, errlen) < 0) {
    free(w);
    return NULL;
  }
  w->path = strdup(c->path);
  fib_region_view(&w->reg);
  w->nh = (struct fib_nh *)((uint8_t *)w->reg.hdr + w->reg.hdr->nh_off);
  uint8_t *base = (uint8_t *)w->reg.hdr;
  if (!w->path || ptrie_init(&w->t[0], w->reg.hdr, base, 0) < 0 ||
      ptrie_init(&w->t[1], w->reg.hdr, base, 1) < 0 || nht_init(&w->nht, c->nh_cap) < 0) {
    fib_fail(err, errlen, "out of memory");
    fib_writer_destroy(w);
    return NULL;
  }
  return w;
}

void fib_writer_announce(struct fib_writer *w)
{
  if (!w->old_hdr)
    return;
  __atomic_store_n(&((struct fib_header *)w->old_hdr)->superseded, 1, __ATOMIC_RELEASE);
  munmap(w->old_hdr, w->old_len);
  w->old_hdr = NULL;
}

void fib_writer_destroy(struct fib_writer *w)
{
  if (!w)
    return;
  for (int f = 0; f < 2; f++)
    ptrie_fini(&w->t[f]);
  nht_fini(&w->nht);
  free(w->limbo.v);
  free(w->journal.v);
  free(w->retiring.v);
  free(w->newdef.v);
  if (w->old_hdr)
    munmap(w->old_hdr, w->old_len);
  if (w->reg.hdr)
    munmap(w->reg.hdr, w->reg.size);
  if (w->fd >= 0)
    close(w->fd);
  free(w->path);
  free(w);
}

struct fib_region *fib_writer_region(struct fib_writer *w)
{
  return &w->reg;
}

/* ---- blocks, limbo, reclamation ---------------------------------------- */

static int lv_push(struct limbovec *l, struct limbo x)
{
  if (l->head + l->n == l->cap) {
    if (l->head) {
      memmove(l->v, l->v + l->head, l->n * sizeof *l->v);
      l->head = 0;
    }
    if (l->n == l->cap) {
      size_t nc = l->cap ? l->cap * 2 : 256;
      struct limbo *nv = realloc(l->v, nc * sizeof *nv);
      if (!nv)
        return -1;
      l->v = nv;
      l->cap = nc;
    }
  }
  l->v[l->head + l->n++] = x;
  return 0;
}

static void block_free(struct fib_writer *w, const struct limbo *b)
{
  if (b->pool == POOL_NH)
    nh_reuse(w, b->idx);
  else
    buddy_free(b->pool == POOL_NODE ? &w->t[b->fam].nb : &w->t[b->fam].lb, b->idx, b->order);
}

int64_t wr_alloc(struct fib_writer *w, struct ptrie *t, int pool, unsigned n)
{
  unsigned order = buddy_order(n);
  int64_t idx = buddy_alloc(pool == POOL_NODE ? &t->nb : &t->lb, order);
  if (idx < 0)
    return -1;
  struct limbo j = { 0, (uint32_t)idx, (uint8_t)t->fam, (uint8_t)pool, (uint8_t)order };
  if (lv_push(&w->journal, j) < 0) {
    block_free(w, &j);
    return -1;
  }
  return idx;
}

void wr_retire(struct fib_writer *w, int fam, int pool, uint32_t idx, unsigned order)
{
  struct limbo b = { w->reg.hdr->generation, idx, (uint8_t)fam, (uint8_t)pool, (uint8_t)order };
  if (lv_push(&w->limbo, b) < 0)
    return; /* leaked, never reused: safe */
}

void wr_retire_later(struct fib_writer *w, int fam, int pool, uint32_t idx, unsigned order)
{
  struct limbo b = { 0, idx, (uint8_t)fam, (uint8_t)pool, (uint8_t)order };
  if (lv_push(&w->retiring, b) < 0)
    return; /* leaked, never reused: safe */
}

/* Shadow node defaults are recorded only once the change is published, so
 * a failed change leaves them describing the trie readers still see. */
void wr_note_def(struct fib_writer *w, struct ptrie *t, uint32_t node, uint32_t def, uint32_t kbase)
{
  size_t n0 = w->newdef.n;
  if (u32vec_push(&w->newdef, node) < 0 || u32vec_push(&w->newdef, def) < 0 ||
      u32vec_push(&w->newdef, kbase) < 0) {
    w->newdef.n = n0;
    t->sh.n[node].def = UINT32_MAX;   /* unknown: rebuilt, never kept */
  }
}

/* The pending change failed before publication: give its blocks back. */
static void journal_rollback(struct fib_writer *w)
{
  for (size_t i = 0; i < w->journal.n; i++)
    block_free(w, &w->journal.v[w->journal.head + i]);
  w->journal.n = w->journal.head = 0;
  w->retiring.n = w->retiring.head = 0;
  w->newdef.n = 0;
}

static void note_dead(struct fib_writer *w, pid_t pid)
{
  if (w->ndead < (int)(sizeof w->dead / sizeof w->dead[0]))
    w->dead[w->ndead] = pid;
  w->ndead++;
}

/* Oldest generation an online reader may still be using. Readers whose
 * process is gone are dropped, if they hold back tag `need`. */
static uint64_t min_epoch(struct fib_writer *w, uint64_t need)
{
  uint64_t m = UINT64_MAX;
  for (int i = 0; i < FIB_MAX_READERS; i++) {
    struct fib_reader_slot *sl = &w->reg.hdr->readers[i];
    uint32_t pid = __atomic_load_n(&sl->pid, __ATOMIC_ACQUIRE);
    uint64_t e = __atomic_load_n(&sl->epoch, __ATOMIC_ACQUIRE);
    if (!pid || !e)
      continue;
    if (e <= need && kill((pid_t)pid, 0) < 0 && errno == ESRCH) {
      uint32_t p = pid;
      if (__atomic_compare_exchange_n(&sl->pid, &p, 0, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        __atomic_store_n(&sl->epoch, 0, __ATOMIC_RELEASE);
        note_dead(w, (pid_t)pid);
      }
      continue;
    }
    if (e < m)
      m = e;
  }
  return m;
}

size_t fib_writer_reclaim(struct fib_writer *w)
{
  struct limbovec *l = &w->limbo;
  w->since_reclaim = 0;
  if (!l->n)
    return 0;
  uint64_t m = min_epoch(w, l->v[l->head].gen);
  while (l->n && l->v[l->head].gen < m) {
    block_free(w, &l->v[l->head]);
    l->head++;
    l->n--;
  }
  if (!l->n)
    l->head = 0;
  return l->n;
}

void wr_publish_done(struct fib_writer *w, struct ptrie *t)
{
  w->journal.n = w->journal.head = 0;
  uint64_t gen = w->reg.hdr->generation;
  for (size_t i = 0; i < w->retiring.n; i++) {
    struct limbo b = w->retiring.v[w->retiring.head + i];
    b.gen = gen;
    (void)lv_push(&w->limbo, b); /* on failure leaked, never reused: safe */
  }
  w->retiring.n = w->retiring.head = 0;
  for (size_t i = 0; t && i + 2 < w->newdef.n; i += 3) {
    t->sh.n[w->newdef.v[i]].def = w->newdef.v[i + 1];
    t->sh.n[w->newdef.v[i]].kbase = w->newdef.v[i + 2];
  }
  w->newdef.n = 0;
  /* Only the writer writes the generation: a release store, not a locked
   * add, whose full fence would wait for every store of the change to
   * drain (and for the line readers keep reading to come back). */
  uint64_t g = __atomic_load_n(&w->reg.hdr->generation, __ATOMIC_RELAXED);
  __atomic_store_n(&w->reg.hdr->generation, g + 1, __ATOMIC_RELEASE);
  if (++w->since_reclaim >= RECLAIM_EVERY)
    fib_writer_reclaim(w);
}

int fib_writer_dead_readers(struct fib_writer *w, pid_t *pids, int max)
{
  int n = w->ndead, cap = (int)(sizeof w->dead / sizeof w->dead[0]);
  for (int i = 0; i < n && i < max && i < cap; i++)
    pids[i] = w->dead[i];
  w->ndead = 0;
  return n;
}

void fib_writer_stats(const struct fib_writer *w, struct fib_stats *s)
{
  memset(s, 0, sizeof *s);
  const struct fib_header *h = w->reg.hdr;
  s->routes4 = h->trie[0].routes;
  s->routes6 = h->trie[1].routes;
  s->nexthops = w->nht.live;
  s->nodes4 = w->t[0].nb.used;
  s->leaves4 = w->t[0].lb.used;
  s->nodes6 = w->t[1].nb.used;
  s->leaves6 = w->t[1].lb.used;
  s->bytes4 = ((uint64_t)4 << w->t[0].s) + s->nodes4 * sizeof(struct fib_node) + s->leaves4 * sizeof(fib_leaf_t);
  s->bytes6 = ((uint64_t)4 << w->t[1].s) + s->nodes6 * sizeof(struct fib_node) + s->leaves6 * sizeof(fib_leaf_t);
  s->limbo = w->limbo.n;
  s->generation = h->generation;
}

/* ---- routes ------------------------------------------------------------- */

static fib_u128 mask_key(fib_u128 k, unsigned len)
{
  return len ? k & ~(((fib_u128)1 << (128 - len)) - 1) : 0;
}

/* Apply the shadow change already made for (k, len) to the Poptrie; on
 * failure retry once after reclaiming, then give the blocks back. */
static int apply(struct fib_writer *w, struct ptrie *t, fib_u128 k, unsigned len)
{
  for (int attempt = 0; attempt < 2; attempt++) {
    int r = ptrie_update(w, t, k, len);
    if (r == 0) {
      wr_publish_done(w, t);
      return 0;
    }
    journal_rollback(w);
    fib_writer_reclaim(w);
  }
  return -ENOMEM;
}

static int nh_valid(const struct fib_writer *w, uint32_t nh)
{
  return nh > 0 && nh < w->nht.cap && w->nht.ref[nh] > 0;
}

enum op { OP_INSERT, OP_REPLACE, OP_DELETE };

static int route_op(struct fib_writer *w, int fam, fib_u128 k, unsigned len, uint32_t nh, enum op op)
{
  struct ptrie *t = &w->t[fam];
  if (len > t->keybits || (op != OP_DELETE && !nh_valid(w, nh)))
    return -EINVAL;
  k = mask_key(k, len);
  uint32_t old = shadow_get(&t->sh, k, len);
  if (op == OP_INSERT ? old != 0 : old == 0)
    return op == OP_INSERT ? -EEXIST : -ENOENT;
  if (op == OP_REPLACE && old == nh)
    return 0;
  if (op == OP_DELETE)
    shadow_del(&t->sh, k, len);
  else if (shadow_set(&t->sh, k, len, nh) < 0)
    return -ENOMEM;
  int r = apply(w, t, k, len);
  if (r < 0) {
    if (old)
      (void)shadow_set(&t->sh, k, len, old);
    else
      shadow_del(&t->sh, k, len);
    return r;
  }
  if (nh && op != OP_DELETE)
    nh_ref(w, nh);
  if (old)
    nh_unref(w, old);
  t->th->routes += (op == OP_INSERT) - (op == OP_DELETE);
  return 0;
}

static fib_u128 key4(uint32_t a) { return (fib_u128)a << 96; }

int fib_insert4(struct fib_writer *w, uint32_t a, unsigned len, uint32_t nh) { return route_op(w, 0, key4(a), len, nh, OP_INSERT); }
int fib_replace4(struct fib_writer *w, uint32_t a, unsigned len, uint32_t nh) { return route_op(w, 0, key4(a), len, nh, OP_REPLACE); }
int fib_delete4(struct fib_writer *w, uint32_t a, unsigned len) { return route_op(w, 0, key4(a), len, 0, OP_DELETE); }
int fib_insert6(struct fib_writer *w, const uint8_t a[16], unsigned len, uint32_t nh) { return route_op(w, 1, fib_load6(a), len, nh, OP_INSERT); }
int fib_replace6(struct fib_writer *w, const uint8_t a[16], unsigned len, uint32_t nh) { return route_op(w, 1, fib_load6(a), len, nh, OP_REPLACE); }
int fib_delete6(struct fib_writer *w, const uint8_t a[16], unsigned len) { return route_op(w, 1, fib_load6(a), len, 0, OP_DELETE); }

/* Bulk: shadow first, then one full rebuild. References are taken per
 * route as in insert/replace. */
static int bulk_set(struct fib_writer *w, struct ptrie *t, fib_u128 k, unsigned len, uint32_t nh)
{
  if (len > t->keybits || !nh_valid(w, nh))
    return -EINVAL;
  k = mask_key(k, len);
  uint32_t old = shadow_get(&t->sh, k, len);
  if (shadow_set(&t->sh, k, len, nh) < 0)
    return -ENOMEM;
  nh_ref(w, nh);
  if (old)
    nh_unref(w, old);
  else
    t->th->routes++;
  return 0;
}

static int bulk_finish(struct fib_writer *w, struct ptrie *t)
{
  int r = ptrie_rebuild(w, t);
  if (r < 0) {
    /* routes stay in the shadow; the next change or bulk retries */
    journal_rollback(w);
    return r;
  }
  wr_publish_done(w, t);
  return 0;
}

int fib_bulk4(struct fib_writer *w, const struct fib_route4 *rt, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    int r = bulk_set(w, &w->t[0], key4(rt[i].addr), rt[i].len, rt[i].nh);
    if (r < 0)
      return r;
  }
  return bulk_finish(w, &w->t[0]);
}

int fib_bulk6(struct fib_writer *w, const struct fib_route6 *rt, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    int r = bulk_set(w, &w->t[1], fib_load6(rt[i].addr), rt[i].len, rt[i].nh);
    if (r < 0)
      return r;
  }
  return bulk_finish(w, &w->t[1]);
}
