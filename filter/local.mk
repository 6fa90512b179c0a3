# filter: build rules (see Makefile.am)
