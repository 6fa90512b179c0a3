/*
 * sysdep/unix/log.c: log destinations, message formatting, rate limits,
 * the debug output and time stamps (see log.h).
 *
 * The active destinations live in a fixed array (no allocation, so logging
 * still works when memory is short). log_switch() prepares the new set in
 * a staging array, opening every file first, and only then swaps it in, so
 * a failed reconfiguration leaves logging exactly as it was.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "lib/tern.h"
#include "lib/printf.h"
#include "sysdep/unix/log.h"

#define LOG_MSG_MAX 2048
#define LOG_LINE_MAX (LOG_MSG_MAX + 128)
#define LOG_TIMEFMT_MAX 64

struct log_dest {
  int kind;
  uint32_t mask;
  int fd;                       /* stderr and files */
  char path[PATH_MAX];
};

static struct log_dest dests[LOG_MAX_DEST] = {
  { .kind = LOG_DEST_STDERR, .mask = L_MASK_ALL, .fd = STDERR_FILENO },
};
static int dests_n = 1;
static struct log_dest staging[LOG_MAX_DEST];

static char syslog_ident[64];
static int syslog_opened;

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *const class_names[L_MAX_] = {
  [L_DEBUG_] = "DBG", [L_TRACE_] = "TRACE", [L_INFO_] = "INFO",
  [L_REMOTE_] = "RMT", [L_WARN_] = "WARN", [L_ERR_] = "ERR",
  [L_AUTH_] = "AUTH", [L_FATAL_] = "FATAL", [L_BUG_] = "BUG",
};

/* The words BIRD's "log ... { ... }" class list uses */
static const char *const class_keywords[L_MAX_] = {
  [L_DEBUG_] = "debug", [L_TRACE_] = "trace", [L_INFO_] = "info",
  [L_REMOTE_] = "remote", [L_WARN_] = "warning", [L_ERR_] = "error",
  [L_AUTH_] = "auth", [L_FATAL_] = "fatal", [L_BUG_] = "bug",
};

static const int syslog_prio[L_MAX_] = {
  [L_DEBUG_] = LOG_DEBUG, [L_TRACE_] = LOG_DEBUG, [L_INFO_] = LOG_NOTICE,
  [L_REMOTE_] = LOG_NOTICE, [L_WARN_] = LOG_WARNING, [L_ERR_] = LOG_ERR,
  [L_AUTH_] = LOG_ERR, [L_FATAL_] = LOG_CRIT, [L_BUG_] = LOG_CRIT,
};

const char *log_class_name(int class)
{
  return (class > 0 && class < L_MAX_) ? class_names[class] : "???";
}

int log_class_by_name(const char *name)
{
  for (int c = L_DEBUG_; c < L_MAX_; c++)
    if (!strcmp(name, class_keywords[c]))
      return c;
  return 0;
}

/*
 *  Time stamps
 */

static char tf_recent[LOG_TIMEFMT_MAX] = "%F %T.%f";
static char tf_old[LOG_TIMEFMT_MAX] = "%F %T.%f";
static btime tf_limit;

/* Zero-padded first @digits digits of the microsecond fraction */
static int put_fraction(char *out, size_t room, btime us, int digits)
{
  long frac = (long) us;
  for (int i = digits; i < 6; i++)
    frac /= 10;
  int n = snprintf(out, room, "%0*ld", digits, frac);
  return (n < 0 || (size_t) n >= room) ? -1 : n;
}

/*
 * Rewrite @fmt into plain strftime() format with the fraction already
 * substituted. "%%" is copied as it is so strftime() still sees it.
 */
static int expand_fraction(char *out, size_t size, const char *fmt, btime us)
{
  size_t o = 0;
  for (const char *p = fmt; *p; p++)
  {
    int digits = 0;
    if (p[0] == '%' && p[1] == 'f')
      digits = 3;
    else if (p[0] == '%' && p[1] >= '1' && p[1] <= '6' && p[2] == 'f')
      digits = p[1] - '0';
    if (digits)
    {
      int n = put_fraction(out + o, size - o, us, digits);
      if (n < 0)
        return -1;
      o += n;
      p += digits == 3 && p[1] == 'f' ? 1 : 2;
      continue;
    }
    if (o + 2 >= size)
      return -1;
    out[o++] = *p;
    if (p[0] == '%' && p[1])
      out[o++] = *++p;          /* keep any other conversion whole */
  }
  out[o] = 0;
  return 0;
}

int tm_format_real_time(char *buf, size_t size, const char *fmt, btime t)
{
  char plain[256];
  btime us = t % S_;
  time_t secs = (time_t) (t / S_);
  if (us < 0)
  {
    us += S_;
    secs--;
  }
  struct tm tm;
  if (!size || expand_fraction(plain, sizeof(plain), fmt, us) < 0 ||
      !localtime_r(&secs, &tm))
    return -1;
  if (!*plain)
  {
    buf[0] = 0;
    return 0;
  }
  size_t n = strftime(buf, size, plain, &tm);
  return n ? (int) n : -1;
}

const char *tm_format_alias(const char *name)
{
  static const struct { const char *name, *fmt; } aliases[] = {
    { "iso short", "%T" },          { "iso long", "%F %T" },
    { "iso short ms", "%T.%3f" },   { "iso long ms", "%F %T.%3f" },
    { "iso short us", "%T.%6f" },   { "iso long us", "%F %T.%6f" },
  };
  for (size_t i = 0; i < ARRAY_SIZE(aliases); i++)
    if (!strcmp(name, aliases[i].name))
      return aliases[i].fmt;
  return NULL;
}

static void copy_str(char *dst, size_t size, const char *src)
{
  snprintf(dst, size, "%s", src);
}

void log_set_timeformat(const char *fmt_recent, const char *fmt_old, btime limit)
{
  copy_str(tf_recent, sizeof(tf_recent), fmt_recent ? fmt_recent : "%F %T.%f");
  copy_str(tf_old, sizeof(tf_old), fmt_old ? fmt_old : tf_recent);
  tf_limit = limit;
}

int log_format_time(char *buf, size_t size, btime t)
{
  int old = tf_limit > 0 && current_real_time() - t >= tf_limit;
  return tm_format_real_time(buf, size, old ? tf_old : tf_recent, t);
}

/*
 *  Writing to destinations
 */

static void write_all(int fd, const char *buf, size_t len)
{
  while (len)
  {
    ssize_t n = write(fd, buf, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return;                   /* nowhere left to complain to */
    buf += n;
    len -= n;
  }
}

/* One line, one write(): lines from several processes never interleave */
static btime real_time_now(void)
{
  /* Not the loop's cached time: a stamp must be right even mid-pass */
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (btime) ts.tv_sec * S_ + ts.tv_nsec / 1000;
}

static void emit_line(int fd, int class, const char *msg)
{
  char line[LOG_LINE_MAX], stamp[128];
  if (log_format_time(stamp, sizeof(stamp), real_time_now()) < 0)
    stamp[0] = 0;
  int n = snprintf(line, sizeof(line), "%s <%s> %s\n", stamp, log_class_name(class), msg);
  if (n < 0)
    return;
  if ((size_t) n >= sizeof(line))
  {
    n = sizeof(line) - 1;
    line[n - 1] = '\n';
  }
  write_all(fd, line, n);
}

static void emit(const struct log_dest *d, int class, const char *msg)
{
  if (d->kind == LOG_DEST_SYSLOG)
    syslog(syslog_prio[class], "%s", msg);
  else
    emit_line(d->fd, class, msg);
}

static void (*echo_hook)(int class, const char *msg, void *data);
static void *echo_data;
static pthread_t echo_thread;
static __thread int in_echo;

static void echo(int class, const char *msg)
{
  if (!echo_hook || in_echo || !pthread_equal(pthread_self(), echo_thread))
    return;
  in_echo = 1;                  /* a hook that logs must not loop back */
  echo_hook(class, msg, echo_data);
  in_echo = 0;
}

static void log_commit(int class, const char *msg)
{
  pthread_mutex_lock(&log_lock);
  for (int i = 0; i < dests_n; i++)
    if (dests[i].mask & L_MASK(class))
      emit(&dests[i], class, msg);
  pthread_mutex_unlock(&log_lock);
  echo(class, msg);
}

void log_set_echo(void (*hook)(int class, const char *msg, void *data), void *data)
{
  echo_hook = hook;
  echo_data = data;
  echo_thread = pthread_self();
}

/*
 *  Messages
 */

/* Strip the class byte off @fmt; messages without one are L_INFO */
static int take_class(const char **fmt)
{
  unsigned char c = (unsigned char) **fmt;
  if (c >= L_DEBUG_ && c < L_MAX_)
  {
    (*fmt)++;
    return c;
  }
  return L_INFO_;
}

static void format_msg(char *buf, int size, const char *fmt, va_list args)
{
  if (bvsnprintf(buf, size, fmt, args) < 0)
    strcpy(buf + size - 4, "...");      /* mark the cut */
}

void log_vmsg(const char *fmt, va_list args)
{
  char msg[LOG_MSG_MAX];
  int class = take_class(&fmt);
  format_msg(msg, sizeof(msg), fmt, args);
  log_commit(class, msg);
}

void log_msg(const char *fmt, ...)
{
  va_list args;
  va_start(args, fmt);
  log_vmsg(fmt, args);
  va_end(args);
}

void log_rl(struct log_rate *rl, const char *fmt, ...)
{
  btime now = current_time();
  if (!rl->start_ || now - rl->start_ >= rl->interval)
  {
    rl->start_ = now;
    rl->count_ = 0;
  }
  if (rl->count_ < rl->limit)
  {
    rl->count_++;
    va_list args;
    va_start(args, fmt);
    log_vmsg(fmt, args);
    va_end(args);
    return;
  }
  const char *f = fmt;
  if (rl->count_++ == rl->limit)
    log_commit(take_class(&f), "... messages suppressed");
  rl->suppressed++;
}

/*
 *  Debug output
 */

static int dbg_fd = -1;

int log_init_debug(const char *path)
{
  int fd = -1;
  if (path && !*path)
    fd = STDERR_FILENO;
  else if (path && (fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640)) < 0)
    return -1;
  if (dbg_fd > STDERR_FILENO)
    close(dbg_fd);
  dbg_fd = fd;
  return 0;
}

void debug_msg(const char *fmt, ...)
{
  if (dbg_fd < 0)
    return;
  char msg[LOG_MSG_MAX];
  va_list args;
  va_start(args, fmt);
  format_msg(msg, sizeof(msg), fmt, args);
  va_end(args);
  write_all(dbg_fd, msg, strlen(msg));
}

/*
 *  Switching destinations
 */

static int open_log_file(const char *path)
{
  return open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
}

static void close_dests(struct log_dest *d, int n)
{
  for (int i = 0; i < n; i++)
    if (d[i].kind == LOG_DEST_FILE && d[i].fd >= 0)
      close(d[i].fd);
}

static int stage_one(struct log_dest *d, const struct log_config *c, char *err, size_t errlen)
{
  *d = (struct log_dest) { .kind = c->kind, .mask = c->mask, .fd = -1 };
  switch (c->kind)
  {
  case LOG_DEST_STDERR:
    d->fd = STDERR_FILENO;
    return 0;
  case LOG_DEST_SYSLOG:
    return 0;
  case LOG_DEST_FILE:
    if (!c->path || strlen(c->path) >= sizeof(d->path))
    {
      snprintf(err, errlen, "Invalid log file name");
      return -1;
    }
    copy_str(d->path, sizeof(d->path), c->path);
    if ((d->fd = open_log_file(c->path)) < 0)
    {
      snprintf(err, errlen, "Cannot open log file %s: %s", c->path, strerror(errno));
      return -1;
    }
    return 0;
  }
  snprintf(err, errlen, "Unknown log destination kind %d", c->kind);
  return -1;
}

/* In debug mode stderr sees every class, configured or not */
static int stage_debug_stderr(int n)
{
  for (int i = 0; i < n; i++)
    if (staging[i].kind == LOG_DEST_STDERR)
    {
      staging[i].mask = L_MASK_ALL;
      return n;
    }
  if (n == LOG_MAX_DEST)
    return -1;
  staging[n] = (struct log_dest) { .kind = LOG_DEST_STDERR, .mask = L_MASK_ALL, .fd = STDERR_FILENO };
  return n + 1;
}

static int stage(const struct log_config *list, int debug_mode, char *err, size_t errlen)
{
  struct log_config dflt = { .kind = LOG_DEST_SYSLOG, .mask = L_MASK_ALL };
  if (!list && !debug_mode)
    list = &dflt;
  int n = 0;
  for (const struct log_config *c = list; c; c = c->next)
  {
    if (n == LOG_MAX_DEST)
    {
      snprintf(err, errlen, "Too many log destinations (at most %d)", LOG_MAX_DEST);
      close_dests(staging, n);
      return -1;
    }
    if (stage_one(&staging[n], c, err, errlen) < 0)
    {
      close_dests(staging, n);
      return -1;
    }
    n++;
  }
  int with_stderr = debug_mode ? stage_debug_stderr(n) : n;
  if (with_stderr < 0)
  {
    snprintf(err, errlen, "Too many log destinations (at most %d)", LOG_MAX_DEST);
    close_dests(staging, n);
  }
  return with_stderr;
}

static const char *syslog_name_of(const struct log_config *list)
{
  for (const struct log_config *c = list; c; c = c->next)
    if (c->kind == LOG_DEST_SYSLOG && c->syslog_name)
      return c->syslog_name;
  return "ternd";
}

/* openlog() keeps the ident pointer, hence our own copy */
static void switch_syslog(int wanted, const char *name)
{
  if (syslog_opened && (!wanted || strcmp(name, syslog_ident)))
  {
    closelog();
    syslog_opened = 0;
  }
  if (wanted && !syslog_opened)
  {
    copy_str(syslog_ident, sizeof(syslog_ident), name);
    openlog(syslog_ident, LOG_CONS | LOG_NDELAY | LOG_PID, LOG_DAEMON);
    syslog_opened = 1;
  }
}

int log_switch(const struct log_config *list, int debug_mode, char *err, size_t errlen)
{
  pthread_mutex_lock(&log_lock);
  int n = stage(list, debug_mode, err, errlen);
  if (n < 0)
  {
    pthread_mutex_unlock(&log_lock);
    return -1;
  }
  close_dests(dests, dests_n);
  memcpy(dests, staging, n * sizeof(*dests));
  dests_n = n;
  int want_syslog = 0;
  for (int i = 0; i < n; i++)
    want_syslog |= dests[i].kind == LOG_DEST_SYSLOG;
  switch_syslog(want_syslog, syslog_name_of(list));
  pthread_mutex_unlock(&log_lock);
  return 0;
}

int log_reopen(void)
{
  int result = 0;
  pthread_mutex_lock(&log_lock);
  for (int i = 0; i < dests_n; i++)
  {
    if (dests[i].kind != LOG_DEST_FILE)
      continue;
    int fd = open_log_file(dests[i].path);
    if (fd < 0)
    {
      result = -1;              /* keep writing to the old file */
      continue;
    }
    close(dests[i].fd);
    dests[i].fd = fd;
  }
  pthread_mutex_unlock(&log_lock);
  return result;
}

/*
 *  lib's die() / bug()
 */

static void log_fatal(int is_bug, const char *msg)
{
  log_commit(is_bug ? L_BUG_ : L_FATAL_, msg);
}

void log_install_fatal_hook(void)
{
  lib_fatal_hook = log_fatal;
}
