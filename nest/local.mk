# nest: build rules (see Makefile.am)
