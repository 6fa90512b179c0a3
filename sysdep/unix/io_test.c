/*
 * sysdep/unix/io_test.c: the event loop against real timers, real sockets,
 * real signals and a real second thread.
 *
 * Every wait is a bounded loop over io_run_once() that stops as soon as the
 * awaited hook has run; there are no fixed sleeps.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "test/unit.h"
#include "sysdep/unix/io.h"

/* Run passes until *flag becomes nonzero or @limit elapses. */
static int run_until(volatile int *flag, btime limit)
{
  btime deadline = current_time() + limit;
  while (!*flag && current_time() < deadline)
    io_run_once(20 * MS_);
  return *flag;
}

/*
 *  Timers
 */

static int fired_order[8], fired_n;
static btime fired_at[8];

static void record_hook(timer *t)
{
  fired_at[fired_n] = current_time();
  fired_order[fired_n++] = (int) (intptr_t) t->data;
}

static void test_timer_order(void)
{
  timer t[3];
  btime delay[3] = { 30 * MS_, 10 * MS_, 20 * MS_ };
  fired_n = 0;
  times_update();
  btime start = current_time();
  for (int i = 0; i < 3; i++)
  {
    tm_init(&t[i], record_hook, (void *) (intptr_t) i);
    tm_start(&t[i], delay[i]);
    CHECK(tm_active(&t[i]));
  }
  CHECK(tm_remains(&t[0]) > 20 * MS_ && tm_remains(&t[0]) <= 30 * MS_);

  btime deadline = start + 2 * S_;
  while (fired_n < 3 && current_time() < deadline)
    io_run_once(100 * MS_);
  CHECK_INT(fired_n, 3);
  CHECK_INT(fired_order[0], 1);
  CHECK_INT(fired_order[1], 2);
  CHECK_INT(fired_order[2], 0);
  int expect[3] = { 1, 2, 0 };
  for (int i = 0; i < 3 && i < fired_n; i++)
  {
    btime el = fired_at[i] - start;
    CHECK(el >= delay[expect[i]]);
    CHECK(el < delay[expect[i]] + 500 * MS_);
  }
  for (int i = 0; i < 3; i++)
    CHECK(!tm_active(&t[i]));
}

static int rec_count;
static btime rec_at[8];

static void recurrent_hook(timer *t)
{
  rec_at[rec_count++] = current_time();
  if (rec_count == 3)
    tm_stop(t);                 /* stop itself from inside its hook */
}

static int sentinel_fired;
static void sentinel_hook(timer *t) { sentinel_fired = 1; }

static void test_timer_recurrent(void)
{
  timer r, s;
  tm_init(&r, recurrent_hook, NULL);
  r.recurrent = 10 * MS_;
  times_update();
  btime start = current_time();
  tm_start(&r, 10 * MS_);
  tm_init(&s, sentinel_hook, NULL);
  tm_start(&s, 80 * MS_);       /* well after a 4th firing would have come */
  run_until(&sentinel_fired, 2 * S_);
  CHECK(sentinel_fired);
  CHECK_INT(rec_count, 3);
  CHECK(!tm_active(&r));
  /* Never early: the i-th firing comes at or after start + (i+1) * 10 ms.
     A loaded machine may deliver one late and the next on time (phase is
     kept), so the gap between two firings has no lower bound to test. */
  for (int i = 0; i < rec_count; i++)
    CHECK(rec_at[i] - start >= (i + 1) * 10 * MS_);
  for (int i = 1; i < rec_count; i++)
    CHECK(rec_at[i] >= rec_at[i - 1]);
}

static timer mutual[2];
static int mutual_fired[2];

static void mutual_hook(timer *t)
{
  int me = (int) (intptr_t) t->data;
  mutual_fired[me]++;
  tm_stop(&mutual[!me]);        /* stop another timer due in this same pass */
}

static void test_timer_stop_other(void)
{
  times_update();
  btime when = current_time() + 5 * MS_;
  for (int i = 0; i < 2; i++)
  {
    tm_init(&mutual[i], mutual_hook, (void *) (intptr_t) i);
    tm_set(&mutual[i], when);
  }
  timer guard;
  tm_init(&guard, sentinel_hook, NULL);
  sentinel_fired = 0;
  tm_start(&guard, 40 * MS_);
  run_until(&sentinel_fired, 2 * S_);
  CHECK_INT(mutual_fired[0] + mutual_fired[1], 1);
  CHECK(!tm_active(&mutual[0]) && !tm_active(&mutual[1]));
}

/* Many timers against a sorted expectation: the heap keeps its order. */
static btime heap_last;
static int heap_bad, heap_seen;

static void heap_hook(timer *t)
{
  if (t->expires < heap_last)
    heap_bad++;
  heap_last = t->expires;
  heap_seen++;
}

static void test_timer_heap(void)
{
  enum { N = 200 };
  static timer t[N];
  times_update();
  btime base = current_time() - 1;     /* all due already */
  srand(7);
  for (int i = 0; i < N; i++)
  {
    tm_init(&t[i], heap_hook, NULL);
    tm_set(&t[i], base - (rand() % 100000));
  }
  for (int i = 0; i < N; i += 3)
    tm_stop(&t[i]);             /* removal from the middle of the heap */
  for (int i = 1; i < N; i += 3)
    tm_set(&t[i], base - (rand() % 100000));   /* re-key active timers */
  heap_last = INT64_MIN;
  io_run_once(0);
  CHECK_INT(heap_seen, N - (N + 2) / 3);
  CHECK_INT(heap_bad, 0);
}

/*
 *  Events
 */

static char ev_log[32];
static int ev_log_n;
static event evs[4];

static void ev_hook(void *data)
{
  int id = (int) (intptr_t) data;
  ev_log[ev_log_n++] = 'a' + id;
  if (id == 0)
  {
    ev_schedule(&evs[3]);       /* queued during the run: next pass */
    ev_schedule(&evs[0]);       /* itself too */
    ev_cancel(&evs[2]);         /* cancel one waiting in this run */
  }
}

static void test_events(void)
{
  for (int i = 0; i < 4; i++)
    ev_init(&evs[i], ev_hook, (void *) (intptr_t) i);
  ev_schedule(&evs[0]);
  ev_schedule(&evs[1]);
  ev_schedule(&evs[2]);
  ev_schedule(&evs[1]);         /* already queued: keeps its place */
  CHECK(ev_active(&evs[1]));
  io_run_once(0);
  ev_log[ev_log_n] = 0;
  CHECK_STR(ev_log, "ab");
  CHECK(!ev_active(&evs[2]));
  CHECK(ev_active(&evs[3]) && ev_active(&evs[0]));
  io_run_once(0);               /* must not block: events are pending */
  ev_log[ev_log_n] = 0;
  CHECK_STR(ev_log, "abda");
  ev_cancel(&evs[0]);           /* stop the self-rescheduling chain */
  ev_cancel(&evs[3]);
  CHECK_INT(io_run_once(0), 0);
}

/* A self-rescheduling event must not starve file descriptors. */
static int spin_runs, pipe_reads;

static void spin_hook(void *data)
{
  spin_runs++;
  ev_schedule(data);
}

static void pipe_read_hook(io_fd *f)
{
  char c;
  if (read(f->fd, &c, 1) == 1)
    pipe_reads++;
}

static void test_event_no_starvation(void)
{
  int p[2];
  CHECK(pipe2(p, O_NONBLOCK) == 0);
  io_fd f = { .read_hook = pipe_read_hook };
  CHECK(io_fd_add(&f, p[0]) == 0);
  event spin;
  ev_init(&spin, spin_hook, &spin);
  ev_schedule(&spin);
  CHECK(write(p[1], "x", 1) == 1);
  for (int i = 0; i < 3 && !pipe_reads; i++)
    io_run_once(100 * MS_);
  CHECK_INT(pipe_reads, 1);
  CHECK(spin_runs >= 1 && spin_runs <= 3);
  ev_cancel(&spin);
  io_fd_remove(&f);
  close(p[0]);
  close(p[1]);
}

/* Removing an fd whose readiness is pending in the same batch. */
static io_fd pair_fd[2];
static int pair_calls[2];

static void pair_read_hook(io_fd *f)
{
  int me = f == &pair_fd[1];
  pair_calls[me]++;
  io_fd_remove(&pair_fd[!me]);
  char c;
  if (read(f->fd, &c, 1) != 1)
    pair_calls[me] += 100;
}

static void test_fd_remove_in_batch(void)
{
  int p[2][2];
  for (int i = 0; i < 2; i++)
  {
    CHECK(pipe2(p[i], O_NONBLOCK) == 0);
    CHECK(write(p[i][1], "y", 1) == 1);
    pair_fd[i].read_hook = pair_read_hook;
    CHECK(io_fd_add(&pair_fd[i], p[i][0]) == 0);
  }
  io_run_once(100 * MS_);       /* both are ready, in one epoll batch */
  CHECK_INT(pair_calls[0] + pair_calls[1], 1);
  io_run_once(0);
  CHECK_INT(pair_calls[0] + pair_calls[1], 1);
  for (int i = 0; i < 2; i++)
  {
    io_fd_remove(&pair_fd[i]);
    close(p[i][0]);
    close(p[i][1]);
  }
}

/*
 *  Sockets
 */

#define BIG (1 << 20)

struct peer {
  sock sk;
  unsigned char *got;
  size_t got_len;
  int tx_drained, err, err_called, rx_calls;
};

/* Echo side: send back everything */
static int echo_rx(sock *s, size_t len)
{
  struct peer *p = s->data;
  p->rx_calls++;
  if (sk_send(s, s->rbuf, len) < 0)
    return 0;
  return (int) len;
}

/* Collecting side: consumes whole 512-byte records only, leaving the
 * remainder for the layer to keep and compact. */
static int collect_rx(sock *s, size_t len)
{
  struct peer *p = s->data;
  size_t take = len - len % 512;
  memcpy(p->got + p->got_len, s->rbuf, take);
  p->got_len += take;
  p->rx_calls++;
  return (int) take;
}

static void peer_tx(sock *s)
{
  ((struct peer *) s->data)->tx_drained++;
}

static void peer_err(sock *s, int err)
{
  struct peer *p = s->data;
  p->err = err;
  p->err_called++;
}

static void peer_setup(struct peer *p, int (*rx)(sock *, size_t))
{
  sk_init(&p->sk);
  p->sk.rx_hook = rx;
  p->sk.tx_hook = peer_tx;
  p->sk.err_hook = peer_err;
  p->sk.data = p;
}

static void test_unix_echo(void)
{
  int fds[2];
  CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds) == 0);
  static struct peer a, b;
  peer_setup(&a, collect_rx);
  peer_setup(&b, echo_rx);
  a.got = malloc(BIG);
  CHECK(sk_attach(&a.sk, fds[0], SK_UNIX) == 0);
  CHECK(sk_attach(&b.sk, fds[1], SK_UNIX) == 0);
  CHECK_INT(a.sk.family, AF_UNIX);

  unsigned char *payload = malloc(BIG);
  for (size_t i = 0; i < BIG; i++)
    payload[i] = (unsigned char) (i * 7 + (i >> 9));
  CHECK(sk_send(&a.sk, payload, BIG) == 0);
  CHECK(sk_tx_pending(&a.sk) > 0);      /* the kernel took only part of it */

  btime deadline = current_time() + 10 * S_;
  while (a.got_len < BIG && current_time() < deadline)
    io_run_once(100 * MS_);
  CHECK_INT(a.got_len, BIG);
  CHECK(!memcmp(a.got, payload, BIG));
  CHECK_INT(sk_tx_pending(&a.sk), 0);
  CHECK(a.tx_drained >= 1);
  CHECK(b.rx_calls > 1);
  CHECK_INT(a.err_called + b.err_called, 0);

  /* EOF: closing one end reports err 0 on the other */
  sk_close(&b.sk);
  run_until(&a.err_called, 2 * S_);
  CHECK_INT(a.err_called, 1);
  CHECK_INT(a.err, 0);
  sk_close(&a.sk);
  free(a.got);
  free(payload);
}

/* Backpressure: while paused nothing is read; bytes left in rbuf by a
 * pausing rx_hook are delivered again on resume without new input. */
static int pause_rx(sock *s, size_t len)
{
  struct peer *p = s->data;
  p->rx_calls++;
  memcpy(p->got + p->got_len, s->rbuf, 1);
  p->got_len++;
  sk_pause_rx(s, 1);            /* one byte per resume, like a CLI command */
  return 1;
}

static void test_pause(void)
{
  int fds[2];
  CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds) == 0);
  static struct peer a, b;
  unsigned char buf[8];
  peer_setup(&a, collect_rx);
  peer_setup(&b, pause_rx);
  b.got = buf;
  CHECK(sk_attach(&a.sk, fds[0], SK_UNIX) == 0);
  sk_pause_rx(&b.sk, 1);
  CHECK(sk_attach(&b.sk, fds[1], SK_UNIX) == 0);
  CHECK(sk_send(&a.sk, "xyz", 3) == 0);
  for (int i = 0; i < 5; i++)
    io_run_once(0);
  CHECK_INT(b.rx_calls, 0);     /* paused before attach: nothing read */

  sk_pause_rx(&b.sk, 0);
  run_until(&b.rx_calls, 2 * S_);
  CHECK_INT(b.rx_calls, 1);
  CHECK_INT(b.sk.rpos, 2);      /* "yz" kept */
  for (int i = 0; i < 3; i++)
    io_run_once(0);
  CHECK_INT(b.rx_calls, 1);     /* paused again by the hook */
  sk_pause_rx(&b.sk, 0);        /* no new bytes arrive: redelivery */
  io_run_once(0);
  CHECK_INT(b.rx_calls, 2);
  sk_pause_rx(&b.sk, 0);
  io_run_once(0);
  CHECK_INT(b.rx_calls, 3);
  CHECK_INT(b.got_len, 3);
  CHECK(!memcmp(buf, "xyz", 3));
  sk_close(&a.sk);
  sk_close(&b.sk);
}

/* A write error inside sk_send() is returned, and reported from the loop */
static void test_send_error(void)
{
  int fds[2];
  CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds) == 0);
  static struct peer a;
  peer_setup(&a, collect_rx);
  sk_pause_rx(&a.sk, 1);        /* so the EOF is not what we notice */
  CHECK(sk_attach(&a.sk, fds[0], SK_UNIX) == 0);
  close(fds[1]);
  CHECK(sk_send(&a.sk, "lost", 4) < 0);
  CHECK_INT(errno, EPIPE);
  CHECK_INT(a.err_called, 0);
  run_until(&a.err_called, 2 * S_);
  CHECK_INT(a.err_called, 1);
  CHECK_INT(a.err, EPIPE);
  CHECK(sk_send(&a.sk, "x", 1) < 0);
  io_run_once(0);
  CHECK_INT(a.err_called, 1);   /* reported once */
  sk_close(&a.sk);
}

/* An rx_hook that never consumes overflows a small buffer: ENOBUFS */
static int stubborn_rx(sock *s, size_t len) { return 0; }

static void test_rbuf_overflow(void)
{
  int fds[2];
  CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds) == 0);
  static struct peer b;
  static unsigned char small[64];
  peer_setup(&b, stubborn_rx);
  b.sk.rbuf = small;
  b.sk.rbsize = sizeof(small);
  CHECK(sk_attach(&b.sk, fds[1], SK_UNIX) == 0);
  char junk[100] = { 0 };
  CHECK(write(fds[0], junk, sizeof(junk)) == (ssize_t) sizeof(junk));
  run_until(&b.err_called, 2 * S_);
  CHECK_INT(b.err, ENOBUFS);
  CHECK(b.sk.rbuf == small);    /* caller's buffer is never freed */
  sk_close(&b.sk);
  CHECK(b.sk.rbuf == small);
  close(fds[0]);
}

/* A hook that closes and frees its own socket */
static int freeing_rx(sock *s, size_t len)
{
  struct peer *p = s->data;
  (*(int *) (void *) p->got)++;
  sk_close(s);
  free(p);
  return (int) len;
}

static void test_close_in_hook(void)
{
  int fds[2], calls = 0;
  CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds) == 0);
  struct peer *p = calloc(1, sizeof(*p));
  peer_setup(p, freeing_rx);
  p->got = (unsigned char *) &calls;
  CHECK(sk_attach(&p->sk, fds[1], SK_UNIX) == 0);
  CHECK(write(fds[0], "bye", 3) == 3);
  for (int i = 0; i < 5 && !calls; i++)
    io_run_once(100 * MS_);
  CHECK_INT(calls, 1);          /* ASan would flag any touch after free */
  char c;
  CHECK(read(fds[0], &c, 1) == 0);  /* the other end sees EOF */
  close(fds[0]);
}

/*
 *  TCP
 */

static struct peer srv, cli;
static int connected, accepted;

static void tcp_accept(sock *l, int fd)
{
  peer_setup(&srv, echo_rx);
  CHECK(sk_attach(&srv.sk, fd, SK_TCP) == 0);
  accepted++;
}

static void tcp_connected(sock *s)
{
  connected++;
}

static void test_tcp(void)
{
  sock lst;
  sk_init(&lst);
  lst.accept_hook = tcp_accept;
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
  CHECK(sk_listen_tcp(&lst, (struct sockaddr *) &a, sizeof(a), 0) == 0);
  CHECK_INT(lst.type, SK_TCP_PASSIVE);
  struct sockaddr_in *la = (struct sockaddr_in *) &lst.local;
  CHECK(la->sin_port != 0);     /* the ephemeral port is known */

  static unsigned char got[1024];
  peer_setup(&cli, collect_rx);
  cli.got = got;
  cli.sk.connected_hook = tcp_connected;
  CHECK(sk_connect_tcp(&cli.sk, (struct sockaddr *) la, sizeof(*la), NULL, 0) == 0);
  CHECK_INT(cli.sk.type, SK_TCP_ACTIVE);
  /* queued before the connection is up, written once it is */
  unsigned char msg[512];
  for (int i = 0; i < 512; i++)
    msg[i] = (unsigned char) i;
  CHECK(sk_send(&cli.sk, msg, 512) == 0);
  run_until(&connected, 5 * S_);
  CHECK_INT(connected, 1);
  CHECK_INT(cli.sk.type, SK_TCP);
  run_until(&accepted, 5 * S_);
  CHECK_INT(accepted, 1);

  btime deadline = current_time() + 5 * S_;
  while (cli.got_len < 512 && current_time() < deadline)
    io_run_once(100 * MS_);
  CHECK_INT(cli.got_len, 512);
  CHECK(!memcmp(got, msg, 512));

  /* Each side knows the other's address */
  struct sockaddr_in *cl = (struct sockaddr_in *) &cli.sk.local;
  struct sockaddr_in *sr = (struct sockaddr_in *) &srv.sk.remote;
  CHECK_INT(ntohs(cl->sin_port), ntohs(sr->sin_port));
  CHECK_INT(sr->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
  CHECK_INT(srv.sk.family, AF_INET);

  /* TTL and GTSM on a live socket */
  CHECK(sk_set_ttl(&cli.sk, 1) == 0);
  int ttl = 0;
  socklen_t tl = sizeof(ttl);
  CHECK(getsockopt(cli.sk.fd.fd, IPPROTO_IP, IP_TTL, &ttl, &tl) == 0);
  CHECK_INT(ttl, 1);
  CHECK_INT(cli.sk.ttl, 1);
  CHECK(sk_set_min_ttl(&srv.sk, 255) == 0);
  CHECK(getsockopt(srv.sk.fd.fd, IPPROTO_IP, IP_MINTTL, &ttl, &tl) == 0);
  CHECK_INT(ttl, 255);

  /* TCP MD5 key on the listener; kernels without it say ENOPROTOOPT */
  int r = sk_set_md5(&lst, (struct sockaddr *) &srv.sk.remote, "secret");
  CHECK(r == 0 || errno == ENOPROTOOPT);
  if (r == 0)
    CHECK(sk_set_md5(&lst, (struct sockaddr *) &srv.sk.remote, NULL) == 0);
  char longkey[100];
  memset(longkey, 'k', sizeof(longkey) - 1);
  longkey[99] = 0;
  CHECK(sk_set_md5(&lst, (struct sockaddr *) &srv.sk.remote, longkey) < 0);

  sk_close(&srv.sk);
  run_until(&cli.err_called, 5 * S_);
  CHECK_INT(cli.err_called, 1);
  CHECK_INT(cli.err, 0);
  CHECK(sk_send(&cli.sk, "x", 1) < 0);  /* dead socket */
  sk_close(&cli.sk);
  sk_close(&lst);
}

static void test_tcp_refused(void)
{
  /* A port that was bound once and is now closed: nobody listens there */
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
  socklen_t al = sizeof(a);
  CHECK(bind(fd, (struct sockaddr *) &a, sizeof(a)) == 0);
  CHECK(getsockname(fd, (struct sockaddr *) &a, &al) == 0);
  close(fd);

  static struct peer p;
  peer_setup(&p, collect_rx);
  p.sk.connected_hook = tcp_connected;
  connected = 0;
  CHECK(sk_connect_tcp(&p.sk, (struct sockaddr *) &a, sizeof(a), NULL, 0) == 0);
  CHECK_INT(p.err_called, 0);   /* never reported from inside the call */
  run_until(&p.err_called, 5 * S_);
  CHECK_INT(p.err_called, 1);
  CHECK_INT(p.err, ECONNREFUSED);
  CHECK_INT(connected, 0);
  sk_close(&p.sk);
}

/* RFC 2385 signatures on both ends: the connection comes up */
static void test_tcp_md5(void)
{
  sock lst;
  sk_init(&lst);
  lst.accept_hook = tcp_accept;
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
  CHECK(sk_listen_tcp(&lst, (struct sockaddr *) &a, sizeof(a), 0) == 0);
  if (sk_set_md5(&lst, (struct sockaddr *) &a, "s3cret") < 0)
  {
    CHECK_INT(errno, ENOPROTOOPT);
    printf("io_test: kernel without TCP MD5, MD5 test skipped\n");
    sk_close(&lst);
    return;
  }
  peer_setup(&cli, collect_rx);
  cli.sk.connected_hook = tcp_connected;
  connected = accepted = 0;
  /* the key must be in place before the SYN: socket first, then connect */
  CHECK(sk_socket_tcp(&cli.sk, AF_INET, NULL, 0) == 0);
  CHECK(sk_set_md5(&cli.sk, (struct sockaddr *) &lst.local, "s3cret") == 0);
  CHECK(sk_connect_tcp(&cli.sk, (struct sockaddr *) &lst.local, sizeof(a), NULL, 0) == 0);
  run_until(&connected, 5 * S_);
  run_until(&accepted, 5 * S_);
  CHECK_INT(connected, 1);
  CHECK_INT(accepted, 1);
  sk_close(&cli.sk);
  sk_close(&srv.sk);
  sk_close(&lst);
}

/* IP_FREEBIND lets a listener bind an address the host does not have */
static void test_tcp_freebind(void)
{
  struct sockaddr_in a = { .sin_family = AF_INET };
  inet_pton(AF_INET, "192.0.2.77", &a.sin_addr);       /* TEST-NET-1 */
  sock l;
  sk_init(&l);
  CHECK(sk_listen_tcp(&l, (struct sockaddr *) &a, sizeof(a), 0) < 0);
  CHECK_INT(errno, EADDRNOTAVAIL);
  sk_close(&l);
  sk_init(&l);
  CHECK(sk_listen_tcp(&l, (struct sockaddr *) &a, sizeof(a), SKF_FREEBIND) == 0);
  CHECK_INT(((struct sockaddr_in *) &l.local)->sin_addr.s_addr, a.sin_addr.s_addr);
  sk_close(&l);
  CHECK_INT(l.fd.fd, -1);
}

/* The same over IPv6 loopback, where the host has it */
static void test_tcp6(void)
{
  sock lst;
  sk_init(&lst);
  lst.accept_hook = tcp_accept;
  struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
  if (sk_listen_tcp(&lst, (struct sockaddr *) &a, sizeof(a), SKF_V6ONLY) < 0)
  {
    printf("io_test: no IPv6 loopback (%s), IPv6 test skipped\n", strerror(errno));
    return;
  }
  CHECK_INT(lst.family, AF_INET6);
  static unsigned char got[1024];
  peer_setup(&cli, collect_rx);
  cli.got = got;
  cli.got_len = 0;
  cli.sk.connected_hook = tcp_connected;
  connected = accepted = 0;
  CHECK(sk_connect_tcp(&cli.sk, (struct sockaddr *) &lst.local, sizeof(a), NULL, 0) == 0);
  run_until(&connected, 5 * S_);
  run_until(&accepted, 5 * S_);
  CHECK_INT(connected + accepted, 2);
  CHECK_INT(srv.sk.family, AF_INET6);
  CHECK(sk_set_ttl(&cli.sk, 255) == 0);
  int hops = 0;
  socklen_t hl = sizeof(hops);
  CHECK(getsockopt(cli.sk.fd.fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops, &hl) == 0);
  CHECK_INT(hops, 255);
  char buf[512];
  memset(buf, 'z', sizeof(buf));
  CHECK(sk_send(&cli.sk, buf, sizeof(buf)) == 0);
  btime deadline = current_time() + 5 * S_;
  while (cli.got_len < sizeof(buf) && current_time() < deadline)
    io_run_once(100 * MS_);
  CHECK_INT(cli.got_len, sizeof(buf));
  sk_close(&cli.sk);
  sk_close(&srv.sk);
  sk_close(&lst);
}

/*
 *  UNIX listener
 */

static int unix_accepted_fd = -1, unix_accepted;

static void unix_accept(sock *l, int fd)
{
  unix_accepted_fd = fd;
  unix_accepted++;
}

static void test_unix_listen(void)
{
  char dir[] = "/tmp/tern-io-test-XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char path[128];
  snprintf(path, sizeof(path), "%s/ctl", dir);

  /* A stale socket file from a previous run */
  int old = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un sun = { .sun_family = AF_UNIX };
  strcpy(sun.sun_path, path);
  CHECK(bind(old, (struct sockaddr *) &sun, sizeof(sun)) == 0);
  close(old);

  sock l;
  sk_init(&l);
  l.accept_hook = unix_accept;
  CHECK(sk_listen_unix(&l, path, 0660) == 0);
  CHECK_INT(l.type, SK_UNIX_PASSIVE);
  struct stat st;
  CHECK(stat(path, &st) == 0);
  CHECK_INT(st.st_mode & 0777, 0660);

  int c = socket(AF_UNIX, SOCK_STREAM, 0);
  CHECK(connect(c, (struct sockaddr *) &sun, sizeof(sun)) == 0);
  run_until(&unix_accepted, 2 * S_);
  CHECK_INT(unix_accepted, 1);
  CHECK(unix_accepted_fd >= 0);
  CHECK(fcntl(unix_accepted_fd, F_GETFL) & O_NONBLOCK);
  close(unix_accepted_fd);
  close(c);
  sk_close(&l);

  /* Anything but a socket at the path is left alone */
  unlink(path);
  int f = open(path, O_CREAT | O_WRONLY, 0600);
  close(f);
  sock l2;
  sk_init(&l2);
  CHECK(sk_listen_unix(&l2, path, 0) < 0);
  CHECK_INT(errno, EEXIST);
  CHECK(access(path, F_OK) == 0);
  sk_close(&l2);
  unlink(path);
  rmdir(dir);
}

/*
 *  Signals and wake-ups
 */

static volatile int sig_got;

static void sig_hook(int signo)
{
  sig_got = signo;
}

static void test_signal(void)
{
  CHECK(io_signal(SIGUSR1, sig_hook) == 0);
  CHECK(raise(SIGUSR1) == 0);   /* blocked, so it waits for the signalfd */
  run_until(&sig_got, 2 * S_);
  CHECK_INT(sig_got, SIGUSR1);
  sig_got = 0;
  CHECK(io_signal(SIGUSR2, sig_hook) == 0);     /* a second one shares the fd */
  CHECK(raise(SIGUSR2) == 0);
  run_until(&sig_got, 2 * S_);
  CHECK_INT(sig_got, SIGUSR2);
}

static volatile int wake_calls;
static pthread_t wake_thread_id, main_thread_id;
static int wake_in_main;

static void wake_hook(void *data)
{
  wake_calls++;
  wake_in_main = pthread_equal(pthread_self(), main_thread_id);
  CHECK_INT(*(int *) data, 42);
}

static void *wake_thread(void *arg)
{
  io_wakeup_signal(arg);
  return NULL;
}

static void test_wakeup(void)
{
  static io_wakeup w;
  static int cookie = 42;
  main_thread_id = pthread_self();
  CHECK(io_wakeup_init(&w, wake_hook, &cookie) == 0);
  CHECK(pthread_create(&wake_thread_id, NULL, wake_thread, &w) == 0);
  run_until(&wake_calls, 5 * S_);
  pthread_join(wake_thread_id, NULL);
  CHECK_INT(wake_calls, 1);
  CHECK(wake_in_main);
  io_wakeup_close(&w);
}

/*
 *  Loop control and pass hooks
 */

static int pass_count;
static void pass_hook(void) { pass_count++; }
static void stop_hook(timer *t) { io_stop_loop(); }

static void test_loop(void)
{
  io_add_pass_hook(pass_hook);
  timer t;
  tm_init(&t, stop_hook, NULL);
  tm_start(&t, 5 * MS_);
  io_loop();                    /* returns once the timer stops it */
  CHECK(!tm_active(&t));
  CHECK(pass_count >= 1);
  int before = pass_count;
  io_run_once(0);
  CHECK_INT(pass_count, before + 1);
}

int main(void)
{
  io_init();
  test_timer_order();
  test_timer_recurrent();
  test_timer_stop_other();
  test_timer_heap();
  test_events();
  test_event_no_starvation();
  test_fd_remove_in_batch();
  test_unix_echo();
  test_pause();
  test_send_error();
  test_rbuf_overflow();
  test_close_in_hook();
  test_tcp();
  test_tcp_refused();
  test_tcp_md5();
  test_tcp_freebind();
  test_tcp6();
  test_unix_listen();
  test_signal();
  test_wakeup();
  test_loop();
  return unit_done("io_test");
}
