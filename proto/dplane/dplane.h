/*
 * proto/dplane/dplane.h: `protocol dplane`, the writer of the shared-memory
 * FIB (fib/) that ternfwd reads. See doc/dplane.md.
 */
#ifndef TERN_PROTO_DPLANE_H
#define TERN_PROTO_DPLANE_H

#include "nest/protocol.h"
#include "sysdep/unix/io.h"
#include "fib/fib.h"

#define DPLANE_DEFAULT_REGION "/tern-fib"
#define DPLANE_SHM_DIR "/dev/shm"
#define DPLANE_RECLAIM_TIME (1000 * 1000)   /* microseconds */
#define DPLANE_SHOW_CODE 1050               /* `show dplane` reply lines */

struct cf_ctx;

struct dplane_config {
  struct proto_config c;
  const char *region;           /* as written in the config */
  const char *path;             /* the file: see dplane_region_path() */
};

/* The initial feed of one family, buffered for the bulk loader. */
struct dplane_load {
  struct fib_route4 *r4;
  struct fib_route6 *r6;
  size_t n, cap;
  u8 active;                    /* this family's first feed is running */
};

struct dplane_proto {
  struct proto p;
  struct fib_writer *w;
  timer reclaim_timer;
  struct dplane_load load[2];   /* [0] IPv4, [1] IPv6 */
  u8 announced;                 /* readers of the previous region told */
  u64 updates;                  /* route changes applied */
  uint errors;                  /* route changes the FIB refused */
  uint dead_readers;            /* reader processes found dead */
};

extern struct protocol proto_dplane;

/* `region` -> file: "/name" (one leading slash, no other) is /dev/shm/name,
 * any other absolute path is used as it is. NULL (and *why set) if the
 * string is neither. The result is allocated with cf_alloc. */
const char *dplane_region_path(struct cf_ctx *ctx, const char *region, const char **why);
void dplane_show(struct cli *c, const char *name);

#endif
