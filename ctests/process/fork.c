/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fork.c MODE -- a process that forks, and the library in parent and child
 * (README "Inside your process", "fork"). Prints one "ok"/"FAIL" line per
 * check; the exit status is the number of failed checks (0: all passed).
 *
 *   pre      fork at the top of main, before any call into the library;
 *            parent and child each run handshakes and records.
 *   daemon   daemon(0, 0) (chdir to /, standard streams to /dev/null)
 *            before any call; the daemon runs handshakes and reports
 *            through a pipe.
 *   prefork  the parent initialises (dtls_init, log settings) and forks
 *            three workers; each creates its own contexts.
 *   post     the parent has used the library (handshakes, a live context)
 *            when it forks: in the child, every call into the engine
 *            returns its error value at once, one DTLS_LOG_CRIT line says
 *            why, the plain C functions keep working, and the child exits
 *            normally; the parent carries on.
 *
 * A child that hangs is killed after 20 s and counts as a failure.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dtls_prng.h"
#include "link.h"

static int failures;

static void check(int ok, const char *what) {
  printf("%s %s (pid %d)\n", ok ? "ok  " : "FAIL", what, (int)getpid());
  fflush(stdout);
  if (!ok)
    failures++;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int threads(void) {
  int n = 0;
  DIR *d = opendir("/proc/self/task");
  struct dirent *e;
  if (!d)
    return -1;
  while ((e = readdir(d)))
    if (e->d_name[0] != '.')
      n++;
  closedir(d);
  return n;
}

/* Handshakes and records between fresh contexts; 1 if all worked. */
static int work(unsigned port, int rounds) {
  int i;
  for (i = 0; i < rounds; i++)
    if (!link_round(port, 20))
      return 0;
  return 1;
}

/* Waits for a child for at most secs; its exit status, or -1 (killed by a
 * signal) or -2 (hung: killed here). */
static int wait_child(pid_t pid, double secs) {
  double end = now() + secs;
  int st;
  while (now() < end) {
    pid_t r = waitpid(pid, &st, WNOHANG);
    if (r == pid) {
      if (WIFEXITED(st))
        return WEXITSTATUS(st);
      printf("     child %d killed by signal %d\n", (int)pid, WTERMSIG(st));
      return -1;
    }
    usleep(10000);
  }
  printf("     child %d still running after %.0f s: killed\n", (int)pid, secs);
  kill(pid, SIGKILL);
  waitpid(pid, &st, 0);
  return -2;
}

static int mode_pre(void) {
  pid_t pid;
  int rc;
  check(threads() == 1, "no thread but main's before the first call");
  pid = fork();
  if (pid == 0) {
    dtls_init();
    check(work(41000, 5), "child forked before any call: 5 handshakes, 100 records");
    _exit(failures);
  }
  dtls_init();
  check(work(42000, 5), "parent after the fork: 5 handshakes, 100 records");
  rc = wait_child(pid, 20);
  check(rc == 0, "the child worked and exited normally");
  return failures;
}

static int mode_daemon(void) {
  int fds[2];
  pid_t pid;
  char buf[256];
  size_t got = 0;
  double end;
  if (pipe(fds) < 0)
    return 1;
  pid = fork();
  if (pid == 0) {
    int ok;
    close(fds[0]);
    if (daemon(0, 0) < 0)
      _exit(9);
    /* the daemon: another process, cwd /, stdin/out/err on /dev/null */
    dtls_init();
    dtls_set_log_level(DTLS_LOG_CRIT);
    ok = work(43000, 5);
    if (write(fds[1], ok ? "daemon OK\n" : "daemon FAILED\n", ok ? 10 : 14) < 0)
      _exit(8);
    _exit(ok ? 0 : 1);
  }
  close(fds[1]);
  wait_child(pid, 20); /* the intermediate process exits in daemon() */
  end = now() + 20;
  while (now() < end && got < sizeof(buf) - 1) {
    fd_set r;
    struct timeval tv = {0, 200000};
    ssize_t n;
    FD_ZERO(&r);
    FD_SET(fds[0], &r);
    if (select(fds[0] + 1, &r, NULL, NULL, &tv) <= 0)
      continue;
    n = read(fds[0], buf + got, sizeof(buf) - 1 - got);
    if (n <= 0)
      break;
    got += (size_t)n;
  }
  buf[got] = '\0';
  check(strstr(buf, "daemon OK") != NULL,
        "daemon(0, 0) before any call: the daemon ran 5 handshakes");
  return failures;
}

static int mode_prefork(void) {
  pid_t pid[3];
  int i;
  dtls_init(); /* the parent only initialises */
  dtls_set_log_level(DTLS_LOG_WARN);
  for (i = 0; i < 3; i++) {
    pid[i] = fork();
    if (pid[i] == 0) {
      check(work(44000 + 100 * (unsigned)i, 5),
            "worker forked after dtls_init: its own contexts, 5 handshakes");
      _exit(failures);
    }
  }
  for (i = 0; i < 3; i++)
    check(wait_child(pid[i], 20) == 0, "worker exited normally");
  return failures;
}

/* The child's log: the critical lines about the fork. */
static int crit_lines, fork_lines;
static char last_crit[256];
static void child_log(log_t level, const char *msg) {
  if (level <= DTLS_LOG_CRIT) {
    crit_lines++;
    if (strstr(msg, "forked"))
      fork_lines++;
    snprintf(last_crit, sizeof(last_crit), "%s", msg);
  }
}

static int mode_post(void) {
  link_t live;
  pid_t pid;
  dtls_init();
  dtls_set_log_level(DTLS_LOG_WARN);
  check(work(45000, 3), "parent: 3 handshakes before the fork");
  check(link_up(&live, 45500), "parent: a live association across the fork");
  pid = fork();
  if (pid == 0) {
    double t0 = now(), t1;
    dtls_tick_t a, b;
    clock_time_t next = 123;
    session_t s;
    dtls_sha256_ctx sha;
    unsigned char rnd[16];
    link_t fresh;
    dtls_set_log_handler(child_log);
    /* every call that needs the engine returns its error value */
    check(dtls_new_context(NULL) == NULL, "child: dtls_new_context returns NULL");
    check(dtls_write(live.ctx[0], &live.addr[1], (uint8 *)LINK_RECORD, 16) == -1,
          "child: dtls_write on the parent's context returns -1");
    check(dtls_handle_message(live.ctx[1], &live.addr[0], (uint8 *)"x", 1) == -1,
          "child: dtls_handle_message returns -1");
    dtls_check_retransmit(live.ctx[0], &next);
    check(next == 0, "child: dtls_check_retransmit sets next to 0");
    check(dtls_get_peer(live.ctx[1], &live.addr[0]) == NULL,
          "child: dtls_get_peer returns NULL");
    check(dtls_handshake_new() == NULL, "child: dtls_handshake_new returns NULL");
    dtls_sha256_init(&sha);
    dtls_free_context(live.ctx[0]);
    check(!link_up(&fresh, 45600), "child: no handshake");
    t1 = now();
    check(t1 - t0 < 1.0, "child: all of that returned at once");
    check(fork_lines == 1 && crit_lines == 1,
          "child: exactly one DTLS_LOG_CRIT line, saying why");
    printf("     the line: %s", last_crit);
    check(strstr(last_crit, "fork before first use") != NULL,
          "child: and what to do");
    /* the plain C part of the API still works */
    dtls_ticks(&a);
    usleep(20000);
    dtls_ticks(&b);
    check(b >= a + 15 && b <= a + 1000, "child: dtls_ticks runs");
    dtls_session_init(&s);
    check(s.size == sizeof(s.addr), "child: dtls_session_init works");
    check(dtls_prng(rnd, sizeof(rnd)) == (int)sizeof(rnd), "child: dtls_prng works");
    fflush(stdout);
    exit(failures); /* a normal exit: atexit handlers, stdio flush */
  }
  check(wait_child(pid, 20) == 0, "the child forked after use exited normally, all checks passed");
  check(dtls_write(live.ctx[0], &live.addr[1], (uint8 *)LINK_RECORD, 16) == 16,
        "parent: the live association still works after the fork");
  link_pump(&live);
  check(live.bytes == 16 && !live.badbytes, "parent: and the record arrived");
  link_down(&live);
  check(work(45700, 3), "parent: 3 more handshakes after the fork");
  return failures;
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "";
  int rc = 2;
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (!strcmp(mode, "pre"))
    rc = mode_pre();
  else if (!strcmp(mode, "daemon"))
    rc = mode_daemon();
  else if (!strcmp(mode, "prefork"))
    rc = mode_prefork();
  else if (!strcmp(mode, "post"))
    rc = mode_post();
  else
    fprintf(stderr, "usage: fork pre|daemon|prefork|post\n");
  printf("fork %s: %s\n", mode, rc ? "FAILED" : "all passed");
  return rc;
}
