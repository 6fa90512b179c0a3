# sysdep: build rules (see Makefile.am)

# --- sysdep/unix: event loop, sockets, timers, logging ---
noinst_LIBRARIES += sysdep/libsysdep.a
sysdep_libsysdep_a_SOURCES = \
	sysdep/unix/io.c sysdep/unix/io.h \
	sysdep/unix/log.c sysdep/unix/log.h

check_PROGRAMS += sysdep/unix/io_test sysdep/unix/log_test
TESTS += sysdep/unix/io_test sysdep/unix/log_test
sysdep_unix_io_test_SOURCES = sysdep/unix/io_test.c
sysdep_unix_io_test_LDADD = sysdep/libsysdep.a lib/libtern.a -lpthread
sysdep_unix_log_test_SOURCES = sysdep/unix/log_test.c
sysdep_unix_log_test_LDADD = sysdep/libsysdep.a lib/libtern.a -lpthread
# --- end sysdep/unix ---

# --- sysdep/linux: rtnetlink layer (netlink.h); appended, keep at the bottom ---
noinst_LIBRARIES += sysdep/libnetlink.a
sysdep_libnetlink_a_SOURCES = sysdep/linux/netlink.c sysdep/linux/netlink.h
check_PROGRAMS += sysdep/linux/netlink_test
TESTS += sysdep/linux/netlink_test
sysdep_linux_netlink_test_SOURCES = sysdep/linux/netlink_test.c
sysdep_linux_netlink_test_LDADD = sysdep/libnetlink.a
# --- end sysdep/linux ---
