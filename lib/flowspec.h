/*
 * lib/flowspec.h: flow specification nets (RFC 8955 for IPv4, RFC 8956
 * for IPv6), as BIRD 2 has them.
 *
 * A flow net (net_addr_flow4/6 in lib/net.h) carries the NLRI exactly as
 * on the wire: a 1- or 2-byte length, then components in strictly
 * increasing type order. Prefix components hold a prefix (IPv6: bits
 * [offset, pxlen) of it); the others hold a list of {operator, value}
 * pairs, numeric comparisons or bitmask tests. The header's prefix/pxlen
 * repeat the dst component, so tables and `.dst` need not parse the NLRI.
 *
 * Three kinds of users:
 *   - the config grammar (filter/flow.Y) builds nets with a flow_builder;
 *   - BGP checks received NLRIs with flow_validate_nlri() and fills the
 *     header with flow_get_prefix();
 *   - show route / format() print them with flow_net_format(), in BIRD's
 *     notation: `flow4 { dst 10.0.0.0/8; dport 80,443; }`.
 */
#ifndef TERN_LIB_FLOWSPEC_H
#define TERN_LIB_FLOWSPEC_H

#include "lib/tern.h"
#include "lib/net.h"
#include "lib/resource.h"

/* Component types (RFC 8955 4.2.2, RFC 8956 3) */
enum flow_type {
  FLOW_TYPE_DST_PREFIX = 1,
  FLOW_TYPE_SRC_PREFIX = 2,
  FLOW_TYPE_IP_PROTOCOL = 3,
  FLOW_TYPE_NEXT_HEADER = 3,    /* IPv6 name of type 3 */
  FLOW_TYPE_PORT = 4,
  FLOW_TYPE_DST_PORT = 5,
  FLOW_TYPE_SRC_PORT = 6,
  FLOW_TYPE_ICMP_TYPE = 7,
  FLOW_TYPE_ICMP_CODE = 8,
  FLOW_TYPE_TCP_FLAGS = 9,
  FLOW_TYPE_PACKET_LENGTH = 10,
  FLOW_TYPE_DSCP = 11,
  FLOW_TYPE_FRAGMENT = 12,
  FLOW_TYPE_LABEL = 13,         /* IPv6 only */
  FLOW_TYPE_MAX
};

/*
 * Operator byte (RFC 8955 4.2.1.1 and 4.2.1.2):
 *
 *     0   1   2   3   4   5   6   7
 *   +---+---+---+---+---+---+---+---+
 *   | e | a |  len  | 0 |lt |gt |eq |   numeric
 *   | e | a |  len  | 0 | 0 |not| m |   bitmask
 *   +---+---+---+---+---+---+---+---+
 *
 * e: last pair of the list; a: AND with the previous pair (else OR);
 * len: the value has 1 << len bytes.
 */
#define FLOW_OP_END     0x80
#define FLOW_OP_AND     0x40
#define FLOW_OP_LEN     0x30
/* numeric comparisons (lt gt eq) */
#define FLOW_OP_FALSE   0x00
#define FLOW_OP_EQ      0x01
#define FLOW_OP_GT      0x02
#define FLOW_OP_GEQ     0x03
#define FLOW_OP_LT      0x04
#define FLOW_OP_LEQ     0x05
#define FLOW_OP_NEQ     0x06
#define FLOW_OP_TRUE    0x07
/* bitmask tests: m: (data & value) == value, else (data & value) != 0;
   not: negate the result */
#define FLOW_OP_MATCH   0x01
#define FLOW_OP_NOT     0x02

/* Fragment bits (RFC 8955 4.2.2.12); IPv6 has no dont_fragment. */
#define FLOW_FRAG_DONT  0x01
#define FLOW_FRAG_IS    0x02
#define FLOW_FRAG_FIRST 0x04
#define FLOW_FRAG_LAST  0x08

/* The longest NLRI the 2-byte length can say (0xfnnn). */
#define FLOW_NLRI_MAX   0xfff

enum flow_state {
  FLOW_ST_VALID = 0,
  FLOW_ST_BAD_LENGTH,           /* net or NLRI length inconsistent */
  FLOW_ST_UNKNOWN_COMPONENT,
  FLOW_ST_BAD_ORDER,            /* types not strictly increasing */
  FLOW_ST_TRUNCATED,            /* a component runs past the end */
  FLOW_ST_PREFIX_LENGTH,
  FLOW_ST_PREFIX_OFFSET,
  FLOW_ST_AND_BIT,              /* AND bit on the first operator */
  FLOW_ST_ZERO_BIT,             /* a reserved operator bit is set */
  FLOW_ST_VALUE_LENGTH,         /* value longer than the type allows */
  FLOW_ST_TCP_FLAGS,            /* TCP flags beyond 0xfff */
  FLOW_ST_DONT_FRAGMENT,        /* dont_fragment bit in IPv6 */
  FLOW_ST_HEADER,               /* header prefix disagrees with dst */
};

const char *flow_state_str(enum flow_state s);

/* "dst", "proto"/"next header", "tcp flags", ...; NULL if unknown. */
const char *flow_type_name(uint type, int ipv6);
int flow_type_is_bitmask(uint type);        /* tcp flags, fragment */
/* The largest value (numeric) or mask (bitmask) the type can hold. */
u32 flow_value_max(uint type, int ipv6);

/*
 * Access to the components of a flow net. Parts point at a component's
 * type byte. A part is returned only if it lies wholly inside the NLRI and
 * parses; validated nets (net_validate) always do.
 */
const byte *flow_first_part(const net_addr *n);
const byte *flow_next_part(const net_addr *n, const byte *part);
const byte *flow_get_part(const net_addr *n, uint type);

/* The dst (FLOW_TYPE_DST_PREFIX) or src (FLOW_TYPE_SRC_PREFIX) prefix as
 * an IPv4/IPv6 net, bits past pxlen cleared, IPv6 offset dropped. Returns
 * 1 if the component is there; else 0 with out = 0.0.0.0/0 or ::/0. */
int flow_get_prefix(const net_addr *flow, int component, net_addr *out);

/* Check components as received (data after the NLRI length). */
enum flow_state flow_validate_nlri(const byte *data, uint len, int ipv6, const char **why);
/* Check a whole flow net: lengths, components, header against dst. */
enum flow_state flow_validate_net(const net_addr *n, const char **why);

/* Print as BIRD does. Returns the length, or -1 if it did not fit; then
 * buf still holds the start of the text ending in " ...}". */
int flow_net_format(const net_addr *n, char *buf, int size);

/*
 * Builder: components in any order, each type at most once; the finished
 * NLRI has them sorted. Numeric and bitmask components are opened with
 * flow_builder_start() and filled with operators; the end-of-list bits and
 * value lengths are the builder's business.
 *
 *   fb = flow_builder_new(pool);
 *   flow_builder_reset(fb, 0);
 *   flow_builder_add_prefix(fb, FLOW_TYPE_DST_PREFIX, &ip4_net, 0);
 *   flow_builder_start(fb, FLOW_TYPE_DST_PORT);
 *   flow_builder_add_op(fb, FLOW_OP_GEQ, 1024);
 *   flow_builder_add_op(fb, FLOW_OP_AND | FLOW_OP_LEQ, 2047);
 *   net_addr *n = lp_alloc(lp, flow_builder_net_size(fb));
 *   flow_builder_finish(fb, n);
 */
enum flow_build_error {
  FLOW_BUILD_OK = 0,
  FLOW_BUILD_DUPLICATE,         /* the type is there already */
  FLOW_BUILD_BAD_TYPE,          /* unknown here, or wrong kind for the call */
  FLOW_BUILD_FAMILY,            /* IPv4 prefix in a flow6 or v.v. */
  FLOW_BUILD_OFFSET,            /* IPv6 offset beyond pxlen */
  FLOW_BUILD_NOT_OPEN,          /* operator without a started component */
  FLOW_BUILD_EMPTY_MASK,        /* bitmask test with mask 0 */
};

struct flow_builder;
struct flow_builder *flow_builder_new(pool *p);
void flow_builder_free(struct flow_builder *fb);
void flow_builder_reset(struct flow_builder *fb, int ipv6);
int flow_builder_ipv6(const struct flow_builder *fb);
int flow_builder_has(const struct flow_builder *fb, uint type);
/* The component flow_builder_start() opened, 0 if none (or it failed). */
uint flow_builder_open(const struct flow_builder *fb);

int flow_builder_add_prefix(struct flow_builder *fb, uint type, const net_addr *px, uint offset);
int flow_builder_start(struct flow_builder *fb, uint type);
/* op: FLOW_OP_AND (or 0) | a comparison, or for bitmasks FLOW_OP_NOT /
   FLOW_OP_MATCH bits. The first operator of a component never has AND. */
int flow_builder_add_op(struct flow_builder *fb, uint op, u32 value);
/* BIRD's `value/mask` test, (data & mask) == value, with `!` (neg) for
 * its negation; logic is FLOW_OP_AND or 0. A value that is neither 0 nor
 * the mask takes two operators: (bits in value all set) AND (other mask
 * bits all clear); a negated test must have value 0 or mask. */
int flow_builder_add_bitmask(struct flow_builder *fb, uint logic, int neg, u32 value, u32 mask);

/* Size of the finished net (header + NLRI), 0 if the NLRI would be longer
 * than FLOW_NLRI_MAX. */
uint flow_builder_net_size(struct flow_builder *fb);
/* Write the net into out (flow_builder_net_size() bytes). */
void flow_builder_finish(struct flow_builder *fb, net_addr *out);

#endif
