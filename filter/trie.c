/*
 * filter/trie.c: prefix-set tries (see trie.h for the model).
 *
 * Addresses of both families are held left-aligned in an unsigned
 * 128-bit integer (an IPv4 prefix occupies the top 32 bits), so one
 * implementation serves both and bit operations are plain shifts.
 *
 * Node invariants:
 *  - plen is a multiple of 4; addr has no bits set beyond plen;
 *    children are indexed by the 4 address bits after plen.
 *  - accept has the bit for length L (at position L-1 from the top) when
 *    every prefix of length L that is a super- or subprefix of addr on
 *    this path is in the set. Ancestors get the bits of lengths up to their
 *    own plen copied in, so a walk for a short prefix stops early.
 *  - local bit pos (1..15) stands for one prefix inside the node's stride:
 *    pos = 2^d + (the d address bits after plen), i.e. a heap layout
 *    (1 = the node prefix, 2,3 = its halves, 4..7, 8..15).
 * Patterns with a length that is not a multiple of 4 are split: lengths
 * inside the stride go to the primary node's local bitmap, longer ones to
 * the "secondary" nodes one stride below.
 */
#include <stdio.h>
#include <string.h>

#include "filter/trie.h"
#include "lib/buffer.h"

typedef unsigned __int128 u128;

#define STEP 4
#define FANOUT (1 << STEP)

struct trie_node {
  u128 addr, accept;
  uint plen;
  uint local;
  struct trie_node *c[FANOUT];
};

struct f_trie {
  linpool *lp;
  int ipv6;                     /* -1 undecided */
  int zero;                     /* ::/0 or 0.0.0.0/0 length 0 accepted */
  struct trie_node root;
};

static inline u128 mk(uint len)
{
  return len ? (~(u128) 0) << (128 - len) : 0;
}

/* n bits starting at position pos (0 = top) as a small integer */
static inline uint getbits(u128 a, uint pos, uint n)
{
  return n ? (uint) ((a << pos) >> (128 - n)) : 0;
}

static inline int getbit(u128 a, uint pos)
{
  return (int) ((a >> (127 - pos)) & 1);
}

static inline uint common_len(u128 a, u128 b)
{
  u128 x = a ^ b;
  u64 hi = (u64) (x >> 64), lo = (u64) x;
  if (hi)
    return __builtin_clzll(hi);
  return lo ? 64 + __builtin_clzll(lo) : 128;
}

/* bits of level `level` below heap position pos, e.g. (1, 2) = 0xf0 */
static inline uint level_mask(uint pos, uint level)
{
  return ((1u << (1u << level)) - 1) << (pos << level);
}

static inline uint local_bit(u128 px, uint len, uint nlen)
{
  uint d = len - nlen;
  return 1u << ((1u << d) + getbits(px, nlen, d));
}

/* Local bits of node (length nlen) for the lengths accepted by amask that
 * fall into its stride, taken along px. */
static uint amask_to_local(u128 px, u128 amask, uint nlen)
{
  uint local = 0;
  for (uint len = MAX(nlen, 1); len < nlen + STEP; len++)
    if (len <= 128 && getbit(amask, len - 1))
      local |= local_bit(px, len, nlen);
  return local;
}

static u128 net_key(const net_addr *n)
{
  if (net_is_ip4(n))
    return (u128) net4_prefix(n).addr << 96;
  ip6_addr a = net6_prefix(n);
  return ((u128) a.addr[0] << 96) | ((u128) a.addr[1] << 64) |
         ((u128) a.addr[2] << 32) | a.addr[3];
}

struct f_trie *f_trie_new(linpool *lp, int ipv6)
{
  struct f_trie *t = lp_allocz(lp, sizeof(*t));
  t->lp = lp;
  t->ipv6 = ipv6;
  return t;
}

int trie_family(const struct f_trie *t)
{
  return t->ipv6 < 0 ? 0 : (t->ipv6 ? NET_IP6 : NET_IP4);
}

int trie_is_empty(const struct f_trie *t)
{
  const struct trie_node *r = &t->root;
  if (t->zero || r->accept || r->local)
    return 0;
  for (int i = 0; i < FANOUT; i++)
    if (r->c[i])
      return 0;
  return 1;
}

static struct trie_node *new_node(struct f_trie *t, uint plen, uint local, u128 addr, u128 accept)
{
  struct trie_node *n = lp_allocz(t->lp, sizeof(*n));
  n->plen = plen;
  n->local = local;
  n->addr = addr;
  n->accept = accept;
  return n;
}

static void attach(struct trie_node *parent, struct trie_node *child)
{
  parent->c[getbits(child->addr, parent->plen, STEP)] = child;
}

/* The path from the root diverges from n before n->plen: put a branching
 * node at the last common stride boundary with n and the new node a below. */
static void insert_branch(struct f_trie *t, struct trie_node *o, struct trie_node *n,
                          struct trie_node *a, u128 px)
{
  uint blen = common_len(a->addr, n->addr) & ~(STEP - 1u);
  u128 bm = mk(blen);
  uint bloc = amask_to_local(n->addr, n->accept, blen) | amask_to_local(a->addr, a->accept, blen);
  struct trie_node *b = new_node(t, blen, bloc, px & bm, (a->accept | n->accept) & bm);
  attach(o, b);
  attach(b, n);
  attach(b, a);
}

/* Adds an aligned node plen (multiple of 4) accepting lengths l..h along px,
 * plus the given local bits. */
static void add_node(struct f_trie *t, uint plen, u128 px, uint local, uint l, uint h)
{
  uint l1 = l ? l - 1 : 0;
  u128 amask = (l1 < h) ? (mk(h) ^ mk(l1)) : 0;
  u128 pm = mk(plen), paddr = px & pm;
  struct trie_node *o = NULL, *n = &t->root;

  for (uint i = 0; i < STEP; i++)
    if (l <= plen + i && plen + i <= h)
      local |= level_mask(1, i);

  while (n)
  {
    if ((paddr ^ n->addr) & mk(MIN(plen, n->plen)))
    {
      insert_branch(t, o, n, new_node(t, plen, local, paddr, amask), px);
      return;
    }
    if (plen < n->plen)
    {
      /* new node between o and n inherits what n accepts above plen */
      amask |= n->accept & pm;
      local |= amask_to_local(n->addr, n->accept, plen);
      struct trie_node *a = new_node(t, plen, local, paddr, amask);
      attach(o, a);
      attach(a, n);
      return;
    }
    if (plen == n->plen)
    {
      n->accept |= amask;
      n->local |= local;
      return;
    }
    /* passing through: record the shorter accepted lengths here too */
    n->accept |= amask & mk(n->plen);
    n->local |= amask_to_local(paddr, amask, n->plen);
    o = n;
    n = n->c[getbits(paddr, n->plen, STEP)];
  }
  attach(o, new_node(t, plen, local, paddr, amask));
}

/* Local bits of the primary node for an unaligned pattern: lengths in the
 * stride, each covering all its extensions of px/plen. */
static uint unaligned_local(u128 px, uint plen, uint nlen, uint l, uint h)
{
  uint local = 0;
  for (uint i = 0; i < STEP; i++)
  {
    uint len = nlen + i;
    if (len < l || len > h)
      continue;
    uint pos = (1u << i) + getbits(px, nlen, i);
    uint cnt = (len <= plen) ? 1 : (1u << (len - plen));
    local |= ((1u << cnt) - 1) << pos;
  }
  return local;
}

int trie_add_prefix(struct f_trie *t, const net_addr *net, uint l, uint h)
{
  int v6 = net_is_ip6(net);
  uint maxlen = v6 ? 128 : 32;
  uint plen = net_pxlen(net);

  if (!net_is_ip4(net) && !v6)
    return 0;
  if (t->ipv6 >= 0 && t->ipv6 != v6)
    return 0;
  if (l > h || h > maxlen || plen > maxlen)
    return 0;
  t->ipv6 = v6;

  u128 px = net_key(net) & mk(plen);
  if (l == 0)
    t->zero = 1;
  if (h < plen)
    plen = h;

  uint nlen = plen & ~(STEP - 1u);
  if (plen == nlen)
  {
    add_node(t, nlen, px, 0, l, h);
    return 1;
  }

  uint slen = nlen + STEP;
  if (l < slen)
    add_node(t, nlen, px, unaligned_local(px, plen, nlen, l, h), l, nlen);
  if (slen <= h)
  {
    uint l2 = MAX(l, slen);
    for (uint i = 0; i < (1u << (slen - plen)); i++)
      add_node(t, slen, (px & mk(plen)) | ((u128) i << (128 - slen)), 0, l2, h);
  }
  return 1;
}

static int match_key(const struct f_trie *t, u128 px, uint plen)
{
  if (plen == 0)
    return t->zero;

  uint nlen = plen & ~(STEP - 1u);
  uint lbit = local_bit(px, plen, nlen);
  const struct trie_node *n = &t->root;

  while (n)
  {
    if ((px ^ n->addr) & mk(MIN(plen, n->plen)))
      return 0;
    if (n->plen == nlen && (n->local & lbit))
      return 1;
    if (getbit(n->accept, plen - 1))
      return 1;
    if (nlen <= n->plen)
      return 0;
    n = n->c[getbits(px, n->plen, STEP)];
  }
  return 0;
}

/*
 * match_key() for IPv4 (the route-server bogon check runs it per route):
 * an IPv4 key and every node of an IPv4 trie live in the top 32 bits of
 * their u128, so the same walk is done on the top 64-bit halves, with
 * 64-bit shifts and masks instead of 128-bit ones.
 */
static inline u64 hi64(u128 x) { return (u64) (x >> 64); }

static int match_key4(const struct f_trie *t, u64 px, uint plen)
{
  if (plen == 0)
    return t->zero;

  uint nlen = plen & ~(STEP - 1u), d = plen - nlen;
  uint lbit = 1u << ((1u << d) + (d ? (uint) ((px << nlen) >> (64 - d)) : 0));
  const struct trie_node *n = &t->root;

  while (n)
  {
    uint m = MIN(plen, n->plen);
    if (m && ((px ^ hi64(n->addr)) >> (64 - m)))
      return 0;
    if (n->plen == nlen && (n->local & lbit))
      return 1;
    if ((hi64(n->accept) >> (64 - plen)) & 1)
      return 1;
    if (nlen <= n->plen)
      return 0;
    n = n->c[(px << n->plen) >> (64 - STEP)];
  }
  return 0;
}

int trie_match_net(const struct f_trie *t, const net_addr *net)
{
  if (!t || t->ipv6 < 0)
    return 0;
  if (t->ipv6 ? !net_is_ip6(net) : !net_is_ip4(net))
    return 0;
  uint plen = net_pxlen(net);
  if (!t->ipv6)
    return match_key4(t, hi64(net_key(net) & mk(plen)), plen);
  return match_key(t, net_key(net) & mk(plen), plen);
}

static int node_same(const struct trie_node *a, const struct trie_node *b)
{
  if (!a || !b)
    return a == b;
  if (a->plen != b->plen || a->addr != b->addr || a->accept != b->accept || a->local != b->local)
    return 0;
  for (int i = 0; i < FANOUT; i++)
    if (!node_same(a->c[i], b->c[i]))
      return 0;
  return 1;
}

int trie_same(const struct f_trie *a, const struct f_trie *b)
{
  if (trie_is_empty(a) || trie_is_empty(b))
    return trie_is_empty(a) && trie_is_empty(b);
  return a->zero == b->zero && a->ipv6 == b->ipv6 && node_same(&a->root, &b->root);
}

/*
 * Entries as BIRD prints them: the node itself when it accepts any length,
 * then the local prefixes not already implied by the accept mask, each
 * local subtree that is full for i levels collapsed into one entry with i
 * accepted lengths.
 */
typedef void (*entry_fn)(void *arg, u128 addr, uint plen, u128 mask);

static uint floor_log2(uint x)
{
  return 31 - __builtin_clz(x);
}

static void node_entries(const struct trie_node *n, entry_fn fn, void *arg)
{
  if (!n)
    return;
  if (n->accept)
    fn(arg, n->addr, n->plen, n->accept);

  uint local = n->local;
  for (uint i = n->plen ? 0 : 1; i < STEP; i++)
    if (n->plen + i <= 128 && getbit(n->accept, n->plen + i - 1))
      local &= ~level_mask(1, i);

  for (uint pos = 2; local && pos < FANOUT; pos++)
  {
    if (!(local & (1u << pos)))
      continue;
    uint lvl = floor_log2(pos), len = n->plen + lvl, i = 0;
    for (; lvl + i < STEP; i++)
    {
      uint lm = level_mask(pos, i);
      if ((local & lm) != lm)
        break;
      local &= ~lm;
    }
    u128 addr = n->addr | ((u128) (pos & ((1u << lvl) - 1)) << (128 - len));
    u128 mask = (u128) ((1u << i) - 1) << (128 - (len + i - 1));
    fn(arg, addr, len, mask);
  }

  for (int i = 0; i < FANOUT; i++)
    node_entries(n->c[i], fn, arg);
}

static void key_format(u128 a, int v6, char *buf)
{
  if (!v6)
  {
    ip4_ntop(ip4_from_u32((u32) (a >> 96)), buf);
    return;
  }
  ip6_addr x = ip6_build((u32) (a >> 96), (u32) (a >> 64), (u32) (a >> 32), (u32) a);
  f_ip6_ntop(x, buf);
}

struct format_ctx {
  struct strbuf *sb;
  int v6;
};

static void format_entry(void *arg, u128 addr, uint plen, u128 mask)
{
  struct format_ctx *c = arg;
  char a[IP6_BUFSIZE], m[IP6_BUFSIZE], out[2 * IP6_BUFSIZE + 16];
  key_format(addr, c->v6, a);
  key_format(mask, c->v6, m);
  snprintf(out, sizeof(out), ", %s/%u{%s}", a, plen, m);
  sb_puts(c->sb, out);
}

void trie_format(const struct f_trie *t, struct strbuf *sb)
{
  /* Entries are written with a leading separator into a temporary buffer
   * so that the first one can drop it. */
  struct strbuf tmp;
  sb_init(&tmp);
  struct format_ctx c = { &tmp, t->ipv6 > 0 };
  if (t->zero)
    sb_puts(&tmp, c.v6 ? ", ::/0" : ", 0.0.0.0/0");
  node_entries(&t->root, format_entry, &c);
  sb_puts(sb, "[");
  const char *s = sb_str(&tmp);
  sb_puts(sb, *s ? s + 2 : s);
  sb_puts(sb, "]");
  sb_free(&tmp);
}

struct walk_ctx {
  trie_walk_fn cb;
  void *arg;
  int v6;
};

static void walk_entry(void *arg, u128 addr, uint plen, u128 mask)
{
  struct walk_ctx *w = arg;
  net_addr n;
  if (w->v6)
    net_fill_ip6(&n, ip6_build((u32) (addr >> 96), (u32) (addr >> 64), (u32) (addr >> 32), (u32) addr), plen);
  else
    net_fill_ip4(&n, ip4_from_u32((u32) (addr >> 96)), plen);

  for (uint len = 1; len <= 128; len++)
  {
    if (!getbit(mask, len - 1))
      continue;
    uint hi = len;
    while (hi < 128 && getbit(mask, hi))
      hi++;
    w->cb(w->arg, &n, len, hi);
    len = hi;
  }
}

void trie_walk(const struct f_trie *t, trie_walk_fn cb, void *arg)
{
  struct walk_ctx w = { cb, arg, t->ipv6 > 0 };
  net_addr n;
  if (t->zero)
  {
    if (w.v6)
      net_fill_ip6(&n, IP6_NONE, 0);
    else
      net_fill_ip4(&n, IP4_NONE, 0);
    cb(arg, &n, 0, 0);
  }
  node_entries(&t->root, walk_entry, &w);
}
