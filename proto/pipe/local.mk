# proto/pipe: see proto/local.mk (nothing here yet).
