/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file dtls_time.h
 * @brief The millisecond clock of retransmission deadlines.
 *
 * dtls_ticks() counts milliseconds on a monotonic clock since the library
 * was loaded; dtls_check_retransmit() returns its deadlines in the same
 * unit. Upstream counts wall-clock time since dtls_init().
 */
#ifndef _DTLS_DTLS_TIME_H_
#define _DTLS_DTLS_TIME_H_

#include <stdint.h>

#include "tinydtls.h"

#ifdef HAVE_SYS_TIME_H
#include <sys/time.h>
#endif
#ifdef HAVE_TIME_H
#include <time.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

#ifndef CLOCK_SECOND
/** @brief Ticks per second: the clock counts milliseconds. */
#define CLOCK_SECOND 1000
#endif

/** @brief A point in time: milliseconds on a monotonic clock since the
 *  library was loaded, wrapping after about 49.7 days. Compare with
 *  #DTLS_IS_BEFORE_TIME. */
typedef uint32_t clock_time_t;

/** @brief What dtls_ticks() returns: a #clock_time_t. */
typedef clock_time_t dtls_tick_t;

#ifndef DTLS_TICKS_PER_SECOND
/** @brief Ticks per second of dtls_ticks(): 1000. */
#define DTLS_TICKS_PER_SECOND CLOCK_SECOND
#endif

/** @brief Half the range of #clock_time_t, the largest distance
 *  #DTLS_IS_BEFORE_TIME can judge. */
#define DTLS_OFFSET_TIME (((clock_time_t)~0) >> 1)
/**
 * @brief Wrap-around safe comparison of two ticks.
 *
 * @param A A tick.
 * @param B Another tick, less than half the clock range (about 24.8 days)
 *          away from @p A.
 * @return Non-zero when @p A is not later than @p B, e.g.
 *         DTLS_IS_BEFORE_TIME(deadline, now) once a deadline has passed.
 */
#define DTLS_IS_BEFORE_TIME(A, B) \
  ((clock_time_t)(DTLS_OFFSET_TIME + (B) - (A)) >= DTLS_OFFSET_TIME)

/**
 * @brief Records the wall-clock second in @c dtls_clock_offset, as
 *        upstream; called by dtls_init().
 *
 * Unlike upstream the ticks do not restart: they count from when the
 * library was loaded, so that ticks taken before dtls_init() stay
 * comparable with later ones.
 */
void dtls_clock_init(void);

/**
 * @brief Reads the clock. Safe from any thread.
 *
 * @param t Receives the milliseconds since the library was loaded, on a
 *          monotonic clock (not affected by changes of the system time),
 *          truncated to 32 bits; NULL does nothing.
 */
void dtls_ticks(dtls_tick_t *t);

#ifdef __cplusplus
}
#endif

#endif /* _DTLS_DTLS_TIME_H_ */
