/*
 * proto/device/device.h: the device protocol (interfaces from the kernel).
 */
#ifndef TERN_PROTO_DEVICE_H
#define TERN_PROTO_DEVICE_H

#include "nest/protocol.h"
#include "sysdep/unix/io.h"
#include "sysdep/linux/netlink.h"

struct device_config {
  struct proto_config c;
  btime scan_time;
  list iface_list;              /* struct iface_patt_node */
};

struct device_proto {
  struct proto p;
  struct nl_sock req, async;
  io_fd afd;
  timer scan_timer;
};

extern struct protocol proto_device;
void device_scan_now(void);

#endif
