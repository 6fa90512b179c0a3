# test/: integration tests that run real processes in network namespaces.
TESTS += test/ternd_basic.sh
EXTRA_DIST += test/ternd_basic.sh test/unit.h
