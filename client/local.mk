# client: ternc, the birdc-compatible command-line client (see client/ternc.c).
#
# Everything but main() lives in client/libternc.a so that the unit tests and
# the private test binary link the same code as ternc. The command table
# comes from the daemon's grammar (conf/libclicmds.a, generated); until that
# library exists, client/ternc-testtable links the test table instead.

noinst_LIBRARIES += client/libternc.a
client_libternc_a_SOURCES = \
	client/cmdtable.h \
	client/wire.c client/wire.h \
	client/expand.c client/expand.h \
	client/json.c client/json.h \
	client/json-status.c client/json-proto.c client/json-route.c

CLIENT_TEST_LIBS = client/libternc.a

check_PROGRAMS += client/expand_test
client_expand_test_SOURCES = client/expand_test.c client/testtable.c
client_expand_test_LDADD = $(CLIENT_TEST_LIBS)

TESTS += client/expand_test

check_PROGRAMS += client/wire_test
client_wire_test_SOURCES = client/wire_test.c
client_wire_test_LDADD = $(CLIENT_TEST_LIBS)
TESTS += client/wire_test

check_PROGRAMS += client/json_test
client_json_test_SOURCES = client/json_test.c client/jsoncheck.h
client_json_test_LDADD = $(CLIENT_TEST_LIBS)
TESTS += client/json_test
