/*
 * client/testtable.c: a small, realistic command table for the client's
 * unit tests and for the private `ternc-testtable` binary, used until the
 * generated conf/cli-commands.c (the real table, built from the daemon's
 * grammar) is linked into ternc. Entries follow BIRD 2.0.12's CF_CLI lines.
 * It defines the same symbol as the generated table; the two are never
 * linked into one program.
 */
#include <stddef.h>

#include "client/cmdtable.h"

#define PROTO_ARG "<protocol> | \"<pattern>\" | all"

const struct cli_cmd_info cli_cmd_table[] = {
  { "show status", "", "Show router status" },
  { "show memory", "", "Show memory usage" },
  { "show protocols", "[all] [<protocol> | \"<pattern>\"]", "Show routing protocols" },
  { "show interfaces", "[summary]", "Show network interfaces" },
  { "show route",
    "[[<prefix>|for <prefix>|for <ip>|in <prefix>] [table <t>] "
    "[(import|export) table <p>.<c>] [filter <f>|where <cond>] [all] [primary] "
    "[filtered] [(export|preexport|noexport) <p>] [protocol <p>] [stats|count]]",
    "Show routing table" },
  { "show symbols", "[table|filter|function|protocol|template|<symbol>]",
    "Show all known symbolic names" },
  { "show static", "[<name>]", "Show details of static protocol" },
  { "show perf", "[<name>]", "Show results of perf protocol runs" },
  { "show dplane", "[<name>]", "Show data-plane FIB state" },
  { "configure", "[\"<file>\"] [timeout [<sec>]]", "Reload configuration" },
  { "configure soft", "[\"<file>\"] [timeout [<sec>]]",
    "Reload configuration and ignore changes in filters" },
  { "configure check", "[\"<file>\"]", "Parse configuration and check its validity" },
  { "configure confirm", "", "Confirm last configuration change - deactivate undo timeout" },
  { "configure undo", "", "Undo last configuration change" },
  { "configure timeout", "[<sec>]", "Reload configuration with an undo timeout" },
  { "enable", PROTO_ARG, "Enable protocol" },
  { "disable", PROTO_ARG " [\"<message>\"]", "Disable protocol" },
  { "restart", PROTO_ARG, "Restart protocol" },
  { "reload", PROTO_ARG, "Reload protocol" },
  { "reload in", PROTO_ARG, "Reload protocol (just imported routes)" },
  { "reload out", PROTO_ARG, "Reload protocol (just exported routes)" },
  { "debug",
    "<protocol> | <channel> | \"<pattern>\" | all (all | off | "
    "{ states|routes|filters|interfaces|events|packets [, ...] })",
    "Control protocol debugging via log" },
  { "eval", "<expr>", "Evaluate an expression" },
  { "down", "", "Shut the daemon down" },
  { "restrict", "", "Restrict current CLI session to safe commands" },
  { "echo", "[all|off|{ <mask> }] [<buffer-size>]", "Control echoing of log messages" },
  { NULL, NULL, NULL },
};
