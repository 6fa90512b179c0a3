/*
 * lib/printf.h: printf with Tern's address formats.
 *
 * Standard conversions behave as in C99 printf. Extensions (BIRD's letters):
 *   %I   ip_addr (by value; v4-mapped printed as a dotted quad)
 *   %I4  ip4_addr      %I6  ip6_addr
 *   %N   const net_addr *
 *   %R   u32 router id as a dotted quad
 *   %m   strerror(errno)     %M  strerror(int argument)
 * Width, precision and the '-' flag apply to extensions as to %s.
 * gcc's format checker does not know the extensions, so these functions
 * carry no format attribute.
 *
 * bsnprintf returns the number of characters written, or -1 if the output
 * did not fit (the buffer is then truncated, still NUL-terminated).
 */
#ifndef TERN_LIB_PRINTF_H
#define TERN_LIB_PRINTF_H

#include <stdarg.h>
#include "lib/tern.h"

typedef struct linpool linpool;

int bvsnprintf(char *buf, int size, const char *fmt, va_list args);
int bsnprintf(char *buf, int size, const char *fmt, ...);
int bvsprintf(char *buf, const char *fmt, va_list args);
int bsprintf(char *buf, const char *fmt, ...);

/* C99 semantics: returns the length the complete output needs, writes at
 * most size bytes (NUL included); buf may be NULL when size is 0. */
int bvformat(char *buf, size_t size, const char *fmt, va_list args);

char *lp_vsprintf(linpool *lp, const char *fmt, va_list args);
char *lp_sprintf(linpool *lp, const char *fmt, ...);
char *tmp_sprintf(const char *fmt, ...);

#endif
