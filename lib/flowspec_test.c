/*
 * lib/flowspec_test.c: flow nets on byte vectors: the RFC 8955/8956
 * examples, validation of every malformation the checker knows (and of
 * every truncation), the builder against the wire bytes, printing in
 * BIRD's notation, and printing into short buffers.
 */
#include "lib/flowspec.h"
#include "lib/bitops.h"
#include "lib/printf.h"
#include "test/unit.h"

/* A flow net from component bytes: the NLRI length is prepended and the
   header filled from the dst component. */
static net_addr *mk(int ipv6, const byte *comp, uint len)
{
  uint hdr = net_addr_length[ipv6 ? NET_FLOW6 : NET_FLOW4];
  uint ll = len < 0xf0 ? 1 : 2;
  net_addr *n = tmp_allocz(hdr + ll + len + 8);
  n->type = ipv6 ? NET_FLOW6 : NET_FLOW4;
  n->length = hdr + ll + len;
  byte *d = (byte *) n + hdr;
  if (ll == 1)
    d[0] = len;
  else
    put_u16(d, 0xf000 | len);
  if (len)
    memcpy(d + ll, comp, len);
  net_addr dst;
  flow_get_prefix(n, FLOW_TYPE_DST_PREFIX, &dst);
  n->pxlen = dst.pxlen;
  if (ipv6)
    ((net_addr_flow6 *) n)->prefix = net6_prefix(&dst);
  else
    ((net_addr_flow4 *) n)->prefix = net4_prefix(&dst);
  return n;
}

#define MK4(...) mk(0, (const byte[]) { __VA_ARGS__ }, sizeof((const byte[]) { __VA_ARGS__ }))
#define MK6(...) mk(1, (const byte[]) { __VA_ARGS__ }, sizeof((const byte[]) { __VA_ARGS__ }))

static const char *fmt(const net_addr *n)
{
  static char buf[1024];
  return flow_net_format(n, buf, sizeof(buf)) < 0 ? "(overflow)" : buf;
}

static const byte *nlri(const net_addr *n)
{
  return (const byte *) n + net_addr_length[n->type];
}

static net_addr *build(struct flow_builder *fb)
{
  uint size = flow_builder_net_size(fb);
  if (!size)
    return NULL;
  net_addr *n = tmp_allocz(size);
  flow_builder_finish(fb, n);
  return n;
}

static int same_net(const net_addr *a, const net_addr *b)
{
  return a && b && a->length == b->length && !memcmp(a, b, a->length);
}

static net_addr ip4(u32 a, uint len) { net_addr n; net_fill_ip4(&n, ip4_from_u32(a), len); return n; }
static net_addr ip6(const char *s, uint len)
{
  net_addr n;
  ip6_addr a;
  ip6_pton(s, &a);
  net_fill_ip6(&n, a, len);
  return n;
}

/* RFC 8955 4.3 and RFC 8956 3.8: the examples, byte for byte. */
static void test_rfc_examples(void)
{
  net_addr *e1 = MK4(0x01, 0x18, 0xc0, 0x00, 0x02, 0x03, 0x81, 0x06, 0x04, 0x81, 0x19);
  CHECK_INT(nlri(e1)[0], 0x0b);
  CHECK_INT(flow_validate_net(e1, NULL), FLOW_ST_VALID);
  CHECK(net_validate(e1));
  CHECK_STR(fmt(e1), "flow4 { dst 192.0.2.0/24; proto 6; port 25; }");

  net_addr *e2 = MK4(0x01, 0x18, 0xc0, 0x00, 0x02, 0x02, 0x18, 0xcb, 0x00, 0x71,
                     0x04, 0x03, 0x89, 0x45, 0x8b, 0x91, 0x1f, 0x90);
  CHECK_INT(nlri(e2)[0], 0x12);
  CHECK_INT(flow_validate_net(e2, NULL), FLOW_ST_VALID);
  CHECK_STR(fmt(e2), "flow4 { dst 192.0.2.0/24; src 203.0.113.0/24; port 137..139,8080; }");

  net_addr *e3 = MK4(0x01, 0x20, 0xc0, 0x00, 0x02, 0x01, 0x0c, 0x80, 0x05);
  CHECK_INT(flow_validate_net(e3, NULL), FLOW_ST_VALID);
  CHECK_STR(fmt(e3), "flow4 { dst 192.0.2.1/32; fragment !0x0/0x5; }");

  net_addr *e6a = MK6(0x01, 0x20, 0x00, 0x20, 0x01, 0x0d, 0xb8,
                      0x02, 0x68, 0x40, 0x12, 0x34, 0x56, 0x78, 0x9a, 0x03, 0x81, 0x06);
  CHECK_INT(nlri(e6a)[0], 0x12);
  CHECK_INT(flow_validate_net(e6a, NULL), FLOW_ST_VALID);
  CHECK(net_validate(e6a));
  CHECK_STR(fmt(e6a), "flow6 { dst 2001:db8::/32; src ::1234:5678:9a00:0/104 offset 64; next header 6; }");

  net_addr *e6b = MK6(0x01, 0x20, 0x00, 0x20, 0x01, 0x0d, 0xb8,
                      0x02, 0x68, 0x41, 0x24, 0x68, 0xac, 0xf1, 0x34);
  CHECK_INT(nlri(e6b)[0], 0x0f);
  CHECK_INT(flow_validate_net(e6b, NULL), FLOW_ST_VALID);
  CHECK_STR(fmt(e6b), "flow6 { dst 2001:db8::/32; src ::1234:5678:9a00:0/104 offset 65; }");

  /* The same nets from the builder. */
  struct flow_builder *fb = flow_builder_new(&root_pool);
  net_addr p = ip4(0xc0000200, 24), s = ip4(0xcb007100, 24);
  flow_builder_reset(fb, 0);
  CHECK_INT(flow_builder_add_prefix(fb, FLOW_TYPE_DST_PREFIX, &p, 0), FLOW_BUILD_OK);
  CHECK_INT(flow_builder_start(fb, FLOW_TYPE_PORT), FLOW_BUILD_OK);
  flow_builder_add_op(fb, FLOW_OP_EQ, 25);
  CHECK_INT(flow_builder_start(fb, FLOW_TYPE_IP_PROTOCOL), FLOW_BUILD_OK);
  flow_builder_add_op(fb, FLOW_OP_EQ, 6);
  CHECK(same_net(build(fb), e1));

  flow_builder_reset(fb, 0);
  flow_builder_start(fb, FLOW_TYPE_PORT);
  flow_builder_add_op(fb, FLOW_OP_GEQ, 137);
  flow_builder_add_op(fb, FLOW_OP_AND | FLOW_OP_LEQ, 139);
  flow_builder_add_op(fb, FLOW_OP_EQ, 8080);
  flow_builder_add_prefix(fb, FLOW_TYPE_SRC_PREFIX, &s, 0);
  flow_builder_add_prefix(fb, FLOW_TYPE_DST_PREFIX, &p, 0);
  CHECK(same_net(build(fb), e2));

  net_addr d6 = ip6("2001:db8::", 32), s6 = ip6("::1234:5678:9a00:0", 104);
  flow_builder_reset(fb, 1);
  flow_builder_add_prefix(fb, FLOW_TYPE_SRC_PREFIX, &s6, 65);
  flow_builder_add_prefix(fb, FLOW_TYPE_DST_PREFIX, &d6, 0);
  CHECK(same_net(build(fb), e6b));
  flow_builder_free(fb);
}

/* BIRD's own printing expectations, every component and operator form. */
static void test_format(void)
{
  net_addr *a = MK4(
    FLOW_TYPE_DST_PREFIX, 0x08, 10,
    FLOW_TYPE_IP_PROTOCOL, 0x81, 23,
    FLOW_TYPE_DST_PORT, 0x02, 24, 0x44, 30, 0x03, 40, 0x45, 50, 0x03, 60, 0x45, 70, 0x01, 80, 0xc3, 90,
    FLOW_TYPE_SRC_PORT, 0x02, 24, 0x44, 0x1e, 0x01, 0x28, 0x01, 0x32, 0x03, 0x3c, 0x45, 0x46, 0x81, 0x50,
    FLOW_TYPE_ICMP_TYPE, 0x81, 0x50,
    FLOW_TYPE_ICMP_CODE, 0x81, 0x5a,
    FLOW_TYPE_TCP_FLAGS, 0x01, 0x03, 0xc2, 0x0c,
    FLOW_TYPE_PACKET_LENGTH, 0x03, 0, 0xd5, 0xff, 0xff,
    FLOW_TYPE_DSCP, 0x81, 63,
    FLOW_TYPE_FRAGMENT, 0x01, 0x01, 0x82, 0x02);
  CHECK_INT(flow_validate_net(a, NULL), FLOW_ST_VALID);
  CHECK_STR(fmt(a), "flow4 { dst 10.0.0.0/8; proto 23; dport > 24 && < 30 || 40..50,60..70,80 && >= 90; "
            "sport > 24 && < 30 || 40,50,60..70,80; icmp type 80; icmp code 90; tcp flags 0x3/0x3 && 0x0/0xc; "
            "length 0..65535; dscp 63; fragment dont_fragment || !is_fragment; }");

  net_addr *b = MK6(
    FLOW_TYPE_DST_PREFIX, 103, 61, 0x22, 0x46, 0x8a, 0xcf, 0x13, 0x00,
    FLOW_TYPE_SRC_PREFIX, 8, 0, 0xc0,
    FLOW_TYPE_NEXT_HEADER, 0x81, 0x06,
    FLOW_TYPE_PORT, 0x03, 20, 0x45, 40, 0x91, 0x01, 0x11,
    FLOW_TYPE_LABEL, 0xa4, 0x00, 0x07, 0xa1, 0x20);
  CHECK_INT(flow_validate_net(b, NULL), FLOW_ST_VALID);
  CHECK_STR(fmt(b), "flow6 { dst ::1:1234:5678:9800:0/103 offset 61; src c000::/8; next header 6; "
            "port 20..40,273; label < 500000; }");

  /* Every comparison, and the four bitmask forms: (not, m) = (0,1) B/B,
     (1,1) !B/B, (1,0) 0/B, (0,0) !0/B; single fragment bits by name. */
  net_addr *c = MK4(
    FLOW_TYPE_PORT, 0x00, 1, 0x41, 2, 0x42, 3, 0x43, 4, 0x04, 5, 0x45, 6, 0x46, 7, 0xc7, 8,
    FLOW_TYPE_TCP_FLAGS, 0x01, 0x02, 0x43, 0x04, 0x42, 0x08, 0xd0, 0x01, 0x00,
    FLOW_TYPE_FRAGMENT, 0x00, 0x02, 0x03, 0x04, 0x42, 0x08, 0x81, 0x06);
  CHECK_INT(flow_validate_net(c, NULL), FLOW_ST_VALID);
  CHECK_STR(fmt(c), "flow4 { port false 1 && 2 && > 3 && >= 4 || < 5 && <= 6 && != 7 && true 8; "
            "tcp flags 0x2/0x2 && !0x4/0x4 && 0x0/0x8 && !0x0/0x100; "
            "fragment !!is_fragment || !first_fragment && !last_fragment || 0x6/0x6; }");

  /* No dst: prefix 0/0 and nothing to print for it. */
  net_addr *d = MK4(FLOW_TYPE_DSCP, 0x81, 10);
  CHECK_INT(d->pxlen, 0);
  CHECK_STR(fmt(d), "flow4 { dscp 10; }");
  CHECK_STR(fmt(mk(0, NULL, 0)), "flow4 { }");
  CHECK_STR(fmt(mk(1, NULL, 0)), "flow6 { }");
}

/* Short buffers: -1, and the text cut where " ...}" still fits, as BIRD
   cuts it (checked against BIRD 2.0.12's `show route`): anywhere, but a
   fragment name goes in whole or not at all. */
static void test_format_truncated(void)
{
  net_addr *n = MK4(0x01, 0x18, 0xc0, 0x00, 0x02, 0x03, 0x81, 0x06, 0x04, 0x81, 0x19);
  const char *full = "flow4 { dst 192.0.2.0/24; proto 6; port 25; }";
  int len = strlen(full);
  char buf[128];
  CHECK_INT(flow_net_format(n, buf, len + 1), len);
  CHECK_STR(buf, full);
  CHECK_INT(flow_net_format(n, buf, len), -1);
  CHECK_STR(buf, "flow4 { dst 192.0.2.0/24; proto 6; port ...}");
  CHECK_INT(flow_net_format(n, buf, len - 6), -1);
  CHECK_STR(buf, "flow4 { dst 192.0.2.0/24; proto 6 ...}");
  CHECK_INT(flow_net_format(n, buf, 20), -1);
  CHECK_STR(buf, "flow4 { dst 19 ...}");
  CHECK_INT(flow_net_format(n, buf, 6), -1);      /* room for nothing but the end */
  CHECK_STR(buf, " ...}");
  CHECK_INT(flow_net_format(n, buf, 4), -1);
  CHECK_STR(buf, "...");

  /* A long NLRI does not fit NET_BUFSIZE but still prints something. */
  byte comp[600];
  uint k = 0;
  comp[k++] = FLOW_TYPE_DST_PREFIX; comp[k++] = 8; comp[k++] = 10;
  comp[k++] = FLOW_TYPE_PORT;
  for (uint i = 0; i < 150; i++) {
    comp[k++] = 0x11 | (i == 149 ? FLOW_OP_END : 0);
    put_u16(comp + k, 1000 + i);
    k += 2;
  }
  net_addr *big = mk(0, comp, k);
  CHECK_INT(flow_validate_net(big, NULL), FLOW_ST_VALID);
  char nb[NET_BUFSIZE];
  CHECK_INT(net_format(big, nb, sizeof(nb)), -1);
  size_t l = strlen(nb);
  CHECK_INT(l, NET_BUFSIZE - 1);                     /* 251 characters and " ...}", as BIRD */
  CHECK(!strncmp(nb, "flow4 { dst 10.0.0.0/8; port 1000,1001,", 39));
  CHECK_STR(nb + l - 5, " ...}");
  static char whole[4096];
  CHECK(flow_net_format(big, whole, sizeof(whole)) > NET_BUFSIZE);
  CHECK(!strncmp(nb, whole, l - 5));                 /* cut, not changed */
  /* Logs (%N) show the cut text too. */
  char lb[400];
  bsnprintf(lb, sizeof(lb), "net %N.", big);
  CHECK(!strncmp(lb, "net flow4 { dst 10.0.0.0/8; port 1000,", 38));
  CHECK_STR(lb + strlen(lb) - 6, " ...}.");

  /* Fragment names go in whole or not at all (BIRD cuts numbers anywhere). */
  net_addr *fr = MK4(0x01, 0x18, 0xc0, 0x00, 0x02, 0x0c, 0x81, 0x02);
  CHECK_STR(fmt(fr), "flow4 { dst 192.0.2.0/24; fragment is_fragment; }");
  for (int size = 41; size < 50; size++) {      /* cuts at 35..43 characters */
    CHECK_INT(flow_net_format(fr, buf, size), -1);
    CHECK(!strncmp(buf, "flow4 { dst 192.0.2.0/24; fragment ", 35));
    CHECK(!strstr(buf, "is_f") || strstr(buf, "is_fragment"));
  }
  CHECK_INT(flow_net_format(fr, buf, 45), -1);
  CHECK_STR(buf, "flow4 { dst 192.0.2.0/24; fragment  ...}");
}

/* Each malformation on its own; the why text for a few. */
static void test_validate_errors(void)
{
  static const struct {
    int ipv6;
    enum flow_state st;
    byte len;
    byte comp[16];
  } cases[] = {
    { 0, FLOW_ST_PREFIX_LENGTH, 7, { 1, 33, 5, 6, 7, 8, 9 } },
    { 1, FLOW_ST_PREFIX_LENGTH, 12, { 1, 129, 64, 1, 2, 3, 4, 5, 6, 7, 8, 9 } },
    { 1, FLOW_ST_PREFIX_OFFSET, 6, { 1, 48, 64, 0x40, 0x12, 0x34 } },
    { 0, FLOW_ST_BAD_ORDER, 11, { 2, 32, 10, 11, 12, 13, 1, 24, 5, 6, 7 } },
    { 0, FLOW_ST_BAD_ORDER, 10, { 1, 24, 5, 6, 7, 1, 24, 5, 6, 7 } },
    { 1, FLOW_ST_BAD_ORDER, 7, { 3, 0x81, 6, 2, 8, 0, 0xc0 } },
    { 0, FLOW_ST_AND_BIT, 7, { 4, 0x43, 0x89, 0x45, 0x8b, 0x91, 0x1f } },
    { 0, FLOW_ST_ZERO_BIT, 3, { 3, 0x89, 6 } },
    { 0, FLOW_ST_ZERO_BIT, 3, { 9, 0x84, 6 } },
    { 0, FLOW_ST_UNKNOWN_COMPONENT, 3, { 13, 0x80, 0x55 } },
    { 1, FLOW_ST_UNKNOWN_COMPONENT, 6, { 13, 0x80, 0x55, 14, 0x80, 0x55 } },
    { 0, FLOW_ST_BAD_ORDER, 3, { 0, 0x80, 0x55 } },           /* 0 is reserved */
    { 0, FLOW_ST_VALUE_LENGTH, 4, { 3, 0x91, 0, 6 } },
    { 0, FLOW_ST_VALUE_LENGTH, 6, { 4, 0xa1, 0, 0, 0, 80 } },
    { 0, FLOW_ST_TCP_FLAGS, 4, { 9, 0x91, 0x10, 0x00 } },
    { 1, FLOW_ST_DONT_FRAGMENT, 3, { 12, 0x81, 0x01 } },
    { 0, FLOW_ST_TRUNCATED, 3, { 4, 0x01, 80 } },            /* no end bit */
    { 0, FLOW_ST_TRUNCATED, 3, { 4, 0x91, 0 } },
    { 1, FLOW_ST_TRUNCATED, 2, { 1, 0 } },
  };
  for (uint i = 0; i < ARRAY_SIZE(cases); i++) {
    enum flow_state st = flow_validate_nlri(cases[i].comp, cases[i].len, cases[i].ipv6, NULL);
    if (st != cases[i].st)
      fprintf(stderr, "case %u: got %s\n", i, flow_state_str(st));
    CHECK_INT(st, cases[i].st);
  }

  const char *why = NULL;
  byte u[] = { 1, 24, 5, 6, 7, 9, 0x80, 0x55, 13, 0x80, 0x55 };
  CHECK_INT(flow_validate_nlri(u, sizeof(u), 0, &why), FLOW_ST_UNKNOWN_COMPONENT);
  CHECK_STR(why, "Unknown component type 13");
  CHECK_INT(flow_validate_nlri(u + 5, sizeof(u) - 5, 1, &why), FLOW_ST_VALID);
  byte o[] = { 2, 8, 0, 0xc0, 1, 8, 0, 0xc0 };
  CHECK_INT(flow_validate_nlri(o, sizeof(o), 1, &why), FLOW_ST_BAD_ORDER);
  CHECK_STR(why, "Components not in ascending order");

  /* dont_fragment is fine in IPv4; an empty NLRI is valid. */
  CHECK_INT(flow_validate_nlri((const byte[]) { 12, 0x81, 0x01 }, 3, 0, NULL), FLOW_ST_VALID);
  CHECK_INT(flow_validate_net(mk(0, NULL, 0), NULL), FLOW_ST_VALID);
  CHECK_INT(flow_validate_net(mk(1, NULL, 0), NULL), FLOW_ST_VALID);
}

/* Cut a valid NLRI at every length: whole components are valid, anything
   else is truncated. */
static void test_validate_truncation(void)
{
  static const byte v4[] = {
    1, 24, 5, 6, 7,  2, 32, 10, 11, 12, 13,  3, 0x81, 0x06,
    4, 0x03, 0x89, 0x45, 0x8b, 0x91, 0x1f, 0x90,  9, 0x80, 0x55,
  };
  static const uint ok4[] = { 0, 5, 11, 14, 22, 25 };
  static const byte v6[] = {
    1, 103, 61, 0x22, 0x46, 0x8a, 0xcf, 0x13, 0x00,  2, 8, 0, 0xc0,  3, 0x81, 0x06,
    4, 0x03, 0x89, 0x45, 0x8b, 0x91, 0x1f, 0x90,  13, 0x80, 0x55,
  };
  static const uint ok6[] = { 0, 9, 13, 16, 24, 27 };
  for (int ipv6 = 0; ipv6 <= 1; ipv6++) {
    const byte *v = ipv6 ? v6 : v4;
    uint n = ipv6 ? sizeof(v6) : sizeof(v4);
    const uint *ok = ipv6 ? ok6 : ok4;
    uint k = 0;
    for (uint len = 0; len <= n; len++) {
      int whole = k < 6 && ok[k] == len;
      k += whole;
      enum flow_state st = flow_validate_nlri(v, len, ipv6, NULL);
      CHECK_INT(st, whole ? FLOW_ST_VALID : FLOW_ST_TRUNCATED);
      /* the net checker agrees */
      CHECK_INT(flow_validate_net(mk(ipv6, v, len), NULL), st);
    }
  }
}

/* The net around the NLRI: its lengths and the header. */
static void test_validate_net(void)
{
  net_addr *n = MK4(0x01, 0x18, 0xc0, 0x00, 0x02, 0x04, 0x81, 0x19);
  const char *why = NULL;
  byte *d = (byte *) n + sizeof(net_addr_flow4);

  d[0] = 7;
  CHECK_INT(flow_validate_net(n, &why), FLOW_ST_BAD_LENGTH);
  CHECK_STR(why, "Bad length");
  CHECK(!net_validate(n));
  d[0] = 8;
  n->length--;
  CHECK_INT(flow_validate_net(n, NULL), FLOW_ST_BAD_LENGTH);
  n->length++;
  CHECK_INT(flow_validate_net(n, NULL), FLOW_ST_VALID);

  n->pxlen = 23;
  CHECK_INT(flow_validate_net(n, &why), FLOW_ST_HEADER);
  CHECK_STR(why, "Prefix does not match the dst component");
  CHECK(!net_validate(n));
  n->pxlen = 24;
  ((net_addr_flow4 *) n)->prefix = ip4_from_u32(0xc0000201);
  CHECK_INT(flow_validate_net(n, NULL), FLOW_ST_HEADER);
  ((net_addr_flow4 *) n)->prefix = ip4_from_u32(0xc0000200);
  CHECK(net_validate(n));

  /* Without dst the header must say 0/0. */
  net_addr *m = MK4(0x04, 0x81, 0x19);
  CHECK_INT(flow_validate_net(m, NULL), FLOW_ST_VALID);
  m->pxlen = 8;
  CHECK_INT(flow_validate_net(m, NULL), FLOW_ST_HEADER);

  /* The 2-byte length form is allowed for a short NLRI too. */
  net_addr *l = tmp_allocz(64);
  l->type = NET_FLOW4;
  l->length = sizeof(net_addr_flow4) + 2 + 3;
  memcpy(l->data + 4, (const byte[]) { 0xf0, 0x03, 0x04, 0x81, 0x19 }, 5);
  CHECK_INT(flow_validate_net(l, NULL), FLOW_ST_VALID);
  CHECK_STR(fmt(l), "flow4 { port 25; }");
  l->length--;
  CHECK_INT(flow_validate_net(l, NULL), FLOW_ST_BAD_LENGTH);
  l->length = sizeof(net_addr_flow4);
  CHECK_INT(flow_validate_net(l, NULL), FLOW_ST_BAD_LENGTH);
  CHECK(!flow_first_part(l));
}

static void test_iterators(void)
{
  net_addr *n = MK6(
    1, 0x68, 0x40, 0x12, 0x34, 0x56, 0x78, 0x9a,
    2, 0x08, 0x00, 0xc0,
    3, 0x81, 0x06,
    4, 0x03, 0x89, 0x45, 0x8b, 0x91, 0x1f, 0x90,
    13, 0x80, 0x55);
  const byte *base = nlri(n) + 1;
  const byte *p = flow_first_part(n);
  CHECK(p == base);
  CHECK((p = flow_next_part(n, p)) == base + 8);
  CHECK((p = flow_next_part(n, p)) == base + 12);
  CHECK((p = flow_next_part(n, p)) == base + 15);
  CHECK((p = flow_next_part(n, p)) == base + 23);
  CHECK(!flow_next_part(n, p));
  CHECK(flow_get_part(n, FLOW_TYPE_PORT) == base + 15);
  CHECK(!flow_get_part(n, FLOW_TYPE_DSCP));

  net_addr px;
  char b[NET_BUFSIZE];
  CHECK_INT(flow_get_prefix(n, FLOW_TYPE_DST_PREFIX, &px), 1);
  net_format(&px, b, sizeof(b));
  CHECK_STR(b, "::1234:5678:9a00:0/104");
  CHECK(net_validate(&px));
  CHECK_INT(flow_get_prefix(n, FLOW_TYPE_SRC_PREFIX, &px), 1);
  net_format(&px, b, sizeof(b));
  CHECK_STR(b, "c000::/8");

  /* Missing: ::/0. Padding bits past pxlen are not part of the prefix. */
  net_addr *m = MK4(1, 12, 10, 0x1f, 3, 0x81, 6);
  CHECK_INT(flow_get_prefix(m, FLOW_TYPE_SRC_PREFIX, &px), 0);
  net_format(&px, b, sizeof(b));
  CHECK_STR(b, "0.0.0.0/0");
  CHECK_INT(flow_get_prefix(m, FLOW_TYPE_DST_PREFIX, &px), 1);
  net_format(&px, b, sizeof(b));
  CHECK_STR(b, "10.16.0.0/12");
  CHECK_STR(fmt(m), "flow4 { dst 10.31.0.0/12; proto 6; }");
}

static void test_builder(void)
{
  struct flow_builder *fb = flow_builder_new(&root_pool);

  /* BIRD's builder vector, built in reverse order, with a duplicate. */
  net_addr *want = MK6(
    1, 103, 61, 0x22, 0x46, 0x8a, 0xcf, 0x13, 0x00,
    2, 8, 0, 0xc0,
    3, 0x80, 0x06,
    4, 0x03, 0x89, 0x45, 0x8b, 0x91, 0x1f, 0x90,
    13, 0x80, 0x55);
  net_addr d = ip6("0:0:0:1:1234:5678:9800:0", 103), s = ip6("c000::", 8);
  flow_builder_reset(fb, 1);
  CHECK_INT(flow_builder_start(fb, FLOW_TYPE_LABEL), FLOW_BUILD_OK);
  flow_builder_add_op(fb, FLOW_OP_FALSE, 0x55);
  flow_builder_start(fb, FLOW_TYPE_PORT);
  flow_builder_add_op(fb, FLOW_OP_GEQ, 0x89);
  flow_builder_add_op(fb, FLOW_OP_AND | FLOW_OP_LEQ, 0x8b);
  flow_builder_add_op(fb, FLOW_OP_EQ, 0x1f90);
  flow_builder_start(fb, FLOW_TYPE_NEXT_HEADER);
  flow_builder_add_op(fb, FLOW_OP_FALSE, 6);
  CHECK_INT(flow_builder_start(fb, FLOW_TYPE_PORT), FLOW_BUILD_DUPLICATE);
  CHECK_INT(flow_builder_add_op(fb, FLOW_OP_EQ, 1), FLOW_BUILD_NOT_OPEN);
  CHECK_INT(flow_builder_add_prefix(fb, FLOW_TYPE_SRC_PREFIX, &s, 0), FLOW_BUILD_OK);
  CHECK_INT(flow_builder_add_prefix(fb, FLOW_TYPE_DST_PREFIX, &d, 61), FLOW_BUILD_OK);
  CHECK_INT(flow_builder_add_prefix(fb, FLOW_TYPE_DST_PREFIX, &d, 61), FLOW_BUILD_DUPLICATE);
  CHECK(flow_builder_has(fb, FLOW_TYPE_LABEL) && !flow_builder_has(fb, FLOW_TYPE_DSCP));
  net_addr *got = build(fb);
  CHECK(same_net(got, want));
  CHECK(net_validate(got));
  CHECK_STR(fmt(got), "flow6 { dst ::1:1234:5678:9800:0/103 offset 61; src c000::/8; next header false 6; "
            "port 137..139,8080; label false 85; }");

  /* Wrong calls. */
  net_addr v4 = ip4(0x0a000000, 8);
  CHECK_INT(flow_builder_add_prefix(fb, FLOW_TYPE_SRC_PREFIX, &v4, 0), FLOW_BUILD_FAMILY);
  flow_builder_reset(fb, 0);
  CHECK_INT(flow_builder_add_prefix(fb, FLOW_TYPE_DST_PREFIX, &v4, 1), FLOW_BUILD_OFFSET);
  CHECK_INT(flow_builder_start(fb, FLOW_TYPE_LABEL), FLOW_BUILD_BAD_TYPE);
  CHECK_INT(flow_builder_start(fb, FLOW_TYPE_DST_PREFIX), FLOW_BUILD_BAD_TYPE);
  CHECK_INT(flow_builder_add_prefix(fb, FLOW_TYPE_PORT, &v4, 0), FLOW_BUILD_BAD_TYPE);
  flow_builder_reset(fb, 1);
  CHECK_INT(flow_builder_add_prefix(fb, FLOW_TYPE_DST_PREFIX, &s, 9), FLOW_BUILD_OFFSET);

  /* Bitmasks: value/mask splits into set bits and clear bits. */
  flow_builder_reset(fb, 0);
  flow_builder_add_prefix(fb, FLOW_TYPE_DST_PREFIX, &v4, 0);
  flow_builder_start(fb, FLOW_TYPE_TCP_FLAGS);
  CHECK_INT(flow_builder_add_bitmask(fb, 0, 0, 0x03, 0x0f), FLOW_BUILD_OK);
  CHECK_INT(flow_builder_add_bitmask(fb, FLOW_OP_AND, 1, 0, 0xff), FLOW_BUILD_OK);
  CHECK_INT(flow_builder_add_bitmask(fb, 0, 0, 0x33, 0x33), FLOW_BUILD_OK);
  CHECK_INT(flow_builder_add_bitmask(fb, 0, 1, 0x800, 0x800), FLOW_BUILD_OK);
  CHECK_INT(flow_builder_add_bitmask(fb, 0, 1, 0x1, 0x3), FLOW_BUILD_BAD_TYPE);
  CHECK_INT(flow_builder_add_bitmask(fb, 0, 0, 0, 0), FLOW_BUILD_EMPTY_MASK);
  flow_builder_start(fb, FLOW_TYPE_FRAGMENT);
  flow_builder_add_bitmask(fb, 0, 0, FLOW_FRAG_DONT, FLOW_FRAG_DONT);
  flow_builder_add_bitmask(fb, FLOW_OP_AND, 0, FLOW_FRAG_IS, FLOW_FRAG_IS);
  flow_builder_add_bitmask(fb, 0, 0, 0, FLOW_FRAG_FIRST);
  flow_builder_start(fb, FLOW_TYPE_PORT);
  CHECK_INT(flow_builder_add_bitmask(fb, 0, 0, 1, 1), FLOW_BUILD_BAD_TYPE);
  got = build(fb);
  net_addr *w = MK4(1, 8, 10,
    9, 0x01, 0x03, 0x42, 0x0c, 0x40, 0xff, 0x01, 0x33, 0x93, 0x08, 0x00,
    12, 0x01, 0x01, 0x41, 0x02, 0x82, 0x04);
  CHECK(same_net(got, w));
  CHECK_STR(fmt(got), "flow4 { dst 10.0.0.0/8; tcp flags 0x3/0x3 && 0x0/0xc && !0x0/0xff || 0x33/0x33 || !0x800/0x800; "
            "fragment dont_fragment && is_fragment || !first_fragment; }");

  /* Past 239 bytes the length takes two; past 4095 it cannot be said. */
  flow_builder_reset(fb, 0);
  flow_builder_start(fb, FLOW_TYPE_PORT);
  for (uint i = 0; i < 80; i++)
    flow_builder_add_op(fb, FLOW_OP_EQ, 1000 + i);
  got = build(fb);
  CHECK_INT(got->length, sizeof(net_addr_flow4) + 2 + 241);
  CHECK_INT(get_u16(nlri(got)), 0xf000 | 241);
  CHECK_INT(flow_validate_net(got, NULL), FLOW_ST_VALID);
  flow_builder_reset(fb, 0);
  flow_builder_start(fb, FLOW_TYPE_PORT);
  for (uint i = 0; i < 1400; i++)
    flow_builder_add_op(fb, FLOW_OP_EQ, 1000 + i);
  CHECK_INT(flow_builder_net_size(fb), 0);

  /* An opened component that got no operator is left out. */
  flow_builder_reset(fb, 0);
  flow_builder_start(fb, FLOW_TYPE_DSCP);
  got = build(fb);
  CHECK_INT(got->length, sizeof(net_addr_flow4) + 1);
  CHECK_STR(fmt(got), "flow4 { }");
  flow_builder_free(fb);
}

static void test_names(void)
{
  CHECK_STR(flow_type_name(FLOW_TYPE_IP_PROTOCOL, 0), "proto");
  CHECK_STR(flow_type_name(FLOW_TYPE_NEXT_HEADER, 1), "next header");
  CHECK(!flow_type_name(FLOW_TYPE_LABEL, 0));
  CHECK_STR(flow_type_name(FLOW_TYPE_LABEL, 1), "label");
  CHECK(!flow_type_name(0, 1) && !flow_type_name(14, 1));
  CHECK(flow_type_is_bitmask(FLOW_TYPE_TCP_FLAGS) && flow_type_is_bitmask(FLOW_TYPE_FRAGMENT));
  CHECK(!flow_type_is_bitmask(FLOW_TYPE_LABEL));
  CHECK_INT(flow_value_max(FLOW_TYPE_DSCP, 0), 63);
  CHECK_INT(flow_value_max(FLOW_TYPE_TCP_FLAGS, 1), 0xfff);
  CHECK_INT(flow_value_max(FLOW_TYPE_DST_PORT, 0), 0xffff);
}

int main(void)
{
  test_rfc_examples();
  test_format();
  test_format_truncated();
  test_validate_errors();
  test_validate_truncation();
  test_validate_net();
  test_iterators();
  test_builder();
  test_names();
  return unit_done("flowspec_test");
}
