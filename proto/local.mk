# proto/: one directory per protocol. Each protocol's own local.mk appends
# its grammar fragment to CONF_FRAGMENTS, its sources to
# proto_libprotos_a_SOURCES and its class to PROTO_CLASSES; proto/protos.c,
# which registers every class, is generated from that list.
noinst_LIBRARIES += proto/libprotos.a
proto_libprotos_a_SOURCES =
nodist_proto_libprotos_a_SOURCES = proto/protos.c
PROTO_CLASSES =

include proto/static/local.mk
include proto/device/local.mk
include proto/kernel/local.mk
include proto/direct/local.mk
include proto/pipe/local.mk
include proto/dplane/local.mk
include proto/perf/local.mk
include proto/rpki/local.mk
include proto/bgp/local.mk

proto/protos.c: Makefile
	@$(MKDIR_P) proto
	$(AM_V_GEN){ echo '/* Generated from PROTO_CLASSES in proto/local.mk. Do not edit. */'; \
	  echo '#include "nest/protocol.h"'; \
	  for c in $(PROTO_CLASSES); do echo "extern struct protocol $$c;"; done; \
	  echo 'void protos_build(void)'; echo '{'; \
	  for c in $(PROTO_CLASSES); do echo "  proto_register(&$$c);"; done; \
	  echo '}'; } > $@
CLEANFILES += proto/protos.c
