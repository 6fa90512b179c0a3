# dataplane: build rules (see Makefile.am)
