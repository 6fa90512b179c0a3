/*
 * client/interactive.c: interactive ternc.
 *
 * readline runs in callback mode so that one poll() watches the terminal
 * and the socket together: asynchronous "+" messages (after `echo all`) are
 * printed the moment they arrive, above the prompt and the half-typed line.
 * While a reply is being received the prompt is taken down, as in birdc.
 * readline's interface is global, hence the one static context.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "client/expand.h"
#include "client/interactive.h"
#include "client/output.h"

#define PROMPT "tern> "
#define HISTORY_FILE ".ternc_history"
#define HISTORY_MAX 1000

static struct {
  struct runner *r;
  bool busy;               /* a command is out, its reply not complete */
  bool quit;
  int status;
  char cmd[CMD_LINE_MAX];  /* the command whose reply is awaited */
  char cands[4096];        /* completion candidates, space separated */
  const char *cand_at;
  char history[1024];
} I;

static void async_print(const struct wire_line *l, void *ctx)
{
  FILE *f = I.r->o.json ? stderr : stdout;
  if (I.busy) {              /* no prompt on screen */
    out_line(f, l, false);
    return;
  }
  char *saved = rl_copy_text(0, rl_end);
  int point = rl_point;
  rl_save_prompt();
  rl_replace_line("", 0);
  rl_redisplay();
  out_line(f, l, false);
  fflush(f);
  rl_restore_prompt();
  rl_replace_line(saved, 0);
  rl_point = point;
  rl_redisplay();
  free(saved);
}

static void on_input(char *line);

static void prompt_on(void)
{
  rl_callback_handler_install(PROMPT, on_input);
}

static void run_typed(const char *line)
{
  enum client_cmd client;
  if (runner_prepare(I.r, line, I.cmd, sizeof(I.cmd), &client) != LINE_OK || !I.cmd[0])
    return;
  if (client != CLIENT_NONE) {
    if (runner_client(I.r, client, I.cmd) == LINE_QUIT)
      I.quit = true;
    return;
  }
  if (session_send(&I.r->s, I.cmd) < 0) {
    I.quit = true;
    I.status = 1;
    return;
  }
  I.busy = true;
}

static void on_input(char *line)
{
  if (!line) {               /* end of input (^D) */
    putchar('\n');
    I.quit = true;
    return;
  }
  if (*json_skip_blanks(line))
    add_history(line);
  run_typed(line);
  free(line);
  if (I.busy || I.quit)
    rl_callback_handler_remove();
}

/* `?` lists the commands matching what was typed so far; inside a quoted
 * string it is just a character. */
static int help_key(int count, int key)
{
  bool quoted = false;
  for (int i = 0; i < rl_point; i++)
    if (rl_line_buffer[i] == '"')
      quoted = !quoted;
  if (quoted)
    return rl_insert(count, key);
  char *before = strndup(rl_line_buffer, (size_t) rl_point);
  putchar('\n');
  cmd_help(I.r->table, before ? before : "", stdout);
  free(before);
  rl_on_new_line();
  rl_redisplay();
  return 0;
}

static char *next_cand(const char *text, int state)
{
  if (!*I.cand_at)
    return NULL;
  size_t l = strcspn(I.cand_at, " ");
  char *c = strndup(I.cand_at, l);
  I.cand_at += l + (I.cand_at[l] == ' ');
  return c;
}

static char **complete(const char *text, int start, int end)
{
  rl_attempted_completion_over = 1;      /* never fall back to file names */
  char *before = strndup(rl_line_buffer, (size_t) end);
  cmd_complete(I.r->table, before ? before : "", I.cands, sizeof(I.cands));
  free(before);
  I.cand_at = I.cands;
  return rl_completion_matches(text, next_cand);
}

static void history_open(void)
{
  const char *home = getenv("HOME");
  using_history();
  stifle_history(HISTORY_MAX);
  I.history[0] = 0;
  if (home && *home) {
    snprintf(I.history, sizeof(I.history), "%s/%s", home, HISTORY_FILE);
    read_history(I.history);
  }
}

static void history_close(void)
{
  if (I.history[0] && !write_history(I.history))
    history_truncate_file(I.history, HISTORY_MAX);
}

static void reply_complete(void)
{
  I.busy = false;
  if (runner_finish(I.r, I.cmd) != LINE_OK)
    I.status = 1;
  else
    I.status = 0;
  prompt_on();
}

/* Data from the daemon; false if the connection is gone. */
static bool socket_ready(void)
{
  if (session_read(&I.r->s) <= 0) {
    if (!I.busy)
      rl_callback_handler_remove();
    fprintf(stderr, "\nternc: connection to the daemon lost\n");
    return false;
  }
  if (I.busy && I.r->s.done)
    reply_complete();
  return true;
}

static void loop(void)
{
  while (!I.quit) {
    struct pollfd p[2] = {
      { .fd = I.r->s.fd, .events = POLLIN },
      { .fd = STDIN_FILENO, .events = I.busy ? 0 : POLLIN },
    };
    if (poll(p, 2, -1) < 0) {
      if (errno == EINTR)
        continue;
      break;
    }
    if (p[0].revents && !socket_ready()) {
      I.status = 1;
      return;
    }
    if (!I.busy && !I.quit && p[1].revents)
      rl_callback_read_char();
  }
}

int interactive_run(struct runner *r)
{
  memset(&I, 0, sizeof(I));
  I.r = r;
  if (!runner_open(r))
    return 1;
  r->s.async_hook = async_print;
  rl_readline_name = "ternc";
  rl_attempted_completion_function = complete;
  rl_completer_word_break_characters = (char *) " \t";
  rl_bind_key('?', help_key);
  history_open();
  prompt_on();
  loop();
  if (!I.busy)
    rl_callback_handler_remove();
  history_close();
  return I.status;
}
