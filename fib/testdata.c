/*
 * fib/testdata.c: see testdata.h. Reads the gzip file through `gzip -dc`
 * so that neither the tests nor the library need zlib.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fib/testdata.h"

#ifndef SHARED_DATA_DIR
#define SHARED_DATA_DIR "../shared/data"
#endif

const char *td_dfz_path(void)
{
  return SHARED_DATA_DIR "/dfz-2024-prefixes.txt.gz";
}

static int push(struct td_pfx **v, size_t *n, size_t *cap, struct td_pfx p)
{
  if (*n == *cap) {
    *cap = *cap ? *cap * 2 : 4096;
    struct td_pfx *nv = realloc(*v, *cap * sizeof *nv);
    if (!nv)
      return -1;
    *v = nv;
  }
  (*v)[(*n)++] = p;
  return 0;
}

int td_parse_line(const char *line, struct td_pfx *p)
{
  char buf[64];
  const char *slash = strchr(line, '/');
  if (!slash || slash - line >= (int)sizeof buf)
    return -1;
  memcpy(buf, line, (size_t)(slash - line));
  buf[slash - line] = 0;
  int len = atoi(slash + 1);
  uint8_t a[16];
  if (inet_pton(AF_INET, buf, a) == 1 && len >= 0 && len <= 32) {
    p->key = (fib_u128)(((uint32_t)a[0] << 24) | ((uint32_t)a[1] << 16) | ((uint32_t)a[2] << 8) | a[3]) << 96;
    p->fam = 4;
  } else if (inet_pton(AF_INET6, buf, a) == 1 && len >= 0 && len <= 128) {
    p->key = fib_load6(a);
    p->fam = 6;
  } else {
    return -1;
  }
  p->len = (uint8_t)len;
  p->key = td_first(p->key, p->len);
  return 0;
}

int td_load(const char *path, struct td_pfx **v4, size_t *n4, struct td_pfx **v6, size_t *n6)
{
  char cmd[4200], line[256];
  FILE *f = fopen(path, "r");
  if (!f) {
    fprintf(stderr, "cannot open test data %s\n", path);
    return -1;
  }
  fclose(f);
  snprintf(cmd, sizeof cmd, "gzip -dc '%s'", path);
  f = popen(cmd, "r");
  if (!f)
    return -1;
  size_t c4 = 0, c6 = 0;
  *v4 = *v6 = NULL;
  *n4 = *n6 = 0;
  while (fgets(line, sizeof line, f)) {
    struct td_pfx p;
    if (td_parse_line(line, &p) < 0)
      continue;
    if (p.fam == 4 ? push(v4, n4, &c4, p) : push(v6, n6, &c6, p)) {
      pclose(f);
      return -1;
    }
  }
  int st = pclose(f);
  if (st != 0 || !*n4 || !*n6) {
    fprintf(stderr, "reading %s failed (status %d, %zu+%zu prefixes)\n", path, st, *n4, *n6);
    return -1;
  }
  return 0;
}

uint32_t td_gateway(const struct td_pfx *p, uint32_t ngw)
{
  uint64_t h = (uint64_t)(p->key >> 64) ^ (uint64_t)p->key ^ ((uint64_t)p->len << 56);
  h ^= h >> 31; h *= 0x9e3779b97f4a7c15ULL; h ^= h >> 29;
  return (uint32_t)(h % ngw) + 1;
}

int td_make_gateways(struct fib_writer *w, uint32_t n, uint32_t *gw)
{
  for (uint32_t i = 1; i <= n; i++) {
    struct fib_nh nh = { .kind = FIB_NH_FORWARD, .family = 4, .port = (uint16_t)(i % 8) };
    nh.addr[0] = 10; nh.addr[1] = (uint8_t)(i >> 8); nh.addr[2] = (uint8_t)i; nh.addr[3] = 1;
    int r = fib_nh_acquire(w, &nh);
    if (r < 0)
      return r;
    gw[i] = (uint32_t)r;
  }
  return 0;
}

struct rnode { struct rnode *c[2]; uint32_t nh; };
struct td_ref { struct rnode root; };

struct td_ref *td_ref_new(void)
{
  return calloc(1, sizeof(struct td_ref));
}

static void rfree(struct rnode *n)
{
  if (!n)
    return;
  rfree(n->c[0]);
  rfree(n->c[1]);
  free(n);
}

void td_ref_free(struct td_ref *r)
{
  if (!r)
    return;
  rfree(r->root.c[0]);
  rfree(r->root.c[1]);
  free(r);
}

void td_ref_set(struct td_ref *r, fib_u128 k, unsigned len, uint32_t nh)
{
  struct rnode *n = &r->root;
  for (unsigned d = 0; d < len; d++) {
    unsigned b = (unsigned)(k >> (127 - d)) & 1;
    if (!n->c[b]) {
      if (!nh)
        return;
      n->c[b] = calloc(1, sizeof *n);
    }
    n = n->c[b];
  }
  n->nh = nh; /* empty nodes stay: the reference need not be tidy */
}

uint32_t td_ref_lookup(const struct td_ref *r, fib_u128 k)
{
  const struct rnode *n = &r->root;
  uint32_t best = n->nh;
  for (unsigned d = 0; d < 128 && n; d++) {
    n = n->c[(k >> (127 - d)) & 1];
    if (n && n->nh)
      best = n->nh;
  }
  return best;
}
