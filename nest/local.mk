# nest/: the routing core, and the ternd program (main in sysdep/unix).
noinst_LIBRARIES += nest/libnest.a
nest_libnest_a_SOURCES = \
	nest/nest.h nest/route.h nest/protocol.h nest/iface.h nest/cli.h nest/cmds.h nest/rt-show.h \
	nest/rt-attr.c nest/rt-table.c nest/proto.c nest/iface.c nest/cli.c nest/cmds.c \
	nest/reconfig.c nest/rt-show.c nest/rt-roa.c \
	nest/aspa.h nest/aspa.c nest/rt-aspa.c
EXTRA_DIST += nest/config.Y

# Unit tests: one program per piece, beside the code.
NEST_TESTS = nest/aspa_test
check_PROGRAMS += $(NEST_TESTS)
TESTS += $(NEST_TESTS)
nest_aspa_test_SOURCES = nest/aspa_test.c
nest_aspa_test_LDADD = nest/libnest.a lib/libtern.a

sbin_PROGRAMS += ternd
ternd_SOURCES = sysdep/unix/main.c
# Libraries that call each other are listed twice so the linker resolves
# the cycles between nest, conf, filter and the protocols.
TERND_LIBS = proto/libprotos.a conf/libconf.a nest/libnest.a filter/libfilter.a \
	proto/libprotos.a conf/libconf.a nest/libnest.a filter/libfilter.a filter/libfdata.a \
	sysdep/libsysdep.a sysdep/libnetlink.a lib/libtern.a
ternd_LDADD = $(TERND_LIBS) $(RTR_LIBS) -lpthread
