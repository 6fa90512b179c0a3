/*
 * sysdep/unix/log_test.c: log destinations, masks, line format, switching,
 * rate limits, the debug output and lib's fatal hook, checked by reading
 * back the files the logger wrote.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>
#include <time.h>

#include "test/unit.h"
#include "lib/tern.h"
#include "sysdep/unix/log.h"

static char dir[] = "/tmp/tern-log-test-XXXXXX";

static const char *tmp_path(const char *name)
{
  static char buf[4][256];
  static int next;
  char *p = buf[next++ % 4];
  snprintf(p, 256, "%s/%s", dir, name);
  return p;
}

/* Whole file as a string (static buffer), "" if missing */
static const char *slurp(const char *path)
{
  static char buf[65536];
  buf[0] = 0;
  int fd = open(path, O_RDONLY);
  if (fd < 0)
    return buf;
  ssize_t n = read(fd, buf, sizeof(buf) - 1);
  buf[n > 0 ? n : 0] = 0;
  close(fd);
  return buf;
}

static int count_lines(const char *text)
{
  int n = 0;
  for (; *text; text++)
    n += *text == '\n';
  return n;
}

/* "YYYY-MM-DD HH:MM:SS.mmm <CLASS> msg" */
static int line_has_stamp(const char *line)
{
  const char *shape = "dddd-dd-dd dd:dd:dd.ddd <";
  for (int i = 0; shape[i]; i++)
  {
    if (shape[i] == 'd' ? (line[i] < '0' || line[i] > '9') : line[i] != shape[i])
      return 0;
  }
  return 1;
}

static void test_default_stderr(void)
{
  /* Before any configuration, messages go to stderr */
  const char *path = tmp_path("stderr");
  int saved = dup(2);
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  dup2(fd, 2);
  close(fd);
  log_msg(L_WARN "early %d", 1);
  dup2(saved, 2);
  close(saved);
  const char *text = slurp(path);
  CHECK(line_has_stamp(text));
  CHECK(strstr(text, " <WARN> early 1\n") != NULL);
}

static void test_masks_and_format(void)
{
  const char *all = tmp_path("all.log"), *bad = tmp_path("bad.log");
  struct log_config c2 = { .kind = LOG_DEST_FILE, .path = bad,
                           .mask = L_MASK(L_WARN_) | L_MASK(L_ERR_) };
  struct log_config c1 = { .kind = LOG_DEST_FILE, .path = all, .mask = L_MASK_ALL, .next = &c2 };
  char err[256] = "";
  CHECK_INT(log_switch(&c1, 0, err, sizeof(err)), 0);

  log_msg(L_INFO "Protocol %s up", "bgp1");
  log_msg("no class given");
  log_msg(L_WARN "careful");
  errno = ENOENT;
  log_msg(L_ERR "open: %m");
  log_msg(L_TRACE "router id %R", (u32) 0x01020304);

  const char *t = slurp(all);
  CHECK_INT(count_lines(t), 5);
  CHECK(line_has_stamp(t));
  CHECK(strstr(t, " <INFO> Protocol bgp1 up\n") != NULL);
  CHECK(strstr(t, " <INFO> no class given\n") != NULL);
  CHECK(strstr(t, " <WARN> careful\n") != NULL);
  CHECK(strstr(t, " <ERR> open: No such file or directory\n") != NULL);
  CHECK(strstr(t, " <TRACE> router id 1.2.3.4\n") != NULL);
  /* every line stamped */
  for (const char *l = t; *l; l = strchr(l, '\n') + 1)
    CHECK(line_has_stamp(l));

  t = slurp(bad);
  CHECK_INT(count_lines(t), 2);
  CHECK(strstr(t, "<WARN> careful") != NULL);
  CHECK(strstr(t, "<ERR> open:") != NULL);
  CHECK(strstr(t, "<INFO>") == NULL);
}

static void test_switch_failure(void)
{
  const char *keep = tmp_path("keep.log");
  struct log_config ok = { .kind = LOG_DEST_FILE, .path = keep, .mask = L_MASK_ALL };
  char err[256] = "";
  CHECK_INT(log_switch(&ok, 0, err, sizeof(err)), 0);
  log_msg("before");

  /* The second file cannot be opened: nothing changes */
  const char *fresh = tmp_path("fresh.log");
  struct log_config broken = { .kind = LOG_DEST_FILE, .path = "/nonexistent-dir/x.log", .mask = L_MASK_ALL };
  struct log_config first = { .kind = LOG_DEST_FILE, .path = fresh, .mask = L_MASK_ALL, .next = &broken };
  CHECK_INT(log_switch(&first, 0, err, sizeof(err)), -1);
  CHECK(strstr(err, "/nonexistent-dir/x.log") != NULL);
  CHECK(strstr(err, "No such file") != NULL);
  log_msg("after");
  const char *t = slurp(keep);
  CHECK(strstr(t, "> before\n") && strstr(t, "> after\n"));
  CHECK_STR(slurp(fresh), "");  /* created, maybe, but never written */

  /* Too many destinations is refused the same way */
  struct log_config many[LOG_MAX_DEST + 1];
  for (int i = 0; i <= LOG_MAX_DEST; i++)
    many[i] = (struct log_config) { .kind = LOG_DEST_STDERR, .mask = L_MASK_ALL,
                                    .next = i < LOG_MAX_DEST ? &many[i + 1] : NULL };
  CHECK_INT(log_switch(many, 0, err, sizeof(err)), -1);
  CHECK(strstr(err, "Too many") != NULL);
  log_msg("still here");
  CHECK(strstr(slurp(keep), "> still here\n") != NULL);
}

static void test_rate_limit(void)
{
  const char *path = tmp_path("rl.log");
  struct log_config c = { .kind = LOG_DEST_FILE, .path = path, .mask = L_MASK_ALL };
  char err[256];
  CHECK_INT(log_switch(&c, 0, err, sizeof(err)), 0);

  times_update();
  struct log_rate rl = LOG_RATE_INIT(1 * S_, 3);
  for (int i = 0; i < 10; i++)
    log_rl(&rl, L_WARN "bad packet %d", i);
  const char *t = slurp(path);
  CHECK_INT(count_lines(t), 4);
  CHECK(strstr(t, "bad packet 2\n") != NULL);
  CHECK(strstr(t, "bad packet 3\n") == NULL);
  CHECK(strstr(t, "<WARN> ... messages suppressed\n") != NULL);
  CHECK_INT(rl.suppressed, 7);

  /* White box: pretend the interval has passed */
  rl.start_ -= 2 * S_;
  log_rl(&rl, L_WARN "bad packet %d", 10);
  t = slurp(path);
  CHECK_INT(count_lines(t), 5);
  CHECK(strstr(t, "bad packet 10\n") != NULL);
}

static void test_time_format(void)
{
  setenv("TZ", "UTC", 1);
  tzset();
  btime t = 1795693398LL * S_ + 546123;  /* 2026-11-26 11:43:18.546123 UTC */
  char buf[128];
  CHECK(tm_format_real_time(buf, sizeof(buf), "%F %T.%f", t) > 0);
  CHECK_STR(buf, "2026-11-26 11:43:18.546");
  CHECK(tm_format_real_time(buf, sizeof(buf), "%T.%6f|%1f|%%f|%%", t) > 0);
  CHECK_STR(buf, "11:43:18.546123|5|%f|%");
  CHECK(tm_format_real_time(buf, sizeof(buf), tm_format_alias("iso long ms"), t) > 0);
  CHECK_STR(buf, "2026-11-26 11:43:18.546");
  CHECK_STR(tm_format_alias("iso short"), "%T");
  CHECK(tm_format_alias("iso bogus") == NULL);
  CHECK_INT(tm_format_real_time(buf, 8, "%F %T", t), -1);     /* too small */

  times_update();
  log_set_timeformat("%T", "%F", 10 * S_);
  CHECK(log_format_time(buf, sizeof(buf), current_real_time()) > 0);
  CHECK_INT(strlen(buf), 8);    /* HH:MM:SS */
  CHECK(log_format_time(buf, sizeof(buf), t - 365 * 86400 * S_) > 0);
  CHECK_STR(buf, "2025-11-26");
  log_set_timeformat(NULL, NULL, 0);    /* back to the default */
  CHECK(log_format_time(buf, sizeof(buf), t) > 0);
  CHECK_STR(buf, "2026-11-26 11:43:18.546");
}

static int echo_calls, echo_class;
static char echo_text[128];

static void echo_hook(int class, const char *msg, void *data)
{
  echo_calls++;
  echo_class = class;
  snprintf(echo_text, sizeof(echo_text), "%s%s", (const char *) data, msg);
  log_msg(L_INFO "from echo");  /* must not come back here */
}

static void test_echo_and_fatal(void)
{
  const char *path = tmp_path("echo.log");
  struct log_config c = { .kind = LOG_DEST_FILE, .path = path, .mask = L_MASK(L_BUG_) };
  char err[256];
  CHECK_INT(log_switch(&c, 0, err, sizeof(err)), 0);

  log_set_echo(echo_hook, "cli:");
  log_msg(L_AUTH "login from %s", "x");        /* not in the mask, still echoed */
  CHECK_INT(echo_calls, 1);
  CHECK_INT(echo_class, L_AUTH_);
  CHECK_STR(echo_text, "cli:login from x");
  log_set_echo(NULL, NULL);
  log_msg(L_INFO "quiet");
  CHECK_INT(echo_calls, 1);

  log_install_fatal_hook();
  CHECK(lib_fatal_hook != NULL);
  lib_fatal_hook(1, "invariant broken");        /* what bug() does first */
  lib_fatal_hook(0, "out of memory");           /* L_FATAL: not in the mask */
  lib_fatal_hook = NULL;
  const char *t = slurp(path);
  CHECK_INT(count_lines(t), 1);
  CHECK(strstr(t, " <BUG> invariant broken\n") != NULL);
}

static void test_debug_output(void)
{
  const char *path = tmp_path("debug.out");
  debug_msg("nowhere\n");       /* no debug output yet: dropped */
  CHECK_INT(log_init_debug(path), 0);
  debug_msg("x=%d ", 5);
  debug_msg("rid %R\n", (u32) 0x0a000001);
  CHECK_INT(log_init_debug(NULL), 0);
  debug_msg("after close\n");
  CHECK_STR(slurp(path), "x=5 rid 10.0.0.1\n");
  CHECK_INT(log_init_debug("/nonexistent-dir/d"), -1);
}

static void test_debug_mode_and_reopen(void)
{
  const char *path = tmp_path("rot.log"), *moved = tmp_path("rot.log.1");
  const char *err_path = tmp_path("stderr2");
  struct log_config c = { .kind = LOG_DEST_FILE, .path = path, .mask = L_MASK(L_ERR_) };
  char err[256];
  int saved = dup(2);
  int fd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  dup2(fd, 2);
  close(fd);
  CHECK_INT(log_switch(&c, 1, err, sizeof(err)), 0);   /* debug mode: + stderr */
  log_msg(L_DEBUG "dbg line");
  log_msg(L_ERR "one");
  CHECK(rename(path, moved) == 0);
  CHECK_INT(log_reopen(), 0);
  log_msg(L_ERR "two");
  dup2(saved, 2);
  close(saved);

  const char *t = slurp(err_path);
  CHECK(strstr(t, "<DBG> dbg line\n") && strstr(t, "<ERR> one\n") && strstr(t, "<ERR> two\n"));
  t = slurp(moved);
  CHECK(strstr(t, "<ERR> one\n") && !strstr(t, "two"));
  t = slurp(path);
  CHECK(strstr(t, "<ERR> two\n") && !strstr(t, "one") && !strstr(t, "dbg"));
}

static void test_names(void)
{
  CHECK_STR(log_class_name(L_REMOTE_), "RMT");
  CHECK_STR(log_class_name(L_DEBUG_), "DBG");
  CHECK_STR(log_class_name(0), "???");
  CHECK_INT(log_class_by_name("warning"), L_WARN_);
  CHECK_INT(log_class_by_name("bug"), L_BUG_);
  CHECK_INT(log_class_by_name("warn"), 0);
  CHECK_INT(L_MASK_ALL, 0x3fe);
}

static void cleanup(void)
{
  const char *names[] = { "stderr", "all.log", "bad.log", "keep.log", "fresh.log", "rl.log",
                          "echo.log", "debug.out", "rot.log", "rot.log.1", "stderr2" };
  for (size_t i = 0; i < ARRAY_SIZE(names); i++)
    unlink(tmp_path(names[i]));
  rmdir(dir);
}

int main(void)
{
  if (!mkdtemp(dir))
    return 99;
  test_default_stderr();
  test_masks_and_format();
  test_switch_failure();
  test_rate_limit();
  test_time_format();
  test_echo_and_fatal();
  test_debug_output();
  test_debug_mode_and_reopen();
  test_names();
  char err[64];
  log_switch(NULL, 1, err, sizeof(err));  /* back to stderr for the summary */
  cleanup();
  return unit_done("log_test");
}
