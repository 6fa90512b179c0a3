/*
 * client/expand.c: abbreviation expansion and completion (rules in expand.h).
 *
 * Both walk the typed words with the same little state machine: first the
 * command keywords, matched position by position against the table, then
 * the arguments, matched against the command's synopsis keywords.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "client/expand.h"

#define CMD_MAX_WORDS 16    /* keywords in one command ("show ospf state all") */
#define CAND_MAX 64

struct xstate {
  const struct cli_cmd_info *table;
  struct cmd_token kw[CMD_MAX_WORDS];   /* command keywords recognised so far */
  int nkw;
  bool in_args;
  struct syn_kw syn[SYN_MAX];           /* keywords of the command's synopsis */
  int nsyn;
  bool skip_next;                       /* next word is a name, keep it */
  bool stop;                            /* rest is a filter expression */
};

int cmd_tokenize(const char *in, struct cmd_token *tok, int max)
{
  int n = 0;
  const char *p = in;
  for (;;) {
    while (*p && isspace((unsigned char) *p))
      p++;
    if (!*p)
      return n;
    if (n == max)
      return -1;
    const char *start = p;
    bool quoted = false;
    for (; *p && (quoted || !isspace((unsigned char) *p)); p++)
      if (*p == '"')
        quoted = !quoted;
    tok[n++] = (struct cmd_token) { start, (size_t) (p - start) };
  }
}

static bool tok_eq(struct cmd_token a, struct cmd_token b)
{
  return a.len == b.len && !memcmp(a.s, b.s, a.len);
}

static bool tok_is(struct cmd_token a, const char *s)
{
  return a.len == strlen(s) && !memcmp(a.s, s, a.len);
}

/* Is `p` a prefix of `full`? */
static bool tok_prefix(struct cmd_token p, struct cmd_token full)
{
  return p.len <= full.len && !memcmp(p.s, full.s, p.len);
}

/* The pos-th keyword of a table command; false if it has fewer words. */
static bool entry_word(const char *cmd, int pos, struct cmd_token *w)
{
  struct cmd_token t[CMD_MAX_WORDS + 1];
  int n = cmd_tokenize(cmd, t, CMD_MAX_WORDS + 1);
  if (n < 0 || pos >= n)
    return false;
  *w = t[pos];
  return true;
}

static int entry_nwords(const char *cmd)
{
  struct cmd_token t[CMD_MAX_WORDS + 1];
  return cmd_tokenize(cmd, t, CMD_MAX_WORDS + 1);
}

/* Do the first n keywords of the command equal kw[0..n)? */
static bool entry_starts(const char *cmd, const struct cmd_token *kw, int n)
{
  struct cmd_token w;
  for (int i = 0; i < n; i++)
    if (!entry_word(cmd, i, &w) || !tok_eq(w, kw[i]))
      return false;
  return true;
}

static const struct cli_cmd_info *complete_entry(const struct xstate *st)
{
  for (const struct cli_cmd_info *e = st->table; e->command; e++)
    if (entry_nwords(e->command) == st->nkw && entry_starts(e->command, st->kw, st->nkw))
      return e;
  return NULL;
}

static int add_cand(struct cmd_token *c, int n, struct cmd_token w)
{
  for (int i = 0; i < n; i++)
    if (tok_eq(c[i], w))
      return n;
  if (n < CAND_MAX)
    c[n++] = w;
  return n;
}

/* Distinct keywords at the next command position that `tok` prefixes. */
static int command_cands(const struct xstate *st, struct cmd_token tok, struct cmd_token *c)
{
  int n = 0;
  struct cmd_token w;
  for (const struct cli_cmd_info *e = st->table; e->command; e++)
    if (entry_starts(e->command, st->kw, st->nkw) && entry_word(e->command, st->nkw, &w)
        && tok_prefix(tok, w))
      n = add_cand(c, n, w);
  return n;
}

static int synopsis_cands(const struct syn_kw *syn, int nsyn, struct cmd_token tok,
                          struct cmd_token *c, int n)
{
  for (int i = 0; i < nsyn; i++) {
    struct cmd_token w = { syn[i].s, syn[i].len };
    if (tok_prefix(tok, w))
      n = add_cand(c, n, w);
  }
  return n;
}

/* An exact match among the candidates wins over longer keywords. */
static int pick_exact(struct cmd_token tok, struct cmd_token *c, int n)
{
  for (int i = 0; i < n; i++)
    if (tok_eq(c[i], tok)) {
      c[0] = c[i];
      return 1;
    }
  return n;
}

static void errf(char *err, size_t errlen, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
}

static void err_cands(char *err, size_t errlen, const char *what,
                      const struct cmd_token *c, int n)
{
  size_t at = (size_t) snprintf(err, errlen, "Ambiguous %s, possible expansions are:", what);
  for (int i = 0; i < n && at < errlen; i++)
    at += (size_t) snprintf(err + at, errlen - at, " %.*s", (int) c[i].len, c[i].s);
}

/* Only plain lower-case words are candidates for keyword expansion. */
static bool plain_word(struct cmd_token t)
{
  if (!t.len || !islower((unsigned char) t.s[0]))
    return false;
  for (size_t i = 0; i < t.len; i++)
    if (!islower((unsigned char) t.s[i]) && !isdigit((unsigned char) t.s[i]) && t.s[i] != '_')
      return false;
  return true;
}

static bool enter_args(struct xstate *st)
{
  const struct cli_cmd_info *e = complete_entry(st);
  if (!e)
    return false;
  st->in_args = true;
  st->nsyn = synopsis_keywords(e->args ? e->args : "", st->syn, SYN_MAX);
  return true;
}

static int arg_step(struct xstate *st, struct cmd_token tok, struct cmd_token *rep,
                    char *err, size_t errlen)
{
  *rep = tok;
  if (st->stop)
    return 0;
  if (st->skip_next) {
    st->skip_next = false;
    return 0;
  }
  if (tok.s[0] == '{') {
    st->stop = true;
    return 0;
  }
  if (!plain_word(tok))
    return 0;
  struct cmd_token c[CAND_MAX];
  int n = pick_exact(tok, c, synopsis_cands(st->syn, st->nsyn, tok, c, 0));
  if (n == 0)
    return 0;
  if (n > 1) {
    err_cands(err, errlen, "argument", c, n);
    return -1;
  }
  *rep = c[0];
  for (int i = 0; i < st->nsyn; i++)
    if (tok_eq((struct cmd_token) { st->syn[i].s, st->syn[i].len }, c[0]) && st->syn[i].takes_arg)
      st->skip_next = true;
  if (tok_is(c[0], "where") || tok_is(c[0], "filter"))
    st->stop = true;
  return 0;
}

/* Consume one typed word; *rep is what to send in its place. */
static int step(struct xstate *st, struct cmd_token tok, struct cmd_token *rep,
                char *err, size_t errlen)
{
  if (!st->in_args && st->nkw < CMD_MAX_WORDS) {
    struct cmd_token c[CAND_MAX];
    int n = plain_word(tok) ? pick_exact(tok, c, command_cands(st, tok, c)) : 0;
    if (n == 1) {
      st->kw[st->nkw++] = *rep = c[0];
      return 0;
    }
    if (n > 1) {
      err_cands(err, errlen, "command", c, n);
      return -1;
    }
    if (!enter_args(st)) {
      errf(err, errlen, "No such command. Press `?' for help.");
      return -1;
    }
  } else if (!st->in_args && !enter_args(st)) {
    errf(err, errlen, "No such command. Press `?' for help.");
    return -1;
  }
  return arg_step(st, tok, rep, err, errlen);
}

static void xstate_init(struct xstate *st, const struct cli_cmd_info *table)
{
  memset(st, 0, sizeof(*st));
  st->table = table;
}

int cmd_expand(const struct cli_cmd_info *table, const char *in,
               char *out, size_t outlen, char *err, size_t errlen)
{
  struct cmd_token tok[CMD_MAX_TOKENS];
  int n = cmd_tokenize(in, tok, CMD_MAX_TOKENS);
  if (n < 0) {
    errf(err, errlen, "Command too long");
    return -1;
  }
  struct xstate st;
  xstate_init(&st, table);
  size_t at = 0;
  for (int i = 0; i < n; i++) {
    struct cmd_token rep;
    if (step(&st, tok[i], &rep, err, errlen) < 0)
      return -1;
    if (at + (i > 0) + rep.len + 1 > outlen) {
      errf(err, errlen, "Command too long");
      return -1;
    }
    if (i > 0)
      out[at++] = ' ';
    memcpy(out + at, rep.s, rep.len);
    at += rep.len;
  }
  if (outlen)
    out[at] = 0;
  return 0;
}

/* Candidates for the word being typed, given the state after the words
 * before it. */
static int partial_cands(struct xstate *st, struct cmd_token part, struct cmd_token *c)
{
  if (!st->in_args) {
    int n = st->nkw < CMD_MAX_WORDS ? command_cands(st, part, c) : 0;
    const struct cli_cmd_info *e = complete_entry(st);
    if (e) {      /* a complete command may also take arguments here */
      struct syn_kw syn[SYN_MAX];
      int ns = synopsis_keywords(e->args ? e->args : "", syn, SYN_MAX);
      n = synopsis_cands(syn, ns, part, c, n);
    }
    return n;
  }
  if (st->stop || st->skip_next)
    return 0;
  return synopsis_cands(st->syn, st->nsyn, part, c, 0);
}

int cmd_complete(const struct cli_cmd_info *table, const char *line,
                 char *out, size_t outlen)
{
  struct cmd_token tok[CMD_MAX_TOKENS];
  int n = cmd_tokenize(line, tok, CMD_MAX_TOKENS);
  if (outlen)
    out[0] = 0;
  if (n < 0)
    return 0;
  size_t ll = strlen(line);
  struct cmd_token part = { line + ll, 0 };
  if (n > 0 && !(ll && isspace((unsigned char) line[ll - 1])))
    part = tok[--n];
  if (part.len && !plain_word(part))
    return 0;
  struct xstate st;
  xstate_init(&st, table);
  char err[256];
  for (int i = 0; i < n; i++) {
    struct cmd_token rep;
    if (step(&st, tok[i], &rep, err, sizeof(err)) < 0)
      return 0;
  }
  struct cmd_token c[CAND_MAX];
  int nc = partial_cands(&st, part, c);
  size_t at = 0;
  for (int i = 0; i < nc; i++) {
    int w = snprintf(out + at, outlen > at ? outlen - at : 0, "%s%.*s",
                     i ? " " : "", (int) c[i].len, c[i].s);
    if (w < 0 || at + (size_t) w >= outlen) {
      if (outlen)
        out[at] = 0;      /* out of room: report the words that fitted */
      return i;
    }
    at += (size_t) w;
  }
  return nc;
}

/*
 * Synopsis scanning. Placeholders (<...>) and quoted examples ("...") are
 * skipped; a placeholder marks the keyword just before it — or every
 * keyword of a (a|b|c) group just before it — as taking a name.
 */
struct syn_scan {
  struct syn_kw raw[2 * SYN_MAX];
  int n;
  int lo, hi;          /* keywords a following placeholder binds to */
  int group[8];
  int depth;
};

static const char *skip_past(const char *a, char close)
{
  const char *e = strchr(a + 1, close);
  return e ? e + 1 : a + strlen(a);
}

static const char *scan_word(struct syn_scan *s, const char *a)
{
  const char *b = a;
  bool kw = islower((unsigned char) *a);
  while (isalnum((unsigned char) *b) || *b == '_') {
    if (isupper((unsigned char) *b))
      kw = false;
    b++;
  }
  s->lo = s->hi = 0;
  if (kw && s->n < 2 * SYN_MAX) {
    s->raw[s->n] = (struct syn_kw) { a, (size_t) (b - a), false };
    s->lo = s->n++;
    s->hi = s->n;
  }
  return b;
}

static const char *scan_one(struct syn_scan *s, const char *a)
{
  switch (*a) {
  case '<':
    for (int i = s->lo; i < s->hi; i++)
      s->raw[i].takes_arg = true;
    s->lo = s->hi = 0;
    return skip_past(a, '>');
  case '"':
    s->lo = s->hi = 0;
    return skip_past(a, '"');
  case '(':
    if (s->depth < 8)
      s->group[s->depth++] = s->n;
    s->lo = s->hi = 0;
    return a + 1;
  case ')':
    s->lo = s->hi = 0;
    if (s->depth > 0) {
      s->lo = s->group[--s->depth];
      s->hi = s->n;
    }
    return a + 1;
  default:
    if (isspace((unsigned char) *a))
      return a + 1;       /* blanks keep the binding: "table <t>" */
    if (isalnum((unsigned char) *a) || *a == '_')
      return scan_word(s, a);
    s->lo = s->hi = 0;
    return a + 1;
  }
}

static int merge_kw(const struct syn_scan *s, struct syn_kw *kw, int max)
{
  int n = 0;
  for (int i = 0; i < s->n; i++) {
    int j;
    for (j = 0; j < n; j++)
      if (kw[j].len == s->raw[i].len && !memcmp(kw[j].s, s->raw[i].s, kw[j].len))
        break;
    if (j < n)
      kw[j].takes_arg |= s->raw[i].takes_arg;
    else if (n < max)
      kw[n++] = s->raw[i];
  }
  return n;
}

int synopsis_keywords(const char *args, struct syn_kw *kw, int max)
{
  struct syn_scan s = { .n = 0 };
  for (const char *a = args; *a; )
    a = scan_one(&s, a);
  return merge_kw(&s, kw, max);
}
