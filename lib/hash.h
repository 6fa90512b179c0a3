/*
 * lib/hash.h: hash functions and an intrusive chained hash table.
 *
 * The table stores `struct hnode`s embedded in the user's objects together
 * with their full 32-bit hash, so lookups compare hashes before touching
 * keys and resizing never calls back into the user. It doubles when the
 * load factor exceeds 2 and halves below 1/2 (never below the initial
 * order), keeping chains short whatever the number of entries.
 */
#ifndef TERN_LIB_HASH_H
#define TERN_LIB_HASH_H

#include "lib/tern.h"

typedef struct pool pool;

struct hnode {
  struct hnode *next;
  u32 hash;
};

struct htable {
  struct hnode **slots;
  uint order, count;
  pool *pool;
  uint min_order;
};

void ht_init(struct htable *ht, pool *p, uint order);
void ht_insert(struct htable *ht, struct hnode *n, u32 hash);
void ht_remove(struct htable *ht, struct hnode *n);
struct hnode *ht_first(struct htable *ht, u32 hash);
struct hnode *ht_next_same(struct hnode *n);
void ht_walk(struct htable *ht, void (*cb)(struct hnode *n, void *arg), void *arg);
void ht_free(struct htable *ht);

/* Iterate over all nodes; the body must not insert or remove. */
#define HT_WALK(ht, n) \
  for (uint ht_i_ = 0; ht_i_ < (1u << (ht)->order); ht_i_++) \
    for ((n) = (ht)->slots[ht_i_]; (n); (n) = (n)->next)

/* Hash functions */

/* Finaliser with full avalanche (MurmurHash3's fmix32 constants). */
static inline u32 u32_hash(u32 x)
{
  x ^= x >> 16;
  x *= 0x85ebca6bu;
  x ^= x >> 13;
  x *= 0xc2b2ae35u;
  x ^= x >> 16;
  return x;
}

static inline u32 u64_hash(u64 x)
{
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ull;
  x ^= x >> 33;
  return (u32) x ^ (u32) (x >> 32);
}

/* Combine a running hash with another value; order matters. */
static inline u32 hash_mix(u32 a, u32 b)
{
  a ^= u32_hash(b) + 0x9e3779b9u + (a << 6) + (a >> 2);
  return a;
}

u32 mem_hash(const void *p, size_t len);
u32 str_hash(const char *s);

#endif
