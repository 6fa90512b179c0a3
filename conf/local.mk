# conf: build rules (see Makefile.am)
