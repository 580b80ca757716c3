/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench_ossl.c -- the same workloads with OpenSSL's DTLS 1.2.
 *
 * Transport: a BIO method of our own with datagram semantics, the
 * counterpart of bench_ours.c's write callback: BIO_write copies one
 * datagram into the other side's queue, BIO_read hands out one queued
 * datagram (or asks to retry). OpenSSL 3.0 has no in-memory datagram BIO
 * (BIO_s_dgram_mem arrived in 3.2) and a plain memory BIO would merge
 * datagrams.
 *
 * Settings chosen to match tinydtls's: DTLS 1.2 only, the cookie exchange
 * (SSL_OP_COOKIE_EXCHANGE with HMAC-SHA256 cookie callbacks), no session
 * tickets, no session cache, MTU 1400, P-256 only, ECDSA+SHA256 only.
 */
#define _GNU_SOURCE
#include "bench.h"

#ifdef BENCH_NO_OPENSSL
/* Built without OpenSSL's headers (bench/run.sh found none): every
 * OpenSSL column reads n/a. */
#include <stdio.h>
#include <string.h>

static void none(bres_t *r) {
  memset(r, 0, sizeof *r);
  bres_fail(r, "built without OpenSSL (no libssl-dev)");
}
int ossl_init(void) { return 0; }
const char *ossl_version(void) { return "none (built without libssl-dev)"; }
void ossl_psk_handshakes(long n, bres_t *r) { (void)n; none(r); }
void ossl_ecdhe_handshakes(long n, bres_t *r) { (void)n; none(r); }
void ossl_records(size_t len, long n, int echo, bres_t *r) {
  (void)len; (void)n; (void)echo; none(r);
}
void ossl_memory(long peers, int mode, long churn, mres_t *m) {
  (void)peers; (void)mode; (void)churn;
  memset(m, 0, sizeof *m);
  mres_fail(m, "built without OpenSSL (no libssl-dev)");
}
void ossl_ctx_cycles(long n, bres_t *r) { (void)n; none(r); }
void ossl_fresh_psk(long n, bres_t *r) { (void)n; none(r); }
#else

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define QN 64
#define DG_MAX 1536
#define MTU 1400

typedef struct {
  unsigned char buf[QN][DG_MAX];
  size_t len[QN];
  unsigned head, tail;
  int overflow;
} dgq_t;

static dgq_t to_srv, to_cli;
static int drop;
static long dg_cs, dg_sc, cookie_gens, cookie_verifies;
static double wire_cs, wire_sc;

/* BIO data: where reads come from and writes go to. */
typedef struct {
  dgq_t *in, *out;
} qbio_t;

static BIO_METHOD *qmeth;

static int qbio_write(BIO *b, const char *data, int len) {
  qbio_t *d = BIO_get_data(b);
  dgq_t *q = d->out;
  BIO_clear_retry_flags(b);
  if (drop)
    return len;
  if (q->tail - q->head >= QN || len > DG_MAX) {
    q->overflow = 1;
    return len; /* a lost datagram, as UDP would */
  }
  memcpy(q->buf[q->tail % QN], data, (size_t)len);
  q->len[q->tail % QN] = (size_t)len;
  q->tail++;
  if (q == &to_srv) {
    dg_cs++;
    wire_cs += len;
  } else {
    dg_sc++;
    wire_sc += len;
  }
  return len;
}

static int qbio_read(BIO *b, char *out, int outl) {
  qbio_t *d = BIO_get_data(b);
  dgq_t *q = d->in;
  size_t n;
  BIO_clear_retry_flags(b);
  if (q->head == q->tail) {
    BIO_set_retry_read(b);
    return -1;
  }
  n = q->len[q->head % QN];
  if (n > (size_t)outl)
    n = (size_t)outl; /* truncated, as recv() would */
  memcpy(out, q->buf[q->head % QN], n);
  q->head++;
  return (int)n;
}

static long qbio_ctrl(BIO *b, int cmd, long num, void *ptr) {
  qbio_t *d = BIO_get_data(b);
  (void)num;
  (void)ptr;
  switch (cmd) {
  case BIO_CTRL_FLUSH:
    return 1;
  case BIO_CTRL_PENDING:
    return d && d->in->head != d->in->tail ? (long)d->in->len[d->in->head % QN]
                                           : 0;
  case BIO_CTRL_WPENDING:
    return 0;
  case BIO_CTRL_DGRAM_QUERY_MTU:
  case BIO_CTRL_DGRAM_GET_FALLBACK_MTU:
    return MTU;
  case BIO_CTRL_DGRAM_GET_MTU_OVERHEAD:
    return 0;
  default:
    return 0;
  }
}

static int qbio_create(BIO *b) {
  BIO_set_init(b, 1);
  return 1;
}

static int qbio_destroy(BIO *b) {
  free(BIO_get_data(b));
  BIO_set_data(b, NULL);
  return 1;
}

static BIO *qbio_new(dgq_t *in, dgq_t *out) {
  BIO *b = BIO_new(qmeth);
  qbio_t *d = malloc(sizeof *d);
  if (!b || !d) {
    BIO_free(b);
    free(d);
    return NULL;
  }
  d->in = in;
  d->out = out;
  BIO_set_data(b, d);
  return b;
}

/* ---- credentials and callbacks ---- */

static const char psk_id[] = "Client_identity";
static const char psk_key[] = "secretPSK";
static unsigned char cookie_secret[32];

static unsigned int psk_client_cb(SSL *s, const char *hint, char *identity,
                                  unsigned int max_id, unsigned char *psk,
                                  unsigned int max_psk) {
  (void)s;
  (void)hint;
  if (max_id < sizeof psk_id || max_psk < sizeof psk_key - 1)
    return 0;
  memcpy(identity, psk_id, sizeof psk_id); /* NUL-terminated */
  memcpy(psk, psk_key, sizeof psk_key - 1);
  return sizeof psk_key - 1;
}

static unsigned int psk_server_cb(SSL *s, const char *identity,
                                  unsigned char *psk, unsigned int max_psk) {
  (void)s;
  if (!identity || strcmp(identity, psk_id) != 0 ||
      max_psk < sizeof psk_key - 1)
    return 0;
  memcpy(psk, psk_key, sizeof psk_key - 1);
  return sizeof psk_key - 1;
}

/* Cookie = HMAC-SHA256(secret, client id)[0..16), the client id standing in
 * for its transport address (SSL app data). */
static int cookie_gen(SSL *s, unsigned char *cookie, unsigned int *len) {
  uintptr_t id = (uintptr_t)SSL_get_app_data(s);
  unsigned char mac[32];
  unsigned int maclen = sizeof mac;
  cookie_gens++;
  if (!HMAC(EVP_sha256(), cookie_secret, sizeof cookie_secret,
            (const unsigned char *)&id, sizeof id, mac, &maclen))
    return 0;
  memcpy(cookie, mac, 16);
  *len = 16;
  return 1;
}

static int cookie_verify(SSL *s, const unsigned char *cookie,
                         unsigned int len) {
  unsigned char want[16];
  unsigned int wl;
  cookie_verifies++;
  if (!cookie_gen(s, want, &wl))
    return 0;
  return len == wl && CRYPTO_memcmp(cookie, want, wl) == 0;
}

static int accept_all(int ok, X509_STORE_CTX *x) {
  (void)ok;
  (void)x;
  return 1;
}

static EVP_PKEY *srv_pkey, *cli_pkey;
static X509 *srv_cert, *cli_cert;

static X509 *self_signed(EVP_PKEY *k, const char *cn) {
  X509 *x = X509_new();
  X509_NAME *name;
  if (!x)
    return NULL;
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
  X509_gmtime_adj(X509_getm_notBefore(x), 0);
  X509_gmtime_adj(X509_getm_notAfter(x), 365L * 86400);
  X509_set_pubkey(x, k);
  name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn,
                             -1, -1, 0);
  X509_set_issuer_name(x, name);
  if (!X509_sign(x, k, EVP_sha256())) {
    X509_free(x);
    return NULL;
  }
  return x;
}

int ossl_init(void) {
  qmeth = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "dgqueue");
  if (!qmeth)
    return -1;
  BIO_meth_set_write(qmeth, qbio_write);
  BIO_meth_set_read(qmeth, qbio_read);
  BIO_meth_set_ctrl(qmeth, qbio_ctrl);
  BIO_meth_set_create(qmeth, qbio_create);
  BIO_meth_set_destroy(qmeth, qbio_destroy);
  if (RAND_bytes(cookie_secret, sizeof cookie_secret) != 1)
    return -1;
  srv_pkey = EVP_EC_gen("P-256");
  cli_pkey = EVP_EC_gen("P-256");
  if (!srv_pkey || !cli_pkey)
    return -1;
  srv_cert = self_signed(srv_pkey, "bench-server");
  cli_cert = self_signed(cli_pkey, "bench-client");
  return srv_cert && cli_cert ? 0 : -1;
}

const char *ossl_version(void) { return OpenSSL_version(OPENSSL_VERSION); }

static void ssl_err(bres_t *r, const char *what) {
  char buf[160];
  unsigned long e = ERR_get_error();
  ERR_error_string_n(e, buf, sizeof buf);
  bres_fail(r, "%s: %s", what, e ? buf : "(no OpenSSL error)");
  ERR_clear_error();
}

static SSL_CTX *make_ctx(int server, int use_ecdhe) {
  SSL_CTX *c = SSL_CTX_new(server ? DTLS_server_method() : DTLS_client_method());
  if (!c)
    return NULL;
  SSL_CTX_set_min_proto_version(c, DTLS1_2_VERSION);
  SSL_CTX_set_max_proto_version(c, DTLS1_2_VERSION);
  SSL_CTX_set_options(c, SSL_OP_NO_TICKET | SSL_OP_NO_QUERY_MTU |
                             (server ? SSL_OP_COOKIE_EXCHANGE : 0));
  SSL_CTX_set_session_cache_mode(c, SSL_SESS_CACHE_OFF);
  if (use_ecdhe) {
    if (!SSL_CTX_set_cipher_list(c, "ECDHE-ECDSA-AES128-CCM8") ||
        !SSL_CTX_set1_groups_list(c, "P-256") ||
        !SSL_CTX_set1_sigalgs_list(c, "ECDSA+SHA256") ||
        !SSL_CTX_use_certificate(c, server ? srv_cert : cli_cert) ||
        !SSL_CTX_use_PrivateKey(c, server ? srv_pkey : cli_pkey))
      goto fail;
    SSL_CTX_set_verify(c,
                       server ? SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT
                              : SSL_VERIFY_PEER,
                       accept_all);
  } else {
    if (!SSL_CTX_set_cipher_list(c, "PSK-AES128-CCM8"))
      goto fail;
    if (server)
      SSL_CTX_set_psk_server_callback(c, psk_server_cb);
    else
      SSL_CTX_set_psk_client_callback(c, psk_client_cb);
  }
  if (server) {
    SSL_CTX_set_cookie_generate_cb(c, cookie_gen);
    SSL_CTX_set_cookie_verify_cb(c, cookie_verify);
  }
  return c;
fail:
  SSL_CTX_free(c);
  return NULL;
}

static SSL *make_ssl(SSL_CTX *c, int server, uintptr_t id) {
  SSL *s = SSL_new(c);
  BIO *b;
  if (!s)
    return NULL;
  b = server ? qbio_new(&to_srv, &to_cli) : qbio_new(&to_cli, &to_srv);
  if (!b) {
    SSL_free(s);
    return NULL;
  }
  SSL_set_bio(s, b, b);
  SSL_set_mtu(s, MTU);
  SSL_set_app_data(s, (void *)id);
  if (server)
    SSL_set_accept_state(s);
  else
    SSL_set_connect_state(s);
  return s;
}

static void reset_queues(void) {
  to_srv.head = to_srv.tail = 0;
  to_cli.head = to_cli.tail = 0;
  to_srv.overflow = to_cli.overflow = 0;
}

/* Runs both sides until both finished the handshake; 0 on success. */
static int handshake(SSL *c, SSL *s, bres_t *r) {
  int done_c = 0, done_s = 0, rounds;
  for (rounds = 0; rounds < 64; rounds++) {
    if (!done_c) {
      int rc = SSL_do_handshake(c);
      if (rc == 1)
        done_c = 1;
      else if (SSL_get_error(c, rc) != SSL_ERROR_WANT_READ) {
        ssl_err(r, "client handshake");
        return -1;
      }
    }
    if (!done_s) {
      int rc = SSL_do_handshake(s);
      if (rc == 1)
        done_s = 1;
      else if (SSL_get_error(s, rc) != SSL_ERROR_WANT_READ) {
        ssl_err(r, "server handshake");
        return -1;
      }
    }
    if (done_c && done_s && to_srv.head == to_srv.tail &&
        to_cli.head == to_cli.tail)
      return 0;
  }
  bres_fail(r, "handshake did not finish in 64 rounds");
  return -1;
}

/* What the first handshake negotiated must be what we meant to measure. */
static int check_session(SSL *c, SSL *s, int use_ecdhe, bres_t *r) {
  const char *want = use_ecdhe ? "ECDHE-ECDSA-AES128-CCM8" : "PSK-AES128-CCM8";
  const char *got = SSL_CIPHER_get_name(SSL_get_current_cipher(s));
  if (SSL_version(s) != DTLS1_2_VERSION || !got || strcmp(got, want) != 0) {
    bres_fail(r, "negotiated %s / 0x%x, want %s / DTLS 1.2",
              got ? got : "nothing", SSL_version(s), want);
    return -1;
  }
  if (use_ecdhe && (!SSL_get0_peer_certificate(s) ||
                    !SSL_get0_peer_certificate(c))) {
    bres_fail(r, "authentication is not mutual");
    return -1;
  }
  if (!use_ecdhe && (!SSL_get_psk_identity(s) ||
                     strcmp(SSL_get_psk_identity(s), psk_id) != 0)) {
    bres_fail(r, "server saw no PSK identity");
    return -1;
  }
  return 0;
}

static void handshakes(long n, int use_ecdhe, bres_t *r) {
  SSL_CTX *cs = make_ctx(1, use_ecdhe), *cc = make_ctx(0, use_ecdhe);
  long i;
  memset(r, 0, sizeof *r);
  r->ok = 1;
  reset_queues();
  if (!cs || !cc) {
    ssl_err(r, "SSL_CTX setup");
    goto out;
  }
  dg_cs = dg_sc = 0;
  wire_cs = wire_sc = 0;
  cookie_gens = cookie_verifies = 0;
  timer_start(r);
  for (i = 0; i < n; i++) {
    SSL *s = make_ssl(cs, 1, (uintptr_t)i + 1);
    SSL *c = make_ssl(cc, 0, 0);
    int rc = s && c ? handshake(c, s, r) : -1;
    if (!s || !c)
      ssl_err(r, "SSL_new");
    if (rc == 0 && i == 0)
      rc = check_session(c, s, use_ecdhe, r);
    SSL_free(c);
    SSL_free(s);
    if (rc < 0)
      break;
  }
  timer_stop(r);
  r->ops = i;
  r->dg_cs = dg_cs;
  r->dg_sc = dg_sc;
  r->wire_cs = wire_cs;
  r->wire_sc = wire_sc;
  r->go_mallocs = -1;
  if (r->ok && (cookie_gens < i || cookie_verifies < i))
    bres_fail(r, "cookie exchange not done: %ld cookies made, %ld verified "
              "in %ld handshakes", cookie_gens, cookie_verifies, i);
out:
  SSL_CTX_free(cs);
  SSL_CTX_free(cc);
}

void ossl_psk_handshakes(long n, bres_t *r) { handshakes(n, 0, r); }
void ossl_ecdhe_handshakes(long n, bres_t *r) { handshakes(n, 1, r); }

/* The SSL_CTX is OpenSSL's counterpart of a dtls_context_t: the settings
 * and credentials every connection of an endpoint shares. */
void ossl_ctx_cycles(long n, bres_t *r) {
  long i;
  memset(r, 0, sizeof *r);
  r->ok = 1;
  r->go_mallocs = -1;
  timer_start(r);
  for (i = 0; i < n; i++) {
    SSL_CTX *c = make_ctx(1, 0);
    if (!c) {
      ssl_err(r, "SSL_CTX setup");
      break;
    }
    SSL_CTX_free(c);
  }
  timer_stop(r);
  r->ops = i;
}

void ossl_fresh_psk(long n, bres_t *r) {
  long i;
  memset(r, 0, sizeof *r);
  r->ok = 1;
  reset_queues();
  dg_cs = dg_sc = 0;
  wire_cs = wire_sc = 0;
  cookie_gens = cookie_verifies = 0;
  timer_start(r);
  for (i = 0; i < n; i++) {
    SSL_CTX *cs = make_ctx(1, 0), *cc = make_ctx(0, 0);
    SSL *s = cs ? make_ssl(cs, 1, (uintptr_t)i + 1) : NULL;
    SSL *c = cc ? make_ssl(cc, 0, 0) : NULL;
    int rc = s && c ? handshake(c, s, r) : -1;
    if (!s || !c)
      ssl_err(r, "SSL_CTX/SSL setup");
    if (rc == 0 && i == 0)
      rc = check_session(c, s, 0, r);
    SSL_free(c);
    SSL_free(s);
    SSL_CTX_free(cs);
    SSL_CTX_free(cc);
    if (rc < 0)
      break;
  }
  timer_stop(r);
  r->ops = i;
  r->dg_cs = dg_cs;
  r->dg_sc = dg_sc;
  r->wire_cs = wire_cs;
  r->wire_sc = wire_sc;
  r->go_mallocs = -1;
  if (r->ok && (cookie_gens < i || cookie_verifies < i))
    bres_fail(r, "cookie exchange not done: %ld cookies made, %ld verified "
              "in %ld handshakes", cookie_gens, cookie_verifies, i);
}

void ossl_records(size_t len, long n, int echo, bres_t *r) {
  static unsigned char payload[16384], rbuf[16384 + 64];
  SSL_CTX *cs = make_ctx(1, 0), *cc = make_ctx(0, 0);
  SSL *s = NULL, *c = NULL;
  long i, records = 0;
  double bytes = 0;
  memset(r, 0, sizeof *r);
  r->ok = 1;
  reset_queues();
  if (!cs || !cc) {
    ssl_err(r, "SSL_CTX setup");
    goto out;
  }
  s = make_ssl(cs, 1, 1);
  c = make_ssl(cc, 0, 0);
  if (!s || !c || handshake(c, s, r) < 0)
    goto out;
  memset(payload, 0xa5, len);
  dg_cs = dg_sc = 0;
  wire_cs = wire_sc = 0;
  timer_start(r);
  for (i = 0; i < n; i++) {
    int rc = SSL_write(c, payload, (int)len);
    if (rc != (int)len) {
      ssl_err(r, "SSL_write");
      break;
    }
    rc = SSL_read(s, rbuf, sizeof rbuf);
    if (rc <= 0) {
      ssl_err(r, "SSL_read (server)");
      break;
    }
    bytes += rc;
    records++;
    if (echo) {
      if (SSL_write(s, rbuf, rc) != rc) {
        ssl_err(r, "SSL_write (echo)");
        break;
      }
      rc = SSL_read(c, rbuf, sizeof rbuf);
      if (rc <= 0) {
        ssl_err(r, "SSL_read (client)");
        break;
      }
      bytes += rc;
      records++;
    }
  }
  timer_stop(r);
  r->ops = i;
  r->bytes = bytes;
  r->dg_cs = dg_cs;
  r->dg_sc = dg_sc;
  r->wire_cs = wire_cs;
  r->wire_sc = wire_sc;
  r->go_mallocs = -1;
  if (r->ok && records != (echo ? 2 : 1) * n)
    bres_fail(r, "%ld records read, expected %ld", records, (echo ? 2 : 1) * n);
out:
  SSL_free(c);
  SSL_free(s);
  SSL_CTX_free(cs);
  SSL_CTX_free(cc);
}

/* n handshakes on fresh SSL pairs, each freed at once; server ids (the
 * stand-in for client addresses) from id0 on. */
static int throwaway_handshakes(SSL_CTX *cs, SSL_CTX *cc, long n, uintptr_t id0,
                                const char *what, mres_t *m) {
  bres_t r;
  long i;
  memset(&r, 0, sizeof r);
  r.ok = 1;
  for (i = 0; i < n; i++) {
    SSL *s = make_ssl(cs, 1, id0 + (uintptr_t)i);
    SSL *c = make_ssl(cc, 0, 0);
    int rc = s && c ? handshake(c, s, &r) : -1;
    if (!s || !c)
      ssl_err(&r, "SSL_new");
    SSL_free(c);
    SSL_free(s);
    if (rc < 0) {
      mres_fail(m, "%s: %s", what, r.err);
      return -1;
    }
  }
  return 0;
}

void ossl_memory(long peers, int mode, long churn, mres_t *m) {
  int with_data = mode >= 1;
  static unsigned char hello[16] = "idle peer hello", rbuf[256];
  SSL_CTX *cs = make_ctx(1, 0), *cc = make_ctx(0, 0);
  SSL **srvs = calloc((size_t)peers, sizeof(SSL *));
  bres_t r;
  long i;
  memset(m, 0, sizeof *m);
  memset(&r, 0, sizeof r);
  r.ok = 1;
  m->ok = 1;
  m->peers = peers;
  reset_queues();
  if (!cs || !cc || !srvs) {
    mres_fail(m, "setup failed");
    goto out;
  }
  if (mode == 2)
    SSL_CTX_set_mode(cs, SSL_MODE_RELEASE_BUFFERS);
  /* Warm-up, as for ours. */
  if (throwaway_handshakes(cs, cc, 50, 0x7000000, "warm-up", m) < 0)
    goto out;
  settle(100);
  m->rss_base = rss_bytes();
  m->heap_base = malloc_inuse();
  m->wall_ns = -now_ns();
  for (i = 0; i < peers; i++) {
    SSL *c = make_ssl(cc, 0, 0);
    srvs[i] = make_ssl(cs, 1, (uintptr_t)i + 1);
    if (!c || !srvs[i] || handshake(c, srvs[i], &r) < 0) {
      mres_fail(m, "handshake %ld: %s", i, r.err);
      SSL_free(c);
      break;
    }
    if (with_data) {
      if (SSL_write(c, hello, sizeof hello) != sizeof hello ||
          SSL_read(srvs[i], rbuf, sizeof rbuf) != sizeof hello) {
        mres_fail(m, "record after handshake %ld failed", i);
        SSL_free(c);
        break;
      }
    }
    SSL_free(c);
  }
  m->wall_ns += now_ns();
  settle(100);
  m->rss_peers = rss_bytes();
  m->heap_peers = malloc_inuse();
  settle(2000); /* as ours: 2 s of an idle server (no timers to run) */
  m->rss_idle = rss_bytes();
  drop = 1;
  for (i = 0; i < peers; i++)
    SSL_free(srvs[i]);
  drop = 0;
  m->rss_freed = rss_bytes();
  m->heap_freed = malloc_inuse();
  settle(1000);
  m->rss_freed_1s = rss_bytes();
  throwaway_handshakes(cs, cc, churn, 0x6000000, "churn", m);
  settle(1000);
  m->rss_churn = rss_bytes();
  m->heap_churn = malloc_inuse();
out:
  free(srvs);
  SSL_CTX_free(cs);
  SSL_CTX_free(cc);
}

#endif /* BENCH_NO_OPENSSL */
