/*
 * filter/trie.h: prefix sets ([10.0.0.0/8+, 192.168.0.0/16{24,32}]).
 *
 * A prefix set is a set of patterns px/len{lo,hi}: a net N matches when
 * lo <= N.len <= hi and the first min(N.len, len) bits of N and px agree.
 * p/len = {len,len}, p/len+ = {len,max}, p/len- = {0,len}.
 *
 * The trie is the 16-way compressed trie of BIRD 2.0.8+, rebuilt here from
 * its documented design, because `format()` of a prefix set prints the
 * trie's nodes and users (and BIRD's own test suite) compare that text:
 * node prefix lengths are multiples of 4, each node carries an `accept`
 * mask of prefix lengths and a 15-bit `local` bitmap of the prefixes that
 * lie inside its 4-bit stride. Matching walks at most len/4 + 1 nodes.
 */
#ifndef TERN_FILTER_TRIE_H
#define TERN_FILTER_TRIE_H

#include "filter/data.h"

struct f_trie;

/* ipv6: 0 for IPv4, 1 for IPv6, -1 to take the family of the first prefix. */
struct f_trie *f_trie_new(linpool *lp, int ipv6);

/* Adds pattern net{l,h} (0 <= l <= h <= max length). Returns 1, or 0 if
 * the net's family differs from the trie's or the range is invalid; the
 * caller reports "Mixed IPv4/IPv6 prefixes in prefix set". */
int trie_add_prefix(struct f_trie *t, const net_addr *net, uint l, uint h);

/* 1 if some pattern matches net; a net of the other family never does. */
int trie_match_net(const struct f_trie *t, const net_addr *net);

/* NET_IP4, NET_IP6, or 0 while an undecided trie is still empty. */
int trie_family(const struct f_trie *t);
int trie_is_empty(const struct f_trie *t);

int trie_same(const struct f_trie *a, const struct f_trie *b);

/* BIRD's text form: "[10.0.0.0/8{1.0.0.0}, ...]". */
void trie_format(const struct f_trie *t, struct strbuf *sb);

/* Calls cb once per entry of the format above: a net and the accepted
 * lengths lo..hi (one call per contiguous run of the mask). Lengths below
 * the net's own length mean "the net truncated to that length". */
typedef void (*trie_walk_fn)(void *arg, const net_addr *net, uint lo, uint hi);
void trie_walk(const struct f_trie *t, trie_walk_fn cb, void *arg);

#endif
