/*
 * fib/shadow.c: the writer's copy of the routes, a deliberately simple
 * binary trie. Poptrie nodes are (re)built from it; it is never shared.
 * Nodes exist only on paths to routes (deletion prunes), so "has children"
 * means "has more specific routes".
 */
#include <stdlib.h>
#include <string.h>
#include "fib/internal.h"

int shadow_init(struct shadow *s)
{
  memset(s, 0, sizeof *s);
  s->cap = 1024;
  s->n = calloc(s->cap, sizeof *s->n);
  if (!s->n)
    return -1;
  s->used = 2; /* 0 = null, 1 = root */
  return 0;
}

void shadow_fini(struct shadow *s)
{
  free(s->n);
  memset(s, 0, sizeof *s);
}

static uint32_t node_new(struct shadow *s)
{
  uint32_t i;
  if (s->free_head) {
    i = s->free_head;
    s->free_head = s->n[i].c[0];
  } else {
    if (s->used == s->cap) {
      struct bnode *nn = realloc(s->n, (size_t)s->cap * 2 * sizeof *nn);
      if (!nn)
        return 0;
      s->n = nn;
      s->cap *= 2;
    }
    i = s->used++;
  }
  memset(&s->n[i], 0, sizeof s->n[i]);
  return i;
}

uint32_t shadow_get(const struct shadow *s, fib_u128 k, unsigned len)
{
  uint32_t bn = SHADOW_ROOT;
  for (unsigned d = 0; d < len && bn; d++)
    bn = s->n[bn].c[key_bit(k, d)];
  return bn ? s->n[bn].nh : 0;
}

int shadow_set(struct shadow *s, fib_u128 k, unsigned len, uint32_t nh)
{
  uint32_t bn = SHADOW_ROOT;
  for (unsigned d = 0; d < len; d++) {
    unsigned b = key_bit(k, d);
    if (!s->n[bn].c[b]) {
      uint32_t c = node_new(s);
      if (!c)
        return -1;
      s->n[bn].c[b] = c;
    }
    bn = s->n[bn].c[b];
  }
  s->n[bn].nh = nh;
  return 0;
}

uint32_t shadow_del(struct shadow *s, fib_u128 k, unsigned len)
{
  uint32_t path[129];
  uint32_t bn = SHADOW_ROOT;
  path[0] = bn;
  for (unsigned d = 0; d < len; d++) {
    bn = s->n[bn].c[key_bit(k, d)];
    if (!bn)
      return 0;
    path[d + 1] = bn;
  }
  uint32_t old = s->n[bn].nh;
  s->n[bn].nh = 0;
  /* prune the now useless tail of the path, never the root */
  for (unsigned d = len; d > 0; d--) {
    struct bnode *n = &s->n[path[d]];
    if (n->nh || n->c[0] || n->c[1])
      break;
    s->n[path[d - 1]].c[key_bit(k, d - 1)] = 0;
    n->c[0] = s->free_head;
    s->free_head = path[d];
  }
  return old;
}

uint32_t shadow_advance(const struct shadow *s, uint32_t bn, fib_u128 k,
                        unsigned from, unsigned to, uint32_t *best)
{
  if (bn && s->n[bn].nh)
    *best = s->n[bn].nh;
  for (unsigned d = from; d < to && bn; d++) {
    bn = s->n[bn].c[key_bit(k, d)];
    if (bn && s->n[bn].nh)
      *best = s->n[bn].nh;
  }
  return bn;
}
