/*
 * filter/data.h: the value layer of the filter language.
 *
 * A filter value (struct f_val) is a small tagged union. Scalars live in
 * the union; everything variable-sized (strings, AS paths, community
 * lists, sets, tries, path masks) is a pointer to an immutable object
 * allocated from a linpool owned by whoever created the value (the config
 * for constants, the per-route temporary pool for computed values). Values
 * are therefore cheap to copy and never freed one by one.
 *
 * Type codes match BIRD 2.0.12 because users see them ("(enum 35)1").
 * Formatting, comparison and the `~` operator follow BIRD's observable
 * behaviour; the cases checked against a real bird2 are in data_test.c.
 */
#ifndef TERN_FILTER_DATA_H
#define TERN_FILTER_DATA_H

#include "lib/tern.h"
#include "lib/ip.h"
#include "lib/net.h"
#include "lib/resource.h"

struct strbuf;

enum f_type {
  T_VOID = 0,

  T_INT = 0x10,
  T_BOOL = 0x11,
  T_PAIR = 0x12,                /* stored as (asn << 16) | value */
  T_QUAD = 0x13,

  T_ENUM_LO = 0x30,
  T_ENUM_RTS = 0x30,
  T_ENUM_BGP_ORIGIN = 0x31,
  T_ENUM_SCOPE = 0x32,
  T_ENUM_RTC = 0x33,
  T_ENUM_RTD = 0x34,
  T_ENUM_ROA = 0x35,
  T_ENUM_NETTYPE = 0x36,
  T_ENUM_RA_PREFERENCE = 0x37,
  T_ENUM_AF = 0x38,
  T_ENUM_ASPA = 0x3a,           /* BIRD 2.16; 0x39 is BIRD's MPLS policy */
  T_ENUM_HI = 0x3f,
  T_ENUM = T_ENUM_LO,           /* generic "some enum" for type checks */

  T_IP = 0x20,
  T_NET = 0x21,
  T_STRING = 0x22,
  T_PATH_MASK = 0x23,
  T_PATH = 0x24,
  T_CLIST = 0x25,
  T_EC = 0x26,
  T_ECLIST = 0x27,
  T_LC = 0x28,
  T_LCLIST = 0x29,
  T_RD = 0x2a,
  T_PATH_MASK_ITEM = 0x2b,
  T_BYTESTRING = 0x2c,

  T_SET = 0x80,
  T_PREFIX_SET = 0x81,
};

static inline int f_type_is_enum(enum f_type t)
{ return t >= T_ENUM_LO && t <= T_ENUM_HI; }

/* Variable-sized attribute payload (AS path, community lists, bytestring). */
#ifndef TERN_ADATA_DEFINED
#define TERN_ADATA_DEFINED
struct adata {
  uint length;                  /* bytes in data[] */
  /* Aligned so that values stored whole (a net_addr of a prefix
     attribute, an ip_addr) can be read in place. */
  byte data[] __attribute__((aligned(8)));
};
#endif

struct lcomm {
  u32 asn, ldp1, ldp2;
};

struct f_tree;
struct f_trie;
struct f_path_mask;
struct f_line;

/* One element of an AS path mask; see filter/aspath.h for the semantics. */
enum f_pm_kind {
  PM_ASN,                       /* one specific ASN */
  PM_QUESTION,                  /* ? : any one ASN */
  PM_ASTERISK,                  /* * : any sequence, also empty */
  PM_ASN_EXPR,                  /* expression; the interpreter resolves it to PM_ASN */
  PM_ASN_RANGE,                 /* a..b */
  PM_ASN_SET,                   /* [int set] */
  PM_LOOP,                      /* + : the previous item once more or repeatedly */
};

struct f_path_mask_item {
  union {
    u32 asn;
    struct { u32 from, to; };
    const struct f_tree *set;
    const struct f_line *expr;
  };
  enum f_pm_kind kind;
};

struct f_val {
  enum f_type type;
  union {
    uint i;                     /* int, bool, pair, quad, enum */
    u64 ec;
    struct lcomm lc;
    ip_addr ip;
    const net_addr *net;
    const char *s;
    const struct adata *ad;     /* path, clist, eclist, lclist, bytestring */
    const struct f_tree *t;
    const struct f_trie *ti;
    const struct f_path_mask *path_mask;
    struct f_path_mask_item pmi;
    u64 rd;
  } val;
};

/* val_compare() result for values that have no order relation */
#define F_CMP_ERROR 999

const char *f_type_name(enum f_type t);
enum f_type f_type_element_type(enum f_type t);

int val_compare(const struct f_val *a, const struct f_val *b);
int val_same(const struct f_val *a, const struct f_val *b);
int val_in_range(const struct f_val *v, const struct f_val *set);

void val_format(const struct f_val *v, struct strbuf *sb);
/* Formats into a linpool-allocated string (for format() and messages). */
char *val_format_str(linpool *lp, const struct f_val *v);

/* Constructors for the common scalar cases (keeps callers short). */
static inline struct f_val f_val_int(enum f_type t, uint i)
{ return (struct f_val) { .type = t, .val.i = i }; }
static inline struct f_val f_val_pair(u32 a, u32 b)
{ return (struct f_val) { .type = T_PAIR, .val.i = (a << 16) | (b & 0xffff) }; }
static inline struct f_val f_val_ec(u64 ec)
{ return (struct f_val) { .type = T_EC, .val.ec = ec }; }
static inline struct f_val f_val_lc(u32 a, u32 b, u32 c)
{ return (struct f_val) { .type = T_LC, .val.lc = { a, b, c } }; }
static inline struct f_val f_val_ip(ip_addr a)
{ return (struct f_val) { .type = T_IP, .val.ip = a }; }
static inline struct f_val f_val_adata(enum f_type t, const struct adata *ad)
{ return (struct f_val) { .type = t, .val.ad = ad }; }

/* IPv6 text as BIRD prints it: RFC 5952 except that ::a.b.c.d and
 * ::ffff:a.b.c.d keep the dotted tail (inet_ntop rules). buf >= IP6_BUFSIZE. */
char *f_ip6_ntop(ip6_addr a, char *buf);

int adata_same(const struct adata *a, const struct adata *b);

/* Route distinguisher (RFC 4364 4.2): 2-byte type, 6 bytes of value. */
static inline u64 rd_from_as2(u32 asn, u32 val) { return ((u64) asn << 32) | val; }
static inline u64 rd_from_ip4(ip4_addr a, u32 val) { return (1ULL << 48) | ((u64) a.addr << 16) | (val & 0xffff); }
static inline u64 rd_from_as4(u32 asn, u32 val) { return (2ULL << 48) | ((u64) asn << 16) | (val & 0xffff); }

#endif
