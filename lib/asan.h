/*
 * lib/asan.h: manual poisoning hooks for our own allocators (private to lib).
 *
 * Slabs and linear pools recycle memory without going through malloc, which
 * would hide use-after-free from AddressSanitizer. In ASan builds we poison
 * memory that is not handed out, so those bugs still get caught.
 */
#ifndef TERN_LIB_ASAN_H
#define TERN_LIB_ASAN_H

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define LIB_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define LIB_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define LIB_POISON(p, n) ((void) (p), (void) (n))
#define LIB_UNPOISON(p, n) ((void) (p), (void) (n))
#endif

#endif
