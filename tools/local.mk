# tools: build rules (see Makefile.am)
