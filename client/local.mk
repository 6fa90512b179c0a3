# client: build rules (see Makefile.am)
