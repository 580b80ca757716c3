// SPDX-License-Identifier: BSD-3-Clause

// Package rijndael provides the semantics of upstream tinydtls'
// aes/rijndael.h on Go slices: the FIPS-197 encryption key schedule in
// 32-bit words and single-block encryption driven by that schedule.
//
// A round-key word is the big-endian reading of four key-schedule bytes,
// stored as a host-order uint32: the first word of a 128-bit key
// 2b 7e 15 16 ... is 0x2b7e1516. Block encryption uses crypto/aes (AES-NI
// where available) keyed with the cipher key recovered from the first Nk
// words, so it agrees with upstream for every schedule KeySetupEnc builds.
package rijndael

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"errors"
)

// sbox is the AES S-box, derived from its definition (FIPS-197 §5.1.1:
// multiplicative inverse in GF(2^8) followed by the affine map) rather than
// typed in.
var sbox = func() (s [256]byte) {
	// Powers of the generator 3 enumerate all non-zero field elements,
	// which gives the inverse as exp[255 - log[a]].
	var exp [256]byte
	var log [256]int
	x := byte(1)
	for i := 0; i < 255; i++ {
		exp[i] = x
		log[x] = i
		x ^= xtime(x) // x *= 3
	}
	for a := 0; a < 256; a++ {
		var inv byte
		if a != 0 {
			inv = exp[(255-log[a])%255]
		}
		s[a] = inv ^ rotl8(inv, 1) ^ rotl8(inv, 2) ^ rotl8(inv, 3) ^ rotl8(inv, 4) ^ 0x63
	}
	return s
}()

func xtime(b byte) byte {
	if b&0x80 != 0 {
		return b<<1 ^ 0x1b
	}
	return b << 1
}

func rotl8(b byte, n uint) byte { return b<<n | b>>(8-n) }

func subWord(w uint32) uint32 {
	return uint32(sbox[w>>24])<<24 | uint32(sbox[w>>16&0xff])<<16 |
		uint32(sbox[w>>8&0xff])<<8 | uint32(sbox[w&0xff])
}

// rounds returns Nk and Nr for a key size in bits, or zeros.
func rounds(keyBits int) (nk, nr int) {
	switch keyBits {
	case 128:
		return 4, 10
	case 192:
		return 6, 12
	case 256:
		return 8, 14
	}
	return 0, 0
}

// KeySetupEnc is upstream's rijndaelKeySetupEnc: it expands key into the
// 4*(Nr+1)-word encryption schedule rk and returns Nr (10, 12 or 14), or 0
// if keyBits is not 128, 192 or 256. rk must have room for 4*(Nr+1) words
// and key for keyBits/8 bytes; if either is short, 0 is returned as well.
// On failure rk is left untouched (upstream may already have written the
// first words of the key into it).
func KeySetupEnc(rk []uint32, key []byte, keyBits int) int {
	nk, nr := rounds(keyBits)
	if nr == 0 || len(key) < 4*nk || len(rk) < 4*(nr+1) {
		return 0
	}
	for i := 0; i < nk; i++ {
		rk[i] = binary.BigEndian.Uint32(key[4*i:])
	}
	rcon := byte(1)
	for i := nk; i < 4*(nr+1); i++ {
		t := rk[i-1]
		switch {
		case i%nk == 0:
			t = subWord(t<<8|t>>24) ^ uint32(rcon)<<24
			rcon = xtime(rcon)
		case nk > 6 && i%nk == 4:
			t = subWord(t)
		}
		rk[i] = rk[i-nk] ^ t
	}
	return nr
}

var errSchedule = errors.New("rijndael: Nr must be 10, 12 or 14 and rk must hold the cipher key")

// NewBlock returns a cipher.Block for the schedule rk with nr rounds, so
// that callers encrypting many blocks under one schedule set the cipher up
// once. The cipher key is read from the first Nk = nr-6 words.
func NewBlock(rk []uint32, nr int) (cipher.Block, error) {
	if nr != 10 && nr != 12 && nr != 14 {
		return nil, errSchedule
	}
	nk := nr - 6
	if len(rk) < nk {
		return nil, errSchedule
	}
	var key [32]byte
	for i := 0; i < nk; i++ {
		binary.BigEndian.PutUint32(key[4*i:], rk[i])
	}
	return aes.NewCipher(key[:4*nk])
}

// Encrypt is upstream's rijndaelEncrypt(rk, Nr, pt, ct): it encrypts the
// 16-byte block pt into ct (which may be the same slice) under the schedule
// rk with nr rounds. Upstream has no error path, and an invalid nr there is
// undefined behaviour; here it panics, as does a pt or ct shorter than 16
// bytes.
func Encrypt(rk []uint32, nr int, pt, ct []byte) {
	b, err := NewBlock(rk, nr)
	if err != nil {
		panic(err)
	}
	b.Encrypt(ct, pt)
}
