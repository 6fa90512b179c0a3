# doc/: the operator's guide, man pages, the example config and the
# systemd unit (see doc/install.md).
dist_man_MANS += doc/ternd.8
dist_doc_DATA += doc/install.md doc/quickstart.md doc/config.md doc/cli.md \
	doc/filters.md doc/hacking.md doc/fib.md doc/dplane.md doc/perf.md

# The example config goes to $(sysconfdir)/ternd.conf.example; copy it to
# ternd.conf to start (make install never touches ternd.conf itself).
dist_sysconf_DATA = doc/ternd.conf.example

# The unit names installed paths, so it is generated at build time.
EXTRA_DIST += doc/ternd.service.in
CLEANFILES += doc/ternd.service
if INSTALL_SYSTEMD_UNIT
systemdsystemunit_DATA = doc/ternd.service
endif
doc/ternd.service: $(srcdir)/doc/ternd.service.in Makefile
	@$(MKDIR_P) doc
	$(AM_V_GEN)sed -e 's|@sbindir[@]|$(sbindir)|g' -e 's|@sysconfdir[@]|$(sysconfdir)|g' \
		$(srcdir)/doc/ternd.service.in > $@.tmp && mv $@.tmp $@

# Golden config tests and the install test.
TESTS += test/config-golden.sh test/install.sh
EXTRA_DIST += test/config-golden.sh test/install.sh test/config-golden
