/*
 * nest/aspa.h: ASPA-based AS_PATH verification, the algorithm alone.
 *
 * Given a way to ask "does customer AS C attest provider AS P?", tell
 * whether an AS_PATH is Valid, Invalid or Unknown, following
 * draft-ietf-sidrops-aspa-verification-16 (the revision BIRD 2.16 cites).
 * The result values are BIRD's ASPA_* filter constants. No tables here:
 * the caller's lookup answers from an ASPA table (or a test's array).
 */
#ifndef TERN_NEST_ASPA_H
#define TERN_NEST_ASPA_H

#include "lib/tern.h"
#include "lib/resource.h"

struct adata;

enum aspa_result { ASPA_UNKNOWN = 0, ASPA_VALID = 1, ASPA_INVALID = 2 };

/* For customer AS `cas`: 0 = no ASPA record at all, 1 = record exists and
 * `pas` is among its providers, -1 = record exists and `pas` is not (always
 * so for a "transit" record, one without providers). With several records
 * for one customer, answer for the union of their providers. */
typedef int (*aspa_lookup_fn)(void *ctx, u32 cas, u32 pas);

/* asns[0] is the neighbour (first in bgp_path), asns[n-1] the origin.
 * Consecutive repeats (prepends) count as one AS. upstream != 0 selects the
 * algorithm for paths from customers and lateral peers (every hop must be
 * customer-to-provider); 0 the one for paths from providers (an up-ramp,
 * at most one peer hop, a down-ramp). n = 0 is Invalid. Calls lookup at
 * most 2 * (n - 1) times, never with cas == pas, and allocates nothing. */
enum aspa_result aspa_verify(const u32 *asns, uint n, int upstream,
                             aspa_lookup_fn lookup, void *ctx);

/* The same on a wire-format AS_PATH (filter/aspath.h). Invalid for an empty
 * path, any AS_SET or confederation segment, and a malformed encoding.
 * Scratch space comes from the stack for paths up to 128 ASNs, else from
 * tmp (left allocated; flush it as usual), else from xmalloc(). */
enum aspa_result aspa_verify_path(const struct adata *path, int upstream,
                                  aspa_lookup_fn lookup, void *ctx, linpool *tmp);

#endif
