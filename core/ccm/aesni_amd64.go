// SPDX-License-Identifier: BSD-3-Clause

//go:build !purego

package ccm

// The AES-NI fast path: the CBC-MAC chain and the counter blocks of CCM run
// in assembly on an expanded key, instead of one cipher.Block call per
// block. crypto/aes keeps its key schedule private, so the fast path
// expands its own (keyexpand.go) and needs the raw key.

// hasAESNI reports AES-NI and SSE4.1 (the counter blocks use PINSRD).
func hasAESNI() bool

var fastAES = hasAESNI()

//go:noescape
func cbcMAC(rk *[176]byte, mac *[16]byte, src []byte)

//go:noescape
func encryptBlock(rk *[176]byte, dst, src *[16]byte)

//go:noescape
func ccmSealBlocks(rk *[176]byte, mac, ctr *[16]byte, dst, src []byte)

//go:noescape
func ccmOpenBlocks(rk *[176]byte, mac, ctr *[16]byte, dst, src []byte)
