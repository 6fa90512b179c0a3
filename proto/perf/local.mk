# proto/perf: the perf protocol (BIRD 2's route benchmark) and `show perf`;
# see proto/local.mk. Its tests are registered here too.
CONF_FRAGMENTS += $(top_srcdir)/proto/perf/config.Y
EXTRA_DIST += proto/perf/config.Y
proto_libprotos_a_SOURCES += proto/perf/perf.c proto/perf/perf.h proto/perf/show.c \
	proto/perf/gen.c proto/perf/gen.h
PROTO_CLASSES += proto_perf

check_PROGRAMS += proto/perf/gen_test
proto_perf_gen_test_SOURCES = proto/perf/gen_test.c proto/perf/gen.c proto/perf/gen.h
proto_perf_gen_test_LDADD = lib/libtern.a
TESTS += proto/perf/gen_test test/perf.sh
EXTRA_DIST += test/perf.sh
