/*
 * lib/tern.h: the common header every Tern source file includes first.
 *
 * Fixed-width integer names, a handful of helper macros, the fatal-error
 * entry points (die/bug) with a hook the daemon's logger can take over,
 * and the allocating wrappers that never return NULL.
 */
#ifndef TERN_LIB_TERN_H
#define TERN_LIB_TERN_H

#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
typedef unsigned int uint;
typedef u8 byte;

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#ifndef MIN
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#endif
#ifndef MAX
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#endif

/* Container-of: from a pointer to a member back to the enclosing struct. */
#define SKIP_BACK(type, member, ptr) \
  ((type *) (void *) ((char *) (ptr) - offsetof(type, member)))

/* Round x up to a multiple of a (a must be a power of two). */
#define ALIGN_TO(x, a) (((x) + ((a) - 1)) & ~((__typeof__(x)) ((a) - 1)))

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define UNUSED __attribute__((unused))
#define NORET __attribute__((noreturn))
#define PRINTF(a, b) __attribute__((format(printf, a, b)))

/*
 * Fatal errors. die() is for conditions outside our control (OOM, broken
 * environment) and exits with status 1; bug() is for broken invariants and
 * aborts so a core dump is left behind. Both pass the formatted message to
 * lib_fatal_hook first, if set, so the daemon can log it; the hook may
 * return, after which the default action still happens.
 */
extern void (*lib_fatal_hook)(int is_bug, const char *msg);
void die(const char *fmt, ...) NORET PRINTF(1, 2);
void bug(const char *fmt, ...) NORET PRINTF(1, 2);

#define ASSERT(x) do { if (unlikely(!(x))) bug("Assertion '%s' failed at %s:%d", #x, __FILE__, __LINE__); } while (0)

void *xmalloc(size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
void xfree(void *ptr);

/* Shell-style glob: '*' matches any run, '?' one character (lib/patmatch.c). */
int patmatch(const char *pattern, const char *str);

#endif
