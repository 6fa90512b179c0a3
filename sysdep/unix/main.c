/*
 * sysdep/unix/main.c: ternd's main(): options, config loading, daemon
 * set-up (pid file, fork, privileges), signals and the event loop.
 *
 * Options mean what they mean for bird: -c config, -s socket, -P pid file,
 * -f foreground, -p parse only, -d debug (foreground, stderr), -D debug
 * file, -u/-g user and group, -R graceful restart recovery, -l local
 * socket and config names, --version. Deviations are in doc/ternd.8.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nest/nest.h"
#include "nest/route.h"
#include "nest/protocol.h"
#include "nest/iface.h"
#include "nest/cli.h"
#include "lib/printf.h"
#include "sysdep/unix/io.h"
#include "sysdep/unix/log.h"
#include "filter/f-inst.h"
#include "proto/bgp/bgp.h"

const char *config_name = PATH_CONFIG_DIR "/ternd.conf";
static const char *socket_name = PATH_RUNTIME_DIR "/ternd.ctl";
static const char *pid_file;
static int pid_fd = -1;
static int parse_only, debug_mode, foreground;
static const char *debug_file;
static const char *use_user, *use_group;
static int graceful_recovery;
static const char *test_file;       /* -t: run the filter tests of a config */

void protos_build(void);
void rta_init(void);
extern void (*cf_postconfig_hook)(struct cf_ctx *ctx);

static void echo_to_cli(int class, const char *msg, void *data)
{
  cli_echo(class, msg);
}

static void postconfig(struct cf_ctx *ctx)
{
  protos_postconfig(ctx);
  if (!test_file && !ctx->err_count && EMPTY_LIST(ctx->conf->protos))
    cf_error(ctx, &ctx->last_loc, "No protocol is specified in the config file");
}

struct config *sysdep_read_config(const char *name, struct strbuf *errors)
{
  struct config *c = config_alloc(name);
  rt_preconfig(c);
  protos_preconfig(c);
  if (!config_parse_file(c, name, errors)) {
    config_free(c);
    return NULL;
  }
  return c;
}

static struct log_config *log_list_of(struct config *c)
{
  struct log_config *head = NULL, **last = &head;
  struct log_config_item *it;
  WALK_LIST(it, c->logfiles) {
    struct log_config *l = lp_allocz(c->mem, sizeof(*l));
    l->kind = it->kind;
    l->path = it->path;
    l->syslog_name = it->syslog_name;
    l->mask = it->mask;
    *last = l;
    last = &l->next;
  }
  return head;
}

void sysdep_commit(struct config *new, struct config *old)
{
  char err[256];
  if (!new->log_set && !debug_mode && !foreground) {
    /* No `log` statement: syslog, as bird does. */
  }
  if (log_switch(log_list_of(new), debug_mode || (foreground && !new->log_set), err, sizeof(err)) < 0)
    log_msg(L_ERR "%s", err);
  log_set_timeformat(new->tf[TF_LOG].fmt1, new->tf[TF_LOG].fmt2, new->tf[TF_LOG].limit);
  cli_start_listeners(&new->cli_sockets);
}

/* Router ID: the lowest non-loopback IPv4 address, as bird picks it. */
u32 sysdep_router_id(void)
{
  u32 best = 0;
  struct iface *i;
  WALK_LIST(i, iface_list) {
    if (i->flags & IF_LOOPBACK)
      continue;
    struct ifa *a;
    WALK_LIST(a, i->addrs) {
      if (!ipa_is_ip4(a->ip))
        continue;
      if (config && !EMPTY_LIST(config->router_id_from) &&
          !iface_patt_match(&config->router_id_from, i, a))
        continue;
      u32 v = ip4_to_u32(ipa_to_ip4(a->ip));
      if (!best || v < best)
        best = v;
    }
  }
  return best;
}

/* Shutdown */

void order_shutdown(int gr)
{
  if (shutting_down)
    return;
  log_msg(L_INFO "Shutting down");
  shutting_down = 1;
  /* Each protocol undoes what it did outside the daemon (the kernel
     protocol removes its routes, sessions close). The tables themselves are
     not flushed route by route: the process is about to exit, and a flush
     would only make every exporter withdraw what it is removing anyway. */
  struct proto *p;
  WALK_LIST(p, proto_list)
    if (p->proto_state != PS_DOWN && p->proto->shutdown)
      p->proto->shutdown(p);
  sysdep_shutdown_done();
}

void sysdep_shutdown_done(void)
{
  cli_close_listeners();
  if (pid_file)
    unlink(pid_file);
  log_msg(L_FATAL "Shutdown completed");
  io_stop_loop();
}

/* Signals */

static void sig_hup(int signo)
{
  log_msg(L_INFO "Reconfiguration requested by SIGHUP");
  struct strbuf err;
  sb_init(&err);
  struct config *c = sysdep_read_config(config_name, &err);
  if (!c) {
    char *s = err.data ? err.data : "";
    for (char *line = strtok(s, "\n"); line; line = strtok(NULL, "\n"))
      log_msg(L_ERR "%s", line);
  } else {
    config_commit(c, RECONFIG_HARD, 0);
  }
  sb_free(&err);
}

static void sig_term(int signo)
{
  log_msg(L_INFO "Shutdown requested by %s", signo == SIGINT ? "SIGINT" : "SIGTERM");
  order_shutdown(0);
}

/* Options */

static void usage(FILE *f)
{
  fprintf(f, "Usage: ternd [--version] [-c <config-file>] [-d] [-D <debug-file>] [-p] [-s <control-socket>]\n"
             "             [-P <pid-file>] [-u <user>] [-g <group>] [-f] [-R] [-l] [-t <test-config>]\n");
}

static void parse_args(int argc, char **argv)
{
  static const struct option longopts[] = {
    { "version", no_argument, NULL, 'V' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  int c;
  int config_changed = 0, socket_changed = 0;
  while ((c = getopt_long(argc, argv, "c:dD:ps:P:u:g:flRht:", longopts, NULL)) >= 0) {
    switch (c) {
    case 'c': config_name = optarg; config_changed = 1; break;
    case 'd': debug_mode = 1; foreground = 1; break;
    case 'D': debug_file = optarg; break;
    case 'p': parse_only = 1; break;
    case 's': socket_name = optarg; socket_changed = 1; break;
    case 'P': pid_file = optarg; break;
    case 'u': use_user = optarg; break;
    case 'g': use_group = optarg; break;
    case 'f': foreground = 1; break;
    case 'l':
      if (!config_changed) config_name = "ternd.conf";
      if (!socket_changed) socket_name = "ternd.ctl";
      break;
    case 'R': graceful_recovery = 1; break;
    case 't': test_file = optarg; config_name = optarg; foreground = 1; break;
    case 'V':
      printf("ternd %s (BIRD %s compatible)\n", PACKAGE_VERSION, BIRD_COMPAT_VERSION);
      exit(0);
    case 'h': usage(stdout); exit(0);
    default: usage(stderr); exit(1);
    }
  }
  if (optind < argc) {
    usage(stderr);
    exit(1);
  }
}

/* -t: start the config (static protocols fill ROA tables), wait until
   every protocol is up or 5 s have passed, run the bt_test_suite()s. */
static int test_passes;
static btime test_deadline;
static timer test_timer;

static void test_tick(timer *t)
{
  tm_start(t, 10000);
}

static void test_pass_hook(void)
{
  int all_up = 1;
  struct proto *p;
  WALK_LIST(p, proto_list)
    if (p->proto_state != PS_UP && !p->disabled)
      all_up = 0;
  if ((all_up && ++test_passes >= 3) || current_time() > test_deadline)
    io_stop_loop();
}

static int run_filter_tests(struct config *c)
{
  /* nest wants a control socket; a private one lives for the run */
  char sock[128];
  bsnprintf(sock, sizeof(sock), "/tmp/ternd-test-%d.ctl", (int) getpid());
  cli_init_unix(sock, 0);
  f_test_count_route_asserts();
  config_apply_first(c);
  test_deadline = current_time() + 5000000;
  tm_init(&test_timer, test_tick, NULL);
  tm_start(&test_timer, 10000);
  io_add_pass_hook(tmp_flush);
  io_add_pass_hook(test_pass_hook);
  io_loop();
  int r = f_test_run_all(c, stdout);
  unlink(sock);
  return r;
}

static void drop_privileges(void)
{
  if (use_group) {
    struct group *g = getgrnam(use_group);
    if (!g)
      die("Cannot find group '%s'", use_group);
    if (setgid(g->gr_gid) < 0)
      die("setgid: %m");
  }
  if (use_user) {
    struct passwd *pw = getpwnam(use_user);
    if (!pw)
      die("Cannot find user '%s'", use_user);
    if (!use_group && setgid(pw->pw_gid) < 0)
      die("setgid: %m");
    if (setgroups(0, NULL) < 0 || setuid(pw->pw_uid) < 0)
      die("setuid: %m");
  }
}

static void open_pid_file(void)
{
  if (!pid_file)
    return;
  pid_fd = open(pid_file, O_WRONLY | O_CREAT | O_CLOEXEC, 0664);
  if (pid_fd < 0)
    die("Cannot create PID file %s: %m", pid_file);
}

static void write_pid_file(void)
{
  if (pid_fd < 0)
    return;
  char buf[32];
  int len = bsnprintf(buf, sizeof(buf), "%d\n", (int) getpid());
  if (ftruncate(pid_fd, 0) < 0 || write(pid_fd, buf, len) != len)
    die("Cannot write PID file %s: %m", pid_file);
  close(pid_fd);
  pid_fd = -1;
}

static void daemonize(void)
{
  pid_t pid = fork();
  if (pid < 0)
    die("fork: %m");
  if (pid)
    _exit(0);
  setsid();
  pid = fork();
  if (pid < 0)
    die("fork: %m");
  if (pid)
    _exit(0);
  if (chdir("/") < 0)
    die("chdir: %m");
  umask(022);
  int fd = open("/dev/null", O_RDWR);
  if (fd >= 0) {
    dup2(fd, 0);
    dup2(fd, 1);
    dup2(fd, 2);
    if (fd > 2)
      close(fd);
  }
}

int main(int argc, char **argv)
{
  parse_args(argc, argv);
  tmp_init();
  log_install_fatal_hook();
  if (debug_file && log_init_debug(debug_file) < 0)
    die("Cannot open debug file %s: %m", debug_file);
  cf_postconfig_hook = postconfig;
  log_set_echo(echo_to_cli, NULL);
  io_init();
  rta_init();
  rt_init();
  if_init();
  protos_build();
  bgp_attrs_init();
  filter_init();
  config_init_nest();

  struct strbuf err;
  sb_init(&err);
  struct config *c = sysdep_read_config(config_name, &err);
  if (!c) {
    fputs(err.data ? err.data : "Configuration error\n", stderr);
    sb_free(&err);
    return 1;
  }
  sb_free(&err);
  if (parse_only)
    return 0;
  if (test_file)
    return run_filter_tests(c);

  open_pid_file();
  cli_init_unix(socket_name, 0);
  drop_privileges();
  if (!foreground)
    daemonize();
  write_pid_file();

  io_signal(SIGHUP, sig_hup);
  io_signal(SIGTERM, sig_term);
  io_signal(SIGINT, sig_term);
  signal(SIGPIPE, SIG_IGN);

  boot_time = current_real_time();
  if (graceful_recovery)
    gr_recovery_start(c->gr_wait);
  config_apply_first(c);
  gr_recovery_check();
  log_msg(L_INFO "Started");
  io_add_pass_hook(tmp_flush);
  io_loop();
  return 0;
}
