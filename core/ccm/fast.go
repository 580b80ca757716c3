// SPDX-License-Identifier: BSD-3-Clause

package ccm

import (
	"crypto/aes"
	"crypto/subtle"
	"encoding/binary"
)

// InitKey sets up c for AES with the given key, like Init with
// aes.NewCipher(key), but on CPUs with AES-NI and for 128-bit keys it runs
// CCM in assembly on its own key schedule: the CBC-MAC chain without a
// call per block, and the counter mode interleaved with it. It also needs
// no separately allocated cipher.Block then.
func InitKey(c *CCM, key []byte, tagSize, nonceSize int) error {
	if !fastAES || len(key) != 16 {
		b, err := aes.NewCipher(key)
		if err != nil {
			return err
		}
		return Init(c, b, tagSize, nonceSize)
	}
	if err := checkSizes(tagSize, nonceSize); err != nil {
		return err
	}
	var rk [44]uint32
	expandKey128(&rk, key)
	for i, w := range rk {
		binary.BigEndian.PutUint32(c.rk[4*i:], w)
	}
	clear(rk[:])
	c.setup(nil, tagSize, nonceSize)
	return nil
}

// maxStackAuth bounds the authentication blocks beginFast formats on the
// stack: B_0, then l(a) and the additional data padded to a block. DTLS's
// additional data is 13 bytes, or 37 with a 16-byte connection ID; longer
// data is formatted on the heap.
const maxStackAuth = 160

// beginFast is begin for the fast path: the authentication blocks are
// formatted into one buffer so that a single cbcMAC call runs the chain.
func (c *CCM) beginFast(s *scratch, nonce []byte, msgLen int, aad []byte) (hi, lo uint64) {
	var stack [maxStackAuth]byte
	auth := stack[:blockSize]
	c.b0((*[blockSize]byte)(auth), nonce, msgLen, len(aad) > 0)
	if len(aad) > 0 {
		var buf [10]byte
		auth = append(auth, aadLength(&buf, uint64(len(aad)))...)
		auth = append(auth, aad...)
		auth = append(auth, make([]byte, -len(auth)&(blockSize-1))...)
	}
	s.x = [blockSize]byte{}
	cbcMAC(&c.rk, &s.x, auth)
	hi, lo = c.a0(&s.s0, nonce)
	encryptBlock(&c.rk, &s.s0, &s.s0)
	return hi, lo
}

// counterBlock returns A_1, the first counter block of the message.
func counterBlock(hi, lo uint64) (ctr [blockSize]byte) {
	binary.BigEndian.PutUint64(ctr[:8], hi)
	binary.BigEndian.PutUint64(ctr[8:], lo|1)
	return ctr
}

func (c *CCM) sealFast(s *scratch, out, nonce, plaintext, aad []byte) {
	hi, lo := c.beginFast(s, nonce, len(plaintext), aad)
	ctr := counterBlock(hi, lo)
	full := len(plaintext) &^ 15
	// Full blocks: MAC and counter mode in one pass (each block's MAC
	// input is read before its ciphertext overwrites it in place).
	ccmSealBlocks(&c.rk, &s.x, &ctr, out[:full], plaintext[:full])
	if rem := len(plaintext) - full; rem > 0 {
		var p, k [blockSize]byte
		copy(p[:], plaintext[full:])
		cbcMAC(&c.rk, &s.x, p[:])
		encryptBlock(&c.rk, &k, &ctr)
		subtle.XORBytes(out[full:len(plaintext)], p[:rem], k[:rem])
	}
	c.tag(s, out[len(plaintext):])
}

func (c *CCM) openFast(s *scratch, out, nonce, ciphertext, tag, aad []byte) bool {
	hi, lo := c.beginFast(s, nonce, len(ciphertext), aad)
	ctr := counterBlock(hi, lo)
	full := len(ciphertext) &^ 15
	ccmOpenBlocks(&c.rk, &s.x, &ctr, out[:full], ciphertext[:full])
	if rem := len(ciphertext) - full; rem > 0 {
		var p, k [blockSize]byte
		encryptBlock(&c.rk, &k, &ctr)
		subtle.XORBytes(p[:rem], ciphertext[full:], k[:rem])
		copy(out[full:], p[:rem])
		cbcMAC(&c.rk, &s.x, p[:])
	}
	return c.tagMatches(s, tag)
}
