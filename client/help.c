/*
 * client/help.c: `?` help listing and the client-side commands.
 */
#include <stdlib.h>
#include <string.h>

#include "client/expand.h"
#include "client/help.h"

/* The help column starts here; longer synopses push the help text to a
 * line of its own rather than widening every line. */
#define HELP_COL 40

static const struct cli_cmd_info client_cmds[] = {
  { "quit", "", "Quit the client" },
  { "exit", "", "Exit the client" },
  { "help", "[<command>]", "Description of the help system" },
};

#define N_CLIENT_CMDS (sizeof(client_cmds) / sizeof(client_cmds[0]))

struct cli_cmd_info *cmdtab_with_client(const struct cli_cmd_info *daemon)
{
  size_t n = 0;
  while (daemon[n].command)
    n++;
  struct cli_cmd_info *t = calloc(n + N_CLIENT_CMDS + 1, sizeof(*t));
  if (!t)
    abort();
  memcpy(t, daemon, n * sizeof(*t));
  memcpy(t + n, client_cmds, sizeof(client_cmds));
  return t;       /* calloc left the terminating entry all NULL */
}

enum client_cmd client_command(const char *expanded)
{
  if (!strcmp(expanded, "quit") || !strcmp(expanded, "exit"))
    return CLIENT_QUIT;
  if (!strcmp(expanded, "help") || !strncmp(expanded, "help ", 5))
    return CLIENT_HELP;
  return CLIENT_NONE;
}

static bool tok_prefix(struct cmd_token p, struct cmd_token full)
{
  return p.len <= full.len && !memcmp(p.s, full.s, p.len);
}

/* Every typed word that falls on a keyword must prefix it; words beyond the
 * keywords are arguments and match anything. */
static bool help_matches(const struct cli_cmd_info *e, const struct cmd_token *t, int n)
{
  struct cmd_token kw[32];
  int m = cmd_tokenize(e->command, kw, 32);
  if (m < 0)
    return false;
  for (int i = 0; i < n && i < m; i++)
    if (!tok_prefix(t[i], kw[i]))
      return false;
  return true;
}

static void help_entry(const struct cli_cmd_info *e, FILE *out)
{
  const char *args = e->args ? e->args : "";
  int len = (int) (strlen(e->command) + (*args ? 1 + strlen(args) : 0));
  fprintf(out, "%s%s%s", e->command, *args ? " " : "", args);
  if (len > HELP_COL)
    fprintf(out, "\n%*s", HELP_COL, "");
  else
    fprintf(out, "%*s", HELP_COL - len, "");
  fprintf(out, "  %s\n", e->help ? e->help : "");
}

int cmd_help(const struct cli_cmd_info *table, const char *line, FILE *out)
{
  struct cmd_token t[CMD_MAX_TOKENS];
  int n = cmd_tokenize(line, t, CMD_MAX_TOKENS);
  int shown = 0;
  if (n < 0)
    n = 0;
  for (const struct cli_cmd_info *e = table; e->command; e++)
    if (help_matches(e, t, n)) {
      help_entry(e, out);
      shown++;
    }
  if (!shown)
    fprintf(out, "No such command. Press `?' for help.\n");
  return shown;
}
