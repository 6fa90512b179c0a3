/*
 * fib/alloc.c: the buddy allocator for node and leaf blocks (paper 4.3: the
 * children of a node, and its leaves, must be contiguous). Splitting and
 * coalescing keep fragmentation bounded under a long stream of updates.
 * Free lists are lazy stacks: an entry is valid only while state[] agrees,
 * so coalescing never has to search a list.
 */
#include <stdlib.h>
#include <string.h>
#include "fib/internal.h"

int u32vec_push(struct u32vec *s, uint32_t x)
{
  if (s->n == s->cap) {
    size_t nc = s->cap ? s->cap * 2 : 64;
    uint32_t *nv = realloc(s->v, nc * sizeof *nv);
    if (!nv)
      return -1;
    s->v = nv;
    s->cap = nc;
  }
  s->v[s->n++] = x;
  return 0;
}

int buddy_init(struct buddy *b, uint32_t cap)
{
  memset(b, 0, sizeof *b);
  b->cap = cap & ~63u;
  b->state = malloc(b->cap ? b->cap : 1);
  if (!b->state)
    return -1;
  memset(b->state, BUDDY_NONE, b->cap);
  return 0;
}

void buddy_fini(struct buddy *b)
{
  free(b->state);
  for (int i = 0; i < BUDDY_ORDERS; i++)
    free(b->fl[i].v);
  memset(b, 0, sizeof *b);
}

/* Pop a valid free block of exactly this order, or -1. */
static int64_t pop_free(struct buddy *b, unsigned order)
{
  struct u32vec *l = &b->fl[order];
  while (l->n) {
    uint32_t idx = l->v[--l->n];
    if (b->state[idx] == order) {
      b->state[idx] = BUDDY_NONE;
      return idx;
    }
  }
  return -1;
}

static int push_free(struct buddy *b, uint32_t idx, unsigned order)
{
  b->state[idx] = (uint8_t)order;
  return u32vec_push(&b->fl[order], idx);
}

static int64_t take(struct buddy *b, unsigned order)
{
  int64_t idx = pop_free(b, order);
  if (idx >= 0)
    return idx;
  if (order + 1 < BUDDY_ORDERS) {
    idx = take(b, order + 1);
    if (idx < 0)
      return -1;
    if (push_free(b, (uint32_t)idx + (1u << order), order) < 0)
      return -1;
    return idx;
  }
  if (b->bump + 64 > b->cap)
    return -1;
  idx = b->bump;
  b->bump += 64;
  return idx;
}

int64_t buddy_alloc(struct buddy *b, unsigned order)
{
  int64_t idx = take(b, order);
  if (idx >= 0)
    b->used += 1u << order;
  return idx;
}

void buddy_free(struct buddy *b, uint32_t idx, unsigned order)
{
  b->used -= 1u << order;
  while (order + 1 < BUDDY_ORDERS) {
    uint32_t buddy = idx ^ (1u << order);
    if (b->state[buddy] != order)
      break;
    b->state[buddy] = BUDDY_NONE;
    idx &= ~(1u << order);
    order++;
  }
  /* A failed push only loses the block until the region is recreated. */
  (void)push_free(b, idx, order);
}
