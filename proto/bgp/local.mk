# proto/bgp: see proto/local.mk (nothing here yet).
