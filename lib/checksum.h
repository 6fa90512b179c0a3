/*
 * lib/checksum.h: the Internet checksum (RFC 1071), used by the ICMP/IP
 * code paths in the control plane (the data plane has DPDK's own).
 *
 * Sum pieces with ip_csum_partial() (an odd-length piece must be the last
 * one), then ip_csum_fold() gives the value to put in the header. A
 * received packet is intact when the checksum over it, checksum field
 * included, is 0.
 */
#ifndef TERN_LIB_CHECKSUM_H
#define TERN_LIB_CHECKSUM_H

#include "lib/tern.h"

u32 ip_csum_partial(const void *data, size_t len, u32 sum);
u16 ip_csum_fold(u32 sum);
u16 ip_checksum(const void *data, size_t len);

#endif
