# fib: the shared-memory Poptrie FIB (libc only), its tests and benchmark.
# Population count is the inner loop of every lookup: use the instruction
# when the build machine has it (the CI machine is the same kind).
FIB_CPU_CFLAGS := $(shell grep -qw popcnt /proc/cpuinfo 2>/dev/null && echo -mpopcnt)

noinst_LIBRARIES += fib/libfib.a
fib_libfib_a_SOURCES = fib/fib.h fib/layout.h fib/internal.h \
	fib/region.c fib/alloc.c fib/shadow.c fib/build.c fib/writer.c \
	fib/nexthop.c fib/lookup.c
fib_libfib_a_CFLAGS = $(AM_CFLAGS) $(FIB_CPU_CFLAGS)

FIB_TEST_CFLAGS = $(AM_CFLAGS) $(FIB_CPU_CFLAGS) -DSHARED_DATA_DIR=\"$(abs_top_srcdir)/../shared/data\"
FIB_TEST_LDADD = fib/libfib.a -lpthread
FIB_TEST_SOURCES = fib/testdata.c fib/testdata.h test/unit.h

check_PROGRAMS += fib/poptrie_test fib/dfz_test fib/concurrency_test fib/version_test
TESTS += fib/poptrie_test fib/dfz_test fib/concurrency_test fib/version_test
fib_poptrie_test_SOURCES = fib/poptrie_test.c $(FIB_TEST_SOURCES)
fib_poptrie_test_CFLAGS = $(FIB_TEST_CFLAGS)
fib_poptrie_test_LDADD = $(FIB_TEST_LDADD)
fib_dfz_test_SOURCES = fib/dfz_test.c $(FIB_TEST_SOURCES)
fib_dfz_test_CFLAGS = $(FIB_TEST_CFLAGS)
fib_dfz_test_LDADD = $(FIB_TEST_LDADD)
fib_concurrency_test_SOURCES = fib/concurrency_test.c $(FIB_TEST_SOURCES)
fib_concurrency_test_CFLAGS = $(FIB_TEST_CFLAGS)
fib_concurrency_test_LDADD = $(FIB_TEST_LDADD)
fib_version_test_SOURCES = fib/version_test.c $(FIB_TEST_SOURCES)
fib_version_test_CFLAGS = $(FIB_TEST_CFLAGS)
fib_version_test_LDADD = $(FIB_TEST_LDADD)

if HAVE_DPDK
noinst_PROGRAMS += tools/bench/fib-bench
tools_bench_fib_bench_SOURCES = tools/bench/fib-bench.c $(FIB_TEST_SOURCES)
# DPDK headers are not -Wextra clean: relax warnings for this target only.
tools_bench_fib_bench_CFLAGS = $(FIB_TEST_CFLAGS) $(DPDK_CFLAGS) -Wno-error -Wno-sign-compare -Wno-cast-qual
tools_bench_fib_bench_LDADD = fib/libfib.a $(DPDK_LIBS) -lpthread
endif
