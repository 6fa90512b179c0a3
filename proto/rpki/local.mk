# proto/rpki: `protocol rpki`, ROAs from an RPKI cache through RTRlib; see
# proto/local.mk. Its integration test (with stayrtr) is test/rpki.sh.
CONF_FRAGMENTS += $(top_srcdir)/proto/rpki/config.Y
EXTRA_DIST += proto/rpki/config.Y
proto_libprotos_a_SOURCES += proto/rpki/rpki.c proto/rpki/rpki.h
PROTO_CLASSES += proto_rpki
