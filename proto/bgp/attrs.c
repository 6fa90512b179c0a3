/*
 * proto/bgp/attrs.c: the BGP path attribute table.
 *
 * One entry per attribute: the filter name (bgp_path), the filter type,
 * the type code on the wire, the flags it is sent with, and the label and
 * value format of `show route all` (BIRD's: "BGP.as_path: 65002 65003").
 * bgp_attrs_init() registers them with nest, which gives each an id; the
 * filter language picks up every registered name as an attribute symbol.
 */
#include "proto/bgp/bgp.h"
#include "filter/data.h"
#include "filter/aspath.h"
#include "filter/aset.h"
#include "lib/buffer.h"
#include "lib/printf.h"

/* RFC 4271 4.3: ORIGIN values */
static void fmt_origin(const eattr *a, struct strbuf *sb)
{
  static const char *const names[] = { "IGP", "EGP", "Incomplete" };
  sb_puts(sb, a->u.data < 3 ? names[a->u.data] : "?");
}

static void fmt_path(const eattr *a, struct strbuf *sb) { as_path_format(a->u.ptr, sb); }
static void fmt_clist(const eattr *a, struct strbuf *sb) { int_set_format(a->u.ptr, sb); }
static void fmt_eclist(const eattr *a, struct strbuf *sb) { ec_set_format(a->u.ptr, sb); }
static void fmt_lclist(const eattr *a, struct strbuf *sb) { lc_set_format(a->u.ptr, sb); }

static void fmt_quad(const eattr *a, struct strbuf *sb)
{
  char buf[IP4_BUFSIZE];
  ip4_ntop(ip4_from_u32(a->u.data), buf);
  sb_puts(sb, buf);
}

/* CLUSTER_LIST holds router ids: printed as addresses, as BIRD does. */
static void fmt_cluster_list(const eattr *a, struct strbuf *sb)
{
  const struct adata *ad = a->u.ptr;
  uint n = ad ? ad->length / 4 : 0;
  for (uint i = 0; i < n; i++)
  {
    char buf[IP4_BUFSIZE];
    ip4_ntop(ip4_from_u32(((const u32 *) ad->data)[i]), buf);
    if (i)
      sb_puts(sb, " ");
    sb_puts(sb, buf);
  }
}

/* AGGREGATOR (RFC 4271 4.3 g, RFC 6793): 4-byte ASN then the IPv4 address,
   shown as "<ip> AS<asn>" like BIRD. */
static void fmt_aggregator(const eattr *a, struct strbuf *sb)
{
  const struct adata *ad = a->u.ptr;
  if (!ad || ad->length != 8)
  {
    sb_puts(sb, "(invalid)");
    return;
  }
  const byte *d = ad->data;
  u32 asn = (u32) d[0] << 24 | d[1] << 16 | d[2] << 8 | d[3];
  u32 ip = (u32) d[4] << 24 | d[5] << 16 | d[6] << 8 | d[7];
  char buf[IP4_BUFSIZE + 20];
  ip4_ntop(ip4_from_u32(ip), buf);
  sb_printf(sb, "%s AS%u", buf, asn);
}

static void fmt_atomic(const eattr *a, struct strbuf *sb) { (void) a; }

#define TRANS (BAF_TRANSITIVE)
#define OPT_TRANS (BAF_OPTIONAL | BAF_TRANSITIVE)

static struct bgp_attr_desc bgp_attr_table[] = {
  { { "bgp_origin", "BGP.origin", T_ENUM_BGP_ORIGIN, PROTOCOL_BGP, 0, 0, BA_ORIGIN, 0, fmt_origin }, TRANS },
  { { "bgp_path", "BGP.as_path", T_PATH, PROTOCOL_BGP, 0, 0, BA_AS_PATH, 0, fmt_path }, TRANS },
  { { "bgp_next_hop", "BGP.next_hop", T_IP, PROTOCOL_BGP, 0, 0, BA_NEXT_HOP, 0, NULL }, TRANS },
  { { "bgp_med", "BGP.med", T_INT, PROTOCOL_BGP, 0, 0, BA_MULTI_EXIT_DISC, 0, NULL }, BAF_OPTIONAL },
  { { "bgp_local_pref", "BGP.local_pref", T_INT, PROTOCOL_BGP, 0, 0, BA_LOCAL_PREF, 0, NULL }, TRANS },
  { { "bgp_atomic_aggr", "BGP.atomic_aggr", T_BOOL, PROTOCOL_BGP, 0, 0, BA_ATOMIC_AGGR, 0, fmt_atomic }, TRANS },
  { { "bgp_aggregator", "BGP.aggregator", T_BYTESTRING, PROTOCOL_BGP, 1, 0, BA_AGGREGATOR, 0, fmt_aggregator }, OPT_TRANS },
  { { "bgp_community", "BGP.community", T_CLIST, PROTOCOL_BGP, 0, 0, BA_COMMUNITY, 0, fmt_clist }, OPT_TRANS },
  { { "bgp_originator_id", "BGP.originator_id", T_QUAD, PROTOCOL_BGP, 0, 0, BA_ORIGINATOR_ID, 0, fmt_quad }, BAF_OPTIONAL },
  { { "bgp_cluster_list", "BGP.cluster_list", T_CLIST, PROTOCOL_BGP, 0, 0, BA_CLUSTER_LIST, 0, fmt_cluster_list }, BAF_OPTIONAL },
  { { "bgp_ext_community", "BGP.ext_community", T_ECLIST, PROTOCOL_BGP, 0, 0, BA_EXT_COMMUNITY, 0, fmt_eclist }, OPT_TRANS },
  { { "bgp_aigp", "BGP.aigp", T_INT, PROTOCOL_BGP, 0, 0, BA_AIGP, 0, NULL }, BAF_OPTIONAL },
  { { "bgp_large_community", "BGP.large_community", T_LCLIST, PROTOCOL_BGP, 0, 0, BA_LARGE_COMMUNITY, 0, fmt_lclist }, OPT_TRANS },
  { { "bgp_otc", "BGP.otc", T_INT, PROTOCOL_BGP, 0, 0, BA_ONLY_TO_CUSTOMER, 0, NULL }, OPT_TRANS },
};

void bgp_attrs_init(void)
{
  for (uint i = 0; i < ARRAY_SIZE(bgp_attr_table); i++)
    ea_register(&bgp_attr_table[i].cls);
}

const struct bgp_attr_desc *bgp_attr_by_code(uint code)
{
  for (uint i = 0; i < ARRAY_SIZE(bgp_attr_table); i++)
    if (bgp_attr_table[i].cls.proto_code == code)
      return &bgp_attr_table[i];
  return NULL;
}

uint bgp_attr_id(uint code)
{
  const struct bgp_attr_desc *d = bgp_attr_by_code(code);
  return d ? d->cls.id : 0;
}
