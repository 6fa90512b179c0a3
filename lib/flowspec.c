/*
 * lib/flowspec.c: flow specification NLRI (RFC 8955, RFC 8956): checking,
 * walking, printing and building. See lib/flowspec.h for the layout.
 *
 * Everything that reads an NLRI goes through part_check(), which returns
 * the size of one component or why it is malformed, without ever reading
 * past the end; validation, iteration and printing all stand on it.
 */
#include "lib/flowspec.h"
#include "lib/bitops.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define BYTES(bits) (((bits) + 7) / 8)

/* Per type: names, the longest value (bytes; RFC 8955 4.2.2 gives 1 or 2
   for IPv4 types, RFC 8956 3.7 says 4 for the flow label) and the largest
   value a config may give. */
struct flow_type_info {
  const char *name4, *name6;
  u8 value_len;
  u8 bitmask;
  u32 max;
};

static const struct flow_type_info flow_types[FLOW_TYPE_MAX] = {
  [FLOW_TYPE_DST_PREFIX] = { "dst", "dst", 0, 0, 0 },
  [FLOW_TYPE_SRC_PREFIX] = { "src", "src", 0, 0, 0 },
  [FLOW_TYPE_IP_PROTOCOL] = { "proto", "next header", 1, 0, 0xff },
  [FLOW_TYPE_PORT] = { "port", "port", 2, 0, 0xffff },
  [FLOW_TYPE_DST_PORT] = { "dport", "dport", 2, 0, 0xffff },
  [FLOW_TYPE_SRC_PORT] = { "sport", "sport", 2, 0, 0xffff },
  [FLOW_TYPE_ICMP_TYPE] = { "icmp type", "icmp type", 1, 0, 0xff },
  [FLOW_TYPE_ICMP_CODE] = { "icmp code", "icmp code", 1, 0, 0xff },
  [FLOW_TYPE_TCP_FLAGS] = { "tcp flags", "tcp flags", 2, 1, 0xfff },
  [FLOW_TYPE_PACKET_LENGTH] = { "length", "length", 2, 0, 0xffff },
  [FLOW_TYPE_DSCP] = { "dscp", "dscp", 1, 0, 0x3f },
  [FLOW_TYPE_FRAGMENT] = { "fragment", "fragment", 1, 1, 0xff },
  [FLOW_TYPE_LABEL] = { NULL, "label", 4, 0, 0xffffffff },
};

static const struct flow_type_info *type_info(uint type, int ipv6)
{
  if (!type || type >= FLOW_TYPE_MAX || (type == FLOW_TYPE_LABEL && !ipv6))
    return NULL;
  return &flow_types[type];
}

static int type_is_prefix(uint type)
{
  return type == FLOW_TYPE_DST_PREFIX || type == FLOW_TYPE_SRC_PREFIX;
}

const char *flow_type_name(uint type, int ipv6)
{
  const struct flow_type_info *ti = type_info(type, ipv6);
  return ti ? (ipv6 ? ti->name6 : ti->name4) : NULL;
}

int flow_type_is_bitmask(uint type)
{
  return type < FLOW_TYPE_MAX && flow_types[type].bitmask;
}

u32 flow_value_max(uint type, int ipv6)
{
  const struct flow_type_info *ti = type_info(type, ipv6);
  return ti ? ti->max : 0;
}

static const char *const flow_state_names[] = {
  [FLOW_ST_VALID] = "Valid",
  [FLOW_ST_BAD_LENGTH] = "Bad length",
  [FLOW_ST_UNKNOWN_COMPONENT] = "Unknown component type",
  [FLOW_ST_BAD_ORDER] = "Components not in ascending order",
  [FLOW_ST_TRUNCATED] = "Component truncated",
  [FLOW_ST_PREFIX_LENGTH] = "Invalid prefix length",
  [FLOW_ST_PREFIX_OFFSET] = "Prefix offset beyond prefix length",
  [FLOW_ST_AND_BIT] = "AND bit on the first operator",
  [FLOW_ST_ZERO_BIT] = "Reserved operator bit set",
  [FLOW_ST_VALUE_LENGTH] = "Value too long for the component",
  [FLOW_ST_TCP_FLAGS] = "TCP flags exceed 0xfff",
  [FLOW_ST_DONT_FRAGMENT] = "dont_fragment is not valid in flow6",
  [FLOW_ST_HEADER] = "Prefix does not match the dst component",
};

const char *flow_state_str(enum flow_state s)
{
  return (uint) s < ARRAY_SIZE(flow_state_names) ? flow_state_names[s] : "?";
}

/* Operators */

static uint op_len(const byte *op) { return 1u << ((*op & FLOW_OP_LEN) >> 4); }

static u64 op_value(const byte *op)
{
  switch (op_len(op)) {
  case 1: return get_u8(op + 1);
  case 2: return get_u16(op + 1);
  case 4: return get_u32(op + 1);
  default: return get_u64(op + 1);
  }
}

/* Components */

/* A prefix component: type, pxlen, (IPv6) offset, then bits [offset,
   pxlen) of the prefix padded to whole bytes (RFC 8956 3.1). */
static enum flow_state prefix_check(const byte *p, size_t left, int ipv6, uint *size)
{
  uint hdr = ipv6 ? 3 : 2;
  if (left < hdr)
    return FLOW_ST_TRUNCATED;
  uint pxlen = p[1], offset = ipv6 ? p[2] : 0;
  if (pxlen > (ipv6 ? IP6_MAX_PREFIX_LENGTH : IP4_MAX_PREFIX_LENGTH))
    return FLOW_ST_PREFIX_LENGTH;
  if (offset > pxlen)
    return FLOW_ST_PREFIX_OFFSET;
  uint bytes = BYTES(pxlen - offset);
  if (left - hdr < bytes)
    return FLOW_ST_TRUNCATED;
  *size = hdr + bytes;
  return FLOW_ST_VALID;
}

/* An operator list: {op, value} pairs up to the one with the end bit
   (RFC 8955 4.2.1). */
static enum flow_state ops_check(const byte *p, size_t left, const struct flow_type_info *ti,
                                 int ipv6, uint *size)
{
  uint type = p[0];
  size_t pos = 1;
  for (int first = 1;; first = 0) {
    if (pos >= left)
      return FLOW_ST_TRUNCATED;
    const byte *op = p + pos;
    uint len = op_len(op);
    if (first && (*op & FLOW_OP_AND))
      return FLOW_ST_AND_BIT;
    if (*op & (ti->bitmask ? 0x0c : 0x08))
      return FLOW_ST_ZERO_BIT;
    if (len > ti->value_len)
      return FLOW_ST_VALUE_LENGTH;
    if (left - pos - 1 < len)
      return FLOW_ST_TRUNCATED;
    u64 v = op_value(op);
    /* RFC 8955 4.2.2.9: the TCP header has 12 flag bits. */
    if (type == FLOW_TYPE_TCP_FLAGS && v > 0xfff)
      return FLOW_ST_TCP_FLAGS;
    /* RFC 8956 3.6: bit 7 (DF) is IPv4 only. */
    if (type == FLOW_TYPE_FRAGMENT && ipv6 && (v & FLOW_FRAG_DONT))
      return FLOW_ST_DONT_FRAGMENT;
    pos += 1 + len;
    if (*op & FLOW_OP_END)
      break;
  }
  *size = pos;
  return FLOW_ST_VALID;
}

static enum flow_state part_check(const byte *p, const byte *end, int ipv6, uint *size)
{
  size_t left = end - p;
  const struct flow_type_info *ti = type_info(p[0], ipv6);
  if (!ti)
    return FLOW_ST_UNKNOWN_COMPONENT;
  if (type_is_prefix(p[0]))
    return prefix_check(p, left, ipv6, size);
  return ops_check(p, left, ti, ipv6, size);
}

/* The components of a flow net: [*start, *end) after the NLRI length.
   Returns 0 if the lengths do not add up. */
static int nlri_bounds(const net_addr *n, const byte **start, const byte **end)
{
  if (!net_type_is_flow(n->type))
    return 0;
  uint hdr = net_addr_length[n->type];
  if (n->length <= hdr)
    return 0;
  const byte *d = (const byte *) n + hdr;
  uint dlen = n->length - hdr;
  /* RFC 8955 4.1: below 240 one byte, else 0xfnnn (and the long form is
     allowed for short NLRIs too). */
  uint ll = (d[0] & 0xf0) == 0xf0 ? 2 : 1;
  if (dlen < ll)
    return 0;
  uint nl = ll == 2 ? (get_u16(d) & 0xfff) : d[0];
  if (ll + nl != dlen)
    return 0;
  *start = d + ll;
  *end = d + dlen;
  return 1;
}

static const byte *checked_part(const byte *p, const byte *end, int ipv6)
{
  uint size;
  return p < end && part_check(p, end, ipv6, &size) == FLOW_ST_VALID ? p : NULL;
}

const byte *flow_first_part(const net_addr *n)
{
  const byte *start, *end;
  if (!nlri_bounds(n, &start, &end))
    return NULL;
  return checked_part(start, end, n->type == NET_FLOW6);
}

const byte *flow_next_part(const net_addr *n, const byte *part)
{
  const byte *start, *end;
  uint size;
  int ipv6 = n->type == NET_FLOW6;
  if (!part || !nlri_bounds(n, &start, &end) || part < start || part >= end ||
      part_check(part, end, ipv6, &size) != FLOW_ST_VALID)
    return NULL;
  return checked_part(part + size, end, ipv6);
}

const byte *flow_get_part(const net_addr *n, uint type)
{
  for (const byte *p = flow_first_part(n); p && p[0] <= type; p = flow_next_part(n, p))
    if (p[0] == type)
      return p;
  return NULL;
}

/* Prefixes */

static void bit_copy(byte *dst, uint dpos, const byte *src, uint spos, uint n)
{
  for (uint i = 0; i < n; i++, dpos++, spos++) {
    byte bit = 0x80 >> (dpos & 7);
    if (src[spos >> 3] & (0x80 >> (spos & 7)))
      dst[dpos >> 3] |= bit;
    else
      dst[dpos >> 3] &= ~bit;
  }
}

static void clear_bits_from(byte *addr, uint from, uint total)
{
  for (uint i = from; i < total; i++)
    addr[i >> 3] &= ~(0x80 >> (i & 7));
}

/* The address a prefix part describes: its stored bits at [offset, ...),
   zeros before; the padding bits past pxlen are kept, as BIRD shows them. */
static uint part_address(const byte *part, int ipv6, byte addr[16], uint *offset)
{
  uint pxlen = part[1], off = ipv6 ? part[2] : 0, bits = ipv6 ? 128 : 32;
  memset(addr, 0, 16);
  bit_copy(addr, off, part + (ipv6 ? 3 : 2), 0, MIN(8 * BYTES(pxlen - off), bits - off));
  *offset = off;
  return pxlen;
}

int flow_get_prefix(const net_addr *flow, int component, net_addr *out)
{
  int ipv6 = flow->type == NET_FLOW6;
  byte addr[16];
  uint offset, pxlen = 0;
  const byte *part = type_is_prefix(component) ? flow_get_part(flow, component) : NULL;
  memset(addr, 0, sizeof(addr));
  if (part) {
    pxlen = part_address(part, ipv6, addr, &offset);
    clear_bits_from(addr, pxlen, ipv6 ? 128 : 32);
  }
  if (ipv6)
    net_fill_ip6(out, ip6_get(addr), pxlen);
  else
    net_fill_ip4(out, ip4_get(addr), pxlen);
  return !!part;
}

/* Validation */

static _Thread_local char flow_why_buf[48];

enum flow_state flow_validate_nlri(const byte *data, uint len, int ipv6, const char **why)
{
  const byte *p = data, *end = data + len;
  uint last = 0, size = 0;
  enum flow_state st = FLOW_ST_VALID;
  while (p < end) {
    /* RFC 8955 4.2.2: components in strictly increasing type order. */
    if (p[0] <= last) {
      st = FLOW_ST_BAD_ORDER;
      break;
    }
    if ((st = part_check(p, end, ipv6, &size)))
      break;
    last = p[0];
    p += size;
  }
  if (why && st == FLOW_ST_UNKNOWN_COMPONENT) {
    snprintf(flow_why_buf, sizeof(flow_why_buf), "Unknown component type %u", p[0]);
    *why = flow_why_buf;
  } else if (why && st) {
    *why = flow_state_str(st);
  }
  return st;
}

enum flow_state flow_validate_net(const net_addr *n, const char **why)
{
  const byte *start, *end;
  if (!nlri_bounds(n, &start, &end)) {
    if (why)
      *why = flow_state_str(FLOW_ST_BAD_LENGTH);
    return FLOW_ST_BAD_LENGTH;
  }
  int ipv6 = n->type == NET_FLOW6;
  enum flow_state st = flow_validate_nlri(start, end - start, ipv6, why);
  if (st)
    return st;

  net_addr dst;
  flow_get_prefix(n, FLOW_TYPE_DST_PREFIX, &dst);
  int same = n->pxlen == dst.pxlen &&
    (ipv6 ? ip6_equal(net6_prefix(n), net6_prefix(&dst)) : ip4_equal(net4_prefix(n), net4_prefix(&dst)));
  if (!same) {
    if (why)
      *why = flow_state_str(FLOW_ST_HEADER);
    return FLOW_ST_HEADER;
  }
  return FLOW_ST_VALID;
}

/* Text: `flow4 { dst 10.0.0.0/8; dport > 1023; tcp flags 0x2/0x2; }` */

struct out {
  char *buf;
  int size, len;        /* len: what the text would take, may exceed size */
  int cutting;          /* pieces may not end past limit */
  int limit;
  int cut;              /* a piece did not fit: nothing more is written */
};

/* Writes one piece of the text. When cutting, the text stops at the limit
   and nothing is written after that, as BIRD cuts a long flow (then ending
   it with " ...}"): a piece that does not fit goes in as far as it fits,
   except a `whole` one (BIRD's fragment names), which goes in whole or not
   at all. */
static void out_piece(struct out *o, int whole, const char *fmt, va_list ap)
{
  if (o->cut)
    return;
  va_list aq;
  va_copy(aq, ap);
  int n = vsnprintf(NULL, 0, fmt, aq);
  va_end(aq);
  if (n <= 0)
    return;
  int room = o->len < o->size ? o->size - o->len : 0;
  if (o->cutting && o->len + n > o->limit) {
    o->cut = 1;
    if (whole)
      return;
    char tmp[256];
    vsnprintf(tmp, sizeof(tmp), fmt, ap);
    int part = o->limit - o->len;
    memcpy(o->buf + o->len, tmp, part);
    o->len += part;
    o->buf[o->len] = 0;
    return;
  }
  vsnprintf(room ? o->buf + o->len : NULL, room, fmt, ap);
  o->len += n;
}

static void PRINTF(2, 3) out_printf(struct out *o, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  out_piece(o, 0, fmt, ap);
  va_end(ap);
}

static void PRINTF(2, 3) out_whole(struct out *o, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  out_piece(o, 1, fmt, ap);
  va_end(ap);
}

/* Takes back the last character written (a space before a comma). */
static void out_unput(struct out *o)
{
  if (!o->cut && o->len > 0)
    o->len--;
}

static void format_prefix(struct out *o, const byte *part, int ipv6)
{
  byte addr[16];
  char ip[IP6_BUFSIZE];
  uint offset, pxlen = part_address(part, ipv6, addr, &offset);
  if (!ipv6)
    out_printf(o, "%s/%u; ", ip4_ntop(ip4_get(addr), ip), pxlen);
  else if (offset)
    out_printf(o, "%s/%u offset %u; ", ip6_ntop(ip6_get(addr), ip), pxlen, offset);
  else
    out_printf(o, "%s/%u; ", ip6_ntop(ip6_get(addr), ip), pxlen);
}

static const char *const num_op_names[8] = {
  [FLOW_OP_FALSE] = "false", [FLOW_OP_EQ] = "=", [FLOW_OP_GT] = ">", [FLOW_OP_GEQ] = ">=",
  [FLOW_OP_LT] = "<", [FLOW_OP_LEQ] = "<=", [FLOW_OP_NEQ] = "!=", [FLOW_OP_TRUE] = "true",
};

static uint num_op(const byte *op) { return *op & 0x07; }

/* BIRD's notation: `=` is left out, `>=a && <=b` is `a..b`, and an OR-ed
   `=`/range after an `=`/range is joined by a comma: `40..50,60,70..80`. */
static void format_numeric(struct out *o, const byte *part)
{
  const byte *op = part + 1, *prev = NULL;
  for (;;) {
    if (prev) {
      int joins = !(*op & FLOW_OP_AND) &&
        (num_op(op) == FLOW_OP_EQ || num_op(op) == FLOW_OP_GEQ) &&
        (num_op(prev) == FLOW_OP_EQ || num_op(prev) == FLOW_OP_LEQ);
      if (joins) {
        out_unput(o);                   /* the space after the previous item */
        out_printf(o, ",");
      } else {
        out_printf(o, "%s", (*op & FLOW_OP_AND) ? "&& " : "|| ");
      }
    }
    const byte *next = op + 1 + op_len(op);
    if (!(*op & (FLOW_OP_END | FLOW_OP_AND)) && num_op(op) == FLOW_OP_GEQ &&
        (*next & FLOW_OP_AND) && num_op(next) == FLOW_OP_LEQ) {
      out_printf(o, "%llu..%llu", (unsigned long long) op_value(op), (unsigned long long) op_value(next));
      op = next;
      next = op + 1 + op_len(op);
    } else if (num_op(op) == FLOW_OP_EQ) {
      out_printf(o, "%llu", (unsigned long long) op_value(op));
    } else {
      out_printf(o, "%s %llu", num_op_names[num_op(op)], (unsigned long long) op_value(op));
    }
    if (*op & FLOW_OP_END)
      break;
    out_printf(o, " ");
    prev = op;
    op = next;
  }
  out_printf(o, "; ");
}

static const char *fragment_name(u64 bit)
{
  switch (bit) {
  case FLOW_FRAG_DONT: return "dont_fragment";
  case FLOW_FRAG_IS: return "is_fragment";
  case FLOW_FRAG_FIRST: return "first_fragment";
  case FLOW_FRAG_LAST: return "last_fragment";
  default: return NULL;
  }
}

/* `value/mask` means (data & mask) == value, so the four operator forms
   print as (not, m): (0,1) B/B, (1,1) !B/B, (1,0) 0/B, (0,0) !0/B.
   Single fragment bits print by name, with BIRD's quirk that the (0,0)
   form comes out as `!!name`. */
static void format_bitmask(struct out *o, const byte *part)
{
  const byte *op = part + 1;
  for (int first = 1;; first = 0) {
    if (!first)
      out_printf(o, "%s", (*op & FLOW_OP_AND) ? "&& " : "|| ");
    u64 v = op_value(op);
    uint nm = *op & (FLOW_OP_NOT | FLOW_OP_MATCH);
    int match = !!(*op & FLOW_OP_MATCH);
    const char *neg = (nm == 0 || nm == (FLOW_OP_NOT | FLOW_OP_MATCH)) ? "!" : "";
    const char *name = part[0] == FLOW_TYPE_FRAGMENT ? fragment_name(v) : NULL;
    if (name)
      out_whole(o, "%s%s%s", neg, match ? "" : "!", name);
    else
      out_printf(o, "%s0x%llx/0x%llx", neg, (unsigned long long) (match ? v : 0), (unsigned long long) v);
    if (*op & FLOW_OP_END)
      break;
    out_printf(o, " ");
    op += 1 + op_len(op);
  }
  out_printf(o, "; ");
}

static void flow_text(const net_addr *n, struct out *o);

int flow_net_format(const net_addr *n, char *buf, int size)
{
  struct out o = { .buf = buf, .size = size };
  if (size > 0)
    buf[0] = 0;
  flow_text(n, &o);
  if (o.len < size)
    return o.len;
  /* Too long: again, cut at a piece boundary with room for " ...}". */
  if (size < 6) {
    if (size > 0)
      snprintf(buf, size, "%s", "...");
    return -1;
  }
  o = (struct out) { .buf = buf, .size = size, .cutting = 1, .limit = size - 6 };
  flow_text(n, &o);
  memcpy(buf + o.len, " ...}", 6);
  return -1;
}

static void flow_text(const net_addr *n, struct out *o_)
{
  struct out o = *o_;
  int ipv6 = n->type == NET_FLOW6;
  out_printf(&o, "%s { ", ipv6 ? "flow6" : "flow4");
  for (const byte *p = flow_first_part(n); p; p = flow_next_part(n, p)) {
    const char *name = flow_type_name(p[0], ipv6);
    out_printf(&o, "%s ", name ? name : "?");
    if (type_is_prefix(p[0]))
      format_prefix(&o, p, ipv6);
    else if (flow_type_is_bitmask(p[0]))
      format_bitmask(&o, p);
    else
      format_numeric(&o, p);
  }
  out_printf(&o, "}");
  *o_ = o;
}

/* Builder */

struct flow_builder {
  pool *pool;
  byte *buf;
  uint len, cap;
  uint start[FLOW_TYPE_MAX], size[FLOW_TYPE_MAX];   /* a component may outgrow 64 KiB before the 4095-byte check */
  uint open;            /* the component taking operators, 0 if none */
  uint last_op;         /* offset of its last operator, 0 if none yet */
  int ipv6;
};

struct flow_builder *flow_builder_new(pool *p)
{
  struct flow_builder *fb = mb_allocz(p, sizeof(*fb));
  fb->pool = p;
  return fb;
}

void flow_builder_free(struct flow_builder *fb)
{
  if (!fb)
    return;
  if (fb->buf)
    mb_free(fb->buf);
  mb_free(fb);
}

void flow_builder_reset(struct flow_builder *fb, int ipv6)
{
  fb->len = 0;
  memset(fb->start, 0, sizeof(fb->start));
  memset(fb->size, 0, sizeof(fb->size));
  fb->open = fb->last_op = 0;
  fb->ipv6 = !!ipv6;
}

int flow_builder_ipv6(const struct flow_builder *fb)
{
  return fb->ipv6;
}

int flow_builder_has(const struct flow_builder *fb, uint type)
{
  return type < FLOW_TYPE_MAX && (fb->size[type] || fb->open == type);
}

uint flow_builder_open(const struct flow_builder *fb)
{
  return fb->open;
}

static byte *fb_grow(struct flow_builder *fb, uint n)
{
  if (fb->len + n > fb->cap) {
    uint cap = MAX(64u, fb->cap * 2);
    while (cap < fb->len + n)
      cap *= 2;
    fb->buf = fb->buf ? mb_realloc(fb->buf, cap) : mb_alloc(fb->pool, cap);
    fb->cap = cap;
  }
  byte *p = fb->buf + fb->len;
  fb->len += n;
  return p;
}

/* End the open component: mark its last operator; one with no operator
   at all is dropped. */
static void fb_close(struct flow_builder *fb)
{
  uint t = fb->open;
  if (!t)
    return;
  if (fb->last_op) {
    fb->buf[fb->last_op] |= FLOW_OP_END;
    fb->size[t] = fb->len - fb->start[t];
  } else {
    fb->len = fb->start[t];
  }
  fb->open = fb->last_op = 0;
}

static int fb_begin(struct flow_builder *fb, uint type)
{
  fb_close(fb);
  if (!type_info(type, fb->ipv6))
    return FLOW_BUILD_BAD_TYPE;
  if (flow_builder_has(fb, type))
    return FLOW_BUILD_DUPLICATE;
  fb->start[type] = fb->len;
  *fb_grow(fb, 1) = type;
  return FLOW_BUILD_OK;
}

int flow_builder_add_prefix(struct flow_builder *fb, uint type, const net_addr *px, uint offset)
{
  fb_close(fb);
  if (!type_is_prefix(type))
    return FLOW_BUILD_BAD_TYPE;
  if (px->type != (fb->ipv6 ? NET_IP6 : NET_IP4))
    return FLOW_BUILD_FAMILY;
  uint pxlen = px->pxlen;
  if (offset > pxlen || (!fb->ipv6 && offset))
    return FLOW_BUILD_OFFSET;
  int err = fb_begin(fb, type);
  if (err)
    return err;

  byte addr[16];
  if (fb->ipv6)
    ip6_put(addr, net6_prefix(px));
  else
    ip4_put(addr, net4_prefix(px));
  uint bytes = BYTES(pxlen - offset);
  byte *p = fb_grow(fb, (fb->ipv6 ? 2 : 1) + bytes);
  *p++ = pxlen;
  if (fb->ipv6)
    *p++ = offset;
  memset(p, 0, bytes);
  bit_copy(p, 0, addr, offset, pxlen - offset);
  fb->size[type] = fb->len - fb->start[type];
  return FLOW_BUILD_OK;
}

int flow_builder_start(struct flow_builder *fb, uint type)
{
  if (type_is_prefix(type)) {
    fb_close(fb);
    return FLOW_BUILD_BAD_TYPE;
  }
  int err = fb_begin(fb, type);
  if (!err)
    fb->open = type;
  return err;
}

int flow_builder_add_op(struct flow_builder *fb, uint op, u32 value)
{
  if (!fb->open)
    return FLOW_BUILD_NOT_OPEN;
  uint len = value <= 0xff ? 1 : value <= 0xffff ? 2 : 4;
  op &= FLOW_OP_AND | 0x07;
  if (!fb->last_op)
    op &= ~FLOW_OP_AND;
  op |= (len == 1 ? 0x00 : len == 2 ? 0x10 : 0x20);
  fb->last_op = fb->len;
  byte *p = fb_grow(fb, 1 + len);
  p[0] = op;
  if (len == 1)
    put_u8(p + 1, value);
  else if (len == 2)
    put_u16(p + 1, value);
  else
    put_u32(p + 1, value);
  return FLOW_BUILD_OK;
}

int flow_builder_add_bitmask(struct flow_builder *fb, uint logic, int neg, u32 value, u32 mask)
{
  if (!fb->open)
    return FLOW_BUILD_NOT_OPEN;
  if (!flow_type_is_bitmask(fb->open))
    return FLOW_BUILD_BAD_TYPE;
  if (!mask)
    return FLOW_BUILD_EMPTY_MASK;
  u32 set = value & mask, clear = ~value & mask;
  /* A negated conjunction of two tests is no single list item. */
  if (neg && set && clear)
    return FLOW_BUILD_BAD_TYPE;
  uint op = (logic & FLOW_OP_AND) | (neg ? FLOW_OP_NOT : 0);
  if (set) {
    flow_builder_add_op(fb, op ^ FLOW_OP_MATCH, set);
    op |= FLOW_OP_AND;
  }
  if (clear)
    flow_builder_add_op(fb, op ^ FLOW_OP_NOT, clear);
  return FLOW_BUILD_OK;
}

static uint fb_nlri_len(struct flow_builder *fb)
{
  fb_close(fb);
  uint nlri = 0;
  for (uint t = 1; t < FLOW_TYPE_MAX; t++)
    nlri += fb->size[t];
  return nlri;
}

uint flow_builder_net_size(struct flow_builder *fb)
{
  uint nlri = fb_nlri_len(fb);
  if (nlri > FLOW_NLRI_MAX)
    return 0;
  return net_addr_length[fb->ipv6 ? NET_FLOW6 : NET_FLOW4] + (nlri < 0xf0 ? 1 : 2) + nlri;
}

void flow_builder_finish(struct flow_builder *fb, net_addr *out)
{
  uint size = flow_builder_net_size(fb), nlri = fb_nlri_len(fb);
  uint type = fb->ipv6 ? NET_FLOW6 : NET_FLOW4, hdr = net_addr_length[type];
  ASSERT(size);
  memset(out, 0, hdr);
  out->type = type;
  out->length = size;

  byte *d = (byte *) out + hdr;
  if (nlri < 0xf0)
    *d++ = nlri;
  else {
    put_u16(d, 0xf000 | nlri);
    d += 2;
  }
  for (uint t = 1; t < FLOW_TYPE_MAX; t++)
    if (fb->size[t]) {
      memcpy(d, fb->buf + fb->start[t], fb->size[t]);
      d += fb->size[t];
    }

  net_addr dst;
  flow_get_prefix(out, FLOW_TYPE_DST_PREFIX, &dst);
  out->pxlen = dst.pxlen;
  if (fb->ipv6)
    ((net_addr_flow6 *) out)->prefix = net6_prefix(&dst);
  else
    ((net_addr_flow4 *) out)->prefix = net4_prefix(&dst);
}
