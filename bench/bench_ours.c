/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench_ours.c -- the workloads against a tinydtls library, through its
 * public C API only, as an application would drive it: tinydtls-go in
 * tdtls_bench, upstream tinydtls in tdtls_bench_upstream (the same source
 * compiled against upstream's headers and library; see bench/run.sh). It
 * uses only what both support: PSK keys of at most 16 bytes, one handshake
 * message per datagram, no dtls_check_retransmit (nothing is lost), and
 * dtls_ext_go_stats only when dlsym finds it.
 *
 * Transport: ctests/test_support.h's in-memory network. The write callback
 * copies every datagram into the queue for the other context; pump() hands
 * each queued datagram to dtls_handle_message() until the queue is empty.
 * One server context (node 0) and one client context (node 1) at a time.
 * The server sees the client at cli_addr (a different address for every
 * handshake), the client sees the server at srv_addr.
 */
#define _GNU_SOURCE
#include "bench.h"

#include "tinydtls.h"
#include "dtls.h"
#include "dtls_debug.h"

/* the network, the example PSK and keys, the credential callbacks */
#include "../ctests/test_support.h"

#include <dlfcn.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static ts_net_t net;
static ts_node_t srv_node, cli_node;
#define srv srv_node.ctx
#define cli cli_node.ctx
#define srv_addr srv_node.addr
#define cli_addr cli_node.addr
static int q_overflow;
static int drop;              /* discard everything written (teardown) */

static int conn_srv, conn_cli;   /* DTLS_EVENT_CONNECTED seen */
static int alert_level, alert_code;
static double rx_bytes;
static long rx_records;
static int echo_mode;            /* server's read callback echoes */
static long dg_cs, dg_sc;        /* datagrams written client->server, server->client */
static double wire_cs, wire_sc;
static int first_srv_msg;        /* handshake type of the server's first datagram, -1: none yet */
static int ecdhe;                /* client offers ECDHE-ECDSA only */

static int cb_write(dtls_context_t *ctx, session_t *s, uint8 *buf,
                    size_t len) {
  ts_node_t *from = ts_node_of(ctx);
  (void)s;
  if (drop)
    return (int)len;
  if (ts_net_send_to(from, from == &srv_node ? &cli_node : &srv_node, 0, buf,
                     len) < 0) {
    q_overflow = 1;
    return -1;
  }
  if (from == &cli_node) {
    dg_cs++;
    wire_cs += (double)len;
  } else {
    dg_sc++;
    wire_sc += (double)len;
    if (first_srv_msg < 0)
      first_srv_msg = len > 13 && buf[0] == DTLS_CT_HANDSHAKE ? buf[13] : 256;
  }
  return (int)len;
}

static int cb_read(dtls_context_t *ctx, session_t *s, uint8 *buf,
                   size_t len) {
  rx_bytes += (double)len;
  rx_records++;
  if (echo_mode && ctx == srv)
    dtls_write(ctx, s, buf, len);
  return 0;
}

static int cb_event(dtls_context_t *ctx, session_t *s,
                    dtls_alert_level_t level, unsigned short code) {
  (void)s;
  if (level == 0 && code == DTLS_EVENT_CONNECTED) {
    if (ctx == srv)
      conn_srv = 1;
    else
      conn_cli = 1;
  } else if (level > 0 && !alert_level) {
    alert_level = level;
    alert_code = code;
  }
  return 0;
}

static void cb_params(dtls_context_t *ctx, session_t *s,
                      dtls_user_parameters_t *p) {
  (void)s;
  if (ctx == srv)
    return; /* the server accepts the library's default list */
  p->cipher_suites[0] = ecdhe ? TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8
                              : TLS_PSK_WITH_AES_128_CCM_8;
  p->cipher_suites[1] = TLS_NULL_WITH_NULL_NULL;
}

static dtls_handler_t h_psk = {
    .write = cb_write,
    .read = cb_read,
    .event = cb_event,
    .get_user_parameters = cb_params,
    .get_psk_info = ts_cb_psk,
};

/* Both ECDSA callbacks on both sides: the server requests the client's
 * key, so authentication is mutual. */
static dtls_handler_t h_ecdhe = {
    .write = cb_write,
    .read = cb_read,
    .event = cb_event,
    .get_user_parameters = cb_params,
    .get_ecdsa_key = ts_cb_ecdsa_key,
    .verify_ecdsa_key = ts_cb_verify_any, /* any key, as upstream's examples */
};

/* The nodes (their contexts come and go): the server at 192.0.2.1:5684
 * takes only the example PSK identity (decrypt_error for another), the
 * client's address is set per handshake. */
int ours_init(void) {
  dtls_init();
  dtls_set_log_level(DTLS_LOG_CRIT);
  ts_net_add(&net, &srv_node, 1, "192.0.2.1", 5684, NULL);
  ts_net_add(&net, &cli_node, 0, "10.0.0.0", 20000, NULL);
  srv_node.unknown_id_alert = DTLS_ALERT_DECRYPT_ERROR;
  return 0;
}

/* "tinydtls 0.8.6", and tinydtls-go's own version where the library has
 * tinydtls_go_version() (dtls_ext.h; looked up, as upstream has none). */
const char *ours_version(void) {
  static char v[96];
  const char *(*go_version)(void);
  *(void **)&go_version = dlsym(RTLD_DEFAULT, "tinydtls_go_version");
  if (go_version)
    snprintf(v, sizeof v, "%s %s (tinydtls-go %s)", dtls_package_name(),
             dtls_package_version(), go_version());
  else
    snprintf(v, sizeof v, "%s %s", dtls_package_name(), dtls_package_version());
  return v;
}

/* The client's address as the server sees it: unique for id < 2^24. */
static void set_cli_addr(uint32_t id) {
  dtls_session_init(&cli_addr);
  cli_addr.addr.sin.sin_family = AF_INET;
  cli_addr.addr.sin.sin_port = htons((uint16_t)(20000 + (id & 0x3fff)));
  cli_addr.addr.sin.sin_addr.s_addr = htonl(0x0A000000u | (id >> 14)); /* 10/8 */
  cli_addr.size = sizeof(struct sockaddr_in);
}

/* Delivers queued datagrams until none is left; < 0 on a runaway. */
static int pump(void) {
  int steps = 0;
  while (ts_net_step(&net, NULL))
    if (++steps > 10000)
      return -1;
  return q_overflow ? -2 : 0;
}

static void reset_queue(void) {
  ts_net_clear(&net);
  q_overflow = 0;
  alert_level = alert_code = 0;
}

static void mallocs_start(bres_t *r) {
  go_stats_t g;
  r->go_mallocs = ours_go_stats(&g, 0) == 0 ? -(double)g.mallocs : -1;
}

static void mallocs_stop(bres_t *r) {
  go_stats_t g;
  if (r->go_mallocs != -1 && ours_go_stats(&g, 0) == 0)
    r->go_mallocs += (double)g.mallocs;
  else
    r->go_mallocs = -1;
}

static double golive(void) {
  go_stats_t g;
  return ours_go_stats(&g, 1) == 0 ? (double)g.heap_live : -1;
}

/* A context for node (its app data), or off the network (node NULL). */
static dtls_context_t *new_ctx(ts_node_t *node, dtls_handler_t *h) {
  dtls_context_t *c = dtls_new_context(node);
  if (c)
    dtls_set_handler(c, h);
  if (node)
    node->ctx = c;
  return c;
}

static void free_ctx(dtls_context_t **c) {
  drop = 1;
  dtls_free_context(*c);
  drop = 0;
  *c = NULL;
}

/* One full handshake from cli to srv with the client at address id. */
static int handshake(uint32_t id, char *err, size_t errlen) {
  int rc;
  set_cli_addr(id);
  conn_srv = conn_cli = 0;
  alert_level = 0;
  first_srv_msg = -1;
  rc = dtls_connect(cli, &srv_addr);
  if (rc <= 0) {
    snprintf(err, errlen, "dtls_connect returned %d", rc);
    return -1;
  }
  rc = pump();
  if (rc < 0) {
    snprintf(err, errlen, "transport failure %d (queue overflow or loop)", rc);
    return -1;
  }
  if (!conn_srv || !conn_cli) {
    snprintf(err, errlen,
             "handshake %u did not complete (server %d client %d, alert %d/%d)",
             id, conn_srv, conn_cli, alert_level, alert_code);
    return -1;
  }
  if (first_srv_msg != 3) { /* DTLS_HT_HELLO_VERIFY_REQUEST */
    snprintf(err, errlen,
             "handshake %u: the server's first message was %d, not a "
             "HelloVerifyRequest",
             id, first_srv_msg);
    return -1;
  }
  return 0;
}

/* Removes the association on both sides without delivering the
 * close_notify alerts (the client forgets the server, the server the
 * client). */
static int teardown(int server_too) {
  dtls_peer_t *p;
  int rc = 0;
  drop = 1;
  if (server_too) {
    p = dtls_get_peer(srv, &cli_addr);
    if (p)
      dtls_reset_peer(srv, p);
    else
      rc = -1;
  }
  p = dtls_get_peer(cli, &srv_addr);
  if (p)
    dtls_reset_peer(cli, p);
  else
    rc = -1;
  drop = 0;
  return rc;
}

static void handshakes(long n, int use_ecdhe, bres_t *r) {
  dtls_handler_t *h = use_ecdhe ? &h_ecdhe : &h_psk;
  long i;
  memset(r, 0, sizeof *r);
  r->ok = 1;
  ecdhe = use_ecdhe;
  echo_mode = 0;
  reset_queue();
  new_ctx(&srv_node, h);
  new_ctx(&cli_node, h);
  if (!srv || !cli) {
    bres_fail(r, "dtls_new_context failed");
    goto out;
  }
  dg_cs = dg_sc = 0;
  wire_cs = wire_sc = 0;
  mallocs_start(r);
  timer_start(r);
  for (i = 0; i < n; i++) {
    if (handshake((uint32_t)i, r->err, sizeof r->err) < 0) {
      r->ok = 0;
      break;
    }
    if (teardown(1) < 0) {
      bres_fail(r, "dtls_get_peer found no peer after handshake %ld", i);
      break;
    }
  }
  timer_stop(r);
  mallocs_stop(r);
  r->ops = i;
  r->dg_cs = dg_cs;
  r->dg_sc = dg_sc;
  r->wire_cs = wire_cs;
  r->wire_sc = wire_sc;
out:
  if (srv)
    free_ctx(&srv);
  if (cli)
    free_ctx(&cli);
}

void ours_psk_handshakes(long n, bres_t *r) { handshakes(n, 0, r); }
void ours_ecdhe_handshakes(long n, bres_t *r) { handshakes(n, 1, r); }

void ours_records(size_t len, long n, int echo, bres_t *r) {
  static unsigned char payload[16384];
  char err[200];
  long i;
  int rc;
  memset(r, 0, sizeof *r);
  r->ok = 1;
  ecdhe = 0;
  echo_mode = echo;
  reset_queue();
  new_ctx(&srv_node, &h_psk);
  new_ctx(&cli_node, &h_psk);
  if (!srv || !cli) {
    bres_fail(r, "dtls_new_context failed");
    goto out;
  }
  if (len > sizeof payload) {
    bres_fail(r, "payload too large");
    goto out;
  }
  memset(payload, 0xa5, len);
  if (handshake(1, err, sizeof err) < 0) {
    bres_fail(r, "%s", err);
    goto out;
  }
  /* One record first: lets the server drop its retained final flight. */
  if (dtls_write(cli, &srv_addr, payload, len) != (int)len || pump() < 0) {
    bres_fail(r, "first dtls_write of %zu bytes failed", len);
    goto out;
  }
  rx_bytes = 0;
  rx_records = 0;
  dg_cs = dg_sc = 0;
  wire_cs = wire_sc = 0;
  mallocs_start(r);
  timer_start(r);
  for (i = 0; i < n; i++) {
    rc = dtls_write(cli, &srv_addr, payload, len);
    if (rc != (int)len) {
      bres_fail(r, "dtls_write returned %d for %zu bytes", rc, len);
      break;
    }
    pump();
  }
  timer_stop(r);
  mallocs_stop(r);
  r->ops = i;
  r->bytes = rx_bytes;
  r->dg_cs = dg_cs;
  r->dg_sc = dg_sc;
  r->wire_cs = wire_cs;
  r->wire_sc = wire_sc;
  if (r->ok && rx_records != (echo ? 2 : 1) * n)
    bres_fail(r, "%ld records read, expected %ld", rx_records,
              (echo ? 2 : 1) * n);
out:
  echo_mode = 0;
  if (srv)
    free_ctx(&srv);
  if (cli)
    free_ctx(&cli);
}

void ours_ctx_cycles(long n, bres_t *r) {
  long i;
  memset(r, 0, sizeof *r);
  r->ok = 1;
  mallocs_start(r);
  timer_start(r);
  for (i = 0; i < n; i++) {
    dtls_context_t *c = new_ctx(NULL, &h_psk);
    if (!c) {
      bres_fail(r, "dtls_new_context failed");
      break;
    }
    dtls_free_context(c);
  }
  timer_stop(r);
  mallocs_stop(r);
  r->ops = i;
}

void ours_fresh_psk(long n, bres_t *r) {
  long i;
  memset(r, 0, sizeof *r);
  r->ok = 1;
  ecdhe = 0;
  echo_mode = 0;
  reset_queue();
  dg_cs = dg_sc = 0;
  wire_cs = wire_sc = 0;
  mallocs_start(r);
  timer_start(r);
  for (i = 0; i < n; i++) {
    new_ctx(&srv_node, &h_psk);
    new_ctx(&cli_node, &h_psk);
    if (!srv || !cli) {
      bres_fail(r, "dtls_new_context failed");
    } else if (handshake((uint32_t)i, r->err, sizeof r->err) < 0) {
      r->ok = 0;
    }
    if (srv)
      free_ctx(&srv); /* with its peer: the close_notify is dropped */
    if (cli)
      free_ctx(&cli);
    if (!r->ok)
      break;
  }
  timer_stop(r);
  mallocs_stop(r);
  r->ops = i;
  r->dg_cs = dg_cs;
  r->dg_sc = dg_sc;
  r->wire_cs = wire_cs;
  r->wire_sc = wire_sc;
}

/* n PSK handshakes, each torn down at once, on a pair of contexts freed
 * afterwards; client addresses from id0 on. */
static int throwaway_handshakes(long n, uint32_t id0, const char *what,
                                mres_t *m) {
  char err[200];
  long i;
  new_ctx(&srv_node, &h_psk);
  new_ctx(&cli_node, &h_psk);
  if (!srv || !cli)
    mres_fail(m, "%s: dtls_new_context failed", what);
  for (i = 0; i < n && srv && cli; i++) {
    if (handshake(id0 + (uint32_t)i, err, sizeof err) < 0) {
      mres_fail(m, "%s: %s", what, err);
      break;
    }
    if (teardown(1) < 0) {
      mres_fail(m, "%s: dtls_get_peer found no peer after handshake %ld",
                what, i);
      break;
    }
  }
  if (srv)
    free_ctx(&srv);
  if (cli)
    free_ctx(&cli);
  return m->ok ? 0 : -1;
}

void ours_memory(long peers, int mode, long churn, mres_t *m) {
  int with_data = mode >= 1;
  static unsigned char hello[16] = "idle peer hello";
  char err[200];
  long i;
  memset(m, 0, sizeof *m);
  m->ok = 1;
  m->peers = peers;
  ecdhe = 0;
  echo_mode = 0;
  reset_queue();
  /* Warm up the runtime and the code paths. */
  if (throwaway_handshakes(50, 0xF00000, "warm-up", m) < 0)
    return;

  new_ctx(&srv_node, &h_psk);
  new_ctx(&cli_node, &h_psk);
  if (!srv || !cli) {
    mres_fail(m, "dtls_new_context failed");
    return;
  }
  settle(100);
  m->golive_base = golive();
  settle(100);
  m->rss_base = rss_bytes();
  m->heap_base = malloc_inuse();
  m->go_base = goarena_rss();
  m->wall_ns = -now_ns();
  for (i = 0; i < peers; i++) {
    if (handshake((uint32_t)i, err, sizeof err) < 0) {
      mres_fail(m, "%s", err);
      break;
    }
    if (with_data) {
      if (dtls_write(cli, &srv_addr, hello, sizeof hello) != sizeof hello ||
          pump() < 0) {
        mres_fail(m, "dtls_write after handshake %ld failed", i);
        break;
      }
    }
    if (teardown(0) < 0) { /* the client forgets; the server keeps the peer */
      mres_fail(m, "no client peer after handshake %ld", i);
      break;
    }
  }
  m->wall_ns += now_ns();
  free_ctx(&cli);
  settle(100);
  m->rss_peers = rss_bytes();
  m->heap_peers = malloc_inuse();
  m->go_peers = goarena_rss();
  /* 2 s of an idle server's event loop: dtls_check_retransmit() every
   * 100 ms (nothing is due; the library may give memory back here). */
  for (i = 0; i < 20; i++) {
    clock_time_t next;
    dtls_check_retransmit(srv, &next);
    settle(100);
  }
  m->rss_idle = rss_bytes();
  m->go_idle = goarena_rss();
  m->golive_peers = golive(); /* after the RSS probes: a GC changes RSS */
  if (m->ok) {
    /* Sanity: the server still knows the first and the last client. */
    set_cli_addr(0);
    if (!dtls_get_peer(srv, &cli_addr))
      mres_fail(m, "server lost peer 0");
    set_cli_addr((uint32_t)(peers - 1));
    if (!dtls_get_peer(srv, &cli_addr))
      mres_fail(m, "server lost peer %ld", peers - 1);
  }
  free_ctx(&srv);
  m->rss_freed = rss_bytes();
  m->heap_freed = malloc_inuse();
  m->go_freed = goarena_rss();
  m->golive_freed = golive();
  settle(1000);
  m->rss_freed_1s = rss_bytes();
  m->go_freed_1s = goarena_rss();

  /* Churn: allocation drives Go's GC, which is what lets the scavenger
   * return the freed heap to the OS. */
  throwaway_handshakes(churn, 0xE00000, "churn", m);
  settle(1000);
  m->rss_churn = rss_bytes();
  m->go_churn = goarena_rss();
  m->heap_churn = malloc_inuse();
}

typedef int (*go_stats_fn)(go_stats_t *, int);

int ours_go_stats(go_stats_t *out, int gc) {
  static go_stats_fn fn;
  static int looked;
  if (!looked) {
    fn = (go_stats_fn)dlsym(RTLD_DEFAULT, "dtls_ext_go_stats");
    looked = 1;
  }
  memset(out, 0, sizeof *out);
  return fn ? fn(out, gc) : -1;
}

/*
 * The Go version the library was built with, read from the Go build info
 * embedded in the loaded library (or executable, when linked statically):
 * the 16-byte-aligned magic "\xff Go buildinf:", a pointer-size byte, a
 * flags byte (bit 1: strings inline) and, at offset 32, the version as a
 * uvarint-length-prefixed string. The library may be a C front that loads
 * the Go engine from a second shared object, so every loaded object whose
 * name contains "tinydtls" is searched (after a first context, which may
 * be what loads the engine), and then the executable.
 */
static int scan_go_version(const char *path, char *v, size_t vlen) {
  static const char magic[] = "\xff Go buildinf:";
  FILE *f = fopen(path, "rb");
  unsigned char *buf;
  long size, off;
  int found = 0;
  if (!f)
    return 0;
  fseek(f, 0, SEEK_END);
  size = ftell(f);
  fseek(f, 0, SEEK_SET);
  buf = size > 0 ? malloc((size_t)size) : NULL;
  if (buf && fread(buf, 1, (size_t)size, f) == (size_t)size) {
    for (off = 0; off + 64 < size; off += 16) {
      if (memcmp(buf + off, magic, 14) == 0 && (buf[off + 15] & 2)) {
        unsigned len = buf[off + 32];
        if (len < 0x80 && len < vlen && off + 33 + len < size) {
          memcpy(v, buf + off + 33, len);
          v[len] = 0;
          found = 1;
        }
        break;
      }
    }
  }
  free(buf);
  fclose(f);
  return found;
}

static int find_go_version(struct dl_phdr_info *info, size_t size, void *v) {
  (void)size;
  if (info->dlpi_name && strstr(info->dlpi_name, "tinydtls"))
    return scan_go_version(info->dlpi_name, v, 64);
  return 0;
}

const char *ours_go_version(void) {
  static char v[64] = "unknown";
  if (dl_iterate_phdr(find_go_version, v))
    return v;
  /* A front may load its engine with the first context. */
  dtls_free_context(dtls_new_context(NULL));
  if (!dl_iterate_phdr(find_go_version, v))
    scan_go_version("/proc/self/exe", v, sizeof v);
  return v;
}
