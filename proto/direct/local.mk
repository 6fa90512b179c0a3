# proto/direct: see proto/local.mk.
CONF_FRAGMENTS += $(top_srcdir)/proto/direct/config.Y
EXTRA_DIST += proto/direct/config.Y
proto_libprotos_a_SOURCES += proto/direct/direct.c proto/direct/direct.h
PROTO_CLASSES += proto_direct
