# proto/pipe: see proto/local.mk.
CONF_FRAGMENTS += $(top_srcdir)/proto/pipe/config.Y
EXTRA_DIST += proto/pipe/config.Y
proto_libprotos_a_SOURCES += proto/pipe/pipe.c proto/pipe/pipe.h
PROTO_CLASSES += proto_pipe
TESTS += test/direct_pipe.sh
EXTRA_DIST += test/direct_pipe.sh
