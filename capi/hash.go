// SPDX-License-Identifier: BSD-3-Clause

package main

/*
#include "capi.h"
*/
import "C"

import (
	"crypto/sha256"
	"encoding"
	"encoding/binary"
	"hash"
	"unsafe"

	"github.com/tinydtls-go/tinydtls/capi/stackroom"
	"github.com/tinydtls-go/tinydtls/core/prf"
)

// SHA-256 and HMAC-SHA256 on upstream's C context structs. libcoap keeps
// dtls_sha256_ctx and dtls_hmac_context_t on its stack, so the state must
// live in them: each call loads the struct into a Go hash (the standard
// library's, with its assembly), feeds it, and stores the state back.

// Go's sha256 digest marshals as: magic "sha\x03", 8 big-endian state words,
// the 64-byte block buffer, the big-endian byte count.
const sha256StateLen = 4 + 32 + 64 + 8

var sha256IV = [8]uint32{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19}

func loadSHA256(ctx *C.dtls_sha256_ctx) hash.Hash {
	var st [sha256StateLen]byte
	copy(st[:4], "sha\x03")
	for i := 0; i < 8; i++ {
		binary.BigEndian.PutUint32(st[4+4*i:], uint32(ctx.state[i]))
	}
	n := uint64(ctx.bitcount) / 8
	copy(st[36:100], unsafe.Slice((*byte)(unsafe.Pointer(&ctx.buffer[0])), 64)[:n%64])
	binary.BigEndian.PutUint64(st[100:], n)
	h := sha256.New()
	if err := h.(encoding.BinaryUnmarshaler).UnmarshalBinary(st[:]); err != nil {
		panic(err) // only on a Go release that changed the format
	}
	return h
}

func storeSHA256(ctx *C.dtls_sha256_ctx, h hash.Hash) {
	st, err := h.(encoding.BinaryMarshaler).MarshalBinary()
	if err != nil || len(st) != sha256StateLen {
		panic("sha256 state format changed")
	}
	for i := 0; i < 8; i++ {
		ctx.state[i] = C.uint32_t(binary.BigEndian.Uint32(st[4+4*i:]))
	}
	n := binary.BigEndian.Uint64(st[100:])
	ctx.bitcount = C.uint64_t(n * 8)
	buf := unsafe.Slice((*byte)(unsafe.Pointer(&ctx.buffer[0])), 64)
	clear(buf)
	copy(buf, st[36:36+n%64])
}

func cbytes(p unsafe.Pointer, n C.size_t) []byte {
	if p == nil || n == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(p), int(n))
}

func sha256Init(ctx *C.dtls_sha256_ctx) {
	for i, v := range sha256IV {
		ctx.state[i] = C.uint32_t(v)
	}
	ctx.bitcount = 0
	clear(unsafe.Slice((*byte)(unsafe.Pointer(&ctx.buffer[0])), 64))
}

//export tdtls_go_sha256_init
func tdtls_go_sha256_init(ctx *C.dtls_sha256_ctx) {
	stackroom.Reserve()
	defer guard("dtls_sha256_init")
	if ctx != nil {
		sha256Init(ctx)
	}
}

//export tdtls_go_sha256_update
func tdtls_go_sha256_update(ctx *C.dtls_sha256_ctx, data *C.uint8_t, n C.size_t) {
	stackroom.Reserve()
	defer guard("dtls_sha256_update")
	if ctx == nil || n == 0 || data == nil {
		return
	}
	h := loadSHA256(ctx)
	h.Write(cbytes(unsafe.Pointer(data), n))
	storeSHA256(ctx, h)
}

//export tdtls_go_sha256_final
func tdtls_go_sha256_final(digest *C.uint8_t, ctx *C.dtls_sha256_ctx) {
	stackroom.Reserve()
	defer guard("dtls_sha256_final")
	if ctx == nil {
		return
	}
	if digest != nil {
		h := loadSHA256(ctx)
		copy(cbytes(unsafe.Pointer(digest), sha256.Size), h.Sum(nil))
	}
	// Upstream wipes the context after use.
	*ctx = C.dtls_sha256_ctx{}
}

// tdtls_go_sha256_transform compresses one 64-byte block into the state
// without counting it, like upstream's internal SHA256_Transform.
//
//export tdtls_go_sha256_transform
func tdtls_go_sha256_transform(ctx *C.dtls_sha256_ctx, block *C.uint32_t) {
	stackroom.Reserve()
	defer guard("dtls_sha256_transform")
	if ctx == nil || block == nil {
		return
	}
	// A copy with the chaining value only (no count, no buffered bytes)
	// compresses exactly the one block.
	tmp := C.dtls_sha256_ctx{state: ctx.state}
	h := loadSHA256(&tmp)
	h.Write(cbytes(unsafe.Pointer(block), 64))
	storeSHA256(&tmp, h)
	ctx.state = tmp.state
}

// HMAC-SHA256 in dtls_hmac_context_t: pad keeps the outer padded key, data
// the running inner hash, as upstream lays them out.

//export tdtls_go_hmac_init
func tdtls_go_hmac_init(ctx *C.dtls_hmac_context_t, key *C.uchar, klen C.size_t) {
	stackroom.Reserve()
	defer guard("dtls_hmac_init")
	if ctx == nil {
		return
	}
	*ctx = C.dtls_hmac_context_t{}
	pad := unsafe.Slice((*byte)(unsafe.Pointer(&ctx.pad[0])), 64)
	k := cbytes(unsafe.Pointer(key), klen)
	if len(k) > 64 {
		sum := sha256.Sum256(k)
		copy(pad, sum[:])
	} else {
		copy(pad, k)
	}
	var ipad [64]byte
	for i := range pad {
		ipad[i] = pad[i] ^ 0x36
		pad[i] ^= 0x5c
	}
	h := sha256.New()
	h.Write(ipad[:])
	storeSHA256(&ctx.data, h)
}

//export tdtls_go_hmac_update
func tdtls_go_hmac_update(ctx *C.dtls_hmac_context_t, in *C.uchar, n C.size_t) {
	stackroom.Reserve()
	defer guard("dtls_hmac_update")
	if ctx == nil || in == nil || n == 0 {
		return
	}
	h := loadSHA256(&ctx.data)
	h.Write(cbytes(unsafe.Pointer(in), n))
	storeSHA256(&ctx.data, h)
}

//export tdtls_go_hmac_finalize
func tdtls_go_hmac_finalize(ctx *C.dtls_hmac_context_t, result *C.uchar) (ret C.int) {
	stackroom.Reserve()
	defer guard("dtls_hmac_finalize")
	if ctx == nil || result == nil {
		return 0
	}
	inner := loadSHA256(&ctx.data).Sum(nil)
	outer := sha256.New()
	outer.Write(unsafe.Slice((*byte)(unsafe.Pointer(&ctx.pad[0])), 64))
	outer.Write(inner)
	copy(cbytes(unsafe.Pointer(result), sha256.Size), outer.Sum(nil))
	return sha256.Size
}

//export tdtls_go_p_hash
func tdtls_go_p_hash(key *C.uchar, keylen C.size_t, label *C.uchar, labellen C.size_t,
	r1 *C.uchar, r1len C.size_t, r2 *C.uchar, r2len C.size_t, buf *C.uchar, buflen C.size_t) (ret C.size_t) {
	stackroom.Reserve()
	defer guard("dtls_p_hash")
	out := cbytes(unsafe.Pointer(buf), buflen)
	if out == nil {
		return 0
	}
	// Only SHA-256 exists here, as upstream, whatever h says.
	prf.PHash(sha256.New, cbytes(unsafe.Pointer(key), keylen), cbytes(unsafe.Pointer(label), labellen),
		cbytes(unsafe.Pointer(r1), r1len), cbytes(unsafe.Pointer(r2), r2len), out)
	return buflen
}

//export tdtls_go_psk_pre_master_secret
func tdtls_go_psk_pre_master_secret(key *C.uchar, keylen C.size_t, result *C.uchar, resultLen C.size_t) (ret C.int) {
	stackroom.Reserve()
	ret = -1
	defer guard("dtls_psk_pre_master_secret")
	if result == nil || key == nil && keylen > 0 || keylen > 0xffff {
		return -1
	}
	return C.int(prf.PSKPreMasterSecretInto(cbytes(unsafe.Pointer(key), keylen), cbytes(unsafe.Pointer(result), resultLen)))
}
