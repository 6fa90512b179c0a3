# proto/direct: see proto/local.mk (nothing here yet).
