# client: ternc, the birdc-compatible command-line client (see client/ternc.c).
#
# Everything but main() lives in client/libternc.a so that the unit tests and
# the private test binary link the same code as ternc. The command table
# comes from the daemon's grammar (conf/libclicmds.a, generated); until that
# library exists, client/ternc-testtable links client/testtable.c instead.

noinst_LIBRARIES += client/libternc.a
client_libternc_a_SOURCES = \
	client/cmdtable.h \
	client/wire.c client/wire.h \
	client/expand.c client/expand.h \
	client/help.c client/help.h \
	client/output.c client/output.h \
	client/json.c client/json.h \
	client/json-status.c client/json-proto.c client/json-route.c \
	client/session.c client/session.h \
	client/run.c client/run.h \
	client/interactive.c client/interactive.h
client_libternc_a_SOURCES += client/json-perf.c
client_libternc_a_SOURCES += client/json-dplane.c

# Final link, for the lead to enable once conf/libclicmds.a exists:
bin_PROGRAMS += client/ternc
client_ternc_SOURCES = client/ternc.c
client_ternc_LDADD = client/libternc.a conf/libclicmds.a $(READLINE_LIBS)

noinst_PROGRAMS += client/ternc-testtable
client_ternc_testtable_SOURCES = client/ternc.c client/testtable.c
client_ternc_testtable_LDADD = client/libternc.a $(READLINE_LIBS)

dist_man_MANS += doc/ternc.1

CLIENT_TEST_LIBS = client/libternc.a

check_PROGRAMS += client/expand_test client/wire_test client/json_test client/output_test
client_expand_test_SOURCES = client/expand_test.c client/testtable.c
client_expand_test_LDADD = $(CLIENT_TEST_LIBS)
client_wire_test_SOURCES = client/wire_test.c
client_wire_test_LDADD = $(CLIENT_TEST_LIBS)
client_json_test_SOURCES = client/json_test.c client/jsoncheck.h
client_json_test_LDADD = $(CLIENT_TEST_LIBS)
client_output_test_SOURCES = client/output_test.c client/testtable.c
client_output_test_LDADD = $(CLIENT_TEST_LIBS)

TESTS += client/expand_test client/wire_test client/json_test client/output_test \
	client/ternc_test.sh
EXTRA_DIST += client/ternc_test.sh client/fake_ternd.py client/ternc_pty_test.py \
	client/testdata
