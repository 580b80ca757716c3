/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file dtls_mutex.h
 * @brief Upstream's mutex wrapper, mapped to POSIX threads. The library
 *        does not use it; it is installed for applications that do.
 */
#ifndef _DTLS_MUTEX_H_
#define _DTLS_MUTEX_H_

#include <pthread.h>

/** @brief A mutex: a pthread_mutex_t. */
typedef pthread_mutex_t dtls_mutex_t;

/** @brief Static initialiser of a #dtls_mutex_t. */
#define DTLS_MUTEX_INITIALIZER PTHREAD_MUTEX_INITIALIZER
/** @brief Locks a mutex: pthread_mutex_lock().
 *  @param a Pointer to the #dtls_mutex_t.
 *  @return 0, or an error number. */
#define dtls_mutex_lock(a)    pthread_mutex_lock(a)
/** @brief Locks a mutex if it is free: pthread_mutex_trylock().
 *  @param a Pointer to the #dtls_mutex_t.
 *  @return 0 when locked, EBUSY when held elsewhere, or an error number. */
#define dtls_mutex_trylock(a) pthread_mutex_trylock(a)
/** @brief Unlocks a mutex: pthread_mutex_unlock().
 *  @param a Pointer to the #dtls_mutex_t.
 *  @return 0, or an error number. */
#define dtls_mutex_unlock(a)  pthread_mutex_unlock(a)

#endif /* _DTLS_MUTEX_H_ */
