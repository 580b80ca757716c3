/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * abi_common.h -- reporting helpers shared by the ABI test units.
 *
 * The checks themselves live in abi_checks.inc, which is compiled twice:
 * once by abi_angle.c (headers included as <tinydtls/...>) and once by
 * abi_flat.c (headers included by their flat names).  Both results are
 * linked into one program together with abi_test.c.
 */
#ifndef ABI_COMMON_H
#define ABI_COMMON_H

/* Records one comparison of a measured value against upstream's. */
void abi_expect_eq(const char *tu, int line, const char *what,
                   long long got, long long want);

/* Records one boolean property. */
void abi_expect_true(const char *tu, int line, const char *what, int ok);

/* Records a string comparison that ignores all blanks (used to look at
 * macro expansions, whose spacing is not significant). */
void abi_expect_str(const char *tu, int line, const char *what,
                    const char *got, const char *want);

/* Entry points of the two check units. */
void abi_run_angle(void);
void abi_run_flat(void);

#endif /* ABI_COMMON_H */
