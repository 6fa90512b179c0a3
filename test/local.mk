# test/: integration tests that run real processes in network namespaces.
TESTS += test/ternd_basic.sh
EXTRA_DIST += test/ternd_basic.sh test/unit.h test/lib.sh
TESTS += test/bird_compare.sh
EXTRA_DIST += test/bird_compare.sh test/compare/compare.py test/compare/known-diffs
TESTS += test/nets.sh
EXTRA_DIST += test/nets.sh
TESTS += test/rpki.sh
EXTRA_DIST += test/rpki.sh
