/*
 * client/expand_test.c: abbreviation expansion, synopsis keywords and
 * completion, on the test command table.
 */
#include "client/expand.h"
#include "test/unit.h"

static char out[4096], err[256];

/* Expand and return the result, or "ERR: <message>". */
static const char *x(const char *in)
{
  static char buf[4400];
  if (cmd_expand(cli_cmd_table, in, out, sizeof(out), err, sizeof(err)) < 0)
    snprintf(buf, sizeof(buf), "ERR: %s", err);
  else
    snprintf(buf, sizeof(buf), "%s", out);
  return buf;
}

static const char *comp(const char *line)
{
  static char buf[1024];
  cmd_complete(cli_cmd_table, line, buf, sizeof(buf));
  return buf;
}

static void test_commands(void)
{
  CHECK_STR(x("sh pro"), "show protocols");
  CHECK_STR(x("sh ro al"), "show route all");
  CHECK_STR(x("sh pro al"), "show protocols all");
  CHECK_STR(x("show status"), "show status");
  CHECK_STR(x("  sh   me  "), "show memory");     /* blanks normalised */
  CHECK_STR(x("sh statu"), "show status");
  CHECK_STR(x("sh sta"), "ERR: Ambiguous command, possible expansions are: status static");
  CHECK_STR(x("sh s"), "ERR: Ambiguous command, possible expansions are: status symbols static");
  CHECK_STR(x("c"), "configure");                 /* the only command starting with c */
  CHECK_STR(x("conf"), "configure");
  CHECK_STR(x("conf so"), "configure soft");
  CHECK_STR(x("conf c"), "ERR: Ambiguous command, possible expansions are: check confirm");
  CHECK_STR(x("conf ch"), "configure check");
  CHECK_STR(x("conf t 30"), "configure timeout 30");
  CHECK_STR(x("re"), "ERR: Ambiguous command, possible expansions are: restart reload restrict");
  CHECK_STR(x("rel i peer_b"), "reload in peer_b");
  CHECK_STR(x("reload"), "reload");               /* exact match beats "reload in" */
  CHECK_STR(x("foo bar"), "ERR: No such command. Press `?' for help.");
  CHECK_STR(x("SHOW STATUS"), "ERR: No such command. Press `?' for help.");
  CHECK_STR(x("sh xyz"), "ERR: No such command. Press `?' for help.");
  CHECK_STR(x(""), "");
  CHECK_STR(x("sh"), "show");                     /* incomplete: daemon will say */
}

static void test_arguments(void)
{
  /* names, quoted strings, numbers and prefixes pass through */
  CHECK_STR(x("sh pro al peer_b"), "show protocols all peer_b");
  CHECK_STR(x("sh pro \"xyz*\""), "show protocols \"xyz*\"");
  CHECK_STR(x("configure \"a  b.conf\""), "configure \"a  b.conf\"");
  CHECK_STR(x("sh ro 10.0.0.0/8 al"), "show route 10.0.0.0/8 all");
  CHECK_STR(x("sh ro fo 192.0.2.1 al"), "show route for 192.0.2.1 all");
  CHECK_STR(x("sh ro co"), "show route count");
  CHECK_STR(x("sh ro pro st"), "show route protocol st");   /* name after protocol */
  CHECK_STR(x("sh ro ta a"), "show route table a");         /* name after table */
  CHECK_STR(x("sh ro im ta peer_b.ipv4 al"), "show route import table peer_b.ipv4 all");
  CHECK_STR(x("sh ro export al"), "show route export al");  /* export takes <p> */
  CHECK_STR(x("sh ro f"), "ERR: Ambiguous argument, possible expansions are: for filter filtered");
  CHECK_STR(x("sh ro filtered"), "show route filtered");    /* exact wins */
  CHECK_STR(x("sh ro wh proto = \"x\" al"), "show route where proto = \"x\" al");
  CHECK_STR(x("sh ro filter { if net ~ 10.0.0.0/8 then accept; } al"),
            "show route filter { if net ~ 10.0.0.0/8 then accept; } al");
  CHECK_STR(x("sh ro prim"), "show route primary");
  CHECK_STR(x("sh ro unknownword"), "show route unknownword");
  CHECK_STR(x("eval 1+2"), "eval 1+2");
  CHECK_STR(x("ev a"), "eval a");                 /* <expr> has no keywords */
  CHECK_STR(x("dis peer_b"), "disable peer_b");
  CHECK_STR(x("dis al"), "disable all");
  CHECK_STR(x("deb peer_b rou"), "debug peer_b routes");
  CHECK_STR(x("sh sym t"), "ERR: Ambiguous argument, possible expansions are: table template");
  CHECK_STR(x("sh int su"), "show interfaces summary");
  CHECK_STR(x("sh statu 1"), "show status 1");       /* no synopsis: verbatim */
}

static void test_limits(void)
{
  static char big[8192];
  memset(big, 'a', sizeof(big) - 1);
  memcpy(big, "eval ", 5);
  CHECK(cmd_expand(cli_cmd_table, big, out, sizeof(out), err, sizeof(err)) < 0);
  CHECK_STR(err, "Command too long");
  char small[8];
  CHECK(cmd_expand(cli_cmd_table, "sh status", small, sizeof(small), err, sizeof(err)) < 0);
  CHECK(cmd_expand(cli_cmd_table, "sh me", small, sizeof(small), err, sizeof(err)) < 0);
  char fits[12];
  CHECK_INT(cmd_expand(cli_cmd_table, "sh me", fits, sizeof(fits), err, sizeof(err)), 0);
  CHECK_STR(fits, "show memory");
}

static void test_tokenize(void)
{
  struct cmd_token t[4];
  CHECK_INT(cmd_tokenize("a \"b c\" d", t, 4), 3);
  CHECK_INT((int) t[1].len, 5);
  CHECK_INT(cmd_tokenize("a b c d e", t, 4), -1);
  CHECK_INT(cmd_tokenize("   ", t, 4), 0);
  CHECK_INT(cmd_tokenize("x \"unterminated y", t, 4), 2);
}

static void test_synopsis(void)
{
  struct syn_kw kw[SYN_MAX];
  int n = synopsis_keywords(cli_cmd_table[4].args, kw, SYN_MAX);   /* show route */
  char names[512] = "";
  for (int i = 0; i < n; i++) {
    char one[40];
    snprintf(one, sizeof(one), "%s%.*s%s", i ? " " : "", (int) kw[i].len, kw[i].s,
             kw[i].takes_arg ? "*" : "");
    strcat(names, one);
  }
  CHECK_STR(names, "for* in* table* import export* filter* where* all primary filtered "
                   "preexport* noexport* protocol* stats count");
  CHECK_INT(synopsis_keywords("<expr>", kw, SYN_MAX), 0);
  CHECK_INT(synopsis_keywords("[\"<file>\"] [timeout [<sec>]]", kw, SYN_MAX), 1);
  CHECK(!kw[0].takes_arg);       /* "[<sec>]" is bracketed, not bound */
  CHECK_INT(synopsis_keywords("NET_IP4 | x <unterminated", kw, SYN_MAX), 1);
  CHECK(kw[0].takes_arg);
}

static void test_complete(void)
{
  CHECK_STR(comp(""), "show configure enable disable restart reload debug eval down restrict echo");
  CHECK_STR(comp("sh"), "show");
  CHECK_STR(comp("show "), "status memory protocols interfaces route symbols static perf dplane");
  CHECK_STR(comp("sh pro"), "protocols");
  CHECK_STR(comp("sh pro "), "all");
  CHECK_STR(comp("sh ro ex"), "export");
  CHECK_STR(comp("sh ro p"), "primary preexport protocol");
  CHECK_STR(comp("sh ro table "), "");             /* a table name comes next */
  CHECK_STR(comp("sh ro where n"), "");
  CHECK_STR(comp("conf "), "soft check confirm undo timeout");
  CHECK_STR(comp("reload "), "in out all");
  CHECK_STR(comp("foo "), "");
  CHECK_STR(comp("sh pro \"a"), "");
  CHECK_INT(cmd_complete(cli_cmd_table, "sh ", out, sizeof(out)), 9);
  char tiny[10];
  CHECK_INT(cmd_complete(cli_cmd_table, "sh ", tiny, sizeof(tiny)), 1);
  CHECK_STR(tiny, "status");
}

int main(void)
{
  test_commands();
  test_arguments();
  test_limits();
  test_tokenize();
  test_synopsis();
  test_complete();
  return unit_done("expand_test");
}
