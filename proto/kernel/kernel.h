/*
 * proto/kernel/kernel.h: the kernel protocol (routes to and from Linux).
 */
#ifndef TERN_PROTO_KERNEL_H
#define TERN_PROTO_KERNEL_H

#include "nest/protocol.h"
#include "sysdep/unix/io.h"
#include "sysdep/linux/netlink.h"

struct krt_config {
  struct proto_config c;
  uint table_id;                /* `kernel table N`, default 254 (main) */
  uint metric;                  /* default 32 */
  btime scan_time;
  u8 persist;
  u8 learn;
  u8 merge_paths;
  uint merge_limit;
  u8 device_routes;
  u8 graceful_restart;
};

struct krt_proto {
  struct proto p;
  struct nl_sock sk;             /* dumps (scans) */
  struct nl_sock bsk;            /* route changes: a batch flush reads its
                                    acks, so it must not share a socket with
                                    a dump whose callbacks queue changes */
  struct nl_batch *batch;
  timer scan_timer;
  event flush_event;
  uint errors;                  /* requests the kernel refused */
  uint pending;
};

extern struct protocol proto_kernel;

#endif
