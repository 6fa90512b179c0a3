# lib: building blocks with no routing knowledge (libc only).
noinst_LIBRARIES += lib/libtern.a
lib_libtern_a_SOURCES = \
	lib/tern.h lib/tern.c \
	lib/lists.h \
	lib/asan.h \
	lib/resource.h lib/resource.c lib/mempool.c lib/slab.c \
	lib/ip.h lib/ip.c \
	lib/net.h lib/net.c \
	lib/printf.h lib/printf.c \
	lib/hash.h lib/hash.c \
	lib/buffer.h lib/buffer.c \
	lib/bitops.h lib/cursor.h \
	lib/patmatch.c
