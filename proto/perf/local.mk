# proto/perf: the perf protocol (BIRD 2's route benchmark) and `show perf`;
# see proto/local.mk. Its integration test is registered here too.
CONF_FRAGMENTS += $(top_srcdir)/proto/perf/config.Y
EXTRA_DIST += proto/perf/config.Y
proto_libprotos_a_SOURCES += proto/perf/perf.c proto/perf/perf.h proto/perf/show.c
PROTO_CLASSES += proto_perf
TESTS += test/perf.sh
EXTRA_DIST += test/perf.sh
