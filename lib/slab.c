/*
 * lib/slab.c: slabs, allocators for many objects of one size.
 *
 * Objects are carved from pages aligned to their own size, so sl_free()
 * finds an object's page by masking its address and needs no per-object
 * header. Pages with free room sit on `partial`, full pages on `full`.
 * A page that becomes empty is returned to libc, except that one is kept
 * as a spare so a workload hovering at a page boundary does not thrash.
 * Objects are 8-byte aligned.
 */
#include "lib/resource.h"
#include "lib/asan.h"

#include <stdlib.h>
#include <string.h>

#define SLAB_PAGE_MIN 4096
#define SLAB_MIN_OBJECTS 8       /* per page; bigger objects get bigger pages */
#define SLAB_ALIGN 8

struct sl_page {
  node n;
  slab *s;
  uint used;
  void *free_list;             /* freed objects, linked through their first word */
  byte *fresh;                 /* objects from here on were never handed out */
  _Alignas(16) byte data[];
};

struct slab {
  resource r;
  size_t user_size, obj_size, page_size;
  uint objs_per_page;
  list partial, full;
  struct sl_page *spare;
  size_t pages, objects;
};

static void sl_free_res(resource *r);
static struct resmem sl_memsize(resource *r);

static const struct resclass sl_class = {
  .name = "Slab",
  .size = sizeof(struct slab),
  .free = sl_free_res,
  .memsize = sl_memsize,
};

slab *sl_new(pool *p, size_t size)
{
  slab *s = ralloc(p, &sl_class);
  s->user_size = size;
  s->obj_size = ALIGN_TO(MAX(size, sizeof(void *)), (size_t) SLAB_ALIGN);
  size_t ps = SLAB_PAGE_MIN;
  while (ps - sizeof(struct sl_page) < SLAB_MIN_OBJECTS * s->obj_size)
    ps *= 2;
  s->page_size = ps;
  s->objs_per_page = (ps - sizeof(struct sl_page)) / s->obj_size;
  init_list(&s->partial);
  init_list(&s->full);
  return s;
}

static void sl_page_reset(struct sl_page *pg)
{
  pg->used = 0;
  pg->free_list = NULL;
  pg->fresh = pg->data;
  LIB_POISON(pg->data, pg->s->objs_per_page * pg->s->obj_size);
}

static struct sl_page *sl_page_new(slab *s)
{
  void *mem;
  if (posix_memalign(&mem, s->page_size, s->page_size))
    die("Out of memory (slab page of %zu bytes)", s->page_size);
  struct sl_page *pg = mem;
  pg->s = s;
  sl_page_reset(pg);
  s->pages++;
  return pg;
}

static void sl_page_release(struct sl_page *pg)
{
  pg->s->pages--;
  LIB_UNPOISON(pg->data, pg->s->objs_per_page * pg->s->obj_size);
  free(pg);
}

static struct sl_page *sl_page_with_room(slab *s)
{
  struct sl_page *pg = HEAD(s->partial);
  if (pg)
    return pg;
  pg = s->spare ? s->spare : sl_page_new(s);
  s->spare = NULL;
  add_head(&s->partial, &pg->n);
  return pg;
}

static void *sl_page_take(struct sl_page *pg)
{
  size_t osize = pg->s->obj_size;
  void *obj = pg->free_list;
  if (obj) {
    LIB_UNPOISON(obj, osize);
    pg->free_list = *(void **) obj;
  } else {
    obj = pg->fresh;
    pg->fresh += osize;
    LIB_UNPOISON(obj, osize);
  }
  pg->used++;
  return obj;
}

void *sl_alloc(slab *s)
{
  struct sl_page *pg = sl_page_with_room(s);
  void *obj = sl_page_take(pg);
  if (pg->used == s->objs_per_page) {
    rem_node(&pg->n);
    add_tail(&s->full, &pg->n);
  }
  s->objects++;
  return obj;
}

void *sl_allocz(slab *s)
{
  return memset(sl_alloc(s), 0, s->user_size);
}

static void sl_page_emptied(slab *s, struct sl_page *pg)
{
  rem_node(&pg->n);
  if (s->spare)
    sl_page_release(pg);
  else {
    sl_page_reset(pg);
    s->spare = pg;
  }
}

void sl_free(slab *s, void *obj)
{
  if (!obj)
    return;
  struct sl_page *pg = (void *) ((uintptr_t) obj & ~(uintptr_t) (s->page_size - 1));
  if (pg->s != s || (byte *) obj < pg->data || (byte *) obj >= pg->fresh)
    bug("sl_free: %p does not belong to this slab", obj);
  if (pg->used == s->objs_per_page) {
    rem_node(&pg->n);
    add_head(&s->partial, &pg->n);
  }
  *(void **) obj = pg->free_list;
  pg->free_list = obj;
  LIB_POISON(obj, s->obj_size);
  pg->used--;
  s->objects--;
  if (!pg->used)
    sl_page_emptied(s, pg);
}

static void sl_release_list(list *l)
{
  struct sl_page *pg, *nxt;
  WALK_LIST_DELSAFE(pg, nxt, *l)
    sl_page_release(pg);
  init_list(l);
}

static void sl_free_res(resource *r)
{
  slab *s = (slab *) r;
  sl_release_list(&s->partial);
  sl_release_list(&s->full);
  if (s->spare)
    sl_page_release(s->spare);
  s->spare = NULL;
}

static struct resmem sl_memsize(resource *r)
{
  slab *s = (slab *) r;
  size_t eff = s->objects * s->user_size;
  size_t total = sizeof(struct slab) + RES_ALLOC_OVERHEAD + s->pages * s->page_size;
  return (struct resmem) { .effective = eff, .overhead = total - eff };
}
