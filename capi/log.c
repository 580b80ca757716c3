/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dtls_debug.h: upstream's logging interface and line format. Messages go
 * to the application's handler if it set one, otherwise to stdout (stderr
 * for DTLS_LOG_CRIT and worse) as "Mon DD HH:MM:SS TAG message".
 *
 * Compiled twice: into the Go engine, and with TDTLS_FRONT into the C
 * front (capi/front), where a change of the level or handler is passed on
 * to the engine if it is loaded.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "capi.h"

#ifndef DTLS_DEBUG_BUF_SIZE
#define DTLS_DEBUG_BUF_SIZE 128
#endif

/* Read by the Go side before it formats a message. */
volatile int tdtls_log_level = DTLS_LOG_WARN;
static dtls_log_handler_t log_handler;

static const char *const level_tags[] = {"EMRG", "ALRT", "CRIT", "WARN",
                                         "NOTE", "INFO", "DEBG"};

const char *dtls_package_name(void) { return PACKAGE_NAME; }

const char *dtls_package_version(void) { return PACKAGE_VERSION; }

log_t dtls_get_log_level(void) { return (log_t)tdtls_log_level; }

void dtls_set_log_level(log_t level) {
  tdtls_log_level = (int)level;
#ifdef TDTLS_FRONT
  tdtls_front_log_changed();
#endif
}

void dtls_set_log_handler(dtls_log_handler_t app_handler) {
  log_handler = app_handler;
#ifdef TDTLS_FRONT
  tdtls_front_log_changed();
#endif
}

dtls_log_handler_t tdtls_current_log_handler(void) { return log_handler; }

static void emit(int level, const char *msg) {
  FILE *out;
  char stamp[32];
  time_t now;
  struct tm tm;

  if (log_handler) {
    log_handler((log_t)level, msg);
    return;
  }
  out = level <= DTLS_LOG_CRIT ? stderr : stdout;
  now = time(NULL);
  if (localtime_r(&now, &tm) && strftime(stamp, sizeof(stamp), "%b %d %H:%M:%S", &tm) > 0)
    fprintf(out, "%s ", stamp);
  if (level >= 0 && level <= DTLS_LOG_DEBUG)
    fprintf(out, "%s ", level_tags[level]);
  fputs(msg, out);
  fflush(out);
}

/* Formats into buf; a message that does not fit is cut and marked. */
static void format_into(char *buf, size_t size, const char *format,
                        va_list ap) {
  int n = vsnprintf(buf, size, format, ap);
  if (n >= (int)size && size > 5)
    memcpy(buf + size - 6, " ...\n", 6);
}

void dsrv_log(log_t level, const char *format, ...) {
  char buf[DTLS_DEBUG_BUF_SIZE];
  va_list ap;
  if (!format) {
    tdtls_arg_refused("dsrv_log", "format is NULL");
    return;
  }
  if ((int)level > tdtls_log_level)
    return;
  va_start(ap, format);
  format_into(buf, sizeof(buf), format, ap);
  va_end(ap);
  emit((int)level, buf);
}

int tdtls_arg_refused(const char *fn, const char *fmt, ...) {
  char what[DTLS_DEBUG_BUF_SIZE];
  va_list ap;
  if (tdtls_log_level < DTLS_LOG_WARN)
    return 1;
  va_start(ap, fmt);
  vsnprintf(what, sizeof(what), fmt, ap);
  va_end(ap);
  dsrv_log(DTLS_LOG_WARN, "%s: %s\n", fn, what);
  return 1;
}

/* Lines from the Go engine: longer than upstream's buffer is allowed, as a
 * crash report's stack trace would not fit. */
void tdtls_log_line(int level, const char *msg) {
  if (level > tdtls_log_level || !msg)
    return;
  emit(level, msg);
}

/* The classic hexdump layout upstream uses: rows of 16 bytes, each row
 * starting with its offset in 8 hex digits, a gap after the eighth byte,
 * every byte followed by a space. */
void hexdump(const unsigned char *packet, int length) {
  int n;
  if (!packet && length > 0)
    tdtls_arg_refused("hexdump", "packet is NULL with length %d", length);
  for (n = 0; packet && n < length; n++) {
    if (n % 16 == 0)
      printf("%08X ", n);
    printf("%02X ", packet[n]);
    if (n % 16 == 15)
      putchar('\n');
    else if (n % 8 == 7)
      putchar(' '); /* also after a last, eighth byte, as upstream */
  }
}

void dump(unsigned char *buf, size_t len) {
  size_t i;
  if (!buf && len > 0)
    tdtls_arg_refused("dump", "buf is NULL with len %zu", len);
  for (i = 0; buf && i < len; i++)
    printf("%02x", buf[i]);
}

/* Cuts a line that filled buf, as upstream marks one: " ...\n". */
static void mark_cut(char *line, size_t size) {
  memcpy(line + size - 6, " ...\n", 6);
}

/*
 * extend: a line "name: (N bytes):" and then the bytes in hexdump()'s rows,
 * one log line per row; otherwise one line "name: (N bytes): 0102...",
 * cut with " ..." where it would not fit DTLS_DEBUG_BUF_SIZE. Both as
 * upstream lays them out.
 */
void dtls_dsrv_hexdump_log(log_t level, const char *name,
                           const unsigned char *buf, size_t length,
                           int extend) {
  char line[DTLS_DEBUG_BUF_SIZE];
  size_t i, off;
  if ((int)level > tdtls_log_level)
    return;
  if (!name)
    name = "";
  if (!buf && length > 0) {
    tdtls_arg_refused("dtls_dsrv_hexdump_log",
                      "buf is NULL with length %zu (taken as empty)", length);
    length = 0;
  }
  if (extend) {
    if (snprintf(line, sizeof(line), "%s: (%zu bytes):\n", name, length) >= (int)sizeof(line))
      mark_cut(line, sizeof(line));
    emit((int)level, line);
    for (i = 0; i < length; i += 16) {
      size_t j;
      off = (size_t)snprintf(line, sizeof(line), "%08zX ", i);
      for (j = i; j < length && j < i + 16; j++) {
        off += (size_t)snprintf(line + off, sizeof(line) - off, "%02X ", buf[j]);
        if (j - i == 7)
          off += (size_t)snprintf(line + off, sizeof(line) - off, " ");
      }
      snprintf(line + off, sizeof(line) - off, "\n");
      emit((int)level, line);
    }
    return;
  }
  off = (size_t)snprintf(line, sizeof(line), "%s: (%zu bytes): ", name, length);
  if (off >= sizeof(line)) {
    /* a name too long for the line: cut like any long message */
    mark_cut(line, sizeof(line));
    emit((int)level, line);
    return;
  }
  for (i = 0; i < length && off + 1 < sizeof(line); i++)
    off += (size_t)snprintf(line + off, sizeof(line) - off, "%02X", buf[i]);
  if (off + 2 < sizeof(line))
    snprintf(line + off, sizeof(line) - off, "\n");
  else
    mark_cut(line, sizeof(line));
  emit((int)level, line);
}

/* Renders session's address as "addr:port" or "[addr]:port". */
static int format_addr(const session_t *s, char *out, size_t size) {
  char ip[INET6_ADDRSTRLEN];
  switch (s->addr.sa.sa_family) {
  case AF_INET:
    if (!inet_ntop(AF_INET, &s->addr.sin.sin_addr, ip, sizeof(ip)))
      return -1;
    return snprintf(out, size, "%s:%d", ip, ntohs(s->addr.sin.sin_port));
  case AF_INET6:
    if (!inet_ntop(AF_INET6, &s->addr.sin6.sin6_addr, ip, sizeof(ip)))
      return -1;
    return snprintf(out, size, "[%s]:%d", ip, ntohs(s->addr.sin6.sin6_port));
  default:
    return snprintf(out, size, "(unknown address family %d)",
                    s->addr.sa.sa_family);
  }
}

void dtls_dsrv_log_addr(log_t level, const char *name, const session_t *addr) {
  char text[INET6_ADDRSTRLEN + 16];
  if ((int)level > tdtls_log_level)
    return;
  if (!addr || format_addr(addr, text, sizeof(text)) < 0)
    snprintf(text, sizeof(text), "(no address)");
  dsrv_log(level, "%s: %s\n", name ? name : "", text);
}
