# proto/bgp: the path attribute table (attrs.c); the protocol comes later,
# so there is no PROTO_CLASSES entry and no grammar fragment yet.
proto_libprotos_a_SOURCES += proto/bgp/attrs.c proto/bgp/bgp.h
