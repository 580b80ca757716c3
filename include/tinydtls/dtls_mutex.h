/*
 * dtls_mutex.h -- a thin mutex wrapper (POSIX threads).
 */
#ifndef _DTLS_MUTEX_H_
#define _DTLS_MUTEX_H_

#include <pthread.h>

typedef pthread_mutex_t dtls_mutex_t;

#define DTLS_MUTEX_INITIALIZER PTHREAD_MUTEX_INITIALIZER
#define dtls_mutex_lock(a)    pthread_mutex_lock(a)
#define dtls_mutex_trylock(a) pthread_mutex_trylock(a)
#define dtls_mutex_unlock(a)  pthread_mutex_unlock(a)

#endif /* _DTLS_MUTEX_H_ */
