/*
 * uthash.h -- hash handle types embedded in dtls_peer_t.
 *
 * Upstream installs a copy of Troy D. Hanson's uthash here.  We do not
 * ship that code: the library does its hashing internally and the public
 * headers only need the handle types so that dtls_peer_t keeps its size
 * and offsets.  The three structures below have uthash's (2.x) layout.
 *
 * The HASH_* macros are NOT provided.  Applications that use uthash
 * themselves include their own copy; because this file uses uthash's
 * include guard, including the real uthash.h before any tinydtls header
 * makes this file a no-op and the real definitions are used.
 */
#ifndef UTHASH_H
#define UTHASH_H

#include <stddef.h>     /* ptrdiff_t */
#include <stdint.h>     /* uint32_t */

#ifdef __cplusplus
extern "C" {
#endif

struct UT_hash_handle;

typedef struct UT_hash_bucket {
  struct UT_hash_handle *hh_head;
  unsigned count;
  unsigned expand_mult;
} UT_hash_bucket;

typedef struct UT_hash_table {
  UT_hash_bucket *buckets;
  unsigned num_buckets, log2_num_buckets;
  unsigned num_items;
  struct UT_hash_handle *tail;
  ptrdiff_t hho;
  unsigned ideal_chain_maxlen;
  unsigned nonideal_items;
  unsigned ineff_expands, noexpand;
  uint32_t signature;
} UT_hash_table;

/* 56 bytes on LP64; the first member of dtls_peer_t. */
typedef struct UT_hash_handle {
  struct UT_hash_table *tbl;
  void *prev;
  void *next;
  struct UT_hash_handle *hh_prev;
  struct UT_hash_handle *hh_next;
  const void *key;
  unsigned keylen;
  unsigned hashv;
} UT_hash_handle;

#ifdef __cplusplus
}
#endif

#endif /* UTHASH_H */
