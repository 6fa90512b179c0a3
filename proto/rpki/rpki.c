/*
 * proto/rpki/rpki.c: ROAs from an RPKI cache (RFC 6810/8210) through
 * RTRlib, into roa4/roa6 tables.
 *
 * RTRlib runs each cache session in a thread of its own and reports every
 * added or removed record, and every change of the session state, through
 * callbacks in that thread. The callbacks only queue the change under a
 * lock and wake the loop (io_wakeup); the loop thread applies the queue to
 * the channels. ROA changes then reach `rpki reload` and roa_check() the
 * usual way, through the tables.
 *
 * The protocol is `start` until the first session is established, then
 * `up`; the info column is the session state, as in BIRD (Established,
 * Transport-Error, ...). Records that arrive before the session is
 * established stay queued until the channels are up. After a cache is lost
 * the ROAs stay until RTRlib expires them (`expire`).
 */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proto/rpki/rpki.h"
#include "nest/route.h"
#include "nest/cli.h"
#include "nest/nest.h"
#include "conf/conf.h"
#include "lib/printf.h"
#include "sysdep/unix/log.h"

/* ---- config ---- */

void rpki_words(struct cf_ctx *ctx, const void *loc, const char *w1, const char *want1,
                const char *w2, const char *want2)
{
  if (strcmp(w1, want1) || (want2 && strcmp(w2, want2)))
    cf_error(ctx, loc, "Unknown RPKI option '%s%s%s'", w1, w2 ? " " : "", w2 ? w2 : "");
}

void rpki_timer(struct cf_ctx *ctx, const void *loc, struct rpki_config *cf, const char *name,
                int keep, uint value, const void *vloc)
{
  /* RFC 8210 6: the ranges of the three intervals */
  static const struct { const char *name, *label; uint min, max; } t[] = {
    { "refresh", "Refresh", 1, 86400 }, { "retry", "Retry", 1, 7200 }, { "expire", "Expire", 600, 172800 },
  };
  uint *val[] = { &cf->refresh, &cf->retry, &cf->expire };
  u8 *kp[] = { &cf->keep_refresh, &cf->keep_retry, &cf->keep_expire };
  for (uint i = 0; i < ARRAY_SIZE(t); i++) {
    if (strcmp(name, t[i].name))
      continue;
    if (value < t[i].min || value > t[i].max)
      cf_error(ctx, vloc, "%s time must be in range %u-%u s", t[i].label, t[i].min, t[i].max);
    *val[i] = value;
    *kp[i] = keep;
    return;
  }
  cf_error(ctx, loc, "Unknown RPKI option '%s'", name);
}

void rpki_transport(struct cf_ctx *ctx, const void *loc, struct rpki_config *cf,
                    const char *w1, const char *w2)
{
  rpki_words(ctx, loc, w1, "transport", NULL, NULL);
  if (!strcmp(w2, "tcp"))
    cf->transport = RPKI_TCP;
  else if (!strcmp(w2, "ssh"))
    cf->transport = RPKI_SSH;
  else
    cf_error(ctx, loc, "Unknown RPKI transport '%s' (tcp or ssh)", w2);
}

void rpki_check_config(struct cf_ctx *ctx, struct rpki_config *cf, const void *loc)
{
  if (cf->c.is_template)
    return;
  if (!cf->host)
    cf_error(ctx, loc, "RPKI protocol %s: no cache server (remote \"name\" or remote <ip>)", cf->c.name);
  if (!cf->port_set)
    cf->port = cf->transport == RPKI_SSH ? 22 : 323;
  if (cf->transport == RPKI_SSH && (!cf->ssh_user || !cf->ssh_key))
    cf_error(ctx, loc, "RPKI protocol %s: SSH transport needs `user` and `bird private key`", cf->c.name);
  if (cf->expire <= cf->refresh || cf->expire <= cf->retry)
    cf_error(ctx, loc, "RPKI protocol %s: expire time (%u s) must be longer than refresh (%u s) and retry (%u s)",
             cf->c.name, cf->expire, cf->refresh, cf->retry);
}

static void rpki_postconfig(struct proto_config *pc, struct cf_ctx *ctx)
{
  cf_loc loc = { pc->loc_file, pc->loc_line, 1, pc->loc_line, 1 };
  if (!pc->is_template && EMPTY_LIST(pc->channels))
    cf_error(ctx, &loc, "RPKI protocol %s: no roa4 or roa6 channel", pc->name);
}

static int rpki_same_config(const struct rpki_config *a, const struct rpki_config *b)
{
  return !strcmp(a->host, b->host) && a->port == b->port && ipa_equal(a->local, b->local) &&
    a->transport == b->transport && a->ignore_max_length == b->ignore_max_length &&
    !!a->ssh_user == !!b->ssh_user && (!a->ssh_user || !strcmp(a->ssh_user, b->ssh_user)) &&
    !!a->ssh_key == !!b->ssh_key && (!a->ssh_key || !strcmp(a->ssh_key, b->ssh_key)) &&
    !!a->ssh_known_hosts == !!b->ssh_known_hosts &&
    (!a->ssh_known_hosts || !strcmp(a->ssh_known_hosts, b->ssh_known_hosts));
}

/* ---- RTRlib's threads ---- */

static void rpki_push(struct rpki_proto *p, const struct rpki_update *u, int state)
{
  pthread_mutex_lock(&p->lock);
  if (p->orphaned) {
    pthread_mutex_unlock(&p->lock);
    return;
  }
  if (u) {
    struct rpki_qblock *b = p->qtail;
    if (!b || b->n == RPKI_QBLOCK) {
      b = malloc(sizeof(*b));
      if (!b)
        die("rpki: out of memory");
      b->next = NULL;
      b->n = 0;
      if (p->qtail)
        p->qtail->next = b;
      else
        p->qhead = b;
      p->qtail = b;
    }
    b->u[b->n++] = *u;
  } else {
    p->state = state;
    /* RTRlib goes from an error straight back to Connecting and waits the
       retry interval there; BIRD shows the error meanwhile, so remember it
       until the session is up again. */
    if (state == RTR_ESTABLISHED)
      p->error = 0;
    else if (state >= RTR_ERROR_NO_DATA_AVAIL && state <= RTR_ERROR_TRANSPORT) {
      p->error = state;
      clock_gettime(CLOCK_MONOTONIC, &p->error_time);
    }
  }
  pthread_mutex_unlock(&p->lock);
  io_wakeup_signal(&p->wake);
}

static ip6_addr rtr_ip6(const struct lrtr_ipv6_addr *a)
{
  return ip6_build(a->addr[0], a->addr[1], a->addr[2], a->addr[3]);
}

static void rpki_pfx_update(struct pfx_table *t, const struct pfx_record rec, const bool added)
{
  (void) t;
  if (!rec.socket)
    return;
  struct rpki_proto *p = SKIP_BACK(struct rpki_proto, rtr, (struct rtr_socket *) rec.socket);
  struct rpki_update u = {
    .asn = rec.asn, .ipv6 = rec.prefix.ver != LRTR_IPV4, .pxlen = rec.min_len,
    .max_pxlen = rec.max_len, .added = added,
  };
  if (u.ipv6)
    u.prefix = rtr_ip6(&rec.prefix.u.addr6);
  else
    u.prefix = ip6_build(rec.prefix.u.addr4.addr, 0, 0, 0);
  rpki_push(p, &u, 0);
}

static void rpki_status(const struct rtr_mgr_group *g, enum rtr_mgr_status st,
                        const struct rtr_socket *s, void *data)
{
  (void) g; (void) st;
  struct rpki_proto *p = data;
  /* A restarted cache has a new session ID and answers our Serial Query
     with an error (RFC 8210 5.1): ask for a new session, i.e. send a Reset
     Query next time. RTRlib 0.8 would repeat the Serial Query until the
     data expired. This runs in the session's own thread. */
  if (s && (s->state == RTR_ERROR_FATAL || s->state == RTR_ERROR_NO_INCR_UPDATE_AVAIL))
    ((struct rtr_socket *) s)->request_session_id = true;
  rpki_push(p, NULL, s ? (int) s->state : RTR_CLOSED);
}

/* ---- the loop thread ---- */

static const char *rpki_state_name(int state)
{
  switch (state) {
  case RTR_CONNECTING: return "Connecting";
  case RTR_ESTABLISHED: return "Established";
  case RTR_RESET: return "Reset";
  case RTR_SYNC: return "Sync";
  case RTR_FAST_RECONNECT: return "Fast-Reconnect";
  case RTR_ERROR_NO_DATA_AVAIL: return "No-Data-Available";
  case RTR_ERROR_NO_INCR_UPDATE_AVAIL: return "No-Incremental-Update";
  case RTR_ERROR_FATAL: return "Error-Fatal";
  case RTR_ERROR_TRANSPORT: return "Transport-Error";
  default: return "Down";
  }
}

static void rpki_apply(struct rpki_proto *p, const struct rpki_update *u, struct rte_src *src)
{
  struct rpki_config *cf = (void *) p->p.cf;
  struct channel *c = u->ipv6 ? p->roa6 : p->roa4;
  if (!c || c->channel_state != CS_UP)
    return;
  uint mx = cf->ignore_max_length ? (u->ipv6 ? IP6_MAX_PREFIX_LENGTH : IP4_MAX_PREFIX_LENGTH) : u->max_pxlen;
  net_addr n;
  if (u->ipv6)
    net_fill_roa6(&n, u->prefix, u->pxlen, mx, u->asn);
  else
    net_fill_roa4(&n, ip4_from_u32(u->prefix.addr[0]), u->pxlen, mx, u->asn);
  if (!net_validate(&n)) {
    log_msg(L_WARN "%s: invalid ROA %N from the cache ignored", p->p.name, &n);
    return;
  }
  if (u->added) {
    rta a = { .source = RTS_RPKI, .scope = SCOPE_UNIVERSE, .dest = RTD_NONE, .from = IPA_NONE };
    rte_update(c, &n, rte_get_temp(&a, src), src);
  } else
    rte_withdraw(c, &n, src);
}

static void rpki_drain(void *data)
{
  struct rpki_proto *p = data;
  pthread_mutex_lock(&p->lock);
  if (p->stopping) {
    /* The channels are flushing; the stopper thread is done when it says
       so, and the rest happens in an event (not inside this hook, whose
       descriptor goes away). */
    if (p->stopped)
      ev_schedule(&p->stop_done);
    pthread_mutex_unlock(&p->lock);
    return;
  }
  int state = p->state;
  if (state == RTR_ESTABLISHED && p->p.proto_state == PS_START) {
    pthread_mutex_unlock(&p->lock);
    proto_notify_state(&p->p, PS_UP);
    pthread_mutex_lock(&p->lock);
  }
  if (p->p.proto_state != PS_UP) {
    /* Keep the records until the channels are up. */
    pthread_mutex_unlock(&p->lock);
    return;
  }
  /* Once up, the channels stay up (the ROAs stay until they expire), but
     the State column says start while the cache is away, as in BIRD. */
  int away = state != RTR_ESTABLISHED && state != RTR_SYNC && state != RTR_RESET;
  if (away != p->p.shows_start) {
    p->p.shows_start = away;
    p->p.last_state_change = current_time();
  }
  struct rpki_qblock *q = p->qhead;
  p->qhead = p->qtail = NULL;
  pthread_mutex_unlock(&p->lock);
  struct rte_src *src = rt_get_source(&p->p, 0);
  if (q)
    p->last_update = current_time();
  /* A sync is hundreds of thousands of updates in one loop pass: give
     each one's temporary memory back at once, or tmp_linpool would hold
     them all until the end of the pass (and keep the memory). */
  struct lp_state st;
  lp_save(tmp_linpool, &st);
  uint done = 0;
  while (q) {
    for (uint i = 0; i < q->n; i++) {
      rpki_apply(p, &q->u[i], src);
      lp_restore(tmp_linpool, &st);
    }
    done += q->n;
    struct rpki_qblock *next = q->next;
    free(q);
    q = next;
  }
  /* After a big sync the heap has free holes left by growing tables (the
     old net index among them); give them back. */
  if (done >= 65536)
    malloc_trim(0);
}

static void rpki_release(struct rpki_proto *p);

static int rpki_start(struct proto *P)
{
  struct rpki_proto *p = (void *) P;
  struct rpki_config *cf = (void *) P->cf;
  p->roa4 = proto_find_channel_by_name(P, "roa4");
  p->roa6 = proto_find_channel_by_name(P, "roa6");
  p->qhead = p->qtail = NULL;
  p->state = RTR_CLOSED;
  p->error = 0;
  P->shows_start = 0;
  p->last_update = 0;
  pthread_mutex_init(&p->lock, NULL);
  if (io_wakeup_init(&p->wake, rpki_drain, p) < 0) {
    log_msg(L_ERR "%s: cannot create a wakeup descriptor", P->name);
    pthread_mutex_destroy(&p->lock);
    return PS_DOWN;
  }
  p->host = mb_strdup(P->pool, cf->host);
  char buf[IPA_BUFSIZE];
  bsnprintf(buf, sizeof(buf), "%u", cf->port);
  p->port_text = mb_strdup(P->pool, buf);
  p->bind = ipa_zero(cf->local) ? NULL : mb_strdup(P->pool, ipa_ntop(cf->local, buf));
  memset(&p->tr, 0, sizeof(p->tr));
  int r;
  if (cf->transport == RPKI_SSH) {
    p->user = mb_strdup(P->pool, cf->ssh_user);
    p->key = mb_strdup(P->pool, cf->ssh_key);
    p->known_hosts = cf->ssh_known_hosts ? mb_strdup(P->pool, cf->ssh_known_hosts) : NULL;
    p->ssh = (struct tr_ssh_config) {
      .host = p->host, .port = cf->port, .bindaddr = p->bind, .username = p->user,
      .server_hostkey_path = p->known_hosts, .client_privkey_path = p->key, .connect_timeout = 5,
    };
    r = tr_ssh_init(&p->ssh, &p->tr);
  } else {
    p->tcp = (struct tr_tcp_config) {
      .host = p->host, .port = p->port_text, .bindaddr = p->bind, .connect_timeout = 5,
    };
    r = tr_tcp_init(&p->tcp, &p->tr);
  }
  if (r != TR_SUCCESS) {
    log_msg(L_ERR "%s: cannot set up the %s transport", P->name, cf->transport == RPKI_SSH ? "SSH" : "TCP");
    io_wakeup_close(&p->wake);
    pthread_mutex_destroy(&p->lock);
    return PS_DOWN;
  }
  memset(&p->rtr, 0, sizeof(p->rtr));
  p->rtr.tr_socket = &p->tr;
  p->rtr_list[0] = &p->rtr;
  p->group = (struct rtr_mgr_group) { .sockets = p->rtr_list, .sockets_len = 1, .preference = 1 };
  if (rtr_mgr_init(&p->mgr, &p->group, 1, cf->refresh, cf->expire, cf->retry,
                   rpki_pfx_update, NULL, rpki_status, p) != RTR_SUCCESS) {
    log_msg(L_ERR "%s: RTRlib refused the session settings", P->name);
    p->tr.free_fp(&p->tr);     /* RTRlib's tr_free(), which it does not export */
    io_wakeup_close(&p->wake);
    pthread_mutex_destroy(&p->lock);
    return PS_DOWN;
  }
  /* `keep`: the intervals the cache sends are ignored. RTRlib knows one
     mode per session, so any `keep` keeps all three. */
  int keep = cf->keep_refresh || cf->keep_retry || cf->keep_expire;
  rtr_set_interval_mode(&p->rtr, keep ? RTR_INTERVAL_MODE_IGNORE_ANY : RTR_INTERVAL_MODE_DEFAULT_MIN_MAX);
  p->running = 1;
  p->stopping = p->stopped = p->orphaned = 0;
  if (rtr_mgr_start(p->mgr) != RTR_SUCCESS) {
    log_msg(L_ERR "%s: cannot start the RTR session", P->name);
    rtr_mgr_stop(p->mgr);
    rpki_release(p);
    return PS_DOWN;
  }
  return PS_START;
}

/* After RTRlib's threads are gone: free the session and what they queued. */
static void rpki_release(struct rpki_proto *p)
{
  rtr_mgr_free(p->mgr);         /* frees the transport too */
  p->mgr = NULL;
  io_wakeup_close(&p->wake);
  while (p->qhead) {
    struct rpki_qblock *next = p->qhead->next;
    free(p->qhead);
    p->qhead = next;
  }
  p->qtail = NULL;
  pthread_mutex_destroy(&p->lock);
  p->running = p->stopping = p->stopped = 0;
}

/* rtr_mgr_stop() joins RTRlib's thread, which may be sleeping out a retry
   interval (minutes) with cancellation off: it runs here, not in the loop. */
static void *rpki_stopper(void *data)
{
  struct rpki_proto *p = data;
  rtr_mgr_stop(p->mgr);
  pthread_mutex_lock(&p->lock);
  p->stopped = 1;
  pthread_mutex_unlock(&p->lock);
  io_wakeup_signal(&p->wake);
  return NULL;
}

static void rpki_stop_done(void *data)
{
  struct rpki_proto *p = data;
  pthread_join(p->stopper, NULL);
  rpki_release(p);
  proto_notify_state(&p->p, PS_DOWN);
}

static int rpki_shutdown(struct proto *P)
{
  struct rpki_proto *p = (void *) P;
  if (!p->running || p->stopping)
    return p->running ? PS_STOP : PS_DOWN;
  if (shutting_down) {
    /* The process is exiting: leave the session to it rather than wait
       for RTRlib's thread. Its callbacks do nothing from now on. */
    pthread_mutex_lock(&p->lock);
    p->orphaned = 1;
    pthread_mutex_unlock(&p->lock);
    return PS_DOWN;
  }
  p->stopping = 1;
  ev_init(&p->stop_done, rpki_stop_done, p);
  if (pthread_create(&p->stopper, NULL, rpki_stopper, p)) {
    rtr_mgr_stop(p->mgr);       /* no thread to spare: wait here */
    rpki_release(p);
    return PS_DOWN;
  }
  return PS_STOP;
}

/* Once down, the channels are gone. */
static void rpki_cleanup(struct proto *P)
{
  struct rpki_proto *p = (void *) P;
  p->roa4 = p->roa6 = NULL;
}

/* New timers apply to the running session; anything else restarts it. */
static int rpki_reconfigure(struct proto *P, struct proto_config *new)
{
  struct rpki_proto *p = (void *) P;
  struct rpki_config *o = (void *) P->cf, *n = (void *) new;
  if (!rpki_same_config(o, n))
    return 0;
  if (p->running) {
    p->rtr.refresh_interval = n->refresh;
    p->rtr.retry_interval = n->retry;
    p->rtr.expire_interval = n->expire;
    int keep = n->keep_refresh || n->keep_retry || n->keep_expire;
    rtr_set_interval_mode(&p->rtr, keep ? RTR_INTERVAL_MODE_IGNORE_ANY : RTR_INTERVAL_MODE_DEFAULT_MIN_MAX);
  }
  return 1;
}

/* The state to show: an error stays until the session is up again. */
static int rpki_shown_state(struct rpki_proto *p, struct timespec *error_time)
{
  if (!p->running)
    return RTR_CLOSED;
  pthread_mutex_lock(&p->lock);
  /* RTRlib reports only some state changes through the callback (not No
     Data Available, for one), so read the session's own state. */
  int now = p->rtr.state;
  int state = p->error && now == RTR_CONNECTING ? p->error : now;
  if (error_time)
    *error_time = p->error_time;
  pthread_mutex_unlock(&p->lock);
  return state;
}

static void rpki_get_status(struct proto *P, char *buf, size_t len)
{
  struct rpki_proto *p = (void *) P;
  if (P->proto_state == PS_DOWN || !p->running)
    buf[0] = 0;
  else
    bsnprintf(buf, (int) len, "%s", rpki_state_name(rpki_shown_state(p, NULL)));
}

/* A timer as BIRD shows it: remaining/interval in seconds, or ---. `since`
   is in ms of CLOCK_MONOTONIC (RTRlib keeps its last update in whole
   seconds of that clock). */
static void rpki_show_timer(struct cli *c, const char *label, int on, s64 since, uint interval)
{
  if (!on) {
    cli_msg(c, -1006, "  %s: ---", label);
    return;
  }
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  s64 left = since + (s64) interval * 1000 - ((s64) ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
  if (left < 0)
    left = 0;
  cli_msg(c, -1006, "  %s: %u.%03u/%u", label, (uint) (left / 1000), (uint) (left % 1000), interval);
}

/* Until the first synchronisation BIRD keeps an RPKI protocol's channels
   down (they start with the protocol going up) and shows them so, without
   statistics; Tern's wait in START. */
static void rpki_show_channel(struct proto *P, struct channel *ch, const char *name, struct cli *c)
{
  if (!ch) {
    cli_msg(c, -1006, "  No %s channel", name);
    return;
  }
  uint state = ch->channel_state;
  channel_show_info_as(ch, c, P->proto_state == PS_START && state == CS_START ? CS_DOWN : state);
}

static void rpki_show_proto_info(struct proto *P, struct cli *c)
{
  struct rpki_proto *p = (void *) P;
  struct rpki_config *cf = (void *) P->cf;
  struct timespec et = { 0 };
  int state = rpki_shown_state(p, &et);
  int synced = p->running && p->rtr.last_update;
  cli_msg(c, -1006, "  Cache server:     %s", cf->host);
  cli_msg(c, -1006, "  Cache port:       %u", cf->port);
  cli_msg(c, -1006, "  Status:           %s", rpki_state_name(state));
  cli_msg(c, -1006, "  Transport:        %s", cf->transport == RPKI_SSH ? "SSHv2" : "Unprotected over TCP");
  /* Before any PDU this is the version RTRlib will offer first, as BIRD
     shows its own. */
  cli_msg(c, -1006, "  Protocol version: %u", p->running ? p->rtr.version : 1);
  if (synced) {
    cli_msg(c, -1006, "  Session ID:       %u", p->rtr.session_id);
    cli_msg(c, -1006, "  Serial number:    %u", p->rtr.serial_number);
  } else {
    cli_msg(c, -1006, "  Session ID:       ---");
    cli_msg(c, -1006, "  Serial number:    ---");
  }
  if (p->last_update) {
    btime ago = current_time() - p->last_update;
    cli_msg(c, -1006, "  Last update:      before %u.%03u s", (uint) (ago / 1000000), (uint) (ago / 1000 % 1000));
  }
  else
    cli_msg(c, -1006, "  Last update:      ---");
  int error = state >= RTR_ERROR_NO_DATA_AVAIL && state <= RTR_ERROR_TRANSPORT;
  s64 last = (s64) p->rtr.last_update * 1000;
  rpki_show_timer(c, "Refresh timer   ", synced && state == RTR_ESTABLISHED, last, p->rtr.refresh_interval);
  rpki_show_timer(c, "Retry timer     ", error, (s64) et.tv_sec * 1000 + et.tv_nsec / 1000000,
                  p->rtr.retry_interval);
  rpki_show_timer(c, "Expire timer    ", synced, last, p->rtr.expire_interval);
  if (P->proto_state == PS_DOWN)
    return;                     /* no channels while down */
  rpki_show_channel(P, p->roa4, "roa4", c);
  rpki_show_channel(P, p->roa6, "roa6", c);
}

static struct proto *rpki_init(struct proto_config *pc)
{
  struct rpki_proto *p = proto_new(pc);
  return &p->p;
}

struct protocol proto_rpki = {
  .name = "RPKI",
  .template = "rpki%d",
  .class = PROTOCOL_RPKI,
  .channel_mask = NB_ROA,
  .max_channels = 2,
  .proto_size = sizeof(struct rpki_proto),
  .config_size = sizeof(struct rpki_config),
  .postconfig = rpki_postconfig,
  .init = rpki_init,
  .start = rpki_start,
  .shutdown = rpki_shutdown,
  .cleanup = rpki_cleanup,
  .reconfigure = rpki_reconfigure,
  .get_status = rpki_get_status,
  .show_proto_info = rpki_show_proto_info,
};
