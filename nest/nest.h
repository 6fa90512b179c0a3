/*
 * nest/nest.h: daemon-wide state and the reconfiguration entry points.
 */
#ifndef TERN_NEST_NEST_H
#define TERN_NEST_NEST_H

#include "config.h"
#include "lib/tern.h"
#include "conf/conf.h"

extern struct config *config;           /* the running configuration */
extern struct config *new_config;       /* being parsed */
extern btime boot_time;
extern int shutting_down;

/* Graceful restart recovery (`ternd -R`): protocols that take part (the
   kernel protocol with `graceful restart on`) hold back their sync until
   every protocol is up, or `graceful restart wait` seconds have passed. */
extern int gr_recovery;
void gr_recovery_start(uint wait_s);
void gr_recovery_check(void);

extern const char *config_name;         /* the -c file */

enum reconfig_type { RECONFIG_NONE = 0, RECONFIG_HARD, RECONFIG_SOFT, RECONFIG_UNDO };
enum config_status {
  CONF_DONE = 0, CONF_PROGRESS, CONF_QUEUED, CONF_UNQUEUED, CONF_CONFIRM, CONF_SHUTDOWN, CONF_NOTHING
};

void config_init_nest(void);
int config_commit(struct config *c, int type, uint timeout);
int config_confirm(void);
int config_undo(void);
int config_status(void);
btime config_timer_remains(void);
void config_apply_first(struct config *c);
void order_shutdown(int gr);

/* Formatting times the way `timeformat` says. */
void tm_format_time(char *buf, size_t len, const struct timeformat *tf, btime real_time);
void tm_format_real(char *buf, size_t len, const struct timeformat *tf, btime mono_time);
void timeformat_defaults(struct config *c);

/* sysdep glue implemented in sysdep/unix/main.c */
struct config *sysdep_read_config(const char *name, struct strbuf *errors);
void sysdep_commit(struct config *new, struct config *old);
void sysdep_shutdown_done(void);
u32 sysdep_router_id(void);

#endif
