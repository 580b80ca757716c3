// SPDX-License-Identifier: BSD-3-Clause

package main

/*
#include "capi.h"
*/
import "C"

import (
	"crypto/aes"
	"crypto/cipher"
	"unsafe"

	"github.com/tinydtls-go/tinydtls/capi/compat/ccm"
	"github.com/tinydtls-go/tinydtls/capi/compat/rijndael"
	"github.com/tinydtls-go/tinydtls/capi/stackroom"
)

// AES and AES-CCM exports: ccm.h and aes/rijndael.h operate on upstream's
// rijndael_ctx (an expanded key); crypto.h's dtls_encrypt_params family
// takes a raw key. libcoap's OSCORE uses the latter.

func ctxWords(ctx *C.rijndael_ctx) []uint32 {
	return unsafe.Slice((*uint32)(unsafe.Pointer(&ctx.ek[0])), len(ctx.ek))
}

func blockFromCtx(ctx *C.rijndael_ctx) (cipher.Block, error) {
	return rijndael.NewBlock(ctxWords(ctx), int(ctx.Nr))
}

//export tdtls_go_rijndael_key_setup_enc
func tdtls_go_rijndael_key_setup_enc(rk *C.uint32_t, key *C.uchar, bits C.int) (ret C.int) {
	stackroom.Reserve()
	defer guard("rijndaelKeySetupEnc")
	if rk == nil || key == nil || (bits != 128 && bits != 192 && bits != 256) {
		return 0
	}
	nr := 6 + int(bits)/32
	return C.int(rijndael.KeySetupEnc(words(rk, 4*(nr+1)), cbytes(unsafe.Pointer(key), C.size_t(bits/8)), int(bits)))
}

//export tdtls_go_rijndael_encrypt_rk
func tdtls_go_rijndael_encrypt_rk(rk *C.uint32_t, nr C.int, pt, ct *C.uchar) {
	stackroom.Reserve()
	defer guard("rijndaelEncrypt")
	if rk == nil || pt == nil || ct == nil || (nr != 10 && nr != 12 && nr != 14) {
		return
	}
	rijndael.Encrypt(words(rk, 4*(int(nr)+1)), int(nr), cbytes(unsafe.Pointer(pt), 16), cbytes(unsafe.Pointer(ct), 16))
}

//export tdtls_go_rijndael_set_key_enc_only
func tdtls_go_rijndael_set_key_enc_only(ctx *C.rijndael_ctx, key *C.uchar, bits C.int) (ret C.int) {
	stackroom.Reserve()
	ret = -1
	defer guard("rijndael_set_key_enc_only")
	// rijndael_ctx has room for AES_MAXROUNDS (10) rounds: only 128-bit
	// keys fit; upstream would overrun the struct with longer ones.
	if ctx == nil || key == nil || bits != 128 {
		return -1
	}
	nr := rijndael.KeySetupEnc(ctxWords(ctx), cbytes(unsafe.Pointer(key), 16), 128)
	if nr == 0 {
		return -1
	}
	ctx.Nr = C.int(nr)
	return 0
}

//export tdtls_go_rijndael_encrypt
func tdtls_go_rijndael_encrypt(ctx *C.rijndael_ctx, src, dst *C.uchar) {
	stackroom.Reserve()
	defer guard("rijndael_encrypt")
	if ctx == nil || src == nil || dst == nil || ctx.Nr != 10 {
		return
	}
	rijndael.Encrypt(ctxWords(ctx), 10, cbytes(unsafe.Pointer(src), 16), cbytes(unsafe.Pointer(dst), 16))
}

// ccmMessage runs dtls_ccm_{en,de}crypt_message on msg in place.
func ccmMessage(encrypt bool, b cipher.Block, m, l int, nonce, msg *C.uchar, lm C.size_t, aad *C.uchar, la C.size_t) C.long {
	if m < 4 || m > 16 || l < 2 || l > 8 || nonce == nil || (msg == nil && lm > 0) {
		return -1
	}
	size := lm
	if encrypt {
		size += C.size_t(m)
	}
	buf := cbytes(unsafe.Pointer(msg), size)
	n := cbytes(unsafe.Pointer(nonce), C.size_t(15-l))
	var (
		out int
		err error
	)
	if encrypt {
		out, err = ccm.EncryptMessage(b, m, l, n, buf, int(lm), cbytes(unsafe.Pointer(aad), la))
	} else {
		out, err = ccm.DecryptMessage(b, m, l, n, buf, int(lm), cbytes(unsafe.Pointer(aad), la))
	}
	if err != nil {
		return -1
	}
	return C.long(out)
}

//export tdtls_go_ccm_message
func tdtls_go_ccm_message(encrypt C.int, ctx *C.rijndael_ctx, m, l C.size_t, nonce, msg *C.uchar, lm C.size_t, aad *C.uchar, la C.size_t) (ret C.long) {
	stackroom.Reserve()
	ret = -1
	defer guard("dtls_ccm_message")
	if ctx == nil {
		return -1
	}
	b, err := blockFromCtx(ctx)
	if err != nil {
		return -1
	}
	return ccmMessage(encrypt != 0, b, int(m), int(l), nonce, msg, lm, aad, la)
}

// tdtls_go_crypt is dtls_encrypt_params/dtls_decrypt_params: src is moved
// to buf, which is then processed in place, as upstream does.
//
//export tdtls_go_crypt
func tdtls_go_crypt(encrypt C.int, params *C.dtls_ccm_params_t, src *C.uchar, length C.size_t, buf *C.uchar,
	key *C.uchar, keylen C.size_t, aad *C.uchar, la C.size_t) (ret C.int) {
	stackroom.Reserve()
	ret = -1
	defer guard("dtls_encrypt_params")
	if params == nil || params.nonce == nil || key == nil || buf == nil || (src == nil && length > 0) {
		return -1
	}
	if keylen != 16 {
		logLine(int(C.DTLS_LOG_WARN), "cannot set the AES key: AES-128 only")
		return -1
	}
	b, err := aes.NewCipher(cbytes(unsafe.Pointer(key), keylen))
	if err != nil {
		return -1
	}
	if src != buf && length > 0 {
		C.memmove(unsafe.Pointer(buf), unsafe.Pointer(src), length)
	}
	return C.int(ccmMessage(encrypt != 0, b, int(params.tag_length), int(params.l), (*C.uchar)(params.nonce),
		buf, length, aad, la))
}
