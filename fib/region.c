/*
 * fib/region.c: mapping and checking the shared region, and reader slots.
 * Readers map the header (with their slots) read-write and the rest
 * read-only, so a bug in the data plane cannot corrupt the trie.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fib/fib.h"
#include "fib/internal.h"

/* Writes an error message for the caller (if it gave a buffer); -1. */
int fib_fail(char *err, size_t errlen, const char *fmt, ...)
{
  if (err && errlen) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
  }
  return -1;
}

static int check_trie(const struct fib_trie_hdr *t, uint64_t size, const char *name,
                      char *err, size_t errlen)
{
  if (t->dir_bits < 8 || t->dir_bits > 24 || t->dir_bits >= t->key_bits)
    return fib_fail(err, errlen, "FIB region: bad %s direct-pointing width %u", name, t->dir_bits);
  if (t->dir_off + ((uint64_t)4 << t->dir_bits) > size ||
      t->node_off + (uint64_t)t->node_cap * sizeof(struct fib_node) > size ||
      t->leaf_off + (uint64_t)t->leaf_cap * sizeof(fib_leaf_t) > size)
    return fib_fail(err, errlen, "FIB region: %s trie arrays lie outside the region", name);
  return 0;
}

int fib_region_check(const struct fib_header *h, size_t len, char *err, size_t errlen)
{
  if (len < sizeof *h)
    return fib_fail(err, errlen, "FIB region too small (%zu bytes) to hold a header", len);
  if (h->magic != FIB_MAGIC)
    return fib_fail(err, errlen, "not a Tern FIB region (bad magic %#llx)",
                (unsigned long long)h->magic);
  if (h->version != FIB_LAYOUT_VERSION)
    return fib_fail(err, errlen, "FIB layout version %u is not supported (this build knows "
                "version %u); run a ternfwd built from the same release as ternd",
                h->version, FIB_LAYOUT_VERSION);
  if (h->hdr_size < sizeof *h || h->region_size > len || h->hdr_size > h->region_size)
    return fib_fail(err, errlen, "FIB region: header says %llu bytes but the file has %zu",
                (unsigned long long)h->region_size, len);
  if (h->nh_size != sizeof(struct fib_nh) || h->nh_cap > FIB_NH_MAX ||
      h->nh_off + (uint64_t)h->nh_cap * h->nh_size > h->region_size ||
      h->sa_off + (uint64_t)h->sa_cap * h->sa_size > h->region_size)
    return fib_fail(err, errlen, "FIB region: bad next-hop or SA table geometry");
  if (h->trie[0].key_bits != 32 || h->trie[1].key_bits != 128)
    return fib_fail(err, errlen, "FIB region: bad key widths");
  if (check_trie(&h->trie[0], h->region_size, "IPv4", err, errlen) < 0 ||
      check_trie(&h->trie[1], h->region_size, "IPv6", err, errlen) < 0)
    return -1;
  return 0;
}

static void view_trie(struct fib_trie_view *v, const uint8_t *base, const struct fib_trie_hdr *t)
{
  v->dir = (const uint32_t *)(base + t->dir_off);
  v->nodes = (const struct fib_node *)(base + t->node_off);
  v->leaves = (const fib_leaf_t *)(base + t->leaf_off);
  v->dir_bits = t->dir_bits;
}

/* Fill in the process-local pointers of r from its mapped header. */
void fib_region_view(struct fib_region *r)
{
  view_trie(&r->t4, r->base, &r->hdr->trie[0]);
  view_trie(&r->t6, r->base, &r->hdr->trie[1]);
  r->nh = (const struct fib_nh *)(r->base + r->hdr->nh_off);
  r->sa = r->base + r->hdr->sa_off;
}

static struct fib_region *map_region(int fd, size_t len, char *err, size_t errlen)
{
  struct fib_header h;
  if (pread(fd, &h, sizeof h, 0) != (ssize_t)sizeof h) {
    fib_fail(err, errlen, "FIB region: cannot read the header");
    return NULL;
  }
  if (fib_region_check(&h, len, err, errlen) < 0)
    return NULL;
  struct fib_region *r = calloc(1, sizeof *r);
  if (!r)
    return NULL;
  r->size = h.region_size;
  r->hdr = mmap(NULL, h.hdr_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  r->base = mmap(NULL, r->size, PROT_READ, MAP_SHARED, fd, 0);
  if (r->hdr == MAP_FAILED || r->base == MAP_FAILED) {
    fib_fail(err, errlen, "FIB region: mmap: %s", strerror(errno));
    if (r->hdr != MAP_FAILED)
      munmap(r->hdr, h.hdr_size);
    if (r->base != MAP_FAILED)
      munmap((void *)r->base, r->size);
    free(r);
    return NULL;
  }
  fib_region_view(r);
  return r;
}

struct fib_region *fib_attach(const char *path, char *err, size_t errlen)
{
  int fd = open(path, O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    fib_fail(err, errlen, "FIB region %s: %s", path, strerror(errno));
    return NULL;
  }
  struct stat st;
  struct fib_region *r = NULL;
  if (fstat(fd, &st) < 0)
    fib_fail(err, errlen, "FIB region %s: %s", path, strerror(errno));
  else
    r = map_region(fd, (size_t)st.st_size, err, errlen);
  close(fd); /* the mappings keep the file alive */
  return r;
}

void fib_detach(struct fib_region *r)
{
  if (!r || r->writer)
    return;
  size_t hs = r->hdr->hdr_size;
  munmap((void *)r->base, r->size);
  munmap(r->hdr, hs);
  free(r);
}

int fib_superseded(const struct fib_region *r)
{
  return __atomic_load_n(&r->hdr->superseded, __ATOMIC_ACQUIRE) != 0;
}

/* A slot is free if unowned or its owner process is gone. */
static int slot_claim(struct fib_reader_slot *sl, uint32_t me)
{
  uint32_t pid = __atomic_load_n(&sl->pid, __ATOMIC_ACQUIRE);
  if (pid && (kill((pid_t)pid, 0) == 0 || errno != ESRCH))
    return 0;
  return __atomic_compare_exchange_n(&sl->pid, &pid, me, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

int fib_reader_register(struct fib_region *r)
{
  uint32_t me = (uint32_t)getpid();
  for (int i = 0; i < FIB_MAX_READERS; i++) {
    struct fib_reader_slot *sl = &r->hdr->readers[i];
    if (!slot_claim(sl, me))
      continue;
    sl->tid = (uint32_t)gettid();
    fib_reader_online(r, i);
    return i;
  }
  return -1;
}

void fib_reader_unregister(struct fib_region *r, int slot)
{
  struct fib_reader_slot *sl = &r->hdr->readers[slot];
  __atomic_store_n(&sl->epoch, 0, __ATOMIC_RELEASE);
  __atomic_store_n(&sl->pid, 0, __ATOMIC_RELEASE);
}
