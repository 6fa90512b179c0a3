/*
 * test/unit.h: the tiny harness for unit tests that live beside the code.
 *
 * A unit test is a program run by `make check`. Each CHECK prints a line on
 * failure and is counted; unit_done() prints "N passed, N failed" and gives
 * the exit status automake expects (0 ok, 1 failure).
 */
#ifndef TERN_TEST_UNIT_H
#define TERN_TEST_UNIT_H

#include <stdio.h>
#include <string.h>
#include <inttypes.h>

static unsigned unit_passed, unit_failed;

#define CHECK(cond) do { \
    if (cond) unit_passed++; \
    else { unit_failed++; fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); } \
  } while (0)

#define CHECK_INT(a, b) do { \
    long long _a = (long long)(a), _b = (long long)(b); \
    if (_a == _b) unit_passed++; \
    else { unit_failed++; fprintf(stderr, "FAIL %s:%d: %s == %s (%lld != %lld)\n", \
                                  __FILE__, __LINE__, #a, #b, _a, _b); } \
  } while (0)

#define CHECK_STR(a, b) do { \
    const char *_a = (a), *_b = (b); \
    if (_a && _b && !strcmp(_a, _b)) unit_passed++; \
    else { unit_failed++; fprintf(stderr, "FAIL %s:%d: %s == \"%s\" (got \"%s\")\n", \
                                  __FILE__, __LINE__, #a, _b ? _b : "(null)", _a ? _a : "(null)"); } \
  } while (0)

static inline int unit_done(const char *name)
{
  printf("%s: %u passed, %u failed\n", name, unit_passed, unit_failed);
  return unit_failed ? 1 : 0;
}

#endif
