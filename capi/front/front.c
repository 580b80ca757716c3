/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libtinydtls.so, the C front: the library applications link against. It
 * exports the C API of the installed headers and nothing else
 * (libtinydtls.map), and it is small and plain C:
 *
 *  - the functions that carry no protocol logic are C here and never start
 *    the Go runtime: dtls_init, the clock, the PRNG, logging, session_t
 *    helpers, peers, netq (../log.c and ../objects.c, compiled with
 *    TDTLS_FRONT, and this file);
 *  - every other function (../forward.def) is a stub that calls the Go
 *    engine through its function table. The engine, and with it the Go
 *    runtime, is loaded on the first such call: libtinydtls-engine.so from
 *    this library's own directory (dlopen), or, in libtinydtls.a (built
 *    with TDTLS_FRONT_STATIC), the engine object linked in beside this one,
 *    whose runtime start was taken out of the ELF constructors so that it
 *    can be started here.
 *
 * Why: a Go runtime started from an ELF constructor exists, threads and
 * all, before main(), so that a fork() anywhere in the program, even before
 * the first DTLS call, gives a child that hangs in its first call. Started
 * on first use, the runtime exists only in processes that use DTLS, and the
 * front can deal with the rest:
 *
 *  - fork: a child forked after the engine started cannot use it (the Go
 *    runtime's threads do not survive fork, and it has no way to restart).
 *    pthread_atfork marks such a child; there every forwarded call returns
 *    its error value at once, with one DTLS_LOG_CRIT line for the process.
 *    A process forked before the first forwarded call (daemon(3), pre-fork
 *    servers whose workers create their own contexts) is unaffected.
 *  - signals: the runtime is started with the application's asynchronous
 *    signals blocked, so that the threads it creates inherit that mask and
 *    never run an application handler; afterwards the SA_ONSTACK flag the
 *    runtime added to handlers that existed before is taken off again, so
 *    that they keep running on the interrupted thread's stack, which the
 *    engine keeps large enough (../stackroom); each thread's first call
 *    into the engine, which grows that stack, runs with the thread's
 *    signals blocked. See README "Inside your process".
 *  - faults: where the application has no SIGSEGV, SIGBUS or SIGFPE
 *    handler, one that restores the default action is installed before the
 *    runtime starts, so that a fault in application code called from the
 *    library kills the process with that signal (and a core dump) as in a
 *    C program, instead of a Go traceback.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "../capi.h"
#include "../engine_ops.h"

#ifndef TDTLS_ENGINE_FILE
#define TDTLS_ENGINE_FILE "libtinydtls-engine.so"
#endif

/* Non-NULL: the engine is loaded and usable in this process. */
static const struct tdtls_engine_ops *engine;

/* The rest is guarded by load_mu. */
static pthread_mutex_t load_mu = PTHREAD_MUTEX_INITIALIZER;
static int started; /* the engine (and the Go runtime) was started */
static int forked;  /* a child forked after that: the engine is gone */
static int failed;  /* loading failed (logged once) */
static int warned;  /* the fork refusal was logged */

/* This thread has made its first call into the engine (see
 * thread_enter in engine_ops.h): only then may the fast path skip
 * engine_slow(). */
static __thread int thread_ready;

/* CLOCK_MONOTONIC when the front was loaded: the origin of dtls_ticks()
 * (and, once it is loaded, of the engine's clock). */
static long long clock_base_ns;

static pthread_once_t front_once = PTHREAD_ONCE_INIT;

static long long mono_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void atfork_prepare(void) { pthread_mutex_lock(&load_mu); }

static void atfork_parent(void) { pthread_mutex_unlock(&load_mu); }

static void atfork_child(void) {
  pthread_mutex_init(&load_mu, NULL);
  if (started) {
    forked = 1;
    __atomic_store_n(&engine, NULL, __ATOMIC_RELEASE);
  }
}

#ifdef TDTLS_FRONT_STATIC
/*
 * libtinydtls.a: the engine's Go runtime would start from an ELF
 * constructor (_rt0_<arch>_linux_lib); the build took that entry out of the
 * archive's .init_array, and the front calls it on first use with the
 * arguments glibc passes to constructors (the runtime reads the original
 * argv, the environment and the auxiliary vector behind it).
 */
#ifndef TDTLS_RT0
#if defined(__x86_64__)
#define TDTLS_RT0 _rt0_amd64_linux_lib
#elif defined(__aarch64__)
#define TDTLS_RT0 _rt0_arm64_linux_lib
#else
#error "set TDTLS_RT0 to the Go runtime's library entry point for this architecture"
#endif
#endif
void TDTLS_RT0(int argc, char **argv, char **envp);

static int saved_argc;
static char **saved_argv, **saved_envp;
#else
/* libtinydtls.so: the engine's file, in the front's own directory. */
static char engine_path[PATH_MAX];
#endif

static void front_setup(void) {
  clock_base_ns = mono_ns();
  pthread_atfork(atfork_prepare, atfork_parent, atfork_child);
#ifndef TDTLS_FRONT_STATIC
  {
    /* Resolved now, before the application can chdir() (daemon(3) does)
     * and make a relative library path wrong. */
    Dl_info info;
    const char *slash;
    char dir[PATH_MAX];
    if (dladdr((void *)&front_setup, &info) && info.dli_fname &&
        (slash = strrchr(info.dli_fname, '/')) != NULL &&
        (size_t)(slash - info.dli_fname) < sizeof(dir)) {
      memcpy(dir, info.dli_fname, (size_t)(slash - info.dli_fname));
      dir[slash - info.dli_fname] = '\0';
      if (dir[0] != '/') {
        char abs[PATH_MAX];
        if (realpath(dir[0] ? dir : "/", abs))
          snprintf(dir, sizeof(dir), "%s", abs);
      }
      if (snprintf(engine_path, sizeof(engine_path), "%s/%s", dir,
                   TDTLS_ENGINE_FILE) >= (int)sizeof(engine_path))
        engine_path[0] = '\0';
    }
    if (!engine_path[0]) /* let the dynamic loader search for it */
      snprintf(engine_path, sizeof(engine_path), "%s", TDTLS_ENGINE_FILE);
  }
#endif
}

#ifdef TDTLS_FRONT_STATIC
__attribute__((constructor)) static void front_init(int argc, char **argv,
                                                    char **envp) {
  saved_argc = argc;
  saved_argv = argv;
  saved_envp = envp;
  pthread_once(&front_once, front_setup);
}
#else
__attribute__((constructor)) static void front_init(void) {
  pthread_once(&front_once, front_setup);
}
#endif

/* ---- signals ------------------------------------------------------------ */

/* Every signal the runtime's threads must not take for the application:
 * all but the synchronous ones (a fault belongs to the thread that caused
 * it). */
static void async_signals(sigset_t *set) {
  sigfillset(set);
  sigdelset(set, SIGSEGV);
  sigdelset(set, SIGBUS);
  sigdelset(set, SIGFPE);
  sigdelset(set, SIGILL);
  sigdelset(set, SIGTRAP);
  sigdelset(set, SIGSYS);
  sigdelset(set, SIGABRT);
}

/*
 * The Go runtime catches SIGSEGV, SIGBUS and SIGFPE. For a fault outside Go
 * code (in an application callback) it calls the handler that was installed
 * before it started, and only if there was none it prints a Go traceback
 * and exits. So where the application has none, this one goes first: it
 * restores the default action and returns; the faulting instruction runs
 * again and the process dies of the signal as a C program would (exit
 * status 128+signal, a core dump where enabled). A fault in the engine's
 * Go code stays a Go panic, which the export that ran it turns into a
 * DTLS_LOG_CRIT line and its error value.
 */
static void fault_default(int sig, siginfo_t *si, void *uc) {
  (void)si;
  (void)uc;
  signal(sig, SIG_DFL);
}

static void install_fault_default(const struct sigaction *before) {
  static const int sigs[] = {SIGSEGV, SIGBUS, SIGFPE};
  unsigned i;
  for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
    struct sigaction sa;
    if (before[sigs[i]].sa_handler != SIG_DFL)
      continue; /* the application's own (or SIG_IGN): the runtime forwards */
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = fault_default;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(sigs[i], &sa, NULL);
  }
}

/* ---- loading the engine ------------------------------------------------- */

#ifdef TDTLS_FRONT_STATIC
static const struct tdtls_engine_ops *open_engine(char *why, size_t n) {
  if (!saved_argv) {
    snprintf(why, n, "the Go runtime cannot start: libtinydtls.a's "
                     "constructor did not run before this call");
    return NULL;
  }
  TDTLS_RT0(saved_argc, saved_argv, saved_envp);
  return tdtls_engine_ops();
}
#else
static const struct tdtls_engine_ops *open_engine(char *why, size_t n) {
  const struct tdtls_engine_ops *(*get)(void);
  void *h = dlopen(engine_path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
  if (!h) {
    snprintf(why, n, "cannot load the DTLS engine: %.600s", dlerror());
    return NULL;
  }
  *(void **)&get = dlsym(h, "tdtls_engine_ops");
  if (!get) {
    snprintf(why, n, "%.600s is not a libtinydtls engine", engine_path);
    return NULL;
  }
  return get();
}
#endif

/* Loads and starts the engine with the application's asynchronous signals
 * blocked, then puts back what the runtime changed in the application's
 * signal handlers. Called with load_mu held. */
static const struct tdtls_engine_ops *load_engine(char *why, size_t n) {
  static struct sigaction before[NSIG]; /* under load_mu; 10 KB off the stack */
  sigset_t block, old;
  const struct tdtls_engine_ops *e;
  int i;

  for (i = 1; i < NSIG; i++)
    if (sigaction(i, NULL, &before[i]) < 0)
      before[i].sa_handler = SIG_ERR;
  async_signals(&block);
  pthread_sigmask(SIG_BLOCK, &block, &old);
  install_fault_default(before);
  e = open_engine(why, n);
  if (e && (e->abi != TDTLS_ENGINE_ABI || e->size != sizeof(*e))) {
    snprintf(why, n, "the DTLS engine (%s) does not belong to this "
                     "libtinydtls (interface %u, expected %u)",
             TDTLS_ENGINE_FILE, e->abi, (unsigned)TDTLS_ENGINE_ABI);
    e = NULL;
  }
  if (e) {
    /* the first call into Go, from this thread: also its thread_enter */
    e->init(clock_base_ns, tdtls_log_level, tdtls_current_log_handler());
    thread_ready = 1;
  }
  pthread_sigmask(SIG_SETMASK, &old, NULL);

  /* The runtime added SA_ONSTACK to every handler it found; that would run
   * them on its 32 KiB signal stack, which stays installed on every thread
   * that ever called in. Handlers the application installed itself keep
   * exactly the flags it gave them. */
  for (i = 1; i < NSIG; i++) {
    struct sigaction now;
    if (before[i].sa_handler == SIG_ERR || before[i].sa_handler == SIG_DFL ||
        before[i].sa_handler == SIG_IGN || sigaction(i, NULL, &now) < 0)
      continue;
    if (now.sa_handler == before[i].sa_handler &&
        now.sa_flags != before[i].sa_flags)
      sigaction(i, &before[i], NULL);
  }
  return e;
}

/* At most 111 characters with the longest function name: it fits the
 * 128-byte line buffers of upstream-style log handlers. */
#define REFUSED_LINE                                                        \
  "%s refused: process forked after libtinydtls started; "                 \
  "fork before first use, or exec\n"

__attribute__((noinline, cold)) static const struct tdtls_engine_ops *
engine_slow(const char *fn) {
  const struct tdtls_engine_ops *e;
  char why[768], line[1024];
  int log_refusal = 0;

  pthread_once(&front_once, front_setup);
  why[0] = '\0';
  pthread_mutex_lock(&load_mu);
  e = engine;
  if (forked) {
    log_refusal = !warned;
    warned = 1;
  } else if (!e && !failed) {
    started = 1;
    e = load_engine(why, sizeof(why));
    if (e)
      __atomic_store_n(&engine, e, __ATOMIC_RELEASE);
    else
      failed = 1;
  }
  pthread_mutex_unlock(&load_mu);
  if (e && !thread_ready) {
    /* This thread's first call: the goroutine stack its calls will run on
     * starts small, and an application signal handler landing on it
     * before the engine's first export has grown it would overrun it. */
    sigset_t block, old;
    async_signals(&block);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    e->thread_enter();
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    thread_ready = 1;
  }
  /* Logged without the lock: a log handler may call the library. */
  if (log_refusal) {
    snprintf(line, sizeof(line), REFUSED_LINE, fn);
    tdtls_log_line(DTLS_LOG_CRIT, line);
  } else if (why[0]) {
    snprintf(line, sizeof(line), "%.64s refused: %s\n", fn, why);
    tdtls_log_line(DTLS_LOG_CRIT, line);
  }
  return e;
}

/* The engine, or NULL when the call cannot be served (logged). */
static inline const struct tdtls_engine_ops *engine_for(const char *fn) {
  const struct tdtls_engine_ops *e =
      __atomic_load_n(&engine, __ATOMIC_ACQUIRE);
  if (__builtin_expect(e != NULL && thread_ready, 1))
    return e;
  return engine_slow(fn);
}

/* Under load_mu, so that a change made while another thread loads the
 * engine is not lost (the load passes the settings of its moment). Never
 * called with load_mu held: the front logs only after releasing it. */
void tdtls_front_log_changed(void) {
  const struct tdtls_engine_ops *e;
  pthread_mutex_lock(&load_mu);
  e = engine;
  if (e) {
    e->set_log_level((log_t)tdtls_log_level);
    e->set_log_handler(tdtls_current_log_handler());
  }
  pthread_mutex_unlock(&load_mu);
}

/* ---- an idle event loop -------------------------------------------------- */

/*
 * Every forwarded call but dtls_check_retransmit() counts in call_gen. The
 * engine's answer to dtls_check_retransmit() says until when it holds as
 * long as nothing else is called (its next deadline, or a memory release
 * it is waiting to make); the front keeps the last answers and gives them
 * again while call_gen has not moved and that time has not come, without
 * entering the engine. An idle event loop then costs a clock read and a
 * lock per call, and the Go runtime's threads, which a call into Go
 * wakes, stay asleep.
 */
static unsigned long call_gen;
static pthread_mutex_t idle_mu = PTHREAD_MUTEX_INITIALIZER;
#define IDLE_ANSWERS 4
static struct idle_answer {
  dtls_context_t *ctx; /* NULL: unused */
  unsigned long gen;
  long long until;
  clock_time_t next;
} idle_answers[IDLE_ANSWERS]; /* under idle_mu */
static unsigned idle_victim;  /* under idle_mu: the entry replaced next */

/* Before a forwarded call and after it: a call still running in another
 * thread when an answer is stored moves call_gen when it ends. */
static inline void mark_busy(void) {
  __atomic_add_fetch(&call_gen, 1, __ATOMIC_SEQ_CST);
}

/* Under idle_mu. */
static struct idle_answer *idle_find(dtls_context_t *ctx) {
  unsigned i;
  for (i = 0; i < IDLE_ANSWERS; i++)
    if (idle_answers[i].ctx == ctx)
      return &idle_answers[i];
  return NULL;
}

/* ---- giving the engine's code pages back when idle ------------------------ */

/*
 * The Go runtime's start and a handshake touch most of the engine's code
 * and tables, and the kernel maps whole neighbourhoods of a touched page
 * with it (fault-around, large folios), so nearly all of it would stay in
 * the process's RSS for good. These pages are clean copies of the library
 * file: once the application has not called the library for a second
 * (seen by a dtls_check_retransmit() call that the front answered itself,
 * so that the runtime's threads are asleep), the front drops them from
 * the process with MADV_DONTNEED. They stay in the page cache, shared and
 * reclaimable as any file's; the next call faults back in what it uses
 * (minor faults, no I/O). Only segments that are mapped without write
 * permission are touched, none in an object with text relocations, and no
 * page the process wrote to (below), so no byte the process wrote is lost.
 * While the process stays idle this is repeated every TRIM_REFRESH_NS, for
 * what the runtime's periodic work faulted back in.
 * TINYDTLS_GO_TRIM=0 in the environment turns this off. In libtinydtls.a
 * the engine's code is part of the application's executable (or library):
 * there only the Go code, read-only data and function tables are trimmed,
 * the ranges between the Go linker's own bounds (runtime.text and
 * runtime.etext and the like, which mklib.sh keeps visible to the front),
 * whole pages inside them; the application's own pages are not touched.
 */
static pthread_mutex_t trim_mu = PTHREAD_MUTEX_INITIALIZER;
static int trim_state;        /* set under trim_mu: 0 unknown, 1 on, -1 off */
static unsigned long trim_gen; /* under trim_mu: call_gen at the last check */
static long long quiet_since; /* under trim_mu: when call_gen last moved */
static long long last_trim;   /* under trim_mu */
static int trim_due;          /* under trim_mu: the engine ran since then */
static struct trim_range { char *start; size_t len; } trim_ranges[12];
static unsigned trim_nranges; /* under trim_mu */

#define TRIM_QUIET_NS 1000000000LL
#define TRIM_REFRESH_NS 60000000000LL

/*
 * What may be trimmed: whole pages of the PT_LOAD segments without write
 * permission of the object holding the engine's code, in an object
 * without text relocations; in libtinydtls.a only where those overlap the
 * Go linker's bounds of its code, read-only data and function tables.
 */
#ifdef TDTLS_FRONT_STATIC
extern const char tdtls_go_text[] __asm__("runtime.text");
extern const char tdtls_go_etext[] __asm__("runtime.etext");
extern const char tdtls_go_rodata[] __asm__("runtime.rodata");
extern const char tdtls_go_erodata[] __asm__("runtime.erodata");
extern const char tdtls_go_pclntab[] __asm__("runtime.pclntab");
extern const char tdtls_go_epclntab[] __asm__("runtime.epclntab");
#define TRIM_BOUNDS 3
static const char *const trim_bounds[TRIM_BOUNDS][2] = {
    {tdtls_go_text, tdtls_go_etext},
    {tdtls_go_rodata, tdtls_go_erodata},
    {tdtls_go_pclntab, tdtls_go_epclntab},
};
#else
#define TRIM_BOUNDS 1
static const char *const trim_bounds[TRIM_BOUNDS][2] = {
    {(const char *)0, (const char *)UINTPTR_MAX},
};
#endif

struct trim_find { const void *addr; int found; };

static void trim_add(uintptr_t lo, uintptr_t hi) {
  uintptr_t pg = (uintptr_t)sysconf(_SC_PAGESIZE);
  lo = (lo + pg - 1) & ~(pg - 1);
  hi &= ~(pg - 1);
  if (hi > lo && trim_nranges < sizeof(trim_ranges) / sizeof(trim_ranges[0])) {
    trim_ranges[trim_nranges].start = (char *)lo;
    trim_ranges[trim_nranges].len = hi - lo;
    trim_nranges++;
  }
}

static int trim_find_object(struct dl_phdr_info *info, size_t size, void *p) {
  struct trim_find *tf = p;
  const char *a = tf->addr;
  int i, j, contains = 0;
  (void)size;
  for (i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    const char *lo = (const char *)(info->dlpi_addr + ph->p_vaddr);
    if (ph->p_type == PT_LOAD && a >= lo && a < lo + ph->p_memsz)
      contains = 1;
  }
  if (!contains)
    return 0;
  tf->found = 1;
  for (i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    if (ph->p_type == PT_DYNAMIC) {
      const ElfW(Dyn) *d = (const ElfW(Dyn) *)(info->dlpi_addr + ph->p_vaddr);
      for (; d->d_tag != DT_NULL; d++)
        if (d->d_tag == DT_TEXTREL ||
            (d->d_tag == DT_FLAGS && (d->d_un.d_val & DF_TEXTREL)))
          return 1; /* its code was written to: leave it alone */
    }
  }
  for (i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    uintptr_t lo = info->dlpi_addr + ph->p_vaddr, hi = lo + ph->p_filesz;
    if (ph->p_type != PT_LOAD || (ph->p_flags & PF_W))
      continue;
    for (j = 0; j < TRIM_BOUNDS; j++) {
      uintptr_t blo = (uintptr_t)trim_bounds[j][0], bhi = (uintptr_t)trim_bounds[j][1];
      trim_add(lo > blo ? lo : blo, hi < bhi ? hi : bhi);
    }
  }
  return 1;
}

/* Under trim_mu: finds what may be trimmed, the first time. */
static int trim_setup(const struct tdtls_engine_ops *e) {
  const char *env = getenv("TINYDTLS_GO_TRIM");
  struct trim_find tf;
  if (env && env[0] == '0')
    return -1;
  tf.addr = (const void *)e->init;
  tf.found = 0;
  dl_iterate_phdr(trim_find_object, &tf);
  return tf.found && trim_nranges > 0 ? 1 : -1;
}

/*
 * A page of these segments that is present but not backed by the file, or
 * swapped out, was written after all: a debugger's breakpoint (ptrace
 * writes a private copy), or code patched at run time. /proc/self/pagemap
 * tells (bit 63 present, 62 swapped, 61 file page); such pages are kept,
 * and so is everything when pagemap cannot be read.
 */
static void trim_range(int pm, char *start, size_t len) {
  long pg = sysconf(_SC_PAGESIZE);
  size_t npages = len / (size_t)pg, i, run = 0;
  uint64_t ent[512];
  for (i = 0; i < npages; i += 512) {
    size_t n = npages - i < 512 ? npages - i : 512, j;
    off_t off = (off_t)(((uintptr_t)start / (uintptr_t)pg + i) * sizeof(uint64_t));
    if (pread(pm, ent, n * sizeof(uint64_t), off) != (ssize_t)(n * sizeof(uint64_t)))
      return;
    for (j = 0; j < n; j++) {
      /* present and not the file's, or swapped out (only a page that
       * was written can be) */
      int written = ((ent[j] >> 63 & 1) && !(ent[j] >> 61 & 1)) || (ent[j] >> 62 & 1);
      if (!written)
        continue;
      if (i + j > run) /* the clean pages before it */
        madvise(start + run * (size_t)pg, (i + j - run) * (size_t)pg,
                MADV_DONTNEED);
      run = i + j + 1;
    }
  }
  if (npages > run)
    madvise(start + run * (size_t)pg, (npages - run) * (size_t)pg,
            MADV_DONTNEED);
}

static void trim_engine_pages(void) {
  unsigned i;
  int pm = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
  if (pm < 0)
    return;
  for (i = 0; i < trim_nranges; i++)
    trim_range(pm, trim_ranges[i].start, trim_ranges[i].len);
  close(pm);
}

/* After each dtls_check_retransmit(): gen is call_gen when it began,
 * entered whether it ran the engine. */
static void trim_check(const struct tdtls_engine_ops *e, long long now,
                       unsigned long gen, int entered) {
  if (__atomic_load_n(&trim_state, __ATOMIC_RELAXED) < 0 ||
      pthread_mutex_trylock(&trim_mu) != 0)
    return;
  if (trim_state == 0)
    __atomic_store_n(&trim_state, trim_setup(e), __ATOMIC_RELAXED);
  if (gen != trim_gen) {
    trim_gen = gen;
    quiet_since = now;
    trim_due = 1;
  } else if (entered) {
    trim_due = 1;
  } else if (trim_state > 0 && now - quiet_since >= TRIM_QUIET_NS &&
             (trim_due || now - last_trim >= TRIM_REFRESH_NS)) {
    trim_due = 0;
    last_trim = now;
    trim_engine_pages();
  }
  pthread_mutex_unlock(&trim_mu);
}


/* ---- the plain C part of the API ---------------------------------------- */

void dtls_init(void) {
  dtls_clock_init();
  crypto_init();
  peer_init();
}

/* dtls_time.h: milliseconds on the monotonic clock since the library was
 * loaded, the time base of dtls_check_retransmit(). dtls_clock_offset keeps
 * upstream's meaning, the wall-clock second of dtls_clock_init(). */
time_t dtls_clock_offset;

void dtls_clock_init(void) { dtls_clock_offset = time(NULL); }

void dtls_ticks(dtls_tick_t *t) {
  if (__builtin_expect(clock_base_ns == 0, 0))
    pthread_once(&front_once, front_setup);
  if (!t) {
    tdtls_arg_refused("dtls_ticks", "t is NULL");
    return;
  }
  *t = (dtls_tick_t)((mono_ns() - clock_base_ns) / 1000000);
}

/* The P-256 base point in ecc.h's word order (least significant first). */
const uint32_t ecc_g_point_x[8] = {0xD898C296, 0xF4A13945, 0x2DEB33A0,
                                   0x77037D81, 0x63A440F2, 0xF8BCE6E5,
                                   0xE12C4247, 0x6B17D1F2};
const uint32_t ecc_g_point_y[8] = {0x37BF51F5, 0xCBB64068, 0x6B315ECE,
                                   0x2BCE3357, 0x7C0F9E16, 0x8EE7EB4A,
                                   0xFE1A7F9B, 0x4FE342E2};

/* ---- argument checks (forward.def's last column) --------------------------- */

/* Each check is "|| condition": the first that holds logs one
 * DTLS_LOG_WARN line "function: what" and refuses the call; the IGNORED
 * kinds log the same way and let the call go on (0). */
#define CHECK(call) || (call)
#define REFUSE_IF(cond, ...)                                                \
  || (__builtin_expect(!!(cond), 0) && tdtls_arg_refused(tdtls_fn_, __VA_ARGS__))
#define IGNORED(cond, ...)                                                  \
  || (__builtin_expect(!!(cond), 0) &&                                      \
      (tdtls_arg_refused(tdtls_fn_, __VA_ARGS__), 0))
#define NONNULL(p, name) REFUSE_IF(!(p), "%s is NULL", name)
#define BUF(p, n, name, len)                                                \
  REFUSE_IF(!(p) && (n) > 0, "%s is NULL with %s %zu", name, len, (size_t)(n))
#define IGNORED_BUF(p, n, name, len)                                        \
  IGNORED(!(p) && (n) > 0, "%s is NULL with %s %zu (taken as empty)", name, \
          len, (size_t)(n))
#define KEY_SIZE(n)                                                         \
  REFUSE_IF((n) != 32, "key_size %zu is not 32 (P-256)", (size_t)(n))

/* dtls_writev: every buffer with a length must be there. */
static int iov_refused(const char *fn, uint8 **bufs, const size_t *lens,
                       size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    if (__builtin_expect(!bufs[i] && lens[i] > 0, 0))
      return tdtls_arg_refused(fn, "buf_array[%zu] is NULL with "
                                   "buf_len_array[%zu] %zu",
                               i, i, lens[i]);
  return 0;
}

/* The CCM parameters the engine accepts (capi/compat/ccm): M an even
 * number from 4 to 16, L from 2 to 8, a message length that fits in L
 * bytes. A ciphertext shorter than its tag is not an argument error (it
 * is what a network gives) and is refused by the engine without a line. */
static int ccm_params_refused(const char *fn, const char *mname,
                              const char *lname, size_t m, size_t l,
                              int encrypt, const char *lenname, size_t len) {
  if (m < 4 || m > 16 || m % 2)
    return tdtls_arg_refused(fn, "%s %zu is not an even number from 4 to 16",
                             mname, m);
  if (l < 2 || l > 8)
    return tdtls_arg_refused(fn, "%s %zu is not from 2 to 8", lname, l);
  if (encrypt && l < 8 && (unsigned long long)len >= 1ULL << (8 * l))
    return tdtls_arg_refused(fn, "%s %zu does not fit in %s = %zu bytes",
                             lenname, len, lname, l);
  return 0;
}

/* dtls_ccm_encrypt_message, dtls_ccm_decrypt_message */
static int ccm_refused(const char *fn, int encrypt, const rijndael_ctx *ctx,
                       size_t m, size_t l, const unsigned char *nonce,
                       const unsigned char *msg, size_t lm,
                       const unsigned char *aad, size_t la) {
  if (!ctx)
    return tdtls_arg_refused(fn, "ctx is NULL");
  if (ctx->Nr != 10 && ctx->Nr != 12 && ctx->Nr != 14)
    return tdtls_arg_refused(fn, "ctx has no key (Nr %d)", ctx->Nr);
  if (ccm_params_refused(fn, "M", "L", m, l, encrypt, "lm", lm))
    return 1;
  if (!nonce)
    return tdtls_arg_refused(fn, "nonce is NULL");
  if (!msg && lm > 0)
    return tdtls_arg_refused(fn, "msg is NULL with lm %zu", lm);
  if (!aad && la > 0)
    tdtls_arg_refused(fn, "aad is NULL with la %zu (taken as empty)", la);
  return 0;
}

/* dtls_encrypt(_params), dtls_decrypt(_params): the deprecated forms pass
 * their fixed parameters (an 8-byte tag, L = 3) and name the nonce
 * argument, the others params. */
static int crypt_refused(const char *fn, int encrypt,
                         const unsigned char *nonce, size_t m, size_t l,
                         const unsigned char *src, size_t length,
                         const unsigned char *buf, const unsigned char *key,
                         size_t keylen, const unsigned char *aad,
                         size_t aad_length) {
  int params = strstr(fn, "_params") != NULL;
  if (!nonce)
    return tdtls_arg_refused(fn, params ? "params->nonce is NULL"
                                        : "nonce is NULL");
  if (params && ccm_params_refused(fn, "params->tag_length", "params->l", m,
                                   l, encrypt, "length", length))
    return 1;
  if (!params && encrypt && length >= 1UL << 24)
    return tdtls_arg_refused(fn, "length %zu does not fit in 3 bytes",
                             length);
  if (!src && length > 0)
    return tdtls_arg_refused(fn, "src is NULL with length %zu", length);
  if (!buf)
    return tdtls_arg_refused(fn, "buf is NULL");
  if (!key)
    return tdtls_arg_refused(fn, "key is NULL");
  if (keylen != 16)
    return tdtls_arg_refused(fn, "keylen %zu: only AES-128 keys (16 bytes)",
                             keylen);
  if (!aad && aad_length > 0)
    tdtls_arg_refused(fn, "%s is NULL with %s %zu (taken as empty)",
                      params || encrypt ? "aad" : "a_data",
                      params || encrypt ? "aad_length" : "a_data_length",
                      aad_length);
  return 0;
}

/* ---- forwarded to the engine -------------------------------------------- */

/* The first line every context logs: both versions, for bug reports. */
#define TDTLS_VERSION_LINE                                                  \
  "tinydtls-go " TINYDTLS_GO_VERSION " (tinydtls API " PACKAGE_VERSION ")"

const char *tinydtls_go_version(void) { return TINYDTLS_GO_VERSION; }

dtls_context_t *dtls_new_context(void *app_data) {
  const struct tdtls_engine_ops *e = engine_for("dtls_new_context");
  dtls_context_t *ctx;
  if (!e)
    return NULL;
  mark_busy();
  ctx = e->dtls_new_context(app_data);
  mark_busy();
  if (ctx)
    dsrv_log(DTLS_LOG_NOTICE, TDTLS_VERSION_LINE ": new context %p\n",
             (void *)ctx);
  return ctx;
}

void dtls_check_retransmit(dtls_context_t *ctx, clock_time_t *next) {
  const struct tdtls_engine_ops *e;
  struct idle_answer *a;
  clock_time_t answer = 0;
  long long now, until = -1;
  unsigned long gen;
  int entered = 1;
  if (next)
    *next = 0; /* nothing pending, also when refused */
  if (!ctx) {
    tdtls_arg_refused("dtls_check_retransmit", "context is NULL");
    return;
  }
  e = engine_for("dtls_check_retransmit");
  if (!e)
    return;
  now = mono_ns();
  gen = __atomic_load_n(&call_gen, __ATOMIC_SEQ_CST);
  pthread_mutex_lock(&idle_mu);
  a = idle_find(ctx);
  if (a && a->gen == gen && now < a->until) {
    answer = a->next;
    entered = 0;
  }
  pthread_mutex_unlock(&idle_mu);
  if (entered) {
    e->check_retransmit_until(ctx, &answer, &until);
    pthread_mutex_lock(&idle_mu);
    a = idle_find(ctx);
    if (until >= 0 && __atomic_load_n(&call_gen, __ATOMIC_SEQ_CST) == gen) {
      if (!a) {
        a = &idle_answers[idle_victim];
        idle_victim = (idle_victim + 1) % IDLE_ANSWERS;
      }
      a->ctx = ctx;
      a->gen = gen;
      a->until = until;
      a->next = answer;
    } else if (a) {
      a->ctx = NULL;
    }
    pthread_mutex_unlock(&idle_mu);
  }
  if (next)
    *next = answer;
  trim_check(e, now, gen, entered);
}

#define TDTLS_FN(ret, name, params, args, err, checks)                      \
  ret name params {                                                         \
    static const char tdtls_fn_[] = #name;                                  \
    const struct tdtls_engine_ops *e;                                       \
    if (0 checks)                                                           \
      return err;                                                           \
    e = engine_for(tdtls_fn_);                                              \
    if (!e)                                                                 \
      return err;                                                           \
    {                                                                       \
      ret r_;                                                               \
      mark_busy();                                                          \
      r_ = e->name args;                                                    \
      mark_busy();                                                          \
      return r_;                                                            \
    }                                                                       \
  }
#define TDTLS_VOID(name, params, args, checks)                              \
  void name params {                                                        \
    static const char tdtls_fn_[] = #name;                                  \
    const struct tdtls_engine_ops *e;                                       \
    if (0 checks)                                                           \
      return;                                                               \
    e = engine_for(tdtls_fn_);                                              \
    if (e) {                                                                \
      mark_busy();                                                          \
      e->name args;                                                         \
      mark_busy();                                                          \
    }                                                                       \
  }
#define TDTLS_FN_OWN(ret, name, params, args, err)
#define TDTLS_VOID_OWN(name, params, args)
#include "../forward.def"
