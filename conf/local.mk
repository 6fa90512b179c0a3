# conf/: the lexer, the grammar assembled from the config.Y fragments of
# every module (conf/gen-grammar.py), and the config object lifecycle.
# Modules append their fragment to CONF_FRAGMENTS.
CONF_FRAGMENTS = $(top_srcdir)/conf/base.Y $(top_srcdir)/nest/config.Y

conf/grammar.stamp: $(CONF_FRAGMENTS) $(top_srcdir)/conf/gen-grammar.py
	@$(MKDIR_P) conf
	$(AM_V_GEN)$(PYTHON) $(top_srcdir)/conf/gen-grammar.py conf/cf-parse.y conf/keywords.c \
		conf/cli-commands.c $(CONF_FRAGMENTS)
	@touch $@
conf/cf-parse.y conf/keywords.c conf/cli-commands.c: conf/grammar.stamp
# One bison run writes both files. Two targets on one rule would be two
# rules to make, and `make -j` ran bison twice at once over the same files.
conf/cf-parse.c: conf/cf-parse.y
	$(AM_V_GEN)bison -Wno-empty-rule -Wno-precedence -Wno-other -d -o conf/cf-parse.c conf/cf-parse.y
conf/cf-parse.h: conf/cf-parse.c
	@:
conf/cf-lex.c: $(top_srcdir)/conf/cf-lex.l conf/cf-parse.h
	@$(MKDIR_P) conf
	$(AM_V_GEN)$(LEX) -o conf/cf-lex.c $(top_srcdir)/conf/cf-lex.l

BUILT_SOURCES += conf/cf-parse.h conf/cli-commands.c conf/keywords.c
CLEANFILES += conf/grammar.stamp conf/cf-parse.y conf/cf-parse.c conf/cf-parse.h \
	conf/cf-lex.c conf/keywords.c conf/cli-commands.c
EXTRA_DIST += conf/gen-grammar.py conf/base.Y conf/cf-lex.l

noinst_LIBRARIES += conf/libconf.a conf/libclicmds.a
conf_libconf_a_SOURCES = conf/conf.c conf/conf.h conf/cli-commands.h
nodist_conf_libconf_a_SOURCES = conf/cf-parse.c conf/cf-parse.h conf/cf-lex.c conf/keywords.c
# Generated scanner/parser code trips -Wextra's sign-compare checks.
conf_libconf_a_CFLAGS = $(AM_CFLAGS) -Wno-sign-compare -Wno-unused-function -Wno-unused-but-set-variable
nodist_conf_libclicmds_a_SOURCES = conf/cli-commands.c
