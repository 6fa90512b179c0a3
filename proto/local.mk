# proto/: one directory per protocol, each with its grammar fragment.
CONF_FRAGMENTS += $(top_srcdir)/proto/static/config.Y $(top_srcdir)/proto/device/config.Y \
	$(top_srcdir)/proto/kernel/config.Y
EXTRA_DIST += proto/static/config.Y proto/device/config.Y proto/kernel/config.Y

noinst_LIBRARIES += proto/libprotos.a
proto_libprotos_a_SOURCES = proto/protos.c \
	proto/static/static.c proto/static/static.h \
	proto/device/device.c proto/device/device.h \
	proto/kernel/kernel.c proto/kernel/kernel.h
