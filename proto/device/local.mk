# proto/device: see proto/local.mk.
CONF_FRAGMENTS += $(top_srcdir)/proto/device/config.Y
EXTRA_DIST += proto/device/config.Y
proto_libprotos_a_SOURCES += proto/device/device.c proto/device/device.h
PROTO_CLASSES += proto_device
