/*
 * client/ternc.c: ternc, the command-line client of ternd's control socket.
 *
 *   ternc [-s <socket> | -l] [-r] [-v] [-j] [<command>...]
 *
 * Behaves like BIRD's birdc, so scripts and tools written for birdc work:
 * with a command in the arguments it runs that one command and exits with
 * status 0 iff the reply code is below 8000; without, it reads commands
 * from the terminal (readline) or, when stdin is not a terminal, line by
 * line from stdin. The command table (abbreviations, completion, help) is
 * the one generated from the daemon's grammar, linked in as cli_cmd_table.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/interactive.h"
#include "client/run.h"

#ifndef PATH_RUNTIME_DIR
#define PATH_RUNTIME_DIR "/run/tern"
#endif

#define DEFAULT_SOCKET PATH_RUNTIME_DIR "/ternd.ctl"
#define LOCAL_SOCKET "ternd.ctl"

static void usage(FILE *f)
{
  fprintf(f,
          "Usage: ternc [-s <control-socket>] [-l] [-r] [-v] [-j] [<command>...]\n"
          "  -s <path>  control socket (default " DEFAULT_SOCKET ")\n"
          "  -l         use ./" LOCAL_SOCKET " in the current directory\n"
          "  -r         restricted mode: send `restrict' first\n"
          "  -v         print raw reply codes\n"
          "  -j         print replies as JSON\n"
          "  -h         this help\n");
}

/* The command words, joined by single spaces into one line. */
static char *join_args(int argc, char **argv)
{
  size_t len = 1;
  for (int i = 0; i < argc; i++)
    len += strlen(argv[i]) + 1;
  char *s = calloc(1, len);
  if (!s)
    abort();
  for (int i = 0; i < argc; i++) {
    if (i)
      strcat(s, " ");
    strcat(s, argv[i]);
  }
  return s;
}

static int batch(struct runner *r, FILE *in)
{
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  int status = 0;
  while ((n = getline(&line, &cap, in)) >= 0) {
    if (n && line[n - 1] == '\n')
      line[n - 1] = 0;
    enum line_result res = runner_line(r, line);
    if (res == LINE_QUIT)
      break;
    status = res == LINE_OK ? 0 : 1;
    if (res == LINE_LOST)
      break;
  }
  free(line);
  return status;
}

static int parse_opts(int argc, char **argv, struct ternc_opts *o)
{
  int c;
  o->socket = DEFAULT_SOCKET;
  /* '+': stop at the first command word, so `ternc eval -1` works */
  while ((c = getopt(argc, argv, "+s:lrvjh")) != -1) {
    switch (c) {
    case 's': o->socket = optarg; break;
    case 'l': o->socket = LOCAL_SOCKET; break;
    case 'r': o->restricted = true; break;
    case 'v': o->verbose = true; break;
    case 'j': o->json = true; break;
    case 'h': usage(stdout); exit(0);
    default: usage(stderr); return -1;
    }
  }
  return 0;
}

int main(int argc, char **argv)
{
  struct ternc_opts o = { 0 };
  struct runner r;
  int status;
  if (parse_opts(argc, argv, &o) < 0)
    return 1;
  signal(SIGPIPE, SIG_IGN);      /* a dead daemon is an error message, not a signal */
  struct cli_cmd_info *table = cmdtab_with_client(cli_cmd_table);
  runner_init(&r, &o, table);
  if (optind < argc) {
    char *cmd = join_args(argc - optind, argv + optind);
    enum line_result res = runner_line(&r, cmd);
    status = res == LINE_OK || res == LINE_QUIT ? 0 : 1;
    free(cmd);
  } else if (isatty(STDIN_FILENO))
    status = interactive_run(&r);
  else
    status = batch(&r, stdin);
  runner_done(&r);
  free(table);
  return status;
}
