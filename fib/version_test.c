/*
 * fib/version_test.c: a reader refuses a region whose layout it does not
 * know (version, magic, truncation), with a message saying why, and
 * accepts the one it knows, seeing the writer's routes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include "fib/fib.h"
#include "test/unit.h"

static char path[256];

static void poke_u32(size_t off, uint32_t v)
{
  int fd = open(path, O_RDWR);
  CHECK(fd >= 0);
  CHECK(pwrite(fd, &v, sizeof v, (off_t)off) == (ssize_t)sizeof v);
  close(fd);
}

int main(void)
{
  char err[256];
  snprintf(path, sizeof path, "/tmp/fib-version-test.%d", (int)getpid());
  struct fib_config c;
  fib_config_default(&c);
  c.path = path;
  c.nodes4 = c.nodes6 = 4096;
  c.leaves4 = c.leaves6 = 16384;
  struct fib_writer *w = fib_writer_create(&c, err, sizeof err);
  CHECK(w != NULL);
  if (!w)
    return unit_done("version_test");
  struct fib_nh nh = { .kind = FIB_NH_DROP };
  int i = fib_nh_acquire(w, &nh);
  CHECK(i == 1);
  CHECK_INT(fib_insert4(w, 0x0a000000, 8, (uint32_t)i), 0);

  /* the layout we know: accepted and consistent with the writer */
  struct fib_region *r = fib_attach(path, err, sizeof err);
  CHECK(r != NULL);
  if (r) {
    CHECK_INT(fib_lookup4(r, 0x0a010203), i);
    CHECK_INT(fib_lookup4(r, 0x0b010203), 0);
    CHECK_INT(fib_nexthop(r, (uint32_t)i)->kind, FIB_NH_DROP);
    fib_detach(r);
  }

  /* an unknown layout version: refused, and the message names both */
  poke_u32(offsetof(struct fib_header, version), FIB_LAYOUT_VERSION + 1);
  err[0] = 0;
  r = fib_attach(path, err, sizeof err);
  CHECK(r == NULL);
  char want[64];
  snprintf(want, sizeof want, "FIB layout version %u is not supported", FIB_LAYOUT_VERSION + 1);
  CHECK(strstr(err, want) != NULL);
  fprintf(stderr, "refused as expected: %s\n", err);
  poke_u32(offsetof(struct fib_header, version), FIB_LAYOUT_VERSION);

  /* bad magic */
  poke_u32(offsetof(struct fib_header, magic), 0xdeadbeef);
  r = fib_attach(path, err, sizeof err);
  CHECK(r == NULL);
  CHECK(strstr(err, "bad magic") != NULL);

  /* a header that claims more than the file holds */
  struct fib_header h;
  memset(&h, 0, sizeof h);
  h.magic = FIB_MAGIC;
  h.version = FIB_LAYOUT_VERSION;
  h.region_size = 1ULL << 40;
  CHECK(fib_region_check(&h, sizeof h, err, sizeof err) == -1);
  CHECK(fib_region_check(&h, 16, err, sizeof err) == -1);
  CHECK(strstr(err, "too small") != NULL);

  /* a missing file */
  r = fib_attach("/nonexistent/fib", err, sizeof err);
  CHECK(r == NULL);
  CHECK(strstr(err, "No such file") != NULL);

  fib_writer_destroy(w);
  unlink(path);
  return unit_done("version_test");
}
