/*
 * dtls_debug.h -- logging.
 *
 * Messages at or below the level set with dtls_set_log_level() go to
 * the default handler (time stamp and level tag, CRIT and worse on
 * stderr, the rest on stdout) or to the handler installed with
 * dtls_set_log_handler().
 */
#ifndef _DTLS_DEBUG_H_
#define _DTLS_DEBUG_H_

#include <stdlib.h>

#include "tinydtls.h"
#include "global.h"
#include "session.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Stack usage probe of the Contiki port; a no-op here. */
static inline void check_stack(void) {
}

/* Severity levels, modelled on syslog. */
typedef enum {
  DTLS_LOG_EMERG = 0,
  DTLS_LOG_ALERT,
  DTLS_LOG_CRIT,
  DTLS_LOG_WARN,
  DTLS_LOG_NOTICE,
  DTLS_LOG_INFO,
  DTLS_LOG_DEBUG
} log_t;

/* "tinydtls" */
const char *dtls_package_name(void);

/* "x.y.z", at least 0.8.6 */
const char *dtls_package_version(void);

/* Current threshold; DTLS_LOG_WARN unless changed. */
log_t dtls_get_log_level(void);

void dtls_set_log_level(log_t level);

/*
 * Receives each formatted message (NUL-terminated) instead of the default
 * output.  dsrv_log() cuts messages to 127 characters; the library's own
 * lines may be longer.
 */
typedef void (*dtls_log_handler_t) (log_t level, const char *message);

/* Installs app_handler; NULL restores the default handler. */
void dtls_set_log_handler(dtls_log_handler_t app_handler);

/* printf-style logging at the given level. */
#if defined(__GNUC__) && !defined(__MINGW32__)
void dsrv_log(log_t level, const char *format, ...)
  __attribute__ ((format(printf, 2, 3)));
#else
void dsrv_log(log_t level, const char *format, ...);
#endif

/* Prints length bytes in a classic hexdump layout to stdout. */
void hexdump(const unsigned char *packet, int length);

/* Prints len bytes as one run of hex digits to stdout. */
void dump(unsigned char *buf, size_t len);

/* Logs name and buf as hex at level; extend selects hexdump() layout. */
void dtls_dsrv_hexdump_log(log_t level, const char *name,
                           const unsigned char *buf, size_t length,
                           int extend);

/* Logs name followed by the printable address in addr. */
void dtls_dsrv_log_addr(log_t level, const char *name, const session_t *addr);

#define dtls_emerg(...)  dsrv_log(DTLS_LOG_EMERG, __VA_ARGS__)
#define dtls_alert(...)  dsrv_log(DTLS_LOG_ALERT, __VA_ARGS__)
#define dtls_crit(...)   dsrv_log(DTLS_LOG_CRIT, __VA_ARGS__)
#define dtls_warn(...)   dsrv_log(DTLS_LOG_WARN, __VA_ARGS__)
#define dtls_notice(...) dsrv_log(DTLS_LOG_NOTICE, __VA_ARGS__)
#define dtls_info(...)   dsrv_log(DTLS_LOG_INFO, __VA_ARGS__)
#define dtls_debug(...)  dsrv_log(DTLS_LOG_DEBUG, __VA_ARGS__)
#define dtls_debug_hexdump(name, buf, length) \
  dtls_dsrv_hexdump_log(DTLS_LOG_DEBUG, name, buf, length, 1)
#define dtls_debug_dump(name, buf, length) \
  dtls_dsrv_hexdump_log(DTLS_LOG_DEBUG, name, buf, length, 0)

#ifdef __cplusplus
}
#endif

#endif /* _DTLS_DEBUG_H_ */
