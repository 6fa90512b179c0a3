/*
 * filter/aspath.h: BGP AS_PATH values and AS path masks.
 *
 * A path is a `struct adata` holding the RFC 4271 4.3 encoding with 4-byte
 * ASNs (RFC 6793): segments of {type, count, count x ASN in network byte
 * order}. Operations never modify their input; results come from the
 * linpool passed in. A NULL path is the empty path.
 */
#ifndef TERN_FILTER_ASPATH_H
#define TERN_FILTER_ASPATH_H

#include <stddef.h>
#include "filter/data.h"

#define AS_PATH_SET 1
#define AS_PATH_SEQUENCE 2
#define AS_PATH_CONFED_SEQUENCE 3
#define AS_PATH_CONFED_SET 4
#define AS_PATH_SEGMENT_MAX 255

/* Builds a path of one AS_SEQUENCE (split at 255) from asns[0..n). */
const struct adata *as_path_from_asns(linpool *lp, const u32 *asns, uint n);
/* Appends a segment (for tests and the BGP decoder's 2-to-4 byte step). */
const struct adata *as_path_append_segment(linpool *lp, const struct adata *p, uint type,
                                           const u32 *asns, uint n);

const struct adata *as_path_prepend(linpool *lp, const struct adata *p, u32 asn);
/* n prepends in a row, asn[0] first: the path as_path_prepend() would
   give after n calls, built in one allocation. */
const struct adata *as_path_prepend_n(linpool *lp, const struct adata *p, const u32 *asn, uint n);
uint as_path_getlen(const struct adata *p);
int as_path_get_first(const struct adata *p, u32 *asn);
int as_path_get_first_regular(const struct adata *p, u32 *asn);
int as_path_get_last(const struct adata *p, u32 *asn);
u32 as_path_get_last_nonaggregated(const struct adata *p);
int as_path_contains(const struct adata *p, u32 asn, int min);
int as_path_match_set(const struct adata *p, const struct f_tree *set);
/* Keep (pos = 1, filter()) or drop (pos = 0, delete()) ASNs matched by
 * what: a T_SET of ints or a single T_INT. Emptied segments disappear. */
const struct adata *as_path_filter(linpool *lp, const struct adata *p, const struct f_val *what, int pos);
/* "65002 65003 {1 2}"; confederation segments as "(1 2)" and "({1 2})". */
void as_path_format(const struct adata *p, struct strbuf *sb);

/* RFC 4271 6.3 / RFC 7606 syntax check of a received AS_PATH (as4: 4-byte
 * ASNs). Returns 1 if valid, else 0 with a reason in err. */
int as_path_valid(const byte *data, uint len, int as4, char *err, size_t errlen);

/* Iterates all ASNs; returns the count written (at most max). */
uint as_path_get_asns(const struct adata *p, u32 *out, uint max);

struct f_path_mask {
  uint len;
  struct f_path_mask_item item[];
};

/*
 * Mask match (`bgp_path ~ [= * 4 3 ? 1 =]`). The path is a sequence of
 * positions: each ASN of an AS_SEQUENCE is one position, a whole AS_SET
 * is one position matched when any of its ASNs matches the item (so `?`
 * matches a set, and `*` spans sets). Confederation segments are handled
 * like their non-confed counterparts. `X +` matches one or more X.
 * PM_ASN_EXPR items must be resolved by the caller; they match nothing.
 * Runs a state-set simulation: O(positions x mask length).
 */
int as_path_match(const struct adata *path, const struct f_path_mask *mask);

int pm_same(const struct f_path_mask *a, const struct f_path_mask *b);
int pmi_same(const struct f_path_mask_item *a, const struct f_path_mask_item *b);
void pm_format(const struct f_path_mask *m, struct strbuf *sb);
void pmi_format(const struct f_path_mask_item *i, struct strbuf *sb);

#endif
