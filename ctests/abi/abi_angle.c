/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * abi_angle.c -- the ABI checks with the headers included the way
 * libcoap does it: <tinydtls/NAME.h> with -I<prefix>/include.
 */
#include <tinydtls/tinydtls.h>
#include <tinydtls/dtls.h>
#include <tinydtls/dtls_debug.h>
#include <tinydtls/dtls_time.h>
#include <tinydtls/dtls_prng.h>
#include <tinydtls/dtls_mutex.h>
#include <tinydtls/netq.h>
#include <tinydtls/session.h>
#include <tinydtls/peer.h>
#include <tinydtls/state.h>
#include <tinydtls/alert.h>
#include <tinydtls/crypto.h>
#include <tinydtls/hmac.h>
#include <tinydtls/ccm.h>
#include <tinydtls/numeric.h>
#include <tinydtls/global.h>
#include <tinydtls/uthash.h>
#include <tinydtls/utlist.h>
#include <tinydtls/aes/rijndael.h>
#include <tinydtls/sha2/sha2.h>
#include <tinydtls/ecc/ecc.h>
#include <tinydtls/ecc/test_helper.h>

#define ABI_TU "angle"
#define ABI_RUN abi_run_angle
#include "abi_checks.inc"
