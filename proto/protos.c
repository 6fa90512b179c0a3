/*
 * proto/protos.c: the one place that knows every protocol class.
 */
#include "nest/protocol.h"
#include "proto/static/static.h"
#include "proto/device/device.h"
#include "proto/kernel/kernel.h"

void protos_build(void)
{
  proto_register(&proto_device);
  proto_register(&proto_static);
  proto_register(&proto_kernel);
}
