/*
 * lib/printf.c: the formatter behind bsnprintf and friends.
 *
 * We parse each conversion ourselves so we can add the address formats,
 * then hand standard conversions to libc snprintf with a normalised spec
 * ("%<flags>*.*<length><conv>"): that keeps the numeric and floating
 * formatting exactly libc's without reimplementing it. Extensions are
 * rendered into a small buffer and padded like %s.
 */
#include "lib/printf.h"
#include "lib/ip.h"
#include "lib/net.h"
#include "lib/resource.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <wchar.h>

struct out {
  char *buf;
  size_t size, pos;
};

static inline char *out_ptr(struct out *o)
{
  return o->pos < o->size ? o->buf + o->pos : NULL;
}

static inline size_t out_room(struct out *o)
{
  return o->pos < o->size ? o->size - o->pos : 0;
}

static void out_char(struct out *o, char c)
{
  if (o->pos + 1 < o->size)
    o->buf[o->pos] = c;
  o->pos++;
}

static void out_advance(struct out *o, int n)
{
  if (n < 0)
    bug("printf: libc rejected a conversion");
  o->pos += n;
}

/* One parsed conversion specification. */
struct spec {
  char flags[8];
  int width, prec, has_prec;
  char len[3];
  char conv;
  char fmt[24];           /* normalised spec for libc */
};

static const char *parse_spec(const char *p, struct spec *s, va_list *args)
{
  int nf = 0;
  memset(s, 0, sizeof(*s));
  while (*p && strchr("-+ #0'", *p)) {
    if (nf < (int) sizeof(s->flags) - 1)
      s->flags[nf++] = *p;
    p++;
  }
  if (*p == '*') {
    s->width = va_arg(*args, int);
    p++;
  } else
    while (*p >= '0' && *p <= '9')
      s->width = s->width * 10 + (*p++ - '0');
  if (*p == '.') {
    s->has_prec = 1;
    p++;
    if (*p == '*') {
      s->prec = va_arg(*args, int);
      p++;
    } else
      while (*p >= '0' && *p <= '9')
        s->prec = s->prec * 10 + (*p++ - '0');
  }
  int nl = 0;
  while (*p && strchr("hlLqjzt", *p) && nl < 2)
    s->len[nl++] = *p++;
  s->conv = *p;
  return *p ? p + 1 : p;
}

static void build_fmt(struct spec *s, const char *flags, const char *len, char conv)
{
  snprintf(s->fmt, sizeof(s->fmt), "%%%s*%s%s%c", flags, s->has_prec ? ".*" : "", len, conv);
}

#define EMIT(o, s, val) out_advance(o, (s)->has_prec \
    ? snprintf(out_ptr(o), out_room(o), (s)->fmt, (s)->width, (s)->prec, val) \
    : snprintf(out_ptr(o), out_room(o), (s)->fmt, (s)->width, val))

static void emit_signed(struct out *o, struct spec *s, va_list *args)
{
  const char *l = s->len;
  if (!strcmp(l, "l")) EMIT(o, s, va_arg(*args, long));
  else if (!strcmp(l, "ll") || !strcmp(l, "q")) EMIT(o, s, va_arg(*args, long long));
  else if (!strcmp(l, "j")) EMIT(o, s, va_arg(*args, intmax_t));
  else if (!strcmp(l, "z")) EMIT(o, s, va_arg(*args, ssize_t));
  else if (!strcmp(l, "t")) EMIT(o, s, va_arg(*args, ptrdiff_t));
  else EMIT(o, s, va_arg(*args, int));   /* also hh, h: promoted */
}

static void emit_unsigned(struct out *o, struct spec *s, va_list *args)
{
  const char *l = s->len;
  if (!strcmp(l, "l")) EMIT(o, s, va_arg(*args, unsigned long));
  else if (!strcmp(l, "ll") || !strcmp(l, "q")) EMIT(o, s, va_arg(*args, unsigned long long));
  else if (!strcmp(l, "j")) EMIT(o, s, va_arg(*args, uintmax_t));
  else if (!strcmp(l, "z")) EMIT(o, s, va_arg(*args, size_t));
  else if (!strcmp(l, "t")) EMIT(o, s, va_arg(*args, ptrdiff_t));
  else EMIT(o, s, va_arg(*args, unsigned int));
}

static void emit_standard(struct out *o, struct spec *s, va_list *args)
{
  const char *len = !strcmp(s->len, "q") ? "ll" : s->len;
  build_fmt(s, s->flags, len, s->conv);
  switch (s->conv) {
  case 'd': case 'i':
    emit_signed(o, s, args);
    break;
  case 'u': case 'o': case 'x': case 'X':
    emit_unsigned(o, s, args);
    break;
  case 'c':
    if (!strcmp(s->len, "l")) EMIT(o, s, va_arg(*args, wint_t));
    else EMIT(o, s, va_arg(*args, int));
    break;
  case 's':
    build_fmt(s, s->flags, "", 's');   /* wide strings are not supported */
    EMIT(o, s, va_arg(*args, const char *));
    break;
  case 'p':
    EMIT(o, s, va_arg(*args, void *));
    break;
  default:   /* floating point */
    if (!strcmp(s->len, "L")) EMIT(o, s, va_arg(*args, long double));
    else EMIT(o, s, va_arg(*args, double));
  }
}

/* Pads/truncates an extension's text like %s would. */
static void emit_text(struct out *o, struct spec *s, const char *text)
{
  build_fmt(s, strchr(s->flags, '-') ? "-" : "", "", 's');
  EMIT(o, s, text);
}

/* The I4/I6 suffix of %I; returns how many format chars it used. */
static int emit_ip(struct out *o, struct spec *s, const char *p, va_list *args)
{
  char buf[IPA_BUFSIZE];
  if (*p == '4') {
    emit_text(o, s, ip4_ntop(va_arg(*args, ip4_addr), buf));
    return 1;
  }
  if (*p == '6') {
    emit_text(o, s, ip6_ntop(va_arg(*args, ip6_addr), buf));
    return 1;
  }
  emit_text(o, s, ipa_ntop(va_arg(*args, ip_addr), buf));
  return 0;
}

static void emit_net(struct out *o, struct spec *s, const net_addr *n)
{
  char buf[NET_BUFSIZE];
  if (!n)
    emit_text(o, s, "(null)");
  else if (net_format(n, buf, sizeof(buf)) < 0 && !net_type_is_flow(n->type))
    emit_text(o, s, "(unprintable net)");   /* a long flow prints cut, ending in " ...}" */
  else
    emit_text(o, s, buf);
}

int bvformat(char *buf, size_t size, const char *fmt, va_list args)
{
  int saved_errno = errno;
  struct out o = { .buf = buf, .size = size };
  struct spec s;
  char tmp[IP4_BUFSIZE];
  va_list ap;
  va_copy(ap, args);

  for (const char *p = fmt; *p; ) {
    if (*p != '%') {
      out_char(&o, *p++);
      continue;
    }
    const char *start = p;
    p = parse_spec(p + 1, &s, &ap);
    switch (s.conv) {
    case '%':
      out_char(&o, '%');
      break;
    case 'd': case 'i': case 'u': case 'o': case 'x': case 'X':
    case 'c': case 's': case 'p':
    case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': case 'a': case 'A':
      emit_standard(&o, &s, &ap);
      break;
    case 'I':
      p += emit_ip(&o, &s, p, &ap);
      break;
    case 'N':
      emit_net(&o, &s, va_arg(ap, const net_addr *));
      break;
    case 'R':
      emit_text(&o, &s, ip4_ntop(ip4_from_u32(va_arg(ap, u32)), tmp));
      break;
    case 'm':
      emit_text(&o, &s, strerror(saved_errno));
      break;
    case 'M':
      emit_text(&o, &s, strerror(va_arg(ap, int)));
      break;
    case 'n':
      bug("printf: %%n is not supported");
    default:   /* unknown or truncated: print it as it stands */
      while (start < p)
        out_char(&o, *start++);
    }
  }
  va_end(ap);
  if (o.size)
    o.buf[MIN(o.pos, o.size - 1)] = 0;
  errno = saved_errno;
  return o.pos > INT_MAX ? INT_MAX : (int) o.pos;
}

int bvsnprintf(char *buf, int size, const char *fmt, va_list args)
{
  if (size <= 0)
    return -1;
  int n = bvformat(buf, size, fmt, args);
  return n >= size ? -1 : n;
}

int bsnprintf(char *buf, int size, const char *fmt, ...)
{
  va_list args;
  va_start(args, fmt);
  int n = bvsnprintf(buf, size, fmt, args);
  va_end(args);
  return n;
}

int bvsprintf(char *buf, const char *fmt, va_list args)
{
  return bvformat(buf, INT_MAX, fmt, args);
}

int bsprintf(char *buf, const char *fmt, ...)
{
  va_list args;
  va_start(args, fmt);
  int n = bvsprintf(buf, fmt, args);
  va_end(args);
  return n;
}

char *lp_vsprintf(linpool *lp, const char *fmt, va_list args)
{
  va_list measure;
  va_copy(measure, args);
  int n = bvformat(NULL, 0, fmt, measure);
  va_end(measure);
  char *buf = lp_alloc(lp, n + 1);
  bvformat(buf, n + 1, fmt, args);
  return buf;
}

char *lp_sprintf(linpool *lp, const char *fmt, ...)
{
  va_list args;
  va_start(args, fmt);
  char *s = lp_vsprintf(lp, fmt, args);
  va_end(args);
  return s;
}

char *tmp_sprintf(const char *fmt, ...)
{
  va_list args;
  va_start(args, fmt);
  char *s = lp_vsprintf(tmp_linpool, fmt, args);
  va_end(args);
  return s;
}
