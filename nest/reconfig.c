/*
 * nest/reconfig.c: committing configurations, and `configure` undo/confirm.
 *
 * config_commit() takes a config that parsed and checked cleanly and makes
 * it the running one: tables first, then protocols (nest/proto.c decides
 * per protocol whether to keep, reload or restart it), then logging and
 * sockets. With a timeout, the previous config is kept and restored by
 * `configure undo` or when the timer expires without `configure confirm`.
 */
#include <string.h>

#include "nest/nest.h"
#include "nest/route.h"
#include "nest/protocol.h"
#include "nest/iface.h"
#include "nest/cli.h"
#include "lib/printf.h"
#include "sysdep/unix/io.h"
#include "sysdep/unix/log.h"

struct config *config;
struct config *old_config;             /* kept for undo */
btime boot_time;
int shutting_down;

static timer config_timer;
static int undo_available;

void timeformat_defaults(struct config *c)
{
  /* BIRD 2.0.12's defaults: short times with ms for recent events, the
     date for older ones; full timestamps in `show status` and logs. */
  for (int i = 0; i < TF_MAX; i++) {
    if (c->tf[i].fmt1)
      continue;
    if (i == TF_BASE || i == TF_LOG) {
      c->tf[i].fmt1 = "%F %T.%3f";
      c->tf[i].fmt2 = NULL;
    } else {
      c->tf[i].fmt1 = "%T.%3f";
      c->tf[i].fmt2 = "%F";
      c->tf[i].limit = 20 * 3600 * 1000000LL;
    }
  }
}

/* Format a CLOCK_REALTIME time (us). */
void tm_format_time(char *buf, size_t len, const struct timeformat *tf, btime real_time)
{
  btime now = current_real_time();
  const char *fmt = tf->fmt1;
  if (tf->fmt2 && (now - real_time) > tf->limit)
    fmt = tf->fmt2;
  if (tm_format_real_time(buf, len, fmt, real_time) < 0)
    bsnprintf(buf, len, "<error>");
}

/* Format a monotonic time (us) as the wall-clock time it corresponds to. */
void tm_format_real(char *buf, size_t len, const struct timeformat *tf, btime mono_time)
{
  btime real = current_real_time() - (current_time() - mono_time);
  tm_format_time(buf, len, tf, real);
}

static void config_do_commit(struct config *c, int type)
{
  struct config *old = config;
  c->load_time = current_real_time();
  timeformat_defaults(c);
  if (!c->router_id)
    c->router_id = old && old->router_id ? old->router_id : sysdep_router_id();
  config = c;
  /* Logging first, so that what protocols say while starting is kept. */
  sysdep_commit(c, old);
  rt_commit(c, old);
  protos_commit(c, old, type);
  if (!c->router_id) {
    /* At the first start the interfaces are known only now, after the
       device protocol's first scan. */
    c->router_id = sysdep_router_id();
    if (!c->router_id)
      log_msg(L_ERR "Cannot determine router ID, please configure it manually");
  }
}

void config_apply_first(struct config *c)
{
  config_do_commit(c, RECONFIG_HARD);
}

static void config_timeout(timer *t)
{
  log_msg(L_INFO "Config timeout expired, starting undo");
  config_undo();
}

int config_commit(struct config *c, int type, uint timeout)
{
  if (shutting_down) {
    config_free(c);
    return CONF_SHUTDOWN;
  }
  tm_stop(&config_timer);
  if (old_config && old_config != config)
    config_free(old_config);
  old_config = config;
  undo_available = 1;
  log_msg(L_INFO "Reconfiguring");
  config_do_commit(c, type);
  if (timeout) {
    tm_init(&config_timer, config_timeout, NULL);
    tm_start(&config_timer, (btime) timeout * 1000000);
    return CONF_CONFIRM;
  }
  log_msg(L_INFO "Reconfigured");
  return CONF_DONE;
}

int config_confirm(void)
{
  if (!tm_active(&config_timer))
    return CONF_NOTHING;
  tm_stop(&config_timer);
  return CONF_DONE;
}

int config_undo(void)
{
  if (!undo_available || !old_config)
    return CONF_NOTHING;
  tm_stop(&config_timer);
  struct config *prev = config;
  struct config *target = old_config;
  old_config = NULL;
  undo_available = 0;
  log_msg(L_INFO "Reconfiguring to the previous configuration");
  config_do_commit(target, RECONFIG_HARD);
  old_config = prev;   /* stays allocated until the next commit */
  log_msg(L_INFO "Reconfigured");
  return CONF_DONE;
}

btime config_timer_remains(void)
{
  return tm_active(&config_timer) ? tm_remains(&config_timer) : -1;
}

int config_status(void)
{
  if (shutting_down)
    return CONF_SHUTDOWN;
  return tm_active(&config_timer) ? CONF_CONFIRM : CONF_DONE;
}

void config_init_nest(void)
{
  tm_init(&config_timer, config_timeout, NULL);
}

/* Graceful restart recovery */

int gr_recovery;
static timer gr_timer;
static event gr_check_event;

static void gr_recovery_end(const char *why)
{
  if (!gr_recovery)
    return;
  gr_recovery = 0;
  tm_stop(&gr_timer);
  log_msg(L_INFO "Graceful restart done (%s)", why);
  /* Participants sync now: a refeed of every channel that waited. */
  struct proto *p;
  WALK_LIST(p, proto_list)
    if (p->proto_state == PS_UP && p->gr_recovery) {
      p->gr_recovery = 0;
      struct channel *c;
      WALK_LIST(c, p->channels)
        channel_request_feeding(c);
    }
}

static void gr_timeout(timer *t)
{
  gr_recovery_end("wait time expired");
}

/* Recovery ends when every protocol is up: none of ours needs longer to
   relearn its routes (BGP sessions would, and will hold it open). */
static void gr_check(void *data)
{
  struct proto *p;
  WALK_LIST(p, proto_list)
    if (!p->disabled && p->proto_state != PS_UP)
      return;
  gr_recovery_end("all protocols up");
}

void gr_recovery_check(void)
{
  if (gr_recovery)
    ev_schedule(&gr_check_event);
}

void gr_recovery_start(uint wait_s)
{
  gr_recovery = 1;
  tm_init(&gr_timer, gr_timeout, NULL);
  ev_init(&gr_check_event, gr_check, NULL);
  tm_start(&gr_timer, (btime) wait_s * 1000000);
  log_msg(L_INFO "Graceful restart started");
}
