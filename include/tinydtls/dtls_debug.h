/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file dtls_debug.h
 * @brief Logging: levels, the log handler and upstream's logging and
 *        hex-dump helpers.
 *
 * The library logs through one process-wide level and handler, shared by
 * all contexts. Messages at or below the level set with
 * dtls_set_log_level() go to the handler installed with
 * dtls_set_log_handler(), or else to the default output, upstream's
 * format: `Mon DD HH:MM:SS TAG message` (TAG one of EMRG ALRT CRIT WARN
 * NOTE INFO DEBG) on stdout, or on stderr for #DTLS_LOG_CRIT and worse,
 * flushed line by line.
 *
 * Unlike upstream, where an NDEBUG build turns these functions into stubs
 * and drops dtls_set_log_handler(), they always work.
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

/** @brief Upstream's stack usage probe for Contiki; does nothing here. */
static inline void check_stack(void) {
}

/** @brief Log levels, modelled on syslog: lower is more severe. */
typedef enum {
  DTLS_LOG_EMERG = 0,   /**< The system is unusable. */
  DTLS_LOG_ALERT,       /**< Immediate action needed. */
  DTLS_LOG_CRIT,        /**< Critical: e.g. a context used from two threads at once, or an internal error caught by the library. */
  DTLS_LOG_WARN,        /**< Warnings: failed handshakes, refused calls and settings (the default level). */
  DTLS_LOG_NOTICE,      /**< Normal but significant events. */
  DTLS_LOG_INFO,        /**< Informational: received alerts, associations replaced. */
  DTLS_LOG_DEBUG        /**< Protocol details, one line per message or record. */
} log_t;

/**
 * @brief The package name.
 * @return "tinydtls", a static string (do not free it).
 */
const char *dtls_package_name(void);

/**
 * @brief The version of the API this library implements.
 * @return "0.8.6" (#PACKAGE_VERSION), a static string (do not free it).
 */
const char *dtls_package_version(void);

/**
 * @brief The current log level. Safe from any thread.
 * @return The level; #DTLS_LOG_WARN unless changed.
 */
log_t dtls_get_log_level(void);

/**
 * @brief Sets the log level of the whole process: messages at @p level or
 *        more severe are logged.
 *
 * Takes effect at once for every context; safe to call at any time from
 * any thread.
 *
 * @param level The new level, #DTLS_LOG_EMERG to #DTLS_LOG_DEBUG.
 */
void dtls_set_log_level(log_t level);

/**
 * @brief A log handler: receives each message instead of the default
 *        output.
 *
 * Called on the thread that logs, which is the thread of the library call
 * in progress: with several contexts in several threads it may be called
 * concurrently and must be thread-safe. It must not log through the
 * library itself.
 *
 * @param level   The message's level.
 * @param message The formatted message, NUL-terminated, normally ending
 *                in a newline; only valid during the call. dsrv_log() cuts
 *                messages to 127 characters; the library's own lines may
 *                be longer.
 */
typedef void (*dtls_log_handler_t) (log_t level, const char *message);

/**
 * @brief Installs a log handler for the whole process.
 *
 * Not synchronised with logging in progress: install it before other
 * threads use the library.
 *
 * @param app_handler The handler; NULL restores the default output.
 */
void dtls_set_log_handler(dtls_log_handler_t app_handler);

#if defined(__GNUC__) && !defined(__MINGW32__)
/**
 * @brief Logs a printf-style message at a level.
 *
 * The message is formatted into a 128-byte buffer: longer messages are cut
 * to 127 characters and end in " ...\n". Nothing happens when @p level is
 * less severe than the current level or @p format is NULL. Safe from any
 * thread.
 *
 * @param level  The message's level.
 * @param format The printf format; include the trailing newline.
 * @param ...    The values for @p format.
 */
void dsrv_log(log_t level, const char *format, ...)
  __attribute__ ((format(printf, 2, 3)));
#else
/* The same function, declared without the GNU format attribute. */
void dsrv_log(log_t level, const char *format, ...);
#endif

/**
 * @brief Prints bytes as upper-case hex pairs to stdout (not to the log
 *        handler, whatever the log level): separated by spaces, a newline
 *        after every 16 bytes.
 *
 * @param packet The bytes; NULL prints nothing.
 * @param length How many.
 */
void hexdump(const unsigned char *packet, int length);

/**
 * @brief Prints bytes as one run of lower-case hex digits to stdout (not
 *        to the log handler), without a newline.
 *
 * @param buf The bytes; NULL prints nothing.
 * @param len How many.
 */
void dump(unsigned char *buf, size_t len);

/**
 * @brief Logs a buffer in hex at a level.
 *
 * With @p extend, a line `name: (N bytes):` is followed by one line per
 * 16 bytes (`0000: 01 02 ...`); without it, one line
 * `name: (N bytes): 0102...`, cut with " ..." where it would exceed 127
 * characters.
 *
 * @param level  The level.
 * @param name   A label; NULL logs an empty one.
 * @param buf    The bytes; NULL logs 0 bytes.
 * @param length How many.
 * @param extend Non-zero for the multi-line layout.
 */
void dtls_dsrv_hexdump_log(log_t level, const char *name,
                           const unsigned char *buf, size_t length,
                           int extend);

/**
 * @brief Logs a label and an address, `name: 192.0.2.1:5684` or
 *        `name: [2001:db8::1]:5684`.
 *
 * @param level The level.
 * @param name  The label; NULL logs an empty one.
 * @param addr  The address; NULL logs "(no address)".
 */
void dtls_dsrv_log_addr(log_t level, const char *name, const session_t *addr);

/** @name Logging shorthands
 *  dsrv_log() at a fixed level, as upstream.
 *  @{ */
/** @brief Logs at #DTLS_LOG_EMERG.
 *  @param ... A printf format and its values. */
#define dtls_emerg(...)  dsrv_log(DTLS_LOG_EMERG, __VA_ARGS__)
/** @brief Logs at #DTLS_LOG_ALERT.
 *  @param ... A printf format and its values. */
#define dtls_alert(...)  dsrv_log(DTLS_LOG_ALERT, __VA_ARGS__)
/** @brief Logs at #DTLS_LOG_CRIT.
 *  @param ... A printf format and its values. */
#define dtls_crit(...)   dsrv_log(DTLS_LOG_CRIT, __VA_ARGS__)
/** @brief Logs at #DTLS_LOG_WARN.
 *  @param ... A printf format and its values. */
#define dtls_warn(...)   dsrv_log(DTLS_LOG_WARN, __VA_ARGS__)
/** @brief Logs at #DTLS_LOG_NOTICE.
 *  @param ... A printf format and its values. */
#define dtls_notice(...) dsrv_log(DTLS_LOG_NOTICE, __VA_ARGS__)
/** @brief Logs at #DTLS_LOG_INFO.
 *  @param ... A printf format and its values. */
#define dtls_info(...)   dsrv_log(DTLS_LOG_INFO, __VA_ARGS__)
/** @brief Logs at #DTLS_LOG_DEBUG.
 *  @param ... A printf format and its values. */
#define dtls_debug(...)  dsrv_log(DTLS_LOG_DEBUG, __VA_ARGS__)
/** @brief Logs a buffer at #DTLS_LOG_DEBUG, one line per 16 bytes (see
 *  dtls_dsrv_hexdump_log()).
 *  @param name   A label.
 *  @param buf    The bytes.
 *  @param length How many. */
#define dtls_debug_hexdump(name, buf, length) \
  dtls_dsrv_hexdump_log(DTLS_LOG_DEBUG, name, buf, length, 1)
/** @brief Logs a buffer at #DTLS_LOG_DEBUG on one line (see
 *  dtls_dsrv_hexdump_log()).
 *  @param name   A label.
 *  @param buf    The bytes.
 *  @param length How many. */
#define dtls_debug_dump(name, buf, length) \
  dtls_dsrv_hexdump_log(DTLS_LOG_DEBUG, name, buf, length, 0)
/** @} */

#ifdef __cplusplus
}
#endif

#endif /* _DTLS_DEBUG_H_ */
