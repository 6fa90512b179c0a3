/*
 * sysdep/unix/io.c: the single-threaded epoll event loop (see io.h).
 *
 * Sections: cached clocks, the timer heap, the event FIFO, file
 * descriptors and the epoll batch, buffered sockets, signals, wake-ups,
 * and the loop itself.
 *
 * Two rules keep hooks free to tear things down while we dispatch:
 *  - io_fd_remove() clears the removed fd's entries in the epoll batch
 *    being dispatched, so a removed (possibly freed) io_fd is never touched;
 *  - sockets remember which sock is inside a user hook; sk_close() on it
 *    raises a flag so the caller of the hook returns without touching it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "sysdep/unix/io.h"

static void io_need_init(void);

static void io_die(const char *what)
{
  /* The io layer depends on libc only, so it cannot use lib's die(). */
  fprintf(stderr, "ternd: io: %s: %s\n", what, strerror(errno));
  abort();
}

/*
 *  Cached clocks
 */

static btime now_mono, now_real;

static btime clock_us(clockid_t clk)
{
  struct timespec ts;
  clock_gettime(clk, &ts);
  return (btime) ts.tv_sec * S_ + ts.tv_nsec / 1000;
}

void times_update(void)
{
  now_mono = clock_us(CLOCK_MONOTONIC);
  now_real = clock_us(CLOCK_REALTIME);
}

btime current_time(void)
{
  if (!now_mono)
    times_update();
  return now_mono;
}

btime current_real_time(void)
{
  if (!now_real)
    times_update();
  return now_real;
}

/*
 *  Timers: a 1-based binary min-heap of pointers; timer.index is the slot.
 */

static timer **heap;
static int heap_n, heap_cap;
static uint64_t rng_state;

static uint64_t io_random(void)
{
  /* xorshift64*: jitter only needs to decorrelate peers, not be secret */
  if (!rng_state)
    rng_state = (uint64_t) clock_us(CLOCK_REALTIME) ^ ((uint64_t) getpid() << 32) ^ 1;
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545F4914F6CDD1DULL;
}

static btime tm_jitter(timer *t)
{
  return t->randomize ? (btime) (io_random() % ((uint64_t) t->randomize + 1)) : 0;
}

static void heap_put(int i, timer *t)
{
  heap[i] = t;
  t->index = i;
}

static void heap_up(int i)
{
  timer *t = heap[i];
  while (i > 1 && heap[i / 2]->expires > t->expires)
  {
    heap_put(i, heap[i / 2]);
    i /= 2;
  }
  heap_put(i, t);
}

static void heap_down(int i)
{
  timer *t = heap[i];
  for (;;)
  {
    int c = 2 * i;
    if (c > heap_n)
      break;
    if (c < heap_n && heap[c + 1]->expires < heap[c]->expires)
      c++;
    if (heap[c]->expires >= t->expires)
      break;
    heap_put(i, heap[c]);
    i = c;
  }
  heap_put(i, t);
}

static void heap_grow(void)
{
  int cap = heap_cap ? 2 * heap_cap : 64;
  timer **h = realloc(heap, (size_t) (cap + 1) * sizeof(*h));
  if (!h)
    io_die("timer heap");
  heap = h;
  heap_cap = cap;
}

void tm_init(timer *t, void (*hook)(timer *), void *data)
{
  *t = (timer) { .hook = hook, .data = data };
}

void tm_set(timer *t, btime when)
{
  t->expires = when;
  if (tm_active(t))
  {
    heap_up(t->index);
    heap_down(t->index);
    return;
  }
  if (heap_n == heap_cap)
    heap_grow();
  heap[++heap_n] = t;
  heap_up(heap_n);
}

void tm_start(timer *t, btime after)
{
  if (after < 0)
    after = 0;
  tm_set(t, current_time() + after + tm_jitter(t));
}

void tm_stop(timer *t)
{
  if (!tm_active(t))
    return;
  int i = t->index;
  timer *last = heap[heap_n--];
  t->index = 0;
  if (last == t)
    return;
  heap_put(i, last);
  heap_up(i);
  heap_down(last->index);
}

btime tm_remains(timer *t)
{
  if (!tm_active(t) || t->expires <= current_time())
    return 0;
  return t->expires - current_time();
}

/* Re-arm before the hook runs, so the hook may stop or re-start it. */
static void tm_rearm_or_stop(timer *t, btime now)
{
  if (!t->recurrent)
  {
    tm_stop(t);
    return;
  }
  btime when = t->expires + t->recurrent;       /* keep the phase ... */
  if (when <= now)
    when = now + t->recurrent;                  /* ... unless we fell behind */
  tm_set(t, when + tm_jitter(t));
}

/*
 * Bounded by the number of timers at the start, so a hook re-arming itself
 * with a zero delay fires again in the next pass instead of looping here.
 */
static int tm_fire_due(void)
{
  btime now = current_time();
  int budget = heap_n, fired = 0;
  while (heap_n && fired < budget && heap[1]->expires <= now)
  {
    timer *t = heap[1];
    tm_rearm_or_stop(t, now);
    fired++;
    t->hook(t);
  }
  return fired;
}

static btime tm_next_expiry(void)
{
  return heap_n ? heap[1]->expires : -1;
}

/*
 *  Events: a circular list through a static sentinel.
 */

static event ev_queue = { .next_ = &ev_queue, .prev_ = &ev_queue };

static void ev_unlink(event *e)
{
  e->prev_->next_ = e->next_;
  e->next_->prev_ = e->prev_;
  e->next_ = e->prev_ = NULL;
}

void ev_init(event *e, void (*hook)(void *), void *data)
{
  *e = (event) { .hook = hook, .data = data };
}

void ev_schedule(event *e)
{
  if (e->active)
    return;
  e->prev_ = ev_queue.prev_;
  e->next_ = &ev_queue;
  ev_queue.prev_->next_ = e;
  ev_queue.prev_ = e;
  e->active = 1;
}

void ev_cancel(event *e)
{
  if (!e->active)
    return;
  ev_unlink(e);
  e->active = 0;
}

/*
 * Move the queue to a local sentinel first: events scheduled by the hooks
 * land in the global queue and wait for the next pass, after I/O.
 * Cancelling an event that sits in the local list still works, as the
 * links are circular through whichever sentinel holds it.
 */
static int ev_run_queue(void)
{
  if (ev_queue.next_ == &ev_queue)
    return 0;
  event now = { .next_ = ev_queue.next_, .prev_ = ev_queue.prev_ };
  now.next_->prev_ = &now;
  now.prev_->next_ = &now;
  ev_queue.next_ = ev_queue.prev_ = &ev_queue;

  int n = 0;
  while (now.next_ != &now)
  {
    event *e = now.next_;
    ev_unlink(e);
    e->active = 0;
    n++;
    e->hook(e->data);
  }
  return n;
}

/*
 *  File descriptors and the epoll batch
 */

#define IO_BATCH 64

static int epfd = -1;
static struct epoll_event batch[IO_BATCH];
static int batch_len;           /* entries being dispatched, 0 outside */

static int io_fd_ctl(io_fd *f, uint32_t events)
{
  struct epoll_event ev = { .events = events, .data.ptr = f };
  if (epoll_ctl(epfd, EPOLL_CTL_MOD, f->fd, &ev) < 0)
    return -1;
  f->events_ = events;
  return 0;
}

static int io_fd_register(io_fd *f, int fd, uint32_t events)
{
  io_need_init();
  struct epoll_event ev = { .events = events, .data.ptr = f };
  f->fd = fd;
  if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
    return -1;
  f->events_ = events;
  f->added_ = 1;
  return 0;
}

int io_fd_add(io_fd *f, int fd)
{
  return io_fd_register(f, fd, f->read_hook ? EPOLLIN : 0);
}

static void io_fd_want(io_fd *f, uint32_t bit, int on)
{
  uint32_t ev = on ? (f->events_ | bit) : (f->events_ & ~bit);
  if (!f->added_ || ev == f->events_)
    return;
  if (io_fd_ctl(f, ev) < 0)
    io_die("epoll_ctl");
}

void io_fd_want_read(io_fd *f, int on)
{
  io_fd_want(f, EPOLLIN, on);
}

void io_fd_want_write(io_fd *f, int on)
{
  io_fd_want(f, EPOLLOUT, on);
}

void io_fd_remove(io_fd *f)
{
  if (!f->added_)
    return;
  epoll_ctl(epfd, EPOLL_CTL_DEL, f->fd, NULL);
  f->added_ = 0;
  f->events_ = 0;
  for (int i = 0; i < batch_len; i++)
    if (batch[i].data.ptr == f)
      batch[i].data.ptr = NULL;
}

/* The socket's pending error (SO_ERROR), 0 if none */
static int sock_error(int fd)
{
  int err = 0;
  socklen_t len = sizeof(err);
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
    return errno;
  return err;
}

static int io_fd_pending_error(io_fd *f)
{
  int err = sock_error(f->fd);
  return err ? err : EIO;       /* not a socket, or the error was consumed */
}

/* Errors and unread hang-ups go to err_hook; without one we stop watching
 * the fd, since epoll would otherwise report the condition forever. */
static void io_fd_trouble(io_fd *f, int err)
{
  if (f->err_hook)
    f->err_hook(f, err);
  else
    io_fd_remove(f);
}

static void io_dispatch_one(int i)
{
  io_fd *f = batch[i].data.ptr;
  uint32_t ev = batch[i].events;
  if (!f)
    return;
  if (ev & EPOLLERR)
  {
    io_fd_trouble(f, io_fd_pending_error(f));
    return;
  }
  if ((ev & (EPOLLIN | EPOLLHUP)) && (f->events_ & EPOLLIN) && f->read_hook)
  {
    f->read_hook(f);
    if (!batch[i].data.ptr)
      return;
  }
  if ((ev & EPOLLOUT) && (f->events_ & EPOLLOUT) && f->write_hook)
  {
    f->write_hook(f);
    if (!batch[i].data.ptr)
      return;
  }
  if ((ev & EPOLLHUP) && !(f->events_ & EPOLLIN))
    io_fd_trouble(f, 0);
}

static int io_dispatch(int n)
{
  batch_len = n;
  for (int i = 0; i < n; i++)
    io_dispatch_one(i);
  batch_len = 0;
  return n;
}

/*
 *  Buffered stream sockets
 */

enum sk_state {
  SKS_IDLE = 0,                 /* no fd, or an fd not yet listening/connecting */
  SKS_LISTEN,
  SKS_CONNECTING,
  SKS_OPEN,
  SKS_FAILED,                   /* error known, not yet reported */
  SKS_DEAD,                     /* error reported, waiting for sk_close() */
};

/*
 * The sock inside a user hook right now, and whether sk_close() was called
 * on it there (after which it may be freed). Saved and restored around
 * each hook call, so nesting is harmless.
 */
struct sk_hook_frame {
  sock *sk;
  int closed;
};
static struct sk_hook_frame hook_now;

static struct sk_hook_frame sk_hook_enter(sock *s)
{
  struct sk_hook_frame saved = hook_now;
  hook_now = (struct sk_hook_frame) { .sk = s };
  return saved;
}

/* Returns nonzero if the sock was closed inside the hook. */
static int sk_hook_leave(struct sk_hook_frame saved)
{
  int closed = hook_now.closed;
  hook_now = saved;
  return closed;
}

static void *sk_alloc(sock *s, void *ptr, size_t size)
{
  if (s->alloc_hook)
    return s->alloc_hook(s, ptr, size);
  if (!size)
  {
    free(ptr);
    return NULL;
  }
  return realloc(ptr, size);
}

static void sk_report(sock *s, int err)
{
  s->state_ = SKS_DEAD;
  if (s->err_hook)
    s->err_hook(s, err);
}

/* For errors met inside the loop's own dispatch: report right away. */
static void sk_fail_now(sock *s, int err)
{
  io_fd_remove(&s->fd);
  ev_cancel(&s->defer_);
  sk_report(s, err);
}

/* For errors met inside a call from the user: report from the loop. */
static void sk_fail_later(sock *s, int err)
{
  io_fd_remove(&s->fd);
  s->state_ = SKS_FAILED;
  s->error_ = err;
  ev_schedule(&s->defer_);
}

/* Hand all buffered bytes to rx_hook and keep what it left. */
static void sk_deliver(sock *s)
{
  if (!s->rx_hook)
  {
    s->rpos = 0;
    return;
  }
  struct sk_hook_frame f = sk_hook_enter(s);
  int used = s->rx_hook(s, s->rpos);
  if (sk_hook_leave(f))
    return;
  if (used <= 0)
    return;
  if ((size_t) used >= s->rpos)
    s->rpos = 0;
  else
  {
    memmove(s->rbuf, s->rbuf + used, s->rpos - used);
    s->rpos -= used;
  }
}

static void sk_defer_hook(void *data)
{
  sock *s = data;
  if (s->state_ == SKS_FAILED)
    sk_report(s, s->error_);
  else if (s->state_ == SKS_OPEN && s->rpos && !s->rx_paused_)
    sk_deliver(s);
}

static void sk_read(sock *s)
{
  if (s->rpos >= s->rbsize)
  {
    sk_fail_now(s, ENOBUFS);
    return;
  }
  ssize_t n = read(s->fd.fd, s->rbuf + s->rpos, s->rbsize - s->rpos);
  if (n < 0)
  {
    if (errno != EAGAIN && errno != EINTR)
      sk_fail_now(s, errno);
    return;
  }
  if (n == 0)
  {
    sk_fail_now(s, 0);
    return;
  }
  s->rpos += n;
  sk_deliver(s);
}

static void sk_accept_some(sock *s)
{
  for (int i = 0; i < 16; i++)  /* bounded, so a connect flood cannot starve others */
  {
    int nfd = accept4(s->fd.fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (nfd < 0)
    {
      if (errno == EINTR || errno == ECONNABORTED)
        continue;
      return;
    }
    if (!s->accept_hook)
    {
      close(nfd);
      continue;
    }
    struct sk_hook_frame f = sk_hook_enter(s);
    s->accept_hook(s, nfd);
    if (sk_hook_leave(f))
      return;
  }
}

static void sk_read_ready(io_fd *f)
{
  sock *s = f->data;
  if (s->state_ == SKS_LISTEN)
    sk_accept_some(s);
  else
    sk_read(s);
}

static void sk_flush(sock *s)
{
  while (s->tpos < s->tlen)
  {
    ssize_t n = send(s->fd.fd, s->tbuf + s->tpos, s->tlen - s->tpos, MSG_NOSIGNAL);
    if (n < 0)
    {
      if (errno == EINTR)
        continue;
      if (errno != EAGAIN)
        sk_fail_now(s, errno);
      return;
    }
    s->tpos += n;
  }
  s->tpos = s->tlen = 0;
  io_fd_want_write(&s->fd, 0);
  if (s->tx_hook)
    s->tx_hook(s);
}

static void sk_fill_names(sock *s)
{
  socklen_t len = sizeof(s->local);
  if (getsockname(s->fd.fd, (struct sockaddr *) &s->local, &len) == 0)
    s->family = s->local.ss_family;
  len = sizeof(s->remote);
  getpeername(s->fd.fd, (struct sockaddr *) &s->remote, &len);
}

static void sk_connect_done(sock *s)
{
  int err = sock_error(s->fd.fd);
  if (err)
  {
    sk_fail_now(s, err);
    return;
  }
  s->state_ = SKS_OPEN;
  s->type = SK_TCP;
  sk_fill_names(s);
  io_fd_want_write(&s->fd, s->tlen > s->tpos);
  io_fd_want_read(&s->fd, !s->rx_paused_);
  if (s->connected_hook)
    s->connected_hook(s);
}

static void sk_write_ready(io_fd *f)
{
  sock *s = f->data;
  if (s->state_ == SKS_CONNECTING)
    sk_connect_done(s);
  else
    sk_flush(s);
}

static void sk_io_error(io_fd *f, int err)
{
  sk_fail_now(f->data, err);
}

void sk_init(sock *s)
{
  memset(s, 0, sizeof(*s));
  s->fd.fd = -1;
  ev_init(&s->defer_, sk_defer_hook, s);
}

static int sk_watch(sock *s, int fd, int state, uint32_t events)
{
  s->fd.read_hook = sk_read_ready;
  s->fd.write_hook = sk_write_ready;
  s->fd.err_hook = sk_io_error;
  s->fd.data = s;
  s->state_ = state;
  return io_fd_register(&s->fd, fd, events);
}

static int sk_setup_rbuf(sock *s)
{
  if (s->rbuf)
    return 0;
  if (!s->rbsize)
    s->rbsize = SK_RBSIZE;
  s->rbuf = sk_alloc(s, NULL, s->rbsize);
  if (!s->rbuf)
  {
    errno = ENOMEM;
    return -1;
  }
  s->rbuf_owned_ = 1;
  return 0;
}

static int sk_fail_setup(sock *s, int fd)
{
  int err = errno;
  if (fd >= 0 && fd != s->fd.fd)
    close(fd);
  errno = err;
  return -1;
}

static int setsockopt_int(int fd, int level, int name, int val)
{
  return setsockopt(fd, level, name, &val, sizeof(val));
}

int sk_listen_tcp(sock *s, const struct sockaddr *addr, socklen_t len, int flags)
{
  int fd = socket(addr->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -1;
  if (setsockopt_int(fd, SOL_SOCKET, SO_REUSEADDR, 1) < 0)
    return sk_fail_setup(s, fd);
  if ((flags & SKF_V6ONLY) && addr->sa_family == AF_INET6 &&
      setsockopt_int(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1) < 0)
    return sk_fail_setup(s, fd);
  /* IP_FREEBIND at SOL_IP also covers IPv6 sockets on Linux */
  if ((flags & SKF_FREEBIND) && setsockopt_int(fd, SOL_IP, IP_FREEBIND, 1) < 0)
    return sk_fail_setup(s, fd);
  if (bind(fd, addr, len) < 0 || listen(fd, SK_BACKLOG) < 0)
    return sk_fail_setup(s, fd);
  s->type = SK_TCP_PASSIVE;
  if (sk_watch(s, fd, SKS_LISTEN, EPOLLIN) < 0)
    return sk_fail_setup(s, fd);
  sk_fill_names(s);
  return 0;
}

/* Remove a leftover socket file, but never anything else at that path. */
static int sk_unlink_stale(const char *path)
{
  struct stat st;
  if (lstat(path, &st) < 0)
    return errno == ENOENT ? 0 : -1;
  if (!S_ISSOCK(st.st_mode))
  {
    errno = EEXIST;
    return -1;
  }
  return unlink(path);
}

int sk_listen_unix(sock *s, const char *path, mode_t mode)
{
  struct sockaddr_un sun = { .sun_family = AF_UNIX };
  if (strlen(path) >= sizeof(sun.sun_path))
  {
    errno = ENAMETOOLONG;
    return -1;
  }
  strcpy(sun.sun_path, path);
  if (sk_unlink_stale(path) < 0)
    return -1;
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -1;
  if (bind(fd, (struct sockaddr *) &sun, sizeof(sun)) < 0)
    return sk_fail_setup(s, fd);
  if ((mode && chmod(path, mode) < 0) || listen(fd, SK_BACKLOG) < 0)
    return sk_fail_setup(s, fd);
  s->type = SK_UNIX_PASSIVE;
  s->family = AF_UNIX;
  if (sk_watch(s, fd, SKS_LISTEN, EPOLLIN) < 0)
    return sk_fail_setup(s, fd);
  memcpy(&s->local, &sun, sizeof(sun));
  return 0;
}

int sk_socket_tcp(sock *s, int family, const struct sockaddr *local, socklen_t llen)
{
  int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -1;
  if (local && bind(fd, local, llen) < 0)
    return sk_fail_setup(s, fd);
  s->fd.fd = fd;
  s->family = family;
  s->state_ = SKS_IDLE;
  return 0;
}

int sk_connect_tcp(sock *s, const struct sockaddr *remote, socklen_t rlen,
                   const struct sockaddr *local, socklen_t llen)
{
  if (s->fd.fd < 0 && sk_socket_tcp(s, remote->sa_family, local, llen) < 0)
    return -1;
  if (sk_setup_rbuf(s) < 0)
    return -1;
  int fd = s->fd.fd;
  s->type = SK_TCP_ACTIVE;
  memcpy(&s->remote, remote, rlen);
  /* Completion (or failure) shows as writability; 0 events while waiting */
  if (sk_watch(s, fd, SKS_CONNECTING, EPOLLOUT) < 0)
    return -1;
  if (connect(fd, remote, rlen) < 0 && errno != EINPROGRESS)
    sk_fail_later(s, errno);
  return 0;
}

int sk_attach(sock *s, int fd, int type)
{
  int fl = fcntl(fd, F_GETFL);
  if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
    return -1;
  if (sk_setup_rbuf(s) < 0)
    return -1;
  s->type = type;
  if (sk_watch(s, fd, SKS_OPEN, s->rx_paused_ ? 0 : EPOLLIN) < 0)
    return -1;
  sk_fill_names(s);
  return 0;
}

/* Append to the transmit queue, compacting first, growing if needed. */
static int sk_queue(sock *s, const unsigned char *data, size_t len)
{
  if (s->tpos && s->tlen + len > s->tbsize)
  {
    memmove(s->tbuf, s->tbuf + s->tpos, s->tlen - s->tpos);
    s->tlen -= s->tpos;
    s->tpos = 0;
  }
  if (s->tlen + len > s->tbsize)
  {
    size_t want = s->tbsize ? 2 * s->tbsize : 4096;
    while (want < s->tlen + len)
      want *= 2;
    unsigned char *b = sk_alloc(s, s->tbuf, want);
    if (!b)
      return -1;
    s->tbuf = b;
    s->tbsize = want;
  }
  memcpy(s->tbuf + s->tlen, data, len);
  s->tlen += len;
  return 0;
}

int sk_send(sock *s, const void *data, size_t len)
{
  const unsigned char *p = data;
  if (s->state_ != SKS_OPEN && s->state_ != SKS_CONNECTING)
  {
    errno = s->error_ ? s->error_ : ENOTCONN;
    return -1;
  }
  if (s->state_ == SKS_OPEN && s->tpos == s->tlen)
  {
    ssize_t n = send(s->fd.fd, p, len, MSG_NOSIGNAL);
    if (n < 0 && errno != EAGAIN && errno != EINTR)
    {
      int err = errno;
      sk_fail_later(s, err);
      errno = err;
      return -1;
    }
    if (n > 0)
    {
      p += n;
      len -= n;
    }
    if (!len)
      return 0;
  }
  if (sk_queue(s, p, len) < 0)
  {
    sk_fail_later(s, ENOMEM);
    errno = ENOMEM;
    return -1;
  }
  if (s->state_ == SKS_OPEN)
    io_fd_want_write(&s->fd, 1);
  return 0;
}

size_t sk_tx_pending(sock *s)
{
  return s->tlen - s->tpos;
}

void sk_pause_rx(sock *s, int paused)
{
  s->rx_paused_ = !!paused;
  if (s->state_ != SKS_OPEN)
    return;
  io_fd_want_read(&s->fd, !paused);
  if (!paused && s->rpos)
    ev_schedule(&s->defer_);    /* bytes left over from before the pause */
}

void sk_close(sock *s)
{
  if (s == hook_now.sk)
    hook_now.closed = 1;
  ev_cancel(&s->defer_);
  io_fd_remove(&s->fd);
  if (s->fd.fd >= 0)
    close(s->fd.fd);
  s->fd.fd = -1;
  if (s->rbuf_owned_)
  {
    sk_alloc(s, s->rbuf, 0);
    s->rbuf = NULL;
    s->rbuf_owned_ = 0;
  }
  if (s->tbuf)
    sk_alloc(s, s->tbuf, 0);
  s->tbuf = NULL;
  s->tbsize = s->tpos = s->tlen = s->rpos = 0;
  s->state_ = SKS_IDLE;
}

int sk_set_ttl(sock *s, int ttl)
{
  int r = s->family == AF_INET6
    ? setsockopt_int(s->fd.fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, ttl)
    : setsockopt_int(s->fd.fd, IPPROTO_IP, IP_TTL, ttl);
  if (r == 0)
    s->ttl = ttl;
  return r;
}

int sk_set_min_ttl(sock *s, int ttl)
{
  return s->family == AF_INET6
    ? setsockopt_int(s->fd.fd, IPPROTO_IPV6, IPV6_MINHOPCOUNT, ttl)
    : setsockopt_int(s->fd.fd, IPPROTO_IP, IP_MINTTL, ttl);
}

int sk_set_md5(sock *s, const struct sockaddr *peer, const char *password)
{
  struct tcp_md5sig md5 = { 0 };
  size_t plen = password ? strlen(password) : 0;
  size_t alen = peer->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                            : sizeof(struct sockaddr_in);
  if (plen > TCP_MD5SIG_MAXKEYLEN)
  {
    errno = EINVAL;
    return -1;
  }
  memcpy(&md5.tcpm_addr, peer, alen);
  md5.tcpm_keylen = plen;       /* keylen 0 deletes the key for this peer */
  memcpy(md5.tcpm_key, password ? password : "", plen);
  return setsockopt(s->fd.fd, IPPROTO_TCP, TCP_MD5SIG, &md5, sizeof(md5));
}

/*
 *  Signals through one signalfd
 */

static io_fd sig_fd = { .fd = -1 };
static sigset_t sig_set;
static void (*sig_hooks[_NSIG])(int);

static void sig_read(io_fd *f)
{
  struct signalfd_siginfo si;
  while (read(f->fd, &si, sizeof(si)) == (ssize_t) sizeof(si))
    if (si.ssi_signo < _NSIG && sig_hooks[si.ssi_signo])
      sig_hooks[si.ssi_signo](si.ssi_signo);
}

int io_signal(int signo, void (*hook)(int signo))
{
  if (signo <= 0 || signo >= _NSIG)
  {
    errno = EINVAL;
    return -1;
  }
  sigset_t one;
  sigemptyset(&one);
  sigaddset(&one, signo);
  /* Block first, so nothing slips to the default action in between */
  if ((errno = pthread_sigmask(SIG_BLOCK, &one, NULL)))
    return -1;
  sigaddset(&sig_set, signo);
  sig_hooks[signo] = hook;
  int fd = signalfd(sig_fd.fd, &sig_set, SFD_NONBLOCK | SFD_CLOEXEC);
  if (fd < 0)
    return -1;
  if (sig_fd.added_)
    return 0;
  sig_fd.read_hook = sig_read;
  return io_fd_add(&sig_fd, fd);
}

/*
 *  Wake-ups from other threads through an eventfd
 */

static void wakeup_read(io_fd *f)
{
  io_wakeup *w = f->data;
  uint64_t cnt;
  if (read(f->fd, &cnt, sizeof(cnt)) == (ssize_t) sizeof(cnt))
    w->hook(w->data);
}

int io_wakeup_init(io_wakeup *w, void (*hook)(void *data), void *data)
{
  *w = (io_wakeup) { .hook = hook, .data = data };
  int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (fd < 0)
    return -1;
  w->fd.read_hook = wakeup_read;
  w->fd.data = w;
  if (io_fd_add(&w->fd, fd) < 0)
  {
    close(fd);
    return -1;
  }
  return 0;
}

void io_wakeup_signal(io_wakeup *w)
{
  uint64_t one = 1;
  /* EAGAIN only if the counter is about to overflow: already signalled */
  ssize_t r = write(w->fd.fd, &one, sizeof(one));
  (void) r;
}

void io_wakeup_close(io_wakeup *w)
{
  io_fd_remove(&w->fd);
  if (w->fd.fd >= 0)
    close(w->fd.fd);
  w->fd.fd = -1;
}

/*
 *  The loop
 */

#define IO_MAX_PASS_HOOKS 16

static void (*pass_hooks[IO_MAX_PASS_HOOKS])(void);
static int pass_hooks_n;
static volatile int loop_stop;

void io_init(void)
{
  if (epfd >= 0)
    return;
  epfd = epoll_create1(EPOLL_CLOEXEC);
  if (epfd < 0)
    io_die("epoll_create1");
  times_update();
}

static void io_need_init(void)
{
  if (epfd < 0)
    io_init();
}

void io_add_pass_hook(void (*hook)(void))
{
  if (pass_hooks_n == IO_MAX_PASS_HOOKS)
  {
    errno = ENOSPC;
    io_die("too many pass hooks");
  }
  pass_hooks[pass_hooks_n++] = hook;
}

/* Microseconds to sleep: 0 with events queued, else until the next timer. */
static btime io_wait_time(btime max_wait)
{
  if (ev_queue.next_ != &ev_queue)
    return 0;
  btime next = tm_next_expiry(), wait = max_wait;
  if (next >= 0)
  {
    btime d = next - current_time();
    if (d < 0)
      d = 0;
    if (wait < 0 || d < wait)
      wait = d;
  }
  return wait;
}

/* epoll_wait() counts in milliseconds: round up, never wake before a timer */
static int io_wait_ms(btime wait)
{
  if (wait < 0)
    return -1;
  btime ms = (wait + MS_ - 1) / MS_;
  return ms > INT_MAX ? INT_MAX : (int) ms;
}

int io_run_once(btime max_wait)
{
  io_need_init();
  int n = epoll_wait(epfd, batch, IO_BATCH, io_wait_ms(io_wait_time(max_wait)));
  int failed = n < 0 && errno != EINTR;
  if (n < 0)
    n = 0;
  times_update();
  int done = io_dispatch(n);
  done += tm_fire_due();
  done += ev_run_queue();
  for (int i = 0; i < pass_hooks_n; i++)
    pass_hooks[i]();
  return failed ? -1 : done;
}

void io_loop(void)
{
  loop_stop = 0;
  while (!loop_stop)
    if (io_run_once(-1) < 0)
      io_die("epoll_wait");
}

void io_stop_loop(void)
{
  loop_stop = 1;
}
