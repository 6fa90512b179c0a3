# proto/static: see proto/local.mk.
CONF_FRAGMENTS += $(top_srcdir)/proto/static/config.Y
EXTRA_DIST += proto/static/config.Y
proto_libprotos_a_SOURCES += proto/static/static.c proto/static/static.h
PROTO_CLASSES += proto_static
