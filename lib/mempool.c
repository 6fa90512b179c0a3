/*
 * lib/mempool.c: linear pools (bump allocators) and the temporary arena.
 *
 * A linpool hands out memory from a chain of fixed-size chunks and frees it
 * all at once. lp_flush() keeps the chunks for reuse, so a linpool flushed
 * every event-loop pass settles at its working-set size and stops calling
 * malloc. Requests larger than a quarter chunk get a chunk of their own
 * (freed on flush) so one big string does not waste the tail of a chunk.
 */
#include "lib/resource.h"
#include "lib/asan.h"

#include <string.h>

#define LP_ALIGN 16
#define LP_CHUNK_ALLOC 8192   /* bytes asked from malloc per chunk */

struct lp_chunk {
  struct lp_chunk *next;
  size_t size;                  /* of data[] */
  _Alignas(LP_ALIGN) byte data[];
};

#define LP_CHUNK_DATA (LP_CHUNK_ALLOC - sizeof(struct lp_chunk))
#define LP_LARGE (LP_CHUNK_DATA / 4)

struct linpool {
  resource r;
  byte *ptr, *end;              /* free space in the current chunk */
  struct lp_chunk *first, *current, *large;
  size_t chunks;                /* number of normal chunks */
  size_t large_bytes;           /* data bytes in large chunks */
  size_t used;                  /* bytes handed out since the last flush */
};

static void lp_free_res(resource *r);
static struct linpool tmp_linpool_static;
static struct resmem lp_memsize(resource *r);

static const struct resclass lp_class = {
  .name = "Linpool",
  .size = sizeof(struct linpool),
  .free = lp_free_res,
  .memsize = lp_memsize,
};

static struct lp_chunk *lp_chunk_new(size_t data_size)
{
  struct lp_chunk *c = xmalloc(sizeof(struct lp_chunk) + data_size);
  c->next = NULL;
  c->size = data_size;
  LIB_POISON(c->data, data_size);
  return c;
}

static void lp_chunk_release(struct lp_chunk *c)
{
  LIB_UNPOISON(c->data, c->size);
  xfree(c);
}

linpool *lp_new(pool *p)
{
  return ralloc(p, &lp_class);
}

static void *lp_alloc_large(linpool *lp, size_t size)
{
  struct lp_chunk *c = lp_chunk_new(size);
  c->next = lp->large;
  lp->large = c;
  lp->large_bytes += size;
  LIB_UNPOISON(c->data, size);
  return c->data;
}

/* Move to the next chunk, reusing one kept by a flush when there is one. */
static void lp_next_chunk(linpool *lp)
{
  struct lp_chunk *c = lp->current ? lp->current->next : lp->first;
  if (!c) {
    c = lp_chunk_new(LP_CHUNK_DATA);
    if (lp->current)
      lp->current->next = c;
    else
      lp->first = c;
    lp->chunks++;
  }
  lp->current = c;
  lp->ptr = c->data;
  lp->end = c->data + c->size;
}

void *lp_alloc(linpool *lp, size_t size)
{
  /* Zero-size requests still get a distinct, non-NULL address. */
  size_t asize = ALIGN_TO(size ? size : 1, (size_t) LP_ALIGN);
  if (asize < size)
    die("lp_alloc: size overflow");
  lp->used += asize;
  if ((size_t) (lp->end - lp->ptr) < asize) {
    if (asize > LP_LARGE)
      return lp_alloc_large(lp, asize);
    lp_next_chunk(lp);
  }
  void *m = lp->ptr;
  lp->ptr += asize;
  LIB_UNPOISON(m, size);
  return m;
}

void *lp_allocz(linpool *lp, size_t size)
{
  return memset(lp_alloc(lp, size), 0, size);
}

char *lp_strdup(linpool *lp, const char *s)
{
  size_t len = strlen(s) + 1;
  return memcpy(lp_alloc(lp, len), s, len);
}

static void lp_free_large(linpool *lp)
{
  while (lp->large) {
    struct lp_chunk *c = lp->large;
    lp->large = c->next;
    lp_chunk_release(c);
  }
  lp->large_bytes = 0;
}

void lp_flush(linpool *lp)
{
  lp_free_large(lp);
#if defined(__SANITIZE_ADDRESS__)
  /* Only chunks up to the current one hold data; kept spare chunks were
     poisoned when they were last flushed. Without ASan there is nothing to
     walk: a flush must stay O(1), it runs for every net of a table feed. */
  if (lp->current)
    for (struct lp_chunk *c = lp->first; c; c = c->next) {
      LIB_POISON(c->data, c->size);
      if (c == lp->current)
        break;
    }
#endif
  lp->current = NULL;
  lp->ptr = lp->end = NULL;
  lp->used = 0;
}

void lp_save(linpool *lp, struct lp_state *st)
{
  *st = (struct lp_state) {
    .current = lp->current, .large = lp->large,
    .ptr = lp->ptr, .end = lp->end, .used = lp->used,
  };
}

void lp_restore(linpool *lp, const struct lp_state *st)
{
  while (lp->large && lp->large != st->large) {
    struct lp_chunk *c = lp->large;
    lp->large = c->next;
    lp->large_bytes -= c->size;
    lp_chunk_release(c);
  }
  /* Chunks after the saved one keep existing, to be reused. */
  for (struct lp_chunk *c = st->current ? ((struct lp_chunk *) st->current)->next : lp->first;
       c; c = c->next)
    LIB_POISON(c->data, c->size);
  if (st->ptr)
    LIB_POISON(st->ptr, st->end - st->ptr);
  lp->current = st->current;
  lp->ptr = st->ptr;
  lp->end = st->end;
  lp->used = st->used;
}

static void lp_free_res(resource *r)
{
  linpool *lp = (linpool *) r;
  lp_free_large(lp);
  while (lp->first) {
    struct lp_chunk *c = lp->first;
    lp->first = c->next;
    lp_chunk_release(c);
  }
  lp->current = NULL;
  lp->ptr = lp->end = NULL;
  lp->chunks = 0;
  lp->used = 0;
  if (lp == tmp_linpool)   /* the root pool was freed: fall back */
    tmp_linpool = &tmp_linpool_static;
}

static struct resmem lp_memsize(resource *r)
{
  linpool *lp = (linpool *) r;
  size_t total = sizeof(struct linpool) + RES_ALLOC_OVERHEAD
    + lp->chunks * (sizeof(struct lp_chunk) + LP_CHUNK_DATA + RES_ALLOC_OVERHEAD)
    + lp->large_bytes;
  for (struct lp_chunk *c = lp->large; c; c = c->next)
    total += sizeof(struct lp_chunk) + RES_ALLOC_OVERHEAD;
  return (struct resmem) { .effective = lp->used, .overhead = total - lp->used };
}

/*
 * The temporary arena starts as a static, pool-less linpool so that code
 * (and tests) can use tmp_alloc() before anything is initialised.
 * tmp_init() moves its chunks into a real linpool under the root pool so
 * it is accounted for; pointers handed out before stay valid.
 */
static struct linpool tmp_linpool_static = { .r = { .class = &lp_class } };
linpool *tmp_linpool = &tmp_linpool_static;

void tmp_init(void)
{
  if (tmp_linpool != &tmp_linpool_static)
    return;
  linpool *lp = lp_new(&root_pool);
  resource hdr = lp->r;
  *lp = tmp_linpool_static;
  lp->r = hdr;
  memset(&tmp_linpool_static, 0, sizeof(tmp_linpool_static));
  tmp_linpool_static.r.class = &lp_class;
  tmp_linpool = lp;
}

void tmp_flush(void)
{
  lp_flush(tmp_linpool);
}

char *tmp_strdup(const char *s)
{
  return lp_strdup(tmp_linpool, s);
}
