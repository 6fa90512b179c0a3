/*
 * sysdep/unix/log.h: BIRD's logging model.
 *
 * A message has a class (debug ... bug); the first byte of the format may
 * name it, as in log_msg(L_WARN "Neighbor %I lost", a); without one it is
 * L_INFO. The message is formatted with lib's bvsnprintf (%I, %N, %R, %m)
 * and goes to every destination whose class mask has its bit: stderr,
 * syslog or files, each line written with a single write() and stamped
 * "2026-11-26 11:43:18.546 <INFO> text" (syslog adds its own stamp).
 * The set of destinations is replaced as a whole by log_switch().
 *
 * Separate from this is the debug output (debug_msg): raw text for -d / -D.
 *
 * Log calls belong to the loop thread. Other threads may log (the writes
 * are serialized), but the CLI echo hook only runs in the thread that
 * installed it.
 */
#ifndef TERN_SYSDEP_UNIX_LOG_H
#define TERN_SYSDEP_UNIX_LOG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "sysdep/unix/io.h"

enum log_class {
  L_DEBUG_ = 1, L_TRACE_, L_INFO_, L_REMOTE_, L_WARN_, L_ERR_, L_AUTH_,
  L_FATAL_, L_BUG_, L_MAX_
};

#define L_DEBUG  "\001"
#define L_TRACE  "\002"
#define L_INFO   "\003"
#define L_REMOTE "\004"
#define L_WARN   "\005"
#define L_ERR    "\006"
#define L_AUTH   "\007"
#define L_FATAL  "\010"
#define L_BUG    "\011"

#define L_MASK(class) (1u << (class))
#define L_MASK_ALL    (((1u << L_MAX_) - 1) & ~1u)

/* "DBG", "TRACE", "INFO", "RMT", "WARN", "ERR", "AUTH", "FATAL", "BUG" */
const char *log_class_name(int class);
/* Config keyword (debug, trace, info, remote, warning, error, auth, fatal,
 * bug) to class; 0 if unknown. */
int log_class_by_name(const char *name);

/*
 *  Destinations
 */

enum log_dest_kind { LOG_DEST_STDERR = 1, LOG_DEST_SYSLOG, LOG_DEST_FILE };

struct log_config {
  int kind;                     /* enum log_dest_kind */
  const char *path;             /* LOG_DEST_FILE */
  const char *syslog_name;      /* LOG_DEST_SYSLOG; NULL = "ternd" */
  uint32_t mask;                /* L_MASK() bits */
  struct log_config *next;
};

#define LOG_MAX_DEST 16

/*
 * Replaces all destinations by @list, or, if @list is NULL, by the default:
 * everything to syslog (stderr in debug mode). In @debug_mode stderr also
 * gets every class in addition to @list. Files are opened before anything
 * changes: on failure the old set stays and -1 comes back with @err set.
 * Strings in @list are copied.
 */
int log_switch(const struct log_config *list, int debug_mode, char *err, size_t errlen);
/* Reopens file destinations (after logrotate moved them). 0 or -1. */
int log_reopen(void);

/*
 *  Messages
 */

void log_msg(const char *fmt, ...);
void log_vmsg(const char *fmt, va_list args);

/* Rate limit: at most @limit messages per @interval, then one
 * "... messages suppressed" line until the interval is over. */
struct log_rate {
  btime interval;
  unsigned limit;
  unsigned suppressed;          /* total messages dropped so far */
  btime start_;                 /* current interval began here */
  unsigned count_;              /* messages in the current interval */
};
#define LOG_RATE_INIT(iv, n) { .interval = (iv), .limit = (n) }

void log_rl(struct log_rate *rl, const char *fmt, ...);

/* Debug output: @path NULL = none, "" = stderr, else the file (appended).
 * debug_msg writes the formatted text as it is, without stamp or newline. */
int log_init_debug(const char *path);
void debug_msg(const char *fmt, ...);

/*
 *  Time stamps
 */

/* strftime() plus "%f" (milliseconds) and "%Nf" (N = 1..6 fraction digits)
 * for @t, a CLOCK_REALTIME time in us. Returns the length or -1. */
int tm_format_real_time(char *buf, size_t size, const char *fmt, btime t);
/* BIRD's names: "iso short", "iso long", each optionally "ms" / "us";
 * returns the strftime format, or NULL if @name is not one of them. */
const char *tm_format_alias(const char *name);
/* Times less than @limit old use @fmt_recent, older ones @fmt_old
 * (NULL = the same). Defaults: "%F %T.%f" for both. */
void log_set_timeformat(const char *fmt_recent, const char *fmt_old, btime limit);
int log_format_time(char *buf, size_t size, btime t);

/*
 *  Hooks
 */

/* Every message, whatever the masks, also goes to @hook (the CLI's
 * "echo"); NULL removes it. */
void log_set_echo(void (*hook)(int class, const char *msg, void *data), void *data);
/* Routes lib's die()/bug() messages into the log at L_FATAL / L_BUG. */
void log_install_fatal_hook(void);

#endif
