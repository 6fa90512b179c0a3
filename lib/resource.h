/*
 * lib/resource.h: memory that follows lifetime.
 *
 * Everything allocated belongs to a pool; freeing a pool frees its child
 * pools and every resource in it, so a config or a protocol instance is
 * torn down with one rp_free(). Three allocators sit on top:
 *   - blocks (mb_*): individual malloc-like allocations, freeable one by one;
 *   - linear pools (lp_*): bump allocation, freed all at once by lp_flush();
 *   - slabs (sl_*): fixed-size objects packed into pages.
 * Every resource reports its size, so `show memory` can say where memory
 * goes: `effective` is what users asked for, `overhead` is bookkeeping and
 * slack.
 *
 * None of this is thread-safe: it belongs to the main event loop thread.
 *
 * Other subsystems may define their own resource types (sockets, timers)
 * with a struct resclass and ralloc(); they are then freed with the pool.
 */
#ifndef TERN_LIB_RESOURCE_H
#define TERN_LIB_RESOURCE_H

#include "lib/tern.h"
#include "lib/lists.h"

typedef struct pool pool;
typedef struct resource resource;

/* What malloc itself keeps per allocation (glibc: a size word, 16-byte
 * granularity); only used to make the overhead figures honest. */
#define RES_ALLOC_OVERHEAD 16

struct resmem {
  size_t effective, overhead;
};

struct resclass {
  const char *name;
  size_t size;                              /* of the object ralloc() makes */
  void (*free)(resource *r);                /* release what r holds (not r) */
  struct resmem (*memsize)(resource *r);    /* NULL: size counts as overhead */
};

/* The header of every resource; embed it as the first member. */
struct resource {
  node n;
  const struct resclass *class;
  pool *parent;
};

extern pool root_pool;

/* A NULL parent means the root pool. The name is copied. */
pool *rp_new(pool *parent, const char *name);
void rp_free(pool *p);
const char *rp_name(pool *p);
struct resmem rmemsize(pool *p);
void rp_walk_children(pool *p, void (*cb)(pool *child, void *arg), void *arg);

/* Custom resources: zeroed object of class->size, linked into p. */
void *ralloc(pool *p, const struct resclass *class);
void rfree(void *res);   /* calls class->free, unlinks and frees; NULL ok */
struct resmem rmemsize_resource(resource *r);

/* Blocks */
void *mb_alloc(pool *p, size_t size);
void *mb_allocz(pool *p, size_t size);
char *mb_strdup(pool *p, const char *s);
void *mb_realloc(void *m, size_t size);
void mb_free(void *m);
pool *mb_pool(void *m);

/* Linear pools */
typedef struct linpool linpool;
linpool *lp_new(pool *p);
void *lp_alloc(linpool *lp, size_t size);
void *lp_allocz(linpool *lp, size_t size);
char *lp_strdup(linpool *lp, const char *s);
void lp_flush(linpool *lp);

/* Scoped use of a linpool: everything allocated after lp_save() is given
 * back by lp_restore() (e.g. one filter run), older data stays valid. */
struct lp_state {
  void *current, *large;
  byte *ptr, *end;
  size_t used;
};
void lp_save(linpool *lp, struct lp_state *st);
void lp_restore(linpool *lp, const struct lp_state *st);

/* Slabs */
typedef struct slab slab;
slab *sl_new(pool *p, size_t size);
void *sl_alloc(slab *s);
void *sl_allocz(slab *s);
void sl_free(slab *s, void *obj);

/* The temporary arena, flushed by the event loop on every pass. It works
 * before tmp_init(); tmp_init() only makes it show up under the root pool. */
extern linpool *tmp_linpool;
void tmp_init(void);
void tmp_flush(void);
#define tmp_alloc(s) lp_alloc(tmp_linpool, s)
#define tmp_allocz(s) lp_allocz(tmp_linpool, s)
char *tmp_strdup(const char *s);

#endif
