# test: build rules (see Makefile.am)
