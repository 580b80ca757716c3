/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * trim.c -- the engine's clean code pages leave an idle process (README
 * "Inside your process", "Memory"): after a handshake, one second without
 * calls and then a dtls_check_retransmit(), the resident part of the
 * read-only mappings of libtinydtls-engine.so (or, linked with
 * libtinydtls.a, of this program, whose Go part is most of it) must have
 * dropped to at most half; a byte the process wrote into one of them (as a debugger's
 * breakpoint does) must still be there; and the engine must still work.
 *
 *   trim          expects the drop
 *   trim --off    run with TINYDTLS_GO_TRIM=0: expects no drop
 *
 * Prints "trim: N passed, M failed"; exit status 0 when nothing failed.
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <unistd.h>

#include "link.h"

static int passed, failed;

static void check(int ok, const char *what) {
  printf("%s %s\n", ok ? "ok" : "FAIL", what);
  if (ok)
    passed++;
  else
    failed++;
}

/* The file holding the engine: libtinydtls-engine.so, or with
 * libtinydtls.a this program itself. */
static char engine_file[4096];

static void find_engine_file(void) {
  FILE *f = fopen("/proc/self/maps", "r");
  char line[4600];
  ssize_t n;
  while (f && fgets(line, sizeof(line), f)) {
    char *p = strstr(line, "/");
    if (p && strstr(p, "libtinydtls-engine")) {
      p[strcspn(p, "\n")] = '\0';
      snprintf(engine_file, sizeof(engine_file), "%s", p);
      fclose(f);
      return;
    }
  }
  if (f)
    fclose(f);
  n = readlink("/proc/self/exe", engine_file, sizeof(engine_file) - 1);
  engine_file[n > 0 ? n : 0] = '\0';
}

/* Resident kB of the engine file's mappings that are not writable, and
 * the address of its first one (the ELF header). */
static long engine_ro_rss(char **first) {
  FILE *f = fopen("/proc/self/smaps", "r");
  char line[4600], perms[8];
  unsigned long lo, hi;
  long total = 0, v;
  int in = 0;
  if (!f)
    return -1;
  if (first)
    *first = NULL;
  while (fgets(line, sizeof(line), f)) {
    if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) == 3) {
      char *p = strstr(line, "/");
      if (p)
        p[strcspn(p, "\n")] = '\0';
      in = p && engine_file[0] && strcmp(p, engine_file) == 0 && perms[1] != 'w';
      if (in && first && !*first)
        *first = (char *)lo;
    } else if (in && sscanf(line, "Rss: %ld", &v) == 1) {
      total += v;
    }
  }
  fclose(f);
  return total;
}

int main(int argc, char **argv) {
  int off = argc > 1 && strcmp(argv[1], "--off") == 0;
  long before, after;
  char *hdr;
  long pg = sysconf(_SC_PAGESIZE);
  clock_time_t next;
  link_t l;

  if (off)
    setenv("TINYDTLS_GO_TRIM", "0", 1);
  dtls_init();
  check(link_up(&l, 31000), "a handshake before going idle");
  find_engine_file();
  printf("engine file: %s\n", engine_file);
  before = engine_ro_rss(&hdr);
  check(before > 0 && hdr != NULL, "the engine's read-only mappings are found");
  printf("figure: engine read-only RSS after the handshake: %ld kB\n", before);

  /* The ELF header's padding bytes (e_ident[9..15]) are read by nobody.
   * (With libtinydtls.a the header is the program's, outside what the
   * front trims, so there this shows only that it is left alone.) */
  if (hdr && mprotect(hdr, (size_t)pg, PROT_READ | PROT_WRITE) == 0) {
    hdr[15] = (char)0xA5;
    mprotect(hdr, (size_t)pg, PROT_READ);
  } else {
    check(0, "the engine's first page can be written for the test");
  }

  dtls_check_retransmit(l.ctx[0], &next); /* the handshake's calls seen */
  usleep(1200 * 1000);
  dtls_check_retransmit(l.ctx[0], &next); /* quiet for a second: trims */
  after = engine_ro_rss(NULL);
  printf("figure: engine read-only RSS after a quiet second and a check: %ld kB (TINYDTLS_GO_TRIM %s)\n",
         after, off ? "0" : "unset");
  if (off)
    check(after * 10 >= before * 9, "TINYDTLS_GO_TRIM=0: the pages stay");
  else
    check(after * 2 <= before, "the clean pages left the process (at most half stay)");
  check(hdr && hdr[15] == (char)0xA5, "a page the process wrote keeps what was written");
  if (!off) {
    /* The front answers an idle loop's checks itself: the engine (and the
     * Go runtime, whose threads a call into Go wakes) stays out. */
    int i;
    long idle;
    for (i = 0; i < 50; i++) {
      dtls_check_retransmit(l.ctx[0], &next);
      usleep(10 * 1000);
    }
    idle = engine_ro_rss(NULL);
    printf("figure: engine read-only RSS after 50 more idle checks: %ld kB\n", idle);
    check(idle * 2 <= before, "idle checks do not bring the engine's pages back");
  }
  check(dtls_write(l.ctx[0], &l.addr[1], (uint8 *)LINK_RECORD, 16) == 16 &&
            (link_pump(&l), l.bytes == 16 && !l.badbytes),
        "a record after the trim arrives");
  link_down(&l);
  check(link_round(31010, 3), "a new handshake after the trim");

  /* A retransmission is still made when it is due while the checks before
   * it are answered without the engine: the ClientHello is lost, and the
   * loop only calls dtls_check_retransmit(). */
  {
    dtls_tick_t t0, t;
    clock_time_t first = 0;
    int i, sent = 0;
    memset(&l, 0, sizeof(l));
    l.ctx[0] = dtls_new_context(&l);
    check(l.ctx[0] != NULL, "a new client context");
    if (!l.ctx[0])
      goto out;
    dtls_set_handler(l.ctx[0], &link_handler);
    dtls_session_init(&l.addr[1]);
    l.addr[1].addr.sin.sin_family = AF_INET;
    l.addr[1].addr.sin.sin_addr.s_addr = htonl(0x7f000001);
    l.addr[1].addr.sin.sin_port = htons(31021);
    l.addr[1].size = sizeof(l.addr[1].addr.sin);
    dtls_ticks(&t0);
    check(dtls_connect(l.ctx[0], &l.addr[1]) > 0 && l.tail == 1, "the ClientHello is sent");
    l.head = l.tail; /* and lost */
    for (i = 0; i < 400 && !sent; i++) {
      dtls_check_retransmit(l.ctx[0], &next);
      if (!first)
        first = next;
      sent = l.tail > l.head;
      if (!sent)
        usleep(10 * 1000);
    }
    dtls_ticks(&t);
    printf("figure: lost ClientHello retransmitted after %ld ms (first deadline +%ld ms)\n",
           (long)(t - t0), first ? (long)(first - t0) : -1L);
    /* t was read after the call that sent it; DTLS_IS_BEFORE_TIME is
     * "not later than", so this holds from the deadline's own tick on. */
    check(sent && first != 0 && DTLS_IS_BEFORE_TIME(first, t),
          "a lost ClientHello is sent again at its deadline, not before");
    link_down(&l);
  }
out:
  printf("trim: %d passed, %d failed\n", passed, failed);
  return failed != 0;
}
