# proto/kernel: see proto/local.mk.
CONF_FRAGMENTS += $(top_srcdir)/proto/kernel/config.Y
EXTRA_DIST += proto/kernel/config.Y
proto_libprotos_a_SOURCES += proto/kernel/kernel.c proto/kernel/kernel.h
PROTO_CLASSES += proto_kernel
