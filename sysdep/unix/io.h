/*
 * sysdep/unix/io.h: the event loop ternd is built on.
 *
 * One thread, one epoll instance. Everything the daemon does happens in a
 * hook called from io_loop(): file descriptor readiness (io_fd, and the
 * buffered stream sockets built on it), timers (a binary heap), deferred
 * events (a FIFO), signals (a signalfd) and wake-ups from other threads (an
 * eventfd). One pass of the loop:
 *
 *   1. wait in epoll_wait() until the nearest timer (not at all if events
 *      are queued),
 *   2. refresh the cached clocks,
 *   3. dispatch ready file descriptors,
 *   4. fire due timers,
 *   5. run the events queued before this step (later ones wait a pass),
 *   6. call the pass hooks (the daemon flushes its temporary arena there).
 *
 * The layer does not allocate per object: callers embed timer, event, io_fd
 * and sock in their own structures, so the memory is accounted to the
 * caller's pools. The only allocations are the timer heap's pointer array
 * (grows by doubling, never shrinks) and a sock's transmit queue, which
 * grows through a hook the caller may point at its own allocator.
 *
 * Everything here belongs to the loop thread; the one exception is
 * io_wakeup_signal(), which other threads use to hand work to the loop.
 *
 * Depends only on libc and Linux.
 */
#ifndef TERN_SYSDEP_UNIX_IO_H
#define TERN_SYSDEP_UNIX_IO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>

/*
 *  Time
 */

typedef int64_t btime;          /* microseconds */

#define S_  1000000LL
#define MS_ 1000LL
#define US_ 1LL

/* Cached monotonic time; refreshed once per loop pass and by times_update(). */
btime current_time(void);
/* Cached CLOCK_REALTIME in microseconds since the epoch, refreshed likewise. */
btime current_real_time(void);
void times_update(void);

/*
 *  Timers
 */

typedef struct timer {
  void (*hook)(struct timer *);
  void *data;
  btime expires;                /* absolute monotonic time, valid if active */
  uint randomize;               /* jitter added on arming: [0, randomize] us */
  uint recurrent;               /* if nonzero, re-armed this long after firing */
  int index;                    /* position in the heap, 0 = not active */
} timer;

void tm_init(timer *t, void (*hook)(timer *), void *data);
/* Arm @after microseconds from now (plus jitter); re-arms an active timer. */
void tm_start(timer *t, btime after);
/* Arm at absolute monotonic time @when, without jitter. */
void tm_set(timer *t, btime when);
void tm_stop(timer *t);
static inline int tm_active(timer *t) { return t->index > 0; }
/* Time left until the timer fires, 0 if it is inactive or overdue. */
btime tm_remains(timer *t);

/*
 *  Deferred events
 */

typedef struct event {
  struct event *next_, *prev_;  /* queue links, owned by the loop */
  void (*hook)(void *data);
  void *data;
  int active;                   /* queued and not yet run */
} event;

void ev_init(event *e, void (*hook)(void *), void *data);
/* Queue the event; no-op if it is already queued (it keeps its place). */
void ev_schedule(event *e);
void ev_cancel(event *e);
static inline int ev_active(event *e) { return e->active; }

/*
 *  File descriptors
 *
 * Level-triggered. Set the hooks before io_fd_add(): the fd is watched for
 * reading iff read_hook is set, for writing iff io_fd_want_write(f, 1).
 * err_hook gets the pending socket error (SO_ERROR) on EPOLLERR, and 0 on a
 * hang-up nobody reads; it must remove the fd (epoll keeps reporting both
 * conditions), and without an err_hook the loop removes it. Any hook may remove any io_fd, including ones whose
 * readiness is pending in the same epoll batch: those are not dispatched.
 */

typedef struct io_fd {
  int fd;
  uint32_t events_;             /* current epoll interest, owned by the loop */
  void (*read_hook)(struct io_fd *);
  void (*write_hook)(struct io_fd *);
  void (*err_hook)(struct io_fd *, int err);
  void *data;
  int added_;
} io_fd;

/* Registers @fd (which should be non-blocking). Returns 0, or -1 + errno. */
int io_fd_add(io_fd *f, int fd);
void io_fd_want_read(io_fd *f, int on);
void io_fd_want_write(io_fd *f, int on);
/* Stops watching; does not close the descriptor. Safe on a removed io_fd. */
void io_fd_remove(io_fd *f);

/*
 *  Buffered stream sockets
 *
 * Life cycle: sk_init(), set hooks/buffers/data, then one of
 * sk_listen_tcp(), sk_listen_unix(), sk_connect_tcp() or sk_attach() (for
 * an fd from accept_hook or socketpair()); finally sk_close().
 *
 * Receiving: the loop reads into rbuf[rpos..rbsize) and calls
 * rx_hook(s, rpos) with all unconsumed bytes; rx_hook returns how many it
 * consumed from the start of rbuf, the rest is moved to the front and kept.
 * rbuf/rbsize may be set by the caller (its memory); if rbuf is NULL a
 * buffer of rbsize (default SK_RBSIZE) is taken from the allocator.
 * A full buffer that rx_hook does not drain is an error (ENOBUFS).
 *
 * Sending: sk_send() writes at once what the kernel takes and queues the
 * rest; the queue is written when the socket is writable. tx_hook is called
 * when a queue that could not be written at once has drained.
 *
 * Errors: err_hook(s, errno) or err_hook(s, 0) on EOF. It is always called
 * from the loop, never from inside sk_send()/sk_connect_tcp(). After it, the
 * socket only waits for sk_close().
 *
 * Any hook may call sk_close() on its own socket (and free it) or on others.
 */

enum sk_type {
  SK_TCP_PASSIVE = 1,           /* listening TCP socket: accept_hook */
  SK_TCP_ACTIVE,                /* outgoing connection in progress */
  SK_TCP,                       /* established TCP stream */
  SK_UNIX_PASSIVE,              /* listening UNIX socket: accept_hook */
  SK_UNIX,                      /* connected UNIX stream */
};

#define SK_RBSIZE 16384
#define SK_BACKLOG 64

/* Flags for sk_listen_tcp() */
#define SKF_FREEBIND  1         /* IP_FREEBIND: bind an address not (yet) configured */
#define SKF_V6ONLY    2         /* IPV6_V6ONLY on an IPv6 listener */

typedef struct sock {
  io_fd fd;
  int type;                     /* enum sk_type */
  int family;                   /* AF_INET, AF_INET6, AF_UNIX */

  unsigned char *rbuf;
  size_t rbsize, rpos;
  unsigned char *tbuf;          /* transmit queue: bytes [tpos, tlen) pending */
  size_t tbsize, tpos, tlen;

  int (*rx_hook)(struct sock *, size_t len);
  void (*tx_hook)(struct sock *);
  void (*err_hook)(struct sock *, int err);
  void (*accept_hook)(struct sock *listener, int newfd);
  void (*connected_hook)(struct sock *);
  /* realloc-like allocator for rbuf/tbuf; size 0 frees. NULL = libc. */
  void *(*alloc_hook)(struct sock *, void *ptr, size_t size);
  void *data;

  struct sockaddr_storage local, remote;
  int ttl;                      /* last value set by sk_set_ttl(), 0 = default */

  /* Private state */
  int state_;
  int error_;                   /* error waiting to be reported */
  int rx_paused_;
  int rbuf_owned_;
  event defer_;                 /* deferred error / rx delivery */
} sock;

void sk_init(sock *s);
int sk_listen_tcp(sock *s, const struct sockaddr *addr, socklen_t len, int flags);
/* Unlinks a stale socket at @path, binds, chmods to @mode (if nonzero). */
int sk_listen_unix(sock *s, const char *path, mode_t mode);
/* Creates (and binds to @local, if given) a TCP socket without connecting,
 * so options that must precede connect() (sk_set_md5) can be set. */
int sk_socket_tcp(sock *s, int family, const struct sockaddr *local, socklen_t llen);
/* Non-blocking connect, optionally from @local. The result arrives in
 * connected_hook or err_hook. Returns -1 + errno only if no socket could
 * be set up at all. Uses the socket from sk_socket_tcp() if there is one. */
int sk_connect_tcp(sock *s, const struct sockaddr *remote, socklen_t rlen,
                   const struct sockaddr *local, socklen_t llen);
/* Adopts a connected stream fd (from accept_hook or socketpair()). */
int sk_attach(sock *s, int fd, int type);

/* Returns 0, or -1 if the socket is dead (err_hook will follow). */
int sk_send(sock *s, const void *data, size_t len);
size_t sk_tx_pending(sock *s);
/* Stop/resume reading; bytes already buffered are redelivered on resume. */
void sk_pause_rx(sock *s, int paused);
/* Stops watching, closes the fd and frees buffers the layer allocated. */
void sk_close(sock *s);

/* TTL / hop limit of outgoing packets, and GTSM (RFC 5082) minimum. */
int sk_set_ttl(sock *s, int ttl);
int sk_set_min_ttl(sock *s, int ttl);
/* TCP MD5 (RFC 2385) key for @peer; NULL or "" password removes it. */
int sk_set_md5(sock *s, const struct sockaddr *peer, const char *password);

/*
 *  Signals, wake-ups, the loop
 */

/* Blocks @signo and delivers it to @hook from the loop. */
int io_signal(int signo, void (*hook)(int signo));

typedef struct io_wakeup {
  io_fd fd;
  void (*hook)(void *data);
  void *data;
} io_wakeup;

int io_wakeup_init(io_wakeup *w, void (*hook)(void *data), void *data);
/* Callable from any thread; several signals may run the hook only once. */
void io_wakeup_signal(io_wakeup *w);
void io_wakeup_close(io_wakeup *w);

void io_init(void);
void io_loop(void);
void io_stop_loop(void);
void io_add_pass_hook(void (*hook)(void));
/* One pass waiting at most @max_wait us (< 0 = until something happens).
 * Returns the number of fds, timers and events dispatched, -1 on error. */
int io_run_once(btime max_wait);

#endif
