/*
 * fib/nexthop.c: the shared, reference-counted next-hop table. Identical
 * next hops share one index (a million routes through one gateway cost one
 * entry); an index whose last reference goes is reused only after a grace
 * period, since a reader may still hold a leaf pointing at it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "fib/internal.h"

int nht_init(struct nhtab *t, uint32_t cap)
{
  memset(t, 0, sizeof *t);
  t->cap = cap;
  uint32_t hs = 16;
  while (hs < cap * 2)
    hs <<= 1;
  t->hmask = hs - 1;
  t->ref = calloc(cap, sizeof *t->ref);
  t->hash = calloc(hs, sizeof *t->hash);
  t->next = 1; /* index 0 is "no route" */
  return t->ref && t->hash ? 0 : -1;
}

void nht_fini(struct nhtab *t)
{
  free(t->ref);
  free(t->hash);
  free(t->free.v);
}

static int nh_equal(const struct fib_nh *a, const struct fib_nh *b)
{
  return a->kind == b->kind && a->family == b->family && a->port == b->port &&
         a->sa == b->sa && a->flags == b->flags && !memcmp(a->addr, b->addr, sizeof a->addr);
}

static uint32_t nh_hash(const struct fib_nh *n)
{
  uint32_t h = 2166136261u;
  const uint8_t *f[] = { &n->kind, &n->family };
  for (int i = 0; i < 2; i++)
    h = (h ^ *f[i]) * 16777619u;
  h = (h ^ n->port) * 16777619u;
  h = (h ^ n->sa) * 16777619u;
  h = (h ^ n->flags) * 16777619u;
  for (int i = 0; i < 16; i++)
    h = (h ^ n->addr[i]) * 16777619u;
  return h ^ (h >> 15);
}

/* Hash slot holding an entry equal to nh, or the empty slot to put it in. */
static uint32_t h_find(const struct fib_writer *w, const struct fib_nh *nh)
{
  const struct nhtab *t = &w->nht;
  uint32_t i = nh_hash(nh) & t->hmask;
  while (t->hash[i] && !nh_equal(&w->nh[t->hash[i]], nh))
    i = (i + 1) & t->hmask;
  return i;
}

/* Linear-probing deletion by shifting later entries back. */
static void h_remove(struct fib_writer *w, uint32_t idx)
{
  struct nhtab *t = &w->nht;
  uint32_t i = h_find(w, &w->nh[idx]);
  t->hash[i] = 0;
  for (uint32_t j = (i + 1) & t->hmask; t->hash[j]; j = (j + 1) & t->hmask) {
    uint32_t home = nh_hash(&w->nh[t->hash[j]]) & t->hmask;
    /* move j to the hole i unless home lies cyclically in (i, j] */
    if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j)) {
      t->hash[i] = t->hash[j];
      t->hash[j] = 0;
      i = j;
    }
  }
}

int fib_nh_acquire(struct fib_writer *w, const struct fib_nh *nh)
{
  struct nhtab *t = &w->nht;
  if (nh->kind == FIB_NH_NOROUTE || nh->kind > FIB_NH_TUNNEL)
    return -EINVAL;
  uint32_t slot = h_find(w, nh);
  if (t->hash[slot]) {
    t->ref[t->hash[slot]]++;
    return (int)t->hash[slot];
  }
  uint32_t idx;
  if (t->free.n)
    idx = t->free.v[--t->free.n];
  else if (t->next < t->cap)
    idx = t->next++;
  else
    return -ENOSPC;
  w->nh[idx] = *nh;
  t->hash[slot] = idx;
  t->ref[idx] = 1;
  t->live++;
  return (int)idx;
}

void nh_ref(struct fib_writer *w, uint32_t idx)
{
  w->nht.ref[idx]++;
}

void nh_unref(struct fib_writer *w, uint32_t idx)
{
  if (!idx || !w->nht.ref[idx] || --w->nht.ref[idx])
    return;
  h_remove(w, idx);
  w->nht.live--;
  wr_retire(w, 0, POOL_NH, idx, 0);
}

void fib_nh_release(struct fib_writer *w, uint32_t idx)
{
  if (idx < w->nht.cap)
    nh_unref(w, idx);
}

uint32_t fib_nh_refcount(const struct fib_writer *w, uint32_t idx)
{
  return idx < w->nht.cap ? w->nht.ref[idx] : 0;
}

/* The grace period is over: nobody can see idx any more. */
void nh_reuse(struct fib_writer *w, uint32_t idx)
{
  memset(&w->nh[idx], 0, sizeof w->nh[idx]);
  (void)u32vec_push(&w->nht.free, idx);
}
