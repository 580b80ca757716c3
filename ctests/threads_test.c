/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * threads_test.c -- the threading contract.
 *
 *  1. Separate contexts used from several threads at once work: each
 *     thread runs its own client and server contexts through handshakes
 *     and records.
 *  2. One context used by two threads at once is refused (the second call
 *     returns an error and a critical log line names the misuse) instead
 *     of corrupting the context.
 *  3. A Go panic inside the library never reaches C: the self-test export
 *     panics under the same guard as every API function, returns -1 and
 *     logs a critical line, and the library keeps working.
 *  4. No goroutine is left behind once every context is freed.
 */
#define _GNU_SOURCE /* dl_iterate_phdr */
#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tinydtls.h"
#include "dtls.h"
#include "dtls_debug.h"

/* Each thread's link lives on its stack: 16 datagrams in flight. */
#define TS_MAX_NODES 2
#define TS_QLEN 16
#define TS_DGMAX 1500
#include "test_support.h"

/* Test hooks of the library, deliberately not in any public header and not
 * exported by libtinydtls.so: they live in the Go engine the library loads
 * on first use (libtinydtls-engine.so.VERSION), looked up there. */
static int (*tdtls_selftest_panic)(void);
static int (*tdtls_selftest_goroutines)(void);

static int engine_path(struct dl_phdr_info *info, size_t size, void *out) {
  (void)size;
  if (!info->dlpi_name || !strstr(info->dlpi_name, "/libtinydtls-engine.so"))
    return 0;
  *(const char **)out = info->dlpi_name;
  return 1;
}

static int find_hooks(void) {
  const char *path = NULL;
  void *h;
  dtls_free_context(dtls_new_context(NULL)); /* loads the engine */
  dl_iterate_phdr(engine_path, &path);
  h = path ? dlopen(path, RTLD_NOW | RTLD_NOLOAD) : NULL;
  if (!h)
    return 0;
  *(void **)&tdtls_selftest_panic = dlsym(h, "tdtls_selftest_panic");
  *(void **)&tdtls_selftest_goroutines = dlsym(h, "tdtls_selftest_goroutines");
  return tdtls_selftest_panic && tdtls_selftest_goroutines;
}

#define THREADS 4
#define ROUNDS 20
#define RECORDS 200

/* Checks are reported from the main thread only (ts_check). */
static void check(int ok, const char *what) { ts_check(ok, NULL, "%s", what); }

/* Log capture: the critical lines, for the checks to search. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char crit_log[4096];
static void log_handler(log_t level, const char *msg) {
  if (level <= DTLS_LOG_CRIT) {
    pthread_mutex_lock(&lock);
    strncat(crit_log, msg, sizeof(crit_log) - strlen(crit_log) - 1);
    pthread_mutex_unlock(&lock);
  }
}

/* An in-memory link between the two contexts of one thread: node 0 the
 * client, node 1 the server. */
typedef struct {
  ts_net_t net;
  ts_node_t node[2];
  int connected[2];
  long bytes;
  /* for the misuse test */
  pthread_mutex_t *hold;
  volatile int in_callback;
} link_t;

static link_t *link_of(dtls_context_t *ctx) {
  return (link_t *)((char *)ts_node_of(ctx)->net - offsetof(link_t, net));
}

static int cb_read(dtls_context_t *ctx, session_t *s, uint8 *buf, size_t len) {
  link_t *l = link_of(ctx);
  (void)s;
  (void)buf;
  l->bytes += (long)len;
  if (l->hold) {
    /* Stay inside the library until the other thread has tried. */
    l->in_callback = 1;
    pthread_mutex_lock(l->hold);
    pthread_mutex_unlock(l->hold);
    l->in_callback = 0;
  }
  return 0;
}

static int cb_event(dtls_context_t *ctx, session_t *s, dtls_alert_level_t lv,
                    unsigned short code) {
  (void)s;
  if (lv == 0 && code == DTLS_EVENT_CONNECTED)
    link_of(ctx)->connected[ts_node_of(ctx)->index] = 1;
  return 0;
}

/* PSK identity "id", key "secret", any identity accepted (ts_cb_psk). */
static dtls_handler_t handler = {.write = ts_cb_write,
                                 .read = cb_read,
                                 .event = cb_event,
                                 .get_psk_info = ts_cb_psk};

static void pump(link_t *l) { ts_net_pump(&l->net, 1 << 30); }

static int link_up(link_t *l, unsigned port) {
  int i;
  memset(l, 0, sizeof(*l));
  for (i = 0; i < 2; i++) {
    if (!ts_net_add(&l->net, &l->node[i], i, "0.0.0.0", port + (unsigned)i, &handler))
      return 0;
    l->node[i].psk_id = "id";
    l->node[i].psk_key = "secret";
    l->node[i].psk_accept = NULL; /* the server takes any identity */
  }
  dtls_connect(l->node[0].ctx, &l->node[1].addr);
  pump(l);
  return l->connected[0] && l->connected[1];
}

static void link_down(link_t *l) {
  dtls_free_context(l->node[0].ctx);
  dtls_free_context(l->node[1].ctx);
  ts_net_clear(&l->net); /* the close_notify alerts have nowhere to go */
}

static void *worker(void *arg) {
  long id = (long)arg;
  int round, i, ok = 1;
  for (round = 0; round < ROUNDS && ok; round++) {
    link_t l;
    if (!link_up(&l, 10000 + (unsigned)id * 100)) {
      ok = 0;
      link_down(&l);
      break;
    }
    for (i = 0; i < RECORDS; i++) {
      if (dtls_write(l.node[0].ctx, &l.node[1].addr, (uint8 *)"0123456789abcdef", 16) != 16)
        ok = 0;
      pump(&l);
    }
    if (l.bytes != RECORDS * 16)
      ok = 0;
    link_down(&l);
  }
  return (void *)(long)ok;
}

static link_t shared;
static pthread_mutex_t hold = PTHREAD_MUTEX_INITIALIZER;

static void *deliver(void *arg) {
  (void)arg;
  pump(&shared);
  return NULL;
}

int main(void) {
  pthread_t th[THREADS], t2;
  int i, base, after, ok = 1;
  void *res;

  dtls_init();
  dtls_set_log_handler(log_handler);
  if (!find_hooks()) {
    check(0, "the self-test hooks are found in the loaded engine");
    return 1;
  }
  base = tdtls_selftest_goroutines();

  /* 1. concurrent contexts */
  for (i = 0; i < THREADS; i++)
    pthread_create(&th[i], NULL, worker, (void *)(long)i);
  for (i = 0; i < THREADS; i++) {
    pthread_join(th[i], &res);
    ok = ok && res;
  }
  check(ok, "4 threads, each with its own contexts: 20 handshakes and 4000 records each");

  /* 2. one context, two threads */
  if (!link_up(&shared, 20000)) {
    check(0, "shared link up");
    return 1;
  }
  shared.hold = &hold;
  pthread_mutex_lock(&hold);
  dtls_write(shared.node[0].ctx, &shared.node[1].addr, (uint8 *)"x", 1);
  pthread_create(&t2, NULL, deliver, NULL); /* enters the server context */
  for (i = 0; i < 2000 && !shared.in_callback; i++)
    usleep(1000);
  check(shared.in_callback, "the delivering thread is inside the server context");
  crit_log[0] = '\0';
  check(dtls_write(shared.node[1].ctx, &shared.node[0].addr, (uint8 *)"y", 1) < 0,
        "a second thread's call on the busy context is refused");
  check(strstr(crit_log, "two threads") != NULL,
        "and a critical log line names the misuse");
  pthread_mutex_unlock(&hold);
  pthread_join(t2, NULL);
  shared.hold = NULL;
  check(dtls_write(shared.node[1].ctx, &shared.node[0].addr, (uint8 *)"z", 1) == 1,
        "once the first thread has left, the context works from any thread");
  link_down(&shared);

  /* 3. a panic inside the library */
  crit_log[0] = '\0';
  check(tdtls_selftest_panic() == -1, "a panicking export returns its error value");
  check(strstr(crit_log, "internal error in tdtls_selftest_panic") != NULL,
        "and logs the panic at DTLS_LOG_CRIT");
  {
    link_t l;
    check(link_up(&l, 30000), "the library still works after a caught panic");
    link_down(&l);
  }

  /* 4. no goroutine left */
  after = tdtls_selftest_goroutines();
  check(after <= base, "no goroutine left behind after every context is freed");
  printf("threads_test: goroutines %d before, %d after\n", base, after);
  return ts_summary("threads_test");
}
