# sysdep: build rules (see Makefile.am)
