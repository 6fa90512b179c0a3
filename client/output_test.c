/*
 * client/output_test.c: birdc-style text output (plain and -v), `?` help
 * and the client's own commands, on the test command table.
 */
#include <stdlib.h>

#include "client/help.h"
#include "client/output.h"
#include "test/unit.h"

struct render {
  FILE *f;
  bool verbose;
};

static void render_line(const struct wire_line *l, void *ctx)
{
  struct render *r = ctx;
  out_line(r->f, l, r->verbose);
}

/* Render a raw byte stream the way ternc prints it. */
static char *render(const char *raw, bool verbose)
{
  char *buf = NULL;
  size_t len = 0;
  struct render r = { open_memstream(&buf, &len), verbose };
  struct wire_reader rd;
  wire_init(&rd);
  wire_feed(&rd, raw, strlen(raw), render_line, &r);
  fclose(r.f);
  return buf;
}

static const char raw[] =
  "0001 BIRD 2.0.12 ready.\n"
  "2002-Name       Proto      Table      State  Since         Info\n"
  "1002-device1    Device     ---        up     11:43:18.546  \n"
  " igp4       Static     master4    up     11:43:18.546  \n"
  "1006-  Channel ipv4\n"
  " \n"
  "+Reconfiguring\n"
  "garbage here\n"
  "0000 \n"
  "8001 Network not found\n";

static void test_plain(void)
{
  char *s = render(raw, false);
  CHECK_STR(s,
            "BIRD 2.0.12 ready.\n"
            "Name       Proto      Table      State  Since         Info\n"
            "device1    Device     ---        up     11:43:18.546  \n"
            "igp4       Static     master4    up     11:43:18.546  \n"
            "  Channel ipv4\n"
            "\n"
            ">>> Reconfiguring\n"
            "??? <garbage here>\n"
            "Network not found\n");
  free(s);
}

static void test_verbose(void)
{
  char *s = render(raw, true);
  CHECK_STR(s,
            "0001 BIRD 2.0.12 ready.\n"
            "2002-Name       Proto      Table      State  Since         Info\n"
            "1002-device1    Device     ---        up     11:43:18.546  \n"
            "     igp4       Static     master4    up     11:43:18.546  \n"
            "1006-  Channel ipv4\n"
            "     \n"
            ">>> Reconfiguring\n"
            "??? <garbage here>\n"
            "8001 Network not found\n");
  free(s);
}

static char *help(const struct cli_cmd_info *t, const char *line, int *n)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  *n = cmd_help(t, line, f);
  fclose(f);
  return buf;
}

static void test_help(void)
{
  struct cli_cmd_info *t = cmdtab_with_client(cli_cmd_table);
  int n;
  char *s = help(t, "sh pro", &n);
  CHECK_INT(n, 1);
  CHECK_STR(s, "show protocols [all] [<protocol> | \"<pattern>\"]\n"
               "                                          Show routing protocols\n");
  free(s);

  s = help(t, "conf", &n);
  CHECK_INT(n, 6);
  CHECK(strstr(s, "\nconfigure undo                            Undo last configuration change\n") != NULL);
  free(s);

  s = help(t, "sh ro", &n);      /* long synopsis: help on its own line */
  CHECK_INT(n, 1);
  CHECK(!strncmp(s, "show route [[<prefix>|for <prefix>", 34));
  CHECK(strstr(s, "[stats|count]]\n                                          Show routing table\n") != NULL);
  free(s);

  s = help(t, "reload peer_b", &n);   /* an argument, not "reload in/out" */
  CHECK_INT(n, 1);
  free(s);

  s = help(t, "", &n);
  CHECK_INT(n, 29);                   /* 26 daemon + quit, exit, help */
  CHECK(strstr(s, "\nquit                                      Quit the client\n") != NULL);
  CHECK(!strncmp(s, "show status                               Show router status\n", 61));
  free(s);

  s = help(t, "xyz", &n);
  CHECK_INT(n, 0);
  CHECK_STR(s, "No such command. Press `?' for help.\n");
  free(s);

  free(t);
  CHECK_INT(client_command("quit"), CLIENT_QUIT);
  CHECK_INT(client_command("exit"), CLIENT_QUIT);
  CHECK_INT(client_command("help show"), CLIENT_HELP);
  CHECK_INT(client_command("show status"), CLIENT_NONE);
  CHECK_INT(client_command("helpx"), CLIENT_NONE);
}

int main(void)
{
  test_plain();
  test_verbose();
  test_help();
  return unit_done("output_test");
}
