# proto/dplane: see proto/local.mk (nothing here yet).
