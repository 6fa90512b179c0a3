/*
 * lib/patmatch_test.c: table of wildcard cases, plus a pathological
 * pattern that would take exponential time with naive backtracking.
 */
#include "lib/tern.h"
#include "test/unit.h"

#include <time.h>

static const struct { const char *pat, *str; int match; } cases[] = {
  { "", "", 1 },
  { "", "a", 0 },
  { "*", "", 1 },
  { "*", "anything", 1 },
  { "?", "", 0 },
  { "?", "a", 1 },
  { "?", "ab", 0 },
  { "abc", "abc", 1 },
  { "abc", "abd", 0 },
  { "abc", "ab", 0 },
  { "ab", "abc", 0 },
  { "bgp*", "bgp1", 1 },
  { "bgp*", "bgp", 1 },
  { "bgp*", "ospf", 0 },
  { "*1", "bgp1", 1 },
  { "*1", "bgp12", 0 },
  { "b?p*", "bgp_peer", 1 },
  { "*peer*", "bgp_peer_3", 1 },
  { "*peer*", "bgp_pee", 0 },
  { "a*b*c", "abc", 1 },
  { "a*b*c", "aXbYc", 1 },
  { "a*b*c", "aXbYcZ", 0 },
  { "a*b*c", "acb", 0 },
  { "a*c", "abcbc", 1 },
  { "a*c", "abcbd", 0 },
  { "**a", "a", 1 },
  { "*?", "", 0 },
  { "*?", "x", 1 },
  { "?*?", "x", 0 },
  { "?*?", "xy", 1 },
  { "*a*a*a*", "aaa", 1 },
  { "*a*a*a*", "aa", 0 },
  { "AS65000*", "as65000", 0 },   /* case-sensitive */
  { "*.*.*.*", "192.0.2.1", 1 },
};

int main(void)
{
  for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
    int got = patmatch(cases[i].pat, cases[i].str);
    if (got != cases[i].match)
      fprintf(stderr, "pattern '%s' on '%s'\n", cases[i].pat, cases[i].str);
    CHECK_INT(got, cases[i].match);
  }

  /* "a*a*a*...*b" against "aaaa...": exponential for naive recursion. */
  char pat[200], str[5000];
  int n = 0;
  for (int i = 0; i < 40; i++) {
    pat[n++] = 'a';
    pat[n++] = '*';
  }
  pat[n++] = 'b';
  pat[n] = 0;
  memset(str, 'a', sizeof(str) - 1);
  str[sizeof(str) - 1] = 0;
  clock_t t0 = clock();
  CHECK_INT(patmatch(pat, str), 0);
  str[sizeof(str) - 2] = 'b';
  CHECK_INT(patmatch(pat, str), 1);
  CHECK((clock() - t0) / CLOCKS_PER_SEC < 2);
  return unit_done("patmatch");
}
