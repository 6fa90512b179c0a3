/*
 * lib/tern.c: fatal-error reporting and the never-failing allocators.
 *
 * The messages are formatted with libc vsnprintf (not bvsnprintf) on
 * purpose: die() must work even if printf.c itself is what broke.
 */
#include "lib/tern.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void (*lib_fatal_hook)(int is_bug, const char *msg);

static void fatal_report(int is_bug, const char *fmt, va_list args)
{
  /* If the hook itself dies (say the logger runs out of memory), the
   * nested call skips it instead of recursing forever. */
  static int in_hook;
  char msg[1024];
  vsnprintf(msg, sizeof(msg), fmt, args);
  if (lib_fatal_hook && !in_hook) {
    in_hook = 1;
    lib_fatal_hook(is_bug, msg);
    in_hook = 0;
  }
  fprintf(stderr, "%s: %s\n", is_bug ? "bug" : "fatal", msg);
  fflush(stderr);
}

void die(const char *fmt, ...)
{
  va_list args;
  va_start(args, fmt);
  fatal_report(0, fmt, args);
  va_end(args);
  exit(1);
}

void bug(const char *fmt, ...)
{
  va_list args;
  va_start(args, fmt);
  fatal_report(1, fmt, args);
  va_end(args);
  abort();
}

void *xmalloc(size_t size)
{
  void *p = malloc(size ? size : 1);
  if (!p)
    die("Out of memory (%zu bytes)", size);
  return p;
}

void *xrealloc(void *ptr, size_t size)
{
  void *p = realloc(ptr, size ? size : 1);
  if (!p)
    die("Out of memory (%zu bytes)", size);
  return p;
}

char *xstrdup(const char *s)
{
  size_t len = strlen(s) + 1;
  return memcpy(xmalloc(len), s, len);
}

void xfree(void *ptr)
{
  free(ptr);
}
