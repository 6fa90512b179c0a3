/*
 * lib/hash.c: byte-string hashing and the resizable intrusive hash table.
 *
 * mem_hash is 32-bit FNV-1a (good dispersion on short keys, no alignment
 * needs) followed by a finaliser, because FNV alone leaves the low bits,
 * which pick the slot, poorly mixed.
 */
#include "lib/hash.h"
#include "lib/resource.h"

#include <string.h>

#define FNV_OFFSET 2166136261u
#define FNV_PRIME 16777619u
#define HT_MAX_ORDER 30

u32 mem_hash(const void *p, size_t len)
{
  const byte *b = p;
  u32 h = FNV_OFFSET;
  for (size_t i = 0; i < len; i++)
    h = (h ^ b[i]) * FNV_PRIME;
  return u32_hash(h ^ (u32) len);
}

u32 str_hash(const char *s)
{
  return mem_hash(s, strlen(s));
}

static struct hnode **ht_slots_new(pool *p, uint order)
{
  return mb_allocz(p, sizeof(struct hnode *) << order);
}

/* The slot index takes the top bits: u32_hash-style hashes mix them best
 * and it keeps resizing a plain split of each chain. */
static inline uint ht_slot(const struct htable *ht, u32 hash)
{
  return ht->order ? hash >> (32 - ht->order) : 0;
}

void ht_init(struct htable *ht, pool *p, uint order)
{
  if (order > HT_MAX_ORDER)
    order = HT_MAX_ORDER;
  ht->pool = p ? p : &root_pool;
  ht->order = ht->min_order = order;
  ht->count = 0;
  ht->slots = ht_slots_new(ht->pool, order);
}

static void ht_rehash(struct htable *ht, uint order)
{
  struct hnode **old = ht->slots;
  uint old_size = 1u << ht->order;
  ht->slots = ht_slots_new(ht->pool, order);
  ht->order = order;
  for (uint i = 0; i < old_size; i++)
    for (struct hnode *n = old[i], *nxt; n; n = nxt) {
      nxt = n->next;
      uint s = ht_slot(ht, n->hash);
      n->next = ht->slots[s];
      ht->slots[s] = n;
    }
  mb_free(old);
}

void ht_insert(struct htable *ht, struct hnode *n, u32 hash)
{
  uint s = ht_slot(ht, hash);
  n->hash = hash;
  n->next = ht->slots[s];
  ht->slots[s] = n;
  ht->count++;
  if (ht->count > (2u << ht->order) && ht->order < HT_MAX_ORDER)
    ht_rehash(ht, ht->order + 1);
}

void ht_remove(struct htable *ht, struct hnode *n)
{
  struct hnode **pp = &ht->slots[ht_slot(ht, n->hash)];
  while (*pp && *pp != n)
    pp = &(*pp)->next;
  if (!*pp)
    bug("ht_remove: node not in table");
  *pp = n->next;
  n->next = NULL;
  ht->count--;
  if (ht->order > ht->min_order && ht->count < (1u << ht->order) / 2)
    ht_rehash(ht, ht->order - 1);
}

static struct hnode *ht_skip_to(struct hnode *n, u32 hash)
{
  while (n && n->hash != hash)
    n = n->next;
  return n;
}

struct hnode *ht_first(struct htable *ht, u32 hash)
{
  return ht_skip_to(ht->slots[ht_slot(ht, hash)], hash);
}

struct hnode *ht_next_same(struct hnode *n)
{
  return ht_skip_to(n->next, n->hash);
}

void ht_walk(struct htable *ht, void (*cb)(struct hnode *n, void *arg), void *arg)
{
  uint size = 1u << ht->order;
  for (uint i = 0; i < size; i++)
    for (struct hnode *n = ht->slots[i], *nxt; n; n = nxt) {
      nxt = n->next;   /* cb may free n, but must not touch the table */
      cb(n, arg);
    }
}

void ht_free(struct htable *ht)
{
  mb_free(ht->slots);
  ht->slots = NULL;
  ht->count = 0;
}
