# proto/perf: see proto/local.mk (nothing here yet).
