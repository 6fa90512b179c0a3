/*
 * test/fib_reader.c: a minimal FIB reader for test/dplane.sh, standing in
 * for a ternfwd lcore. It maps a region with fib_attach and answers
 * lookups the way the data plane would see them.
 *
 *   fib_reader REGION ADDR...    one-shot: one answer line per address
 *   fib_reader -i REGION         interactive: commands on stdin, one
 *                                answer line each (for a bash coproc)
 *
 * Commands: `lookup ADDR`, `register` (take a reader slot; prints the
 * slot), `unregister`, `status` (generation, superseded, reader slot),
 * `reattach` (map the region at the path again if it was superseded),
 * `quit`. While registered, the reader reports a quiescent point after
 * every command, as an lcore does between bursts.
 *
 * Answers: "ADDR none", "ADDR drop", "ADDR punt",
 * "ADDR forward port P [via GW]", "ADDR tunnel sa S".
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fib/fib.h"

struct reader {
  const char *path;
  struct fib_region *r;
  int slot;
};

static void describe(const struct fib_nh *x, char *buf, size_t len)
{
  char gw[INET6_ADDRSTRLEN] = "";
  if (x->family == 4)
    inet_ntop(AF_INET, x->addr, gw, sizeof gw);
  else if (x->family == 6)
    inet_ntop(AF_INET6, x->addr, gw, sizeof gw);
  switch (x->kind) {
  case FIB_NH_NOROUTE: snprintf(buf, len, "none"); break;
  case FIB_NH_DROP: snprintf(buf, len, "drop"); break;
  case FIB_NH_PUNT: snprintf(buf, len, "punt"); break;
  case FIB_NH_FORWARD:
    snprintf(buf, len, "forward port %u%s%s", x->port, *gw ? " via " : "", gw);
    break;
  case FIB_NH_TUNNEL: snprintf(buf, len, "tunnel sa %u", x->sa); break;
  default: snprintf(buf, len, "kind %u", x->kind);
  }
}

/* One address -> one answer line; -1 if it is not an address. */
static int lookup(const struct reader *rd, const char *s)
{
  uint8_t a6[16];
  struct in_addr a4;
  uint32_t idx;
  if (inet_pton(AF_INET, s, &a4) == 1)
    idx = fib_lookup4(rd->r, ntohl(a4.s_addr));
  else if (inet_pton(AF_INET6, s, a6) == 1)
    idx = fib_lookup6(rd->r, a6);
  else
    return -1;
  char d[96];
  describe(fib_nexthop(rd->r, idx), d, sizeof d);
  printf("%s %s\n", s, d);
  return 0;
}

static int attach(struct reader *rd)
{
  char err[256];
  rd->r = fib_attach(rd->path, err, sizeof err);
  if (!rd->r) {
    fprintf(stderr, "fib_reader: %s\n", err);
    return -1;
  }
  return 0;
}

static void reattach(struct reader *rd)
{
  if (!fib_superseded(rd->r)) {
    printf("current\n");
    return;
  }
  struct fib_region *old = rd->r;
  int registered = rd->slot >= 0;
  if (attach(rd) < 0) {
    rd->r = old;
    printf("error\n");
    return;
  }
  if (registered)
    fib_reader_unregister(old, rd->slot);
  fib_detach(old);
  rd->slot = registered ? fib_reader_register(rd->r) : -1;
  printf("reattached\n");
}

static void command(struct reader *rd, char *line)
{
  char *arg = strchr(line, ' ');
  if (arg)
    *arg++ = 0;
  if (!strcmp(line, "lookup") && arg) {
    if (lookup(rd, arg) < 0)
      printf("%s bad-address\n", arg);
  } else if (!strcmp(line, "register")) {
    if (rd->slot < 0)
      rd->slot = fib_reader_register(rd->r);
    printf("slot %d\n", rd->slot);
  } else if (!strcmp(line, "unregister")) {
    if (rd->slot >= 0)
      fib_reader_unregister(rd->r, rd->slot);
    rd->slot = -1;
    printf("unregistered\n");
  } else if (!strcmp(line, "status")) {
    printf("generation %llu superseded %d slot %d\n",
           (unsigned long long)__atomic_load_n(&rd->r->hdr->generation, __ATOMIC_ACQUIRE),
           fib_superseded(rd->r), rd->slot);
  } else if (!strcmp(line, "reattach")) {
    reattach(rd);
  } else {
    printf("unknown command\n");
  }
  if (rd->slot >= 0)
    fib_reader_quiescent(rd->r, rd->slot);
  fflush(stdout);
}

static int interactive(struct reader *rd)
{
  char line[256];
  setvbuf(stdout, NULL, _IOLBF, 0);
  while (fgets(line, sizeof line, stdin)) {
    line[strcspn(line, "\r\n")] = 0;
    if (!strcmp(line, "quit"))
      break;
    if (*line)
      command(rd, line);
  }
  if (rd->slot >= 0)
    fib_reader_unregister(rd->r, rd->slot);
  fib_detach(rd->r);
  return 0;
}

int main(int argc, char **argv)
{
  struct reader rd = { .slot = -1 };
  int inter = argc > 1 && !strcmp(argv[1], "-i");
  if (argc < 2 + inter || (!inter && argc < 3)) {
    fprintf(stderr, "usage: fib_reader REGION ADDR... | fib_reader -i REGION\n");
    return 2;
  }
  rd.path = argv[1 + inter];
  if (attach(&rd) < 0)
    return 1;
  if (inter)
    return interactive(&rd);
  int bad = 0;
  for (int i = 2; i < argc; i++)
    if (lookup(&rd, argv[i]) < 0) {
      fprintf(stderr, "fib_reader: %s: not an address\n", argv[i]);
      bad = 1;
    }
  fib_detach(rd.r);
  return bad;
}
