/*
 * lib/resource.c: pools, generic resources and memory blocks.
 *
 * A pool is itself a resource holding a list of resources; freeing walks
 * the list backwards so later allocations (which may depend on earlier
 * ones) go first.
 */
#include "lib/resource.h"

#include <string.h>


struct pool {
  resource r;
  list inside;
  char *name;
};

static void pool_free_res(resource *r);
static struct resmem pool_memsize(resource *r);

static const struct resclass pool_class = {
  .name = "Pool",
  .size = sizeof(pool),
  .free = pool_free_res,
  .memsize = pool_memsize,
};

pool root_pool = {
  .r = { .class = &pool_class },
  .inside = LIST_INIT(root_pool.inside),
  .name = "Root",
};

void *ralloc(pool *p, const struct resclass *class)
{
  if (!p)
    p = &root_pool;
  resource *r = xmalloc(class->size);
  memset(r, 0, class->size);
  r->class = class;
  r->parent = p;
  add_tail(&p->inside, &r->n);
  return r;
}

void rfree(void *res)
{
  resource *r = res;
  if (!r)
    return;
  if (r->class->free)
    r->class->free(r);
  rem_node(&r->n);
  xfree(r);
}

struct resmem rmemsize_resource(resource *r)
{
  if (r->class->memsize)
    return r->class->memsize(r);
  return (struct resmem) { .overhead = r->class->size + RES_ALLOC_OVERHEAD };
}

/* Pools */

pool *rp_new(pool *parent, const char *name)
{
  pool *p = ralloc(parent, &pool_class);
  init_list(&p->inside);
  p->name = xstrdup(name ? name : "?");
  return p;
}

static void pool_release_contents(pool *p)
{
  while (!EMPTY_LIST(p->inside))
    rfree(p->inside.head.prev);
}

static void pool_free_res(resource *r)
{
  pool *p = (pool *) r;
  pool_release_contents(p);
  xfree(p->name);
}

void rp_free(pool *p)
{
  if (!p)
    return;
  if (p == &root_pool)
    pool_release_contents(p);   /* the root itself is static */
  else
    rfree(p);
}

const char *rp_name(pool *p)
{
  return p->name;
}

static struct resmem pool_memsize(resource *r)
{
  pool *p = (pool *) r;
  struct resmem sum = { 0, 0 };
  if (p != &root_pool)
    sum.overhead = sizeof(pool) + strlen(p->name) + 1 + 2 * RES_ALLOC_OVERHEAD;
  resource *c;
  WALK_LIST(c, p->inside) {
    struct resmem m = rmemsize_resource(c);
    sum.effective += m.effective;
    sum.overhead += m.overhead;
  }
  return sum;
}

struct resmem rmemsize(pool *p)
{
  return pool_memsize(&p->r);
}

void rp_walk_children(pool *p, void (*cb)(pool *child, void *arg), void *arg)
{
  resource *c, *nxt;
  WALK_LIST_DELSAFE(c, nxt, p->inside)
    if (c->class == &pool_class)
      cb((pool *) c, arg);
}

/* Blocks: the resource header sits right before the user's memory. */

struct mblock {
  resource r;
  size_t size;
  _Alignas(16) byte data[];
};

static struct resmem mb_memsize(resource *r)
{
  struct mblock *b = (struct mblock *) r;
  return (struct resmem) {
    .effective = b->size,
    .overhead = sizeof(struct mblock) + RES_ALLOC_OVERHEAD,
  };
}

static const struct resclass mb_class = {
  .name = "Memory",
  .size = sizeof(struct mblock),
  .memsize = mb_memsize,
};

void *mb_alloc(pool *p, size_t size)
{
  if (!p)
    p = &root_pool;
  struct mblock *b = xmalloc(sizeof(struct mblock) + size);
  b->r.class = &mb_class;
  b->r.parent = p;
  b->size = size;
  add_tail(&p->inside, &b->r.n);
  return b->data;
}

void *mb_allocz(pool *p, size_t size)
{
  return memset(mb_alloc(p, size), 0, size);
}

char *mb_strdup(pool *p, const char *s)
{
  size_t len = strlen(s) + 1;
  return memcpy(mb_alloc(p, len), s, len);
}

static struct mblock *mb_block(void *m)
{
  struct mblock *b = SKIP_BACK(struct mblock, data, m);
  ASSERT(b->r.class == &mb_class);
  return b;
}

void *mb_realloc(void *m, size_t size)
{
  if (!m)
    bug("mb_realloc(NULL): a block needs a pool, use mb_alloc");
  struct mblock *b = xrealloc(mb_block(m), sizeof(struct mblock) + size);
  /* The block may have moved: repoint its neighbours at the new copy. */
  b->r.n.prev->next = &b->r.n;
  b->r.n.next->prev = &b->r.n;
  b->size = size;
  return b->data;
}

void mb_free(void *m)
{
  if (m)
    rfree(mb_block(m));
}

pool *mb_pool(void *m)
{
  return mb_block(m)->r.parent;
}
