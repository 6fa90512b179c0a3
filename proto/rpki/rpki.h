/*
 * proto/rpki/rpki.h: `protocol rpki`, ROAs from an RPKI cache through
 * RTRlib (RFC 6810/8210 RPKI-to-Router, over TCP or SSH).
 */
#ifndef TERN_PROTO_RPKI_H
#define TERN_PROTO_RPKI_H

#include <pthread.h>
#include <time.h>
#include <rtrlib/rtrlib.h>

#include "nest/protocol.h"
#include "sysdep/unix/io.h"

enum rpki_transport { RPKI_TCP = 0, RPKI_SSH };

struct rpki_config {
  struct proto_config c;
  const char *host;             /* remote: a name or an address, as text */
  uint port;                    /* 323 (TCP) / 22 (SSH) unless given */
  u8 port_set;
  ip_addr local;                /* `local address`; IPA_NONE = any */
  uint refresh, retry, expire;  /* seconds */
  u8 keep_refresh, keep_retry, keep_expire;
  u8 ignore_max_length;
  u8 transport;                 /* enum rpki_transport */
  const char *ssh_user, *ssh_key, *ssh_known_hosts;
};

/* A ROA added or removed by an RTRlib thread, applied by the loop thread.
   Kept small: a full sync queues one per ROA. */
struct rpki_update {
  ip6_addr prefix;              /* IPv4 in the first word */
  u32 asn;
  u8 ipv6, pxlen, max_pxlen, added;
};

/* The queue is a list of blocks big enough for malloc to map each one on
   its own, so that the memory of a full sync goes back to the system when
   it has been applied. */
#define RPKI_QBLOCK 8192
struct rpki_qblock {
  struct rpki_qblock *next;
  uint n;
  struct rpki_update u[RPKI_QBLOCK];
};

struct rpki_proto {
  struct proto p;
  struct channel *roa4, *roa6;
  /* RTRlib objects; rtr is embedded so that a record's socket leads back
     here. */
  struct rtr_socket rtr;
  struct tr_socket tr;
  struct tr_tcp_config tcp;
  struct tr_ssh_config ssh;
  struct rtr_socket *rtr_list[1];
  struct rtr_mgr_group group;
  struct rtr_mgr_config *mgr;
  char *host, *port_text, *bind, *user, *key, *known_hosts;
  /* Hand-over from RTRlib's threads (under lock) */
  pthread_mutex_t lock;
  struct rpki_qblock *qhead, *qtail;
  int state;                    /* enum rtr_socket_state, as last reported */
  int error;                    /* the last error state since the session was up, 0 if none */
  struct timespec error_time;   /* when it was reported (CLOCK_MONOTONIC) */
  u8 running;                   /* RTRlib's session exists */
  u8 stopping;                  /* a stopper thread is taking it down */
  u8 stopped;                   /* ... and has (under lock) */
  u8 orphaned;                  /* left to the exiting process (under lock) */
  pthread_t stopper;
  event stop_done;
  io_wakeup wake;
  btime last_update;            /* when the last ROA change was applied */
};

extern struct protocol proto_rpki;

/* Grammar helpers (config.Y) */
struct cf_ctx;
void rpki_words(struct cf_ctx *ctx, const void *loc, const char *w1, const char *want1,
                const char *w2, const char *want2);
void rpki_timer(struct cf_ctx *ctx, const void *loc, struct rpki_config *cf, const char *name,
                int keep, uint value, const void *vloc);
void rpki_transport(struct cf_ctx *ctx, const void *loc, struct rpki_config *cf,
                    const char *w1, const char *w2);
void rpki_check_config(struct cf_ctx *ctx, struct rpki_config *cf, const void *loc);

#endif
