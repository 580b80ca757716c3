/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file utlist.h
 * @brief A placeholder for the list macros upstream installs; empty.
 *
 * Upstream ships Troy D. Hanson's utlist.h under this name.  No public
 * tinydtls declaration depends on it, so this library installs an empty
 * header instead: the LL_*, DL_* and CDL_* list macros are not provided.
 * Applications that need them should include their own copy of utlist;
 * it uses the same include guard, so whichever is included first wins.
 */
#ifndef UTLIST_H
#define UTLIST_H
#endif /* UTLIST_H */
