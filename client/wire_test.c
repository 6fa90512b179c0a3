/*
 * client/wire_test.c: reply framing on raw byte streams, split at every
 * possible point, plus oversized, truncated and garbled input.
 */
#include <stdlib.h>

#include "client/wire.h"
#include "test/unit.h"

/* Lines seen by the callback, rendered "K code text" (K = kind letter). */
struct seen {
  char v[64][160];
  int n;
  bool trunc[64];
  size_t len[64];
};

static void collect(const struct wire_line *l, void *ctx)
{
  struct seen *s = ctx;
  if (s->n == 64)
    return;
  s->trunc[s->n] = l->truncated;
  s->len[s->n] = strlen(l->text);
  snprintf(s->v[s->n++], sizeof(s->v[0]), "%c %d %.120s", "MLCAG"[l->kind], l->code, l->text);
}

static const char status_stream[] =
  "0001 BIRD 2.0.12 ready.\n"
  "1000-BIRD 2.0.12\n"
  "1011-Router ID is 10.0.0.1\n"
  " Hostname is vm\n"
  " Current server time is 2026-11-26 11:44:32.124\n"
  "0013 Daemon is up and running\n"
  "+Disabling protocol dead_peer\n"
  " stray continuation\n";

static const char *status_expect[] = {
  "L 1 BIRD 2.0.12 ready.",
  "M 1000 BIRD 2.0.12",
  "M 1011 Router ID is 10.0.0.1",
  "C 1011 Hostname is vm",
  "C 1011 Current server time is 2026-11-26 11:44:32.124",
  "L 13 Daemon is up and running",
  "A -1 Disabling protocol dead_peer",
  "G -1  stray continuation",        /* no code to inherit after a final line */
};

static void check_expected(const struct seen *s, const char *what)
{
  int n = (int) (sizeof(status_expect) / sizeof(status_expect[0]));
  CHECK_INT(s->n, n);
  for (int i = 0; i < n && i < s->n; i++)
    if (strcmp(s->v[i], status_expect[i])) {
      CHECK_STR(s->v[i], status_expect[i]);
      fprintf(stderr, "  (%s)\n", what);
    }
}

static void test_splits(void)
{
  size_t len = strlen(status_stream);
  /* two chunks, split at every position */
  for (size_t cut = 0; cut <= len; cut++) {
    struct wire_reader r;
    struct seen s = { .n = 0 };
    wire_init(&r);
    wire_feed(&r, status_stream, cut, collect, &s);
    wire_feed(&r, status_stream + cut, len - cut, collect, &s);
    check_expected(&s, "two chunks");
    CHECK(!wire_pending(&r));
  }
  /* one byte at a time */
  struct wire_reader r;
  struct seen s = { .n = 0 };
  wire_init(&r);
  for (size_t i = 0; i < len; i++)
    wire_feed(&r, status_stream + i, 1, collect, &s);
  check_expected(&s, "bytewise");
}

static void test_parse(void)
{
  struct wire_line l;
  wire_parse("8001 Network not found", -1, &l);
  CHECK_INT(l.kind, WIRE_LAST);
  CHECK_INT(l.code, 8001);
  CHECK_STR(l.text, "Network not found");
  wire_parse("0000 ", -1, &l);
  CHECK_INT(l.kind, WIRE_LAST);
  CHECK_INT(l.code, 0);
  CHECK_STR(l.text, "");
  wire_parse("0000", -1, &l);             /* no separator: not a reply line */
  CHECK_INT(l.kind, WIRE_GARBLED);
  wire_parse("12a4-x", 1000, &l);
  CHECK_INT(l.kind, WIRE_GARBLED);
  CHECK_STR(l.text, "12a4-x");
  wire_parse("1007_x", 1000, &l);
  CHECK_INT(l.kind, WIRE_GARBLED);
  wire_parse(" \tBGP.as_path: 65002", 1012, &l);
  CHECK_INT(l.kind, WIRE_CONT);
  CHECK_INT(l.code, 1012);
  CHECK_STR(l.text, "\tBGP.as_path: 65002");
  wire_parse(" orphan", -1, &l);
  CHECK_INT(l.kind, WIRE_GARBLED);
  wire_parse("", 1000, &l);
  CHECK_INT(l.kind, WIRE_GARBLED);
  wire_parse("+", -1, &l);
  CHECK_INT(l.kind, WIRE_ASYNC);
  CHECK_STR(l.text, "");
}

static void test_long_lines(void)
{
  size_t big = 10000;
  char *data = malloc(big + 64);
  memcpy(data, "1007-", 5);
  memset(data + 5, 'x', big - 5);
  strcpy(data + big, "\n 600 bytes ok\n0000 \n");
  struct wire_reader r;
  struct seen s = { .n = 0 };
  wire_init(&r);
  /* in odd-sized chunks to cross the buffer limit mid-chunk */
  for (size_t at = 0, len = strlen(data); at < len; at += 777)
    wire_feed(&r, data + at, len - at < 777 ? len - at : 777, collect, &s);
  CHECK_INT(s.n, 3);
  CHECK(s.trunc[0]);
  CHECK_INT((int) s.len[0], WIRE_LINE_MAX - 5);
  CHECK_STR(s.v[1], "C 1007 600 bytes ok");   /* code survived the truncation */
  CHECK(!s.trunc[1]);
  CHECK_STR(s.v[2], "L 0 ");

  /* 600 bytes: above BIRD's 512 limit, kept whole */
  memset(data + 5, 'y', 600);
  strcpy(data + 605, "\n");
  wire_init(&r);
  s.n = 0;
  wire_feed(&r, data, 606, collect, &s);
  CHECK_INT(s.n, 1);
  CHECK_INT((int) s.len[0], 600);
  CHECK(!s.trunc[0]);
  free(data);
}

static void test_nul_and_eof(void)
{
  struct wire_reader r;
  struct seen s = { .n = 0 };
  wire_init(&r);
  wire_feed(&r, "1000-a\0b\n1011-partial", 21, collect, &s);
  CHECK_INT(s.n, 1);
  CHECK_STR(s.v[0], "M 1000 a?b");
  CHECK(wire_pending(&r));                 /* EOF now would lose a line */
}

static void test_reply(void)
{
  struct reply rp;
  reply_init(&rp);
  reply_from_text(&rp, "2002-Name Proto\n1002-device1 Device\n igp4 Static\n+async\n0000 \n");
  CHECK_INT((int) rp.n, 4);
  CHECK_INT(rp.code, 0);
  CHECK_INT(rp.v[2].code, 1002);
  CHECK_STR(rp.v[2].text, "igp4 Static");
  reply_free(&rp);
  reply_from_text(&rp, "1000-BIRD 2.0.12\n");
  CHECK_INT(rp.code, -1);                  /* no final line */
  reply_free(&rp);
}

int main(void)
{
  test_splits();
  test_parse();
  test_long_lines();
  test_nul_and_eof();
  test_reply();
  return unit_done("wire_test");
}
