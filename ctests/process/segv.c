/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * segv.c MODE -- a segmentation fault in application code that the library
 * called (a read callback) ends the process as it would without the
 * library (README "Inside your process", "Crashes").
 *
 *   none    the application has no SIGSEGV handler
 *   before  it installs one before the library's engine starts
 *   after   it installs one after the engine started
 *
 * The application's handler says so on stderr, restores SIG_DFL and
 * returns, so that the fault repeats and kills the process (a common
 * pattern: log, then die of the signal). The test runs the scenario in a
 * child (forked before any call into the library) with core dumps enabled
 * and checks: killed by SIGSEGV; a core dump where the system makes them
 * (RLIMIT_CORE and core_pattern allow it); the handler called exactly when
 * there is one; no Go runtime output.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "link.h"

static void app_segv(int sig, siginfo_t *si, void *uc) {
  char msg[128];
  int n = snprintf(msg, sizeof(msg), "APP SIGSEGV HANDLER sig=%d addr=%p\n", sig,
                   si->si_addr);
  (void)uc;
  if (write(2, msg, (size_t)n) < 0)
    n = 0;
  signal(sig, SIG_DFL);
}

static void install(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_sigaction = app_segv;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGSEGV, &sa, NULL);
}

static int crash_read(dtls_context_t *ctx, session_t *s, uint8 *buf, size_t len) {
  (void)ctx;
  (void)s;
  (void)buf;
  (void)len;
  *(volatile int *)(uintptr_t)24 = 1; /* a bug in the application */
  return 0;
}

static void scenario(const char *mode) {
  link_t l;
  if (!strcmp(mode, "before"))
    install();
  dtls_init();
  dtls_set_log_level(DTLS_LOG_CRIT);
  dtls_free_context(dtls_new_context(NULL)); /* the engine runs from here on */
  if (!strcmp(mode, "after"))
    install();
  if (!link_up(&l, 5000)) {
    fprintf(stderr, "no handshake\n");
    _exit(3);
  }
  link_handler.read = crash_read;
  dtls_write(l.ctx[0], &l.addr[1], (uint8 *)LINK_RECORD, 16);
  link_pump(&l);
  fprintf(stderr, "NOT REACHED: the fault did not end the process\n");
  _exit(4);
}

static int core_dumps_possible(char *why, size_t n) {
  struct rlimit rl;
  char pat[256] = "";
  FILE *f = fopen("/proc/sys/kernel/core_pattern", "r");
  if (f) {
    if (!fgets(pat, sizeof(pat), f))
      pat[0] = '\0';
    fclose(f);
  }
  pat[strcspn(pat, "\n")] = '\0';
  getrlimit(RLIMIT_CORE, &rl);
  if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < 1024 * 1024) {
    snprintf(why, n, "RLIMIT_CORE hard limit %lu", (unsigned long)rl.rlim_max);
    return 0;
  }
  if (!pat[0] || pat[0] == '|') {
    snprintf(why, n, "core_pattern '%s'", pat);
    return 0;
  }
  rl.rlim_cur = rl.rlim_max;
  setrlimit(RLIMIT_CORE, &rl);
  snprintf(why, n, "core_pattern '%s'", pat);
  return 1;
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "";
  char why[300], out[8192];
  int fds[2], st, failures = 0, cores, go_output, handler;
  size_t got = 0;
  ssize_t r;
  pid_t pid;

  if (strcmp(mode, "none") && strcmp(mode, "before") && strcmp(mode, "after")) {
    fprintf(stderr, "usage: segv none|before|after\n");
    return 2;
  }
  cores = core_dumps_possible(why, sizeof(why));
  if (pipe(fds) < 0)
    return 2;
  pid = fork();
  if (pid == 0) {
    close(fds[0]);
    dup2(fds[1], 2);
    scenario(mode);
  }
  close(fds[1]);
  while (got < sizeof(out) - 1 && (r = read(fds[0], out + got, sizeof(out) - 1 - got)) > 0)
    got += (size_t)r;
  out[got] = '\0';
  waitpid(pid, &st, 0);
  handler = strstr(out, "APP SIGSEGV HANDLER") != NULL;
  go_output = strstr(out, "goroutine ") || strstr(out, "signal arrived during cgo") ||
              strstr(out, "SIGSEGV: segmentation violation") || strstr(out, "runtime.");

#define CHECK(ok, ...)                                                      \
  do {                                                                      \
    printf("%s ", (ok) ? "ok  " : "FAIL");                                  \
    printf(__VA_ARGS__);                                                    \
    printf("\n");                                                           \
    if (!(ok))                                                              \
      failures++;                                                           \
  } while (0)
  CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV,
        "%s: the process was killed by SIGSEGV (%s %d)", mode,
        WIFSIGNALED(st) ? "signal" : "exit status",
        WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
  if (cores)
    CHECK(WIFSIGNALED(st) && WCOREDUMP(st), "%s: with a core dump (%s)", mode, why);
  else
    printf("     %s: core dumps are off on this system (%s): not checked\n", mode, why);
  if (!strcmp(mode, "none"))
    CHECK(!handler, "%s: no application handler, none called", mode);
  else
    CHECK(handler, "%s: the application's SIGSEGV handler was called", mode);
  CHECK(!go_output, "%s: no Go runtime output", mode);
  if (failures) {
    printf("     the child's stderr:\n%s", out);
  }
  return failures;
}
