# lib: build rules (see Makefile.am)
