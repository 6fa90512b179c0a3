/*
 * proto/bgp/bgp.h: BGP attributes as the rest of the daemon sees them.
 *
 * The BGP protocol itself comes later; its path attributes exist already
 * so that filters can read and write them (route servers live in their
 * filters). One table in attrs.c describes every attribute: filter name,
 * type, RFC 4271 type code and `show route all` label. The protocol will
 * add wire codecs to the same table.
 */
#ifndef TERN_PROTO_BGP_BGP_H
#define TERN_PROTO_BGP_BGP_H

#include "nest/route.h"

/* Path attribute type codes (IANA "BGP Path Attributes"). */
#define BA_ORIGIN 1             /* RFC 4271 4.3 */
#define BA_AS_PATH 2
#define BA_NEXT_HOP 3
#define BA_MULTI_EXIT_DISC 4
#define BA_LOCAL_PREF 5
#define BA_ATOMIC_AGGR 6
#define BA_AGGREGATOR 7
#define BA_COMMUNITY 8          /* RFC 1997 */
#define BA_ORIGINATOR_ID 9      /* RFC 4456 */
#define BA_CLUSTER_LIST 10      /* RFC 4456 */
#define BA_EXT_COMMUNITY 16     /* RFC 4360 */
#define BA_AIGP 26              /* RFC 7311 */
#define BA_LARGE_COMMUNITY 32   /* RFC 8092 */
#define BA_ONLY_TO_CUSTOMER 35  /* RFC 9234 */

/* Attribute flags (RFC 4271 4.3) */
#define BAF_OPTIONAL 0x80
#define BAF_TRANSITIVE 0x40
#define BAF_PARTIAL 0x20
#define BAF_EXT_LEN 0x10

#define PROTOCOL_BGP 1          /* ea_class.proto_class of BGP attributes */

struct bgp_attr_desc {
  struct ea_class cls;          /* name, label, type, code; registered */
  u8 flags;                     /* BAF_* the attribute is sent with */
};

/* Registers the table with nest (ea_register); call before filter_init(). */
void bgp_attrs_init(void);
/* The descriptor of a path attribute code, or NULL. */
const struct bgp_attr_desc *bgp_attr_by_code(uint code);
/* The registry id of a path attribute code, 0 if unknown. */
uint bgp_attr_id(uint code);

#endif
