/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * abi_flat.c -- the ABI checks with the headers included by their flat
 * names ("dtls.h"), as upstream's examples and tinydtls.pc's
 * -I<prefix>/include/tinydtls expect.  The order is deliberately the
 * reverse of abi_angle.c so that every header has to pull in what it
 * depends on by itself.
 */
#include "ecc/test_helper.h"
#include "ecc/ecc.h"
#include "sha2/sha2.h"
#include "aes/rijndael.h"
#include "utlist.h"
#include "uthash.h"
#include "global.h"
#include "numeric.h"
#include "ccm.h"
#include "hmac.h"
#include "crypto.h"
#include "alert.h"
#include "state.h"
#include "peer.h"
#include "session.h"
#include "netq.h"
#include "dtls_mutex.h"
#include "dtls_prng.h"
#include "dtls_time.h"
#include "dtls_debug.h"
#include "dtls.h"
#include "tinydtls.h"

#define ABI_TU "flat"
#define ABI_RUN abi_run_flat
#include "abi_checks.inc"
