/*
 * dtls_time.h -- the millisecond clock used for timeouts.
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
#define CLOCK_SECOND 1000
#endif

/* Milliseconds on a monotonic clock; wraps after about 49.7 days. */
typedef uint32_t clock_time_t;

typedef clock_time_t dtls_tick_t;

#ifndef DTLS_TICKS_PER_SECOND
#define DTLS_TICKS_PER_SECOND CLOCK_SECOND
#endif

/*
 * Wrap-around safe comparison: DTLS_IS_BEFORE_TIME(A, B) is true when
 * tick A is not later than tick B, provided the two are less than half
 * the clock range apart.
 */
#define DTLS_OFFSET_TIME (((clock_time_t)~0) >> 1)
#define DTLS_IS_BEFORE_TIME(A, B) \
  ((clock_time_t)(DTLS_OFFSET_TIME + (B) - (A)) >= DTLS_OFFSET_TIME)

/* Called by dtls_init(), as upstream.  The ticks do not restart: they
 * count from when the library was loaded, so that ticks taken before
 * dtls_init() stay comparable with later ones. */
void dtls_clock_init(void);

/* Stores the current tick count in *t. */
void dtls_ticks(dtls_tick_t *t);

#ifdef __cplusplus
}
#endif

#endif /* _DTLS_DTLS_TIME_H_ */
