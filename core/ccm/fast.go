package ccm

import (
	"crypto/aes"
	"crypto/subtle"
	"encoding/binary"

	"github.com/tinydtls-go/tinydtls/core/rijndael"
)

// maxFastAAD bounds the additional data the fast path formats on the stack;
// DTLS's is 13 bytes, or 37 with a 16-byte connection ID. Longer data is
// formatted on the heap.
const maxFastAAD = 128 - 2

// InitKey sets up c for AES with the given key, like Init with
// aes.NewCipher(key), but on CPUs with AES-NI and for 128-bit keys it runs
// CCM in assembly on its own key schedule: the CBC-MAC chain without a
// call per block, and the counter blocks four at a time. It also needs no
// separately allocated cipher.Block then.
func InitKey(c *CCM, key []byte, tagSize, nonceSize int) error {
	if !fastAES || len(key) != 16 {
		b, err := aes.NewCipher(key)
		if err != nil {
			return err
		}
		return Init(c, b, tagSize, nonceSize)
	}
	if tagSize < 4 || tagSize > 16 || tagSize%2 != 0 {
		return errTagSize
	}
	if nonceSize < 7 || nonceSize > 13 {
		return errNonceLength
	}
	var rk [44]uint32
	if rijndael.KeySetupEnc(rk[:], key, 128) != 10 {
		return errBlockSize
	}
	for i, w := range rk {
		binary.BigEndian.PutUint32(c.rk[4*i:], w)
	}
	clear(rk[:])
	c.block = nil
	c.fast = true
	c.tagSize = tagSize
	c.nonceSize = nonceSize
	c.maxLen = maxMessageLen(15 - nonceSize)
	c.busy.Store(0)
	return nil
}

// NewKey returns a CCM set up as by InitKey.
func NewKey(key []byte, tagSize, nonceSize int) (*CCM, error) {
	c := new(CCM)
	if err := InitKey(c, key, tagSize, nonceSize); err != nil {
		return nil, err
	}
	return c, nil
}

// beginFast is begin for the fast path: X = CBC-MAC of B_0 and the encoded
// additional data, S_0 = E(A_0).
func (c *CCM) beginFast(s *scratch, nonce []byte, msgLen int, aad []byte) (hi, lo uint64) {
	l := 15 - c.nonceSize
	var blocks [16 + 2 + maxFastAAD + 16]byte
	b0 := blocks[:16]
	flags := byte((c.tagSize-2)/2<<3 | (l - 1))
	if len(aad) > 0 {
		flags |= 1 << 6
	}
	b0[0] = flags
	copy(b0[1:], nonce)
	m := uint64(msgLen)
	for i := 0; i < l; i++ {
		b0[15-i] = byte(m)
		m >>= 8
	}
	n := 16
	formatted := blocks[:]
	if len(aad) > 0 {
		// RFC 3610 §2.2: the encoded length l(a), the data, zero padding
		// to a block. Longer additional data than DTLS ever has goes to a
		// heap buffer.
		var enc []byte
		switch la := uint64(len(aad)); {
		case la < 0xFF00:
			enc = []byte{byte(la >> 8), byte(la)}
		case la <= 0xFFFFFFFF:
			enc = binary.BigEndian.AppendUint32([]byte{0xFF, 0xFE}, uint32(la))
		default:
			enc = binary.BigEndian.AppendUint64([]byte{0xFF, 0xFF}, la)
		}
		n = 16 + len(enc) + len(aad)
		n = (n + 15) &^ 15
		if n > len(blocks) {
			formatted = make([]byte, n)
			copy(formatted, b0)
		}
		copy(formatted[16:], enc)
		copy(formatted[16+len(enc):], aad)
	}
	s.x = [blockSize]byte{}
	cbcMAC(&c.rk, &s.x, formatted[:n])
	s.s0 = [blockSize]byte{}
	s.s0[0] = byte(l - 1)
	copy(s.s0[1:], nonce)
	hi = binary.BigEndian.Uint64(s.s0[:8])
	lo = binary.BigEndian.Uint64(s.s0[8:])
	ecbEncrypt(&c.rk, s.s0[:], s.s0[:])
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
		ecbEncrypt(&c.rk, k[:], ctr[:])
		subtle.XORBytes(out[full:len(plaintext)], p[:rem], k[:rem])
	}
	subtle.XORBytes(out[len(plaintext):len(plaintext)+c.tagSize], s.x[:c.tagSize], s.s0[:c.tagSize])
}

func (c *CCM) openFast(s *scratch, out, nonce, ciphertext, tag, aad []byte) bool {
	var received [blockSize]byte
	copy(received[:], tag)
	hi, lo := c.beginFast(s, nonce, len(ciphertext), aad)
	ctr := counterBlock(hi, lo)
	full := len(ciphertext) &^ 15
	ccmOpenBlocks(&c.rk, &s.x, &ctr, out[:full], ciphertext[:full])
	if rem := len(ciphertext) - full; rem > 0 {
		var p, k [blockSize]byte
		ecbEncrypt(&c.rk, k[:], ctr[:])
		subtle.XORBytes(p[:rem], ciphertext[full:], k[:rem])
		copy(out[full:], p[:rem])
		cbcMAC(&c.rk, &s.x, p[:])
	}
	var want [blockSize]byte
	subtle.XORBytes(want[:c.tagSize], s.x[:c.tagSize], s.s0[:c.tagSize])
	return subtle.ConstantTimeCompare(want[:c.tagSize], received[:c.tagSize]) == 1
}
