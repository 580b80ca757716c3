/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * signals.c KB WHEN TARGET SECONDS -- application signal handlers and the
 * library (README "Inside your process", "Signals").
 *
 * A SIGUSR1 handler installed WITHOUT SA_ONSTACK uses KB kilobytes of
 * stack (it fills them with a pattern and reads it back, and keeps errno);
 * WHEN is "before" or "after" the library's engine starts (the first
 * dtls_new_context). A sender thread signals every 20 us, either the thread
 * that runs handshakes and records (TARGET "thread", pthread_kill) or the
 * process (TARGET "process", kill: any thread may take it). The worker
 * checks every handshake and every record for SECONDS.
 *
 * Exit status 0: every handshake and record worked, the handler never saw
 * its own stack corrupted, and it ran at least a few hundred times.
 * Anything the signals break shows up as a failed round, a crash, or a Go
 * runtime error ("fatal error", "unexpected signal", heap corruption).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "link.h"

static int kb;
static volatile long handled, corrupt;
static volatile int stop;
static int to_process;
static pthread_t worker_thread;

/* Uses n KiB of stack below the handler's frame and checks it. */
static __attribute__((noinline)) void use_stack(int n) {
  volatile unsigned char buf[192 * 1024 + 64];
  int i, size = n * 1024;
  if (size > (int)sizeof(buf))
    size = (int)sizeof(buf);
  for (i = 0; i < size; i += 8)
    buf[sizeof(buf) - 1 - (size_t)i] = (unsigned char)(i >> 3);
  for (i = 0; i < size; i += 8)
    if (buf[sizeof(buf) - 1 - (size_t)i] != (unsigned char)(i >> 3))
      corrupt++;
}

static void handler(int sig) {
  int saved = errno;
  (void)sig;
  use_stack(kb);
  handled++;
  errno = saved;
}

static void install(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = handler;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART; /* no SA_ONSTACK: the interrupted stack */
  sigaction(SIGUSR1, &sa, NULL);
}

static void *sender(void *arg) {
  struct timespec ts = {0, 20000};
  long n = 0;
  (void)arg;
  while (!stop) {
    if (to_process)
      kill(getpid(), SIGUSR1);
    else
      pthread_kill(worker_thread, SIGUSR1);
    n++;
    nanosleep(&ts, NULL);
  }
  return (void *)n;
}

static double secs;
static long rounds, failed;

static void *worker(void *arg) {
  struct timespec t0, t1;
  (void)arg;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  do {
    if (!link_round(20000, 20))
      failed++;
    rounds++;
    clock_gettime(CLOCK_MONOTONIC, &t1);
  } while ((double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9 < secs);
  return NULL;
}

int main(int argc, char **argv) {
  pthread_t s;
  void *sent;
  int before;
  if (argc != 5) {
    fprintf(stderr, "usage: signals KB before|after thread|process SECONDS\n");
    return 2;
  }
  kb = atoi(argv[1]);
  before = !strcmp(argv[2], "before");
  to_process = !strcmp(argv[3], "process");
  secs = atof(argv[4]);
  dtls_set_log_level(DTLS_LOG_CRIT);
  if (before)
    install();
  dtls_init();
  dtls_free_context(dtls_new_context(NULL)); /* the engine runs from here on */
  if (!before)
    install();
  pthread_create(&worker_thread, NULL, worker, NULL);
  pthread_create(&s, NULL, sender, NULL);
  pthread_join(worker_thread, NULL);
  stop = 1;
  pthread_join(s, &sent);
  printf("signals %d KB %s %s: %ld rounds (handshake + 20 records), %ld failed; "
         "%ld signals sent, %ld handled, %ld corrupt stack words\n",
         kb, argv[2], argv[3], rounds, failed, (long)sent, handled, corrupt);
  return failed || corrupt || handled < 100 || rounds < 1 ? 1 : 0;
}
