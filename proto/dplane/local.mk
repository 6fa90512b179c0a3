# proto/dplane: see proto/local.mk. Writes the shared-memory FIB (fib/),
# so ternd links libfib (which depends on nothing: last is fine).
CONF_FRAGMENTS += $(top_srcdir)/proto/dplane/config.Y
EXTRA_DIST += proto/dplane/config.Y
proto_libprotos_a_SOURCES += proto/dplane/dplane.c proto/dplane/dplane.h
PROTO_CLASSES += proto_dplane
TERND_LIBS += fib/libfib.a

# test/dplane.sh reads the region with test/fib_reader.
check_PROGRAMS += test/fib_reader
test_fib_reader_SOURCES = test/fib_reader.c
test_fib_reader_CFLAGS = $(AM_CFLAGS) $(FIB_CPU_CFLAGS)
test_fib_reader_LDADD = fib/libfib.a
TESTS += test/dplane.sh
EXTRA_DIST += test/dplane.sh
