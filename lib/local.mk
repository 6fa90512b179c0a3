# lib: building blocks with no routing knowledge (libc only).
noinst_LIBRARIES += lib/libtern.a
lib_libtern_a_SOURCES = \
	lib/tern.h lib/tern.c \
	lib/lists.h \
	lib/asan.h \
	lib/resource.h lib/resource.c lib/mempool.c lib/slab.c \
	lib/ip.h lib/ip.c \
	lib/net.h lib/net.c \
	lib/flowspec.h lib/flowspec.c \
	lib/printf.h lib/printf.c \
	lib/hash.h lib/hash.c \
	lib/buffer.h lib/buffer.c \
	lib/bitops.h lib/cursor.h \
	lib/checksum.h lib/checksum.c \
	lib/patmatch.c

# Unit tests: one program per piece, beside the code.
LIB_TESTS = lib/lists_test lib/resource_test lib/ip_test lib/net_test \
	lib/printf_test lib/hash_test lib/buffer_test lib/bitops_test \
	lib/cursor_test lib/patmatch_test lib/checksum_test lib/flowspec_test
check_PROGRAMS += $(LIB_TESTS)
TESTS += $(LIB_TESTS)
lib_lists_test_SOURCES = lib/lists_test.c
lib_lists_test_LDADD = lib/libtern.a
lib_resource_test_SOURCES = lib/resource_test.c
lib_resource_test_LDADD = lib/libtern.a
lib_ip_test_SOURCES = lib/ip_test.c
lib_ip_test_LDADD = lib/libtern.a
lib_net_test_SOURCES = lib/net_test.c
lib_net_test_LDADD = lib/libtern.a
lib_printf_test_SOURCES = lib/printf_test.c
lib_printf_test_LDADD = lib/libtern.a
lib_hash_test_SOURCES = lib/hash_test.c
lib_hash_test_LDADD = lib/libtern.a
lib_buffer_test_SOURCES = lib/buffer_test.c
lib_buffer_test_LDADD = lib/libtern.a
lib_bitops_test_SOURCES = lib/bitops_test.c
lib_bitops_test_LDADD = lib/libtern.a
lib_cursor_test_SOURCES = lib/cursor_test.c
lib_cursor_test_LDADD = lib/libtern.a
lib_patmatch_test_SOURCES = lib/patmatch_test.c
lib_patmatch_test_LDADD = lib/libtern.a
lib_checksum_test_SOURCES = lib/checksum_test.c
lib_checksum_test_LDADD = lib/libtern.a
lib_flowspec_test_SOURCES = lib/flowspec_test.c
lib_flowspec_test_LDADD = lib/libtern.a
