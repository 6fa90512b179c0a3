/*
 * filter/data.c: type names, comparison, `~` and formatting of values.
 *
 * These are the semantics users observe, so they follow BIRD 2.0.12
 * (checked with bird2's `eval`, see data_test.c):
 *  - `<` etc. need an order: scalars, IPs, nets, strings. Lists and masks
 *    only compare equal-or-error, sets never (val_compare gives
 *    F_CMP_ERROR, the interpreter reports "Can't compare values of
 *    incompatible types"). A quad and an IPv4 address compare as numbers.
 *  - `=` uses val_same(), which also deep-compares sets, tries and masks.
 *  - `~` is element-in-container: int ~ bgppath, pair ~ clist, ip ~ net,
 *    net ~ net, net ~ prefix set, x ~ set, list ~ set (any element),
 *    bgppath ~ bgpmask, string ~ shell pattern.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "filter/data.h"
#include "filter/tree.h"
#include "filter/trie.h"
#include "filter/aspath.h"
#include "filter/aset.h"
#include "lib/buffer.h"

static const char *const type_names[256] = {
  [T_VOID] = "void",
  [T_INT] = "int", [T_BOOL] = "bool", [T_PAIR] = "pair", [T_QUAD] = "quad",
  [T_ENUM_RTS] = "enum rts", [T_ENUM_BGP_ORIGIN] = "enum bgp_origin",
  [T_ENUM_SCOPE] = "enum scope", [T_ENUM_RTC] = "enum rtc", [T_ENUM_RTD] = "enum rtd",
  [T_ENUM_ROA] = "enum roa", [T_ENUM_NETTYPE] = "enum net_type",
  [T_ENUM_RA_PREFERENCE] = "enum ra_preference", [T_ENUM_AF] = "enum af",
  [T_ENUM_ASPA] = "enum aspa",
  [T_IP] = "ip", [T_NET] = "prefix", [T_STRING] = "string",
  [T_PATH_MASK] = "bgpmask", [T_PATH] = "bgppath", [T_CLIST] = "clist",
  [T_EC] = "ec", [T_ECLIST] = "eclist", [T_LC] = "lc", [T_LCLIST] = "lclist",
  [T_RD] = "rd", [T_PATH_MASK_ITEM] = "path mask item", [T_BYTESTRING] = "bytestring",
  [T_SET] = "set", [T_PREFIX_SET] = "prefix set",
};

const char *f_type_name(enum f_type t)
{
  if ((uint) t < 256 && type_names[t])
    return type_names[t];
  return f_type_is_enum(t) ? "enum" : "?";
}

enum f_type f_type_element_type(enum f_type t)
{
  switch (t)
  {
  case T_PATH: return T_INT;
  case T_CLIST: return T_PAIR;
  case T_ECLIST: return T_EC;
  case T_LCLIST: return T_LC;
  case T_PREFIX_SET: return T_NET;
  default: return T_VOID;
  }
}

char *f_ip6_ntop(ip6_addr a, char *buf)
{
  byte raw[16];
  ip6_put(raw, a);
  if (!inet_ntop(AF_INET6, raw, buf, IP6_BUFSIZE))
    ip6_ntop(a, buf);
  return buf;
}

static char *f_ipa_ntop(ip_addr a, char *buf)
{
  return ipa_is_ip4(a) ? ip4_ntop(ipa_to_ip4(a), buf) : f_ip6_ntop(a, buf);
}

int adata_same(const struct adata *a, const struct adata *b)
{
  uint la = a ? a->length : 0, lb = b ? b->length : 0;
  return la == lb && (!la || !memcmp(a->data, b->data, la));
}

static inline int cmp_u(u64 a, u64 b) { return (a > b) - (a < b); }

static int val_is_ip4(const struct f_val *v)
{
  return v->type == T_IP && ipa_is_ip4(v->val.ip);
}

static int cmp_mixed(const struct f_val *a, const struct f_val *b)
{
  /* BIRD's hack: void sorts before everything (used by `else`). */
  if (a->type == T_VOID)
    return -1;
  if (b->type == T_VOID)
    return 1;
  if (a->type == T_QUAD && val_is_ip4(b))
    return cmp_u(a->val.i, ipa_to_ip4(b->val.ip).addr);
  if (val_is_ip4(a) && b->type == T_QUAD)
    return cmp_u(ipa_to_ip4(a->val.ip).addr, b->val.i);
  return F_CMP_ERROR;
}

int val_compare(const struct f_val *a, const struct f_val *b)
{
  if (a->type != b->type)
    return cmp_mixed(a, b);

  switch (a->type)
  {
  case T_VOID: return 0;
  case T_INT: case T_BOOL: case T_PAIR: case T_QUAD:
    return cmp_u(a->val.i, b->val.i);
  case T_EC: return cmp_u(a->val.ec, b->val.ec);
  case T_RD: return cmp_u(a->val.rd, b->val.rd);
  case T_LC: return lc_cmp(a->val.lc, b->val.lc);
  case T_IP: return ipa_compare(a->val.ip, b->val.ip);
  case T_NET: return net_compare(a->val.net, b->val.net);
  case T_STRING:
  {
    int c = strcmp(a->val.s, b->val.s);
    return (c > 0) - (c < 0);
  }
  case T_PATH: case T_CLIST: case T_ECLIST: case T_LCLIST: case T_BYTESTRING:
    return adata_same(a->val.ad, b->val.ad) ? 0 : F_CMP_ERROR;
  case T_PATH_MASK:
    return pm_same(a->val.path_mask, b->val.path_mask) ? 0 : F_CMP_ERROR;
  default:
    if (f_type_is_enum(a->type))
      return cmp_u(a->val.i, b->val.i);
    return F_CMP_ERROR;
  }
}

int val_same(const struct f_val *a, const struct f_val *b)
{
  int c = val_compare(a, b);
  if (c != F_CMP_ERROR)
    return !c;
  if (a->type != b->type)
    return 0;
  switch (a->type)
  {
  case T_SET: return ft_same(a->val.t, b->val.t);
  case T_PREFIX_SET: return trie_same(a->val.ti, b->val.ti);
  case T_PATH_MASK_ITEM: return pmi_same(&a->val.pmi, &b->val.pmi);
  default: return 0;
  }
}

static int in_set(const struct f_val *v, const struct f_tree *t)
{
  if (!ft_count(t))
    return 0;
  if (v->type == t->type || (v->type == T_QUAD && t->type == T_IP))
    return !!ft_find(t, v);

  switch (v->type)
  {
  case T_CLIST: return int_set_match_set(v->val.ad, t);
  case T_ECLIST: return ec_set_match_set(v->val.ad, t);
  case T_LCLIST: return lc_set_match_set(v->val.ad, t);
  case T_PATH: return as_path_match_set(v->val.ad, t);
  default: return F_CMP_ERROR;
  }
}

int val_in_range(const struct f_val *v, const struct f_val *set)
{
  switch (set->type)
  {
  case T_SET:
    return in_set(v, set->val.t);
  case T_PREFIX_SET:
    return v->type == T_NET ? trie_match_net(set->val.ti, v->val.net) : F_CMP_ERROR;
  case T_PATH_MASK:
    return v->type == T_PATH ? as_path_match(v->val.ad, set->val.path_mask) : F_CMP_ERROR;
  case T_PATH:
    return v->type == T_INT ? as_path_contains(set->val.ad, v->val.i, 1) : F_CMP_ERROR;
  case T_CLIST:
    return (v->type == T_PAIR || v->type == T_QUAD) ? int_set_contains(set->val.ad, v->val.i) : F_CMP_ERROR;
  case T_ECLIST:
    return v->type == T_EC ? ec_set_contains(set->val.ad, v->val.ec) : F_CMP_ERROR;
  case T_LCLIST:
    return v->type == T_LC ? lc_set_contains(set->val.ad, v->val.lc) : F_CMP_ERROR;
  case T_STRING:
    return v->type == T_STRING ? !!patmatch(set->val.s, v->val.s) : F_CMP_ERROR;
  case T_NET:
    if (v->type == T_IP)
      return ipa_in_netx(v->val.ip, set->val.net);
    if (v->type == T_NET)
      return net_in_netx(v->val.net, set->val.net);
    return F_CMP_ERROR;
  default:
    return F_CMP_ERROR;
  }
}

static void wrap_list(struct strbuf *sb, const char *name, const struct f_val *v)
{
  sb_puts(sb, "(");
  sb_puts(sb, name);
  sb_puts(sb, " ");
  switch (v->type)
  {
  case T_PATH: as_path_format(v->val.ad, sb); break;
  case T_CLIST: int_set_format(v->val.ad, sb); break;
  case T_ECLIST: ec_set_format(v->val.ad, sb); break;
  default: lc_set_format(v->val.ad, sb); break;
  }
  sb_puts(sb, ")");
}

static void bytes_format(const struct adata *ad, struct strbuf *sb)
{
  char buf[4];
  for (uint i = 0; ad && i < ad->length; i++)
  {
    snprintf(buf, sizeof(buf), "%s%02x", i ? ":" : "", ad->data[i]);
    sb_puts(sb, buf);
  }
}

static void scalar_format(const struct f_val *v, struct strbuf *sb)
{
  char buf[NET_BUFSIZE + 16];
  switch (v->type)
  {
  case T_VOID: strcpy(buf, "(void)"); break;
  case T_BOOL: strcpy(buf, v->val.i ? "TRUE" : "FALSE"); break;
  case T_INT: snprintf(buf, sizeof(buf), "%u", v->val.i); break;
  case T_PAIR: snprintf(buf, sizeof(buf), "(%u,%u)", v->val.i >> 16, v->val.i & 0xffff); break;
  case T_QUAD: ip4_ntop(ip4_from_u32(v->val.i), buf); break;
  case T_IP: f_ipa_ntop(v->val.ip, buf); break;
  case T_NET: net_format(v->val.net, buf, sizeof(buf)); break;
  case T_LC:
    snprintf(buf, sizeof(buf), "(%u, %u, %u)", v->val.lc.asn, v->val.lc.ldp1, v->val.lc.ldp2);
    break;
  default:
    if (f_type_is_enum(v->type))
      snprintf(buf, sizeof(buf), "(enum %x)%u", v->type, v->val.i);
    else
      snprintf(buf, sizeof(buf), "[No format for type %s]", f_type_name(v->type));
  }
  sb_puts(sb, buf);
}

void val_format(const struct f_val *v, struct strbuf *sb)
{
  switch (v->type)
  {
  case T_STRING: sb_puts(sb, v->val.s); break;
  case T_EC: ec_format(v->val.ec, sb); break;
  case T_RD: { char b[48]; rd_format(v->val.rd, b, sizeof(b)); sb_puts(sb, b); break; }
  case T_PATH: wrap_list(sb, "path", v); break;
  case T_CLIST: wrap_list(sb, "clist", v); break;
  case T_ECLIST: wrap_list(sb, "eclist", v); break;
  case T_LCLIST: wrap_list(sb, "lclist", v); break;
  case T_BYTESTRING: bytes_format(v->val.ad, sb); break;
  case T_PATH_MASK: pm_format(v->val.path_mask, sb); break;
  case T_PATH_MASK_ITEM: pmi_format(&v->val.pmi, sb); break;
  case T_SET: ft_format(v->val.t, sb); break;
  case T_PREFIX_SET: trie_format(v->val.ti, sb); break;
  default: scalar_format(v, sb); break;
  }
}

char *val_format_str(linpool *lp, const struct f_val *v)
{
  struct strbuf sb;
  sb_init(&sb);
  val_format(v, &sb);
  char *s = lp_strdup(lp, sb_str(&sb));
  sb_free(&sb);
  return s;
}
