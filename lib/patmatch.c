/*
 * lib/patmatch.c: shell-style wildcard matching for `show protocols "x*"`
 * and the filter `~` operator on strings.
 *
 * '*' matches any run of characters (also empty), '?' exactly one; there is
 * no escaping and no character classes. The matcher is greedy with a
 * single backtrack point, the last '*': on a mismatch it lets that star
 * swallow one more character. Earlier stars never need revisiting, so the
 * worst case is O(len(pattern) * len(str)), never exponential.
 */
#include "lib/tern.h"

int patmatch(const char *pat, const char *str)
{
  const char *star = NULL, *resume = NULL;
  while (*str) {
    if (*pat == '*') {
      star = ++pat;          /* pattern after the star */
      resume = str;          /* where the star's match currently ends */
    } else if (*pat == '?' || *pat == *str) {
      pat++;
      str++;
    } else if (star) {
      pat = star;
      str = ++resume;
    } else
      return 0;
  }
  while (*pat == '*')
    pat++;
  return !*pat;
}
