/*
 * filter/aset.h: BGP community lists and extended/large community values.
 *
 * Lists are immutable `struct adata` blobs of host-order u32 words:
 *   clist  (RFC 1997)  one word per community, pair (asn, v) = asn<<16 | v
 *   eclist (RFC 4360)  two words per community, high word first
 *   lclist (RFC 8092)  three words per community (global, local1, local2)
 * Every operation returns a new list allocated from the linpool it gets,
 * or the input list itself when nothing changes (no copy, no allocation).
 * Order is preserved; add appends at the end and never duplicates, as BIRD.
 */
#ifndef TERN_FILTER_ASET_H
#define TERN_FILTER_ASET_H

#include "filter/data.h"

/* Extended community kinds for the constructors (the type high byte). */
#define EC_RT 0x0002
#define EC_RO 0x0003
#define EC_GENERIC 0xFFFF

/* (kind, 2-byte ASN, 32-bit value): transitive two-octet AS specific */
static inline u64 ec_as2(uint kind, u32 key, u32 val)
{ return ((u64) kind << 48) | ((u64) (key & 0xffff) << 32) | val; }
/* (kind, 4-byte ASN, 16-bit value): RFC 5668 */
static inline u64 ec_as4(uint kind, u32 key, u32 val)
{ return ((u64) (kind | 0x0200) << 48) | ((u64) key << 16) | (val & 0xffff); }
/* (kind, IPv4 address, 16-bit value) */
static inline u64 ec_ip4(uint kind, ip4_addr key, u32 val)
{ return ((u64) (kind | 0x0100) << 48) | ((u64) key.addr << 16) | (val & 0xffff); }
/* (generic, hi, lo): the raw 64 bits */
static inline u64 ec_generic(u32 hi, u32 lo)
{ return ((u64) hi << 32) | lo; }
/* Largest value field for the key encoding of ec (for (rt, 70000, *)). */
u32 ec_value_max(u64 ec);
/* BIRD's text: "(rt, 10, 20)", "(ro, 1.2.3.4, 5)", "(generic, 0x1, 0x2)". */
void ec_format(u64 ec, struct strbuf *sb);

/* Lists. A NULL list is an empty list everywhere. */
const struct adata *int_set_new(linpool *lp, const u32 *vals, uint n);
uint int_set_get_size(const struct adata *list);          /* communities */
static inline const u32 *int_set_data(const struct adata *l) { return (const u32 *) l->data; }
int int_set_contains(const struct adata *list, u32 val);
const struct adata *int_set_add(linpool *lp, const struct adata *list, u32 val);
const struct adata *int_set_del(linpool *lp, const struct adata *list, u32 val);
const struct adata *int_set_union(linpool *lp, const struct adata *a, const struct adata *b);
/* Keep (pos = 1, filter()) or drop (pos = 0, delete()) the communities
 * matched by what: a T_SET, a T_CLIST, or a single T_PAIR/T_QUAD. */
const struct adata *int_set_filter(linpool *lp, const struct adata *list, const struct f_val *what, int pos);
int int_set_match_set(const struct adata *list, const struct f_tree *set);
int int_set_min(const struct adata *list, u32 *out);       /* 0 when empty */
int int_set_max(const struct adata *list, u32 *out);
void int_set_format(const struct adata *list, struct strbuf *sb);

uint ec_set_get_size(const struct adata *list);
u64 ec_set_get(const struct adata *list, uint i);
int ec_set_contains(const struct adata *list, u64 val);
const struct adata *ec_set_add(linpool *lp, const struct adata *list, u64 val);
const struct adata *ec_set_del(linpool *lp, const struct adata *list, u64 val);
const struct adata *ec_set_union(linpool *lp, const struct adata *a, const struct adata *b);
const struct adata *ec_set_filter(linpool *lp, const struct adata *list, const struct f_val *what, int pos);
int ec_set_match_set(const struct adata *list, const struct f_tree *set);
int ec_set_min(const struct adata *list, u64 *out);
int ec_set_max(const struct adata *list, u64 *out);
void ec_set_format(const struct adata *list, struct strbuf *sb);

uint lc_set_get_size(const struct adata *list);
struct lcomm lc_set_get(const struct adata *list, uint i);
int lc_set_contains(const struct adata *list, struct lcomm val);
const struct adata *lc_set_add(linpool *lp, const struct adata *list, struct lcomm val);
const struct adata *lc_set_del(linpool *lp, const struct adata *list, struct lcomm val);
const struct adata *lc_set_union(linpool *lp, const struct adata *a, const struct adata *b);
const struct adata *lc_set_filter(linpool *lp, const struct adata *list, const struct f_val *what, int pos);
int lc_set_match_set(const struct adata *list, const struct f_tree *set);
int lc_set_min(const struct adata *list, struct lcomm *out);
int lc_set_max(const struct adata *list, struct lcomm *out);
void lc_set_format(const struct adata *list, struct strbuf *sb);

static inline int lc_cmp(struct lcomm a, struct lcomm b)
{
  if (a.asn != b.asn) return a.asn < b.asn ? -1 : 1;
  if (a.ldp1 != b.ldp1) return a.ldp1 < b.ldp1 ? -1 : 1;
  if (a.ldp2 != b.ldp2) return a.ldp2 < b.ldp2 ? -1 : 1;
  return 0;
}

#endif
