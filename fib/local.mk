# fib: build rules (see Makefile.am)
