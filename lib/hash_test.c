/*
 * lib/hash_test.c: the hash table against a naive model (an array), with
 * 100k inserts and removals so it grows and shrinks several times; plus
 * sanity checks of the hash functions' dispersion.
 */
#include "lib/hash.h"
#include "lib/resource.h"
#include "test/unit.h"

#define N 100000

struct entry {
  struct hnode h;
  u32 key;
  int present;
};

static struct entry *find(struct htable *ht, u32 key)
{
  for (struct hnode *n = ht_first(ht, u32_hash(key)); n; n = ht_next_same(n)) {
    struct entry *e = SKIP_BACK(struct entry, h, n);
    if (e->key == key)
      return e;
  }
  return NULL;
}

static void count_cb(struct hnode *n, void *arg)
{
  (void) n;
  (*(uint *) arg)++;
}

static void test_grow_shrink(void)
{
  pool *p = rp_new(&root_pool, "hash test");
  struct htable ht;
  struct entry *e = mb_allocz(p, N * sizeof(*e));
  ht_init(&ht, p, 4);
  CHECK_INT(ht.order, 4);
  for (u32 i = 0; i < N; i++) {
    e[i].key = i * 7919u;
    ht_insert(&ht, &e[i].h, u32_hash(e[i].key));
    e[i].present = 1;
  }
  CHECK_INT(ht.count, N);
  CHECK(ht.order >= 15 && ht.order <= 17);   /* load factor within [1/2, 2] */
  uint bad = 0;
  for (u32 i = 0; i < N; i++)
    bad += find(&ht, i * 7919u) != &e[i];
  CHECK_INT(bad, 0);
  CHECK(find(&ht, 7919u * N) == NULL);

  /* remove every other, then check against the model */
  for (u32 i = 0; i < N; i += 2) {
    ht_remove(&ht, &e[i].h);
    e[i].present = 0;
  }
  CHECK_INT(ht.count, N / 2);
  bad = 0;
  for (u32 i = 0; i < N; i++)
    bad += (find(&ht, e[i].key) != NULL) != e[i].present;
  CHECK_INT(bad, 0);

  uint walked = 0;
  struct hnode *n;
  HT_WALK(&ht, n)
    walked++;
  CHECK_INT(walked, N / 2);
  walked = 0;
  ht_walk(&ht, count_cb, &walked);
  CHECK_INT(walked, N / 2);

  for (u32 i = 1; i < N; i += 2)
    ht_remove(&ht, &e[i].h);
  CHECK_INT(ht.count, 0);
  CHECK_INT(ht.order, 4);   /* shrunk back to the initial size */
  ht_free(&ht);
  rp_free(p);
}

/* Several nodes with the same hash value, and different keys colliding. */
static void test_same_hash(void)
{
  struct htable ht;
  struct entry e[5];
  ht_init(&ht, NULL, 0);
  for (int i = 0; i < 5; i++) {
    e[i].key = i;
    ht_insert(&ht, &e[i].h, i < 3 ? 42 : 43);
  }
  int same = 0;
  for (struct hnode *n = ht_first(&ht, 42); n; n = ht_next_same(n)) {
    CHECK_INT(n->hash, 42);
    same++;
  }
  CHECK_INT(same, 3);
  CHECK(ht_first(&ht, 44) == NULL);
  ht_remove(&ht, &e[1].h);
  same = 0;
  for (struct hnode *n = ht_first(&ht, 42); n; n = ht_next_same(n))
    same++;
  CHECK_INT(same, 2);
  ht_free(&ht);
}

/* Counts how many of 65536 buckets (top 16 bits) stay empty. */
static void test_dispersion(void)
{
  static byte used[65536];
  uint filled = 0;
  for (u32 i = 0; i < 65536; i++) {
    u32 h = u32_hash(i << 8);   /* keys that differ only in middle bits */
    filled += !used[h >> 16]++;
  }
  /* random: 1 - 1/e of 65536 buckets = ~41427 */
  CHECK(filled > 40000 && filled < 43000);

  memset(used, 0, sizeof(used));
  filled = 0;
  char key[32];
  for (u32 i = 0; i < 65536; i++) {
    snprintf(key, sizeof(key), "proto%u", i);
    filled += !used[str_hash(key) >> 16]++;
  }
  CHECK(filled > 40000 && filled < 43000);

  CHECK(mem_hash("", 0) != mem_hash("\0", 1));
  CHECK_INT(str_hash("abc"), mem_hash("abc", 3));
  CHECK(u64_hash(1) != u64_hash(1ull << 32));
  CHECK(hash_mix(1, 2) != hash_mix(2, 1));
  CHECK(u32_hash(0) == 0 || u32_hash(0) != u32_hash(1));
}

int main(void)
{
  test_grow_shrink();
  test_same_hash();
  test_dispersion();
  return unit_done("hash");
}
