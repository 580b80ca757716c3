/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file uthash.h
 * @brief The hash handle types embedded in dtls_peer_t, with uthash's
 *        layout; no hash macros.
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

/** @brief One bucket of a uthash table (uthash 2.x layout). */
typedef struct UT_hash_bucket {
  struct UT_hash_handle *hh_head;   /**< The first item's handle in the bucket's chain. */
  unsigned count;                   /**< The number of items in the chain. */
  unsigned expand_mult;             /**< uthash's bookkeeping for growing the table. */
} UT_hash_bucket;

/** @brief A uthash table (uthash 2.x layout). */
typedef struct UT_hash_table {
  UT_hash_bucket *buckets;          /**< The bucket array. */
  /** The number of buckets, a power of two. */
  unsigned num_buckets, log2_num_buckets;   /**< Its base-2 logarithm. */
  unsigned num_items;               /**< The number of items in the table. */
  struct UT_hash_handle *tail;      /**< The handle of the last item in insertion order. */
  ptrdiff_t hho;                    /**< Offset of the handle within the item structure. */
  unsigned ideal_chain_maxlen;      /**< uthash's target chain length. */
  unsigned nonideal_items;          /**< Items in chains longer than that. */
  /** How often growing the table did not help. */
  unsigned ineff_expands, noexpand; /**< Set when uthash stops growing the table. */
  uint32_t signature;               /**< uthash's marker for debugging tools. */
} UT_hash_table;

/**
 * @brief The handle uthash embeds in every item (uthash 2.x layout): 56
 *        bytes on LP64, the first member of dtls_peer_t.
 *
 * In the dtls_peer_t of this library it is all zero: the library keeps
 * its peer table elsewhere.
 */
typedef struct UT_hash_handle {
  struct UT_hash_table *tbl;        /**< The table the item is in. */
  void *prev;                       /**< The previous item in insertion order. */
  void *next;                       /**< The next item in insertion order. */
  struct UT_hash_handle *hh_prev;   /**< The previous handle in the bucket's chain. */
  struct UT_hash_handle *hh_next;   /**< The next handle in the bucket's chain. */
  const void *key;                  /**< The item's key. */
  unsigned keylen;                  /**< The key's length in bytes. */
  unsigned hashv;                   /**< The key's hash value. */
} UT_hash_handle;

#ifdef __cplusplus
}
#endif

#endif /* UTHASH_H */
