/*
 * client/jsoncheck.h: a strict little JSON validator for the tests, so that
 * every document ternc writes is proven to parse (RFC 8259 grammar; UTF-8
 * is checked by the writer itself).
 */
#ifndef TERN_CLIENT_JSONCHECK_H
#define TERN_CLIENT_JSONCHECK_H

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

static bool jc_value(const char **p, int depth);

static void jc_ws(const char **p)
{
  while (**p == ' ' || **p == '\t' || **p == '\n' || **p == '\r')
    (*p)++;
}

static bool jc_string(const char **p)
{
  if (**p != '"')
    return false;
  for ((*p)++; **p != '"'; (*p)++) {
    if ((unsigned char) **p < 0x20)
      return false;                   /* includes the terminating NUL */
    if (**p != '\\')
      continue;
    (*p)++;
    if (**p == 'u') {
      for (int i = 1; i <= 4; i++)
        if (!isxdigit((unsigned char) (*p)[i]))
          return false;
      *p += 4;
    } else if (!strchr("\"\\/bfnrt", **p) || !**p)
      return false;
  }
  (*p)++;
  return true;
}

static bool jc_number(const char **p)
{
  const char *s = *p;
  if (*s == '-')
    s++;
  if (*s == '0')
    s++;
  else if (isdigit((unsigned char) *s))
    while (isdigit((unsigned char) *s))
      s++;
  else
    return false;
  if (*s == '.') {
    if (!isdigit((unsigned char) *++s))
      return false;
    while (isdigit((unsigned char) *s))
      s++;
  }
  *p = s;
  return true;
}

static bool jc_members(const char **p, char close, int depth)
{
  (*p)++;
  jc_ws(p);
  if (**p == close) {
    (*p)++;
    return true;
  }
  for (;;) {
    if (close == '}') {
      if (!jc_string(p))
        return false;
      jc_ws(p);
      if (*(*p)++ != ':')
        return false;
    }
    if (!jc_value(p, depth + 1))
      return false;
    jc_ws(p);
    if (**p == close) {
      (*p)++;
      return true;
    }
    if (*(*p)++ != ',')
      return false;
  }
}

static bool jc_value(const char **p, int depth)
{
  jc_ws(p);
  if (depth > 64)
    return false;
  switch (**p) {
  case '{': return jc_members(p, '}', depth);
  case '[': return jc_members(p, ']', depth);
  case '"': return jc_string(p);
  case 't': return !strncmp(*p, "true", 4) && (*p += 4);
  case 'f': return !strncmp(*p, "false", 5) && (*p += 5);
  case 'n': return !strncmp(*p, "null", 4) && (*p += 4);
  default: return jc_number(p);
  }
}

/* The whole text is exactly one JSON value (plus blanks). */
static inline bool json_valid(const char *s)
{
  if (!jc_value(&s, 0))
    return false;
  jc_ws(&s);
  return !*s;
}

#endif
