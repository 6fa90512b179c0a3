# filter: build rules (see Makefile.am)

# Value layer: typed values, sets, prefix tries, AS paths, community lists.
noinst_LIBRARIES += filter/libfdata.a
filter_libfdata_a_SOURCES = \
	filter/data.h filter/data.c \
	filter/tree.h filter/tree.c \
	filter/trie.h filter/trie.c \
	filter/aspath.h filter/aspath.c \
	filter/aset.h filter/aset.c

FDATA_TESTS = filter/data_test filter/tree_test filter/trie_test filter/aspath_test filter/aset_test
check_PROGRAMS += $(FDATA_TESTS)
TESTS += $(FDATA_TESTS)
filter_data_test_LDADD = filter/libfdata.a lib/libtern.a
filter_tree_test_LDADD = filter/libfdata.a lib/libtern.a
filter_trie_test_LDADD = filter/libfdata.a lib/libtern.a
filter_aspath_test_LDADD = filter/libfdata.a lib/libtern.a
filter_aset_test_LDADD = filter/libfdata.a lib/libtern.a

# The filter language: grammar fragment, compiler, interpreter, tests.
CONF_FRAGMENTS += $(top_srcdir)/filter/config.Y $(top_srcdir)/filter/flow.Y
EXTRA_DIST += filter/config.Y filter/flow.Y
noinst_LIBRARIES += filter/libfilter.a
filter_libfilter_a_SOURCES = filter/filter.h filter/f-util.c \
	filter/f-inst.h filter/f-inst.c filter/f-compile.c filter/f-opt.c filter/f-interp.c \
	filter/f-attr.c filter/f-parse.h filter/f-parse.c filter/f-test.c

# Tests written in the filter language, and the golden type-error suite.
TESTS += test/filter/run.sh test/filter-golden/run.sh test/filter/corpus.sh
EXTRA_DIST += test/filter/run.sh test/filter-golden/run.sh test/filter/corpus.sh tools/gen-rs-config.py
