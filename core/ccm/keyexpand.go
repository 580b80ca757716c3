// SPDX-License-Identifier: BSD-3-Clause

package ccm

import "encoding/binary"

// The AES-128 key expansion (FIPS-197 §5.2) for the AES-NI path, which
// runs on its own round keys: crypto/aes does not export its schedule.

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

// expandKey128 expands a 16-byte key into the 44 round-key words of
// AES-128, each the big-endian reading of four schedule bytes.
func expandKey128(rk *[44]uint32, key []byte) {
	for i := 0; i < 4; i++ {
		rk[i] = binary.BigEndian.Uint32(key[4*i:])
	}
	rcon := byte(1)
	for i := 4; i < 44; i++ {
		t := rk[i-1]
		if i%4 == 0 {
			t = subWord(t<<8|t>>24) ^ uint32(rcon)<<24
			rcon = xtime(rcon)
		}
		rk[i] = rk[i-4] ^ t
	}
}
