# proto: build rules (see Makefile.am)
