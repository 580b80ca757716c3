// SPDX-License-Identifier: BSD-3-Clause

package ccm

import (
	"bytes"
	"fmt"
	"testing"
)

// nonce16 mimics upstream's nonce[DTLS_CCM_BLOCKSIZE] argument: the bytes
// after the 15-L that CCM uses are filled with junk that must be ignored.
func nonce16(n []byte) []byte {
	b := bytes.Repeat([]byte{0xEE}, 16)
	copy(b, n)
	return b
}

func TestMessageHelpersRFC3610(t *testing.T) {
	for i, v := range rfc3610Vectors {
		t.Run(fmt.Sprintf("packet%d", i+1), func(t *testing.T) {
			in, out := v.packets()
			block := mustAES(t, unhex(v.key))
			nonce := nonce16(unhex(v.nonce))
			aad, msg := in[:v.hdr], in[v.hdr:]
			lm := len(msg)

			buf := make([]byte, lm+v.M)
			copy(buf, msg)
			n, err := EncryptMessage(block, v.M, 2, nonce, buf, lm, aad)
			if err != nil || n != lm+v.M || !bytes.Equal(buf, out[v.hdr:]) {
				t.Fatalf("EncryptMessage = %d, %v; buffer %x", n, err, buf)
			}
			n, err = DecryptMessage(block, v.M, 2, nonce, buf, lm+v.M, aad)
			if err != nil || n != lm || !bytes.Equal(buf[:n], msg) {
				t.Fatalf("DecryptMessage = %d, %v; buffer %x", n, err, buf[:lm])
			}
		})
	}
}

func TestMessageHelpersWithoutAdditionalData(t *testing.T) {
	for _, v := range extraVectors {
		block := mustAES(t, unhex(v.key))
		msg, want := unhex(v.msg), unhex(v.out)
		buf := make([]byte, len(want)+3) // room to spare is allowed
		copy(buf, msg)
		n, err := EncryptMessage(block, v.M, v.L, nonce16(unhex(v.nonce)), buf, len(msg), nil)
		if err != nil || n != len(want) || !bytes.Equal(buf[:n], want) {
			t.Fatalf("M=%d L=%d: EncryptMessage = %d, %v: %x", v.M, v.L, n, err, buf[:n])
		}
		n, err = DecryptMessage(block, v.M, v.L, nonce16(unhex(v.nonce)), buf, len(want), []byte{})
		if err != nil || n != len(msg) || !bytes.Equal(buf[:n], msg) {
			t.Fatalf("M=%d L=%d: DecryptMessage = %d, %v", v.M, v.L, n, err)
		}
	}
}

func TestDecryptMessageFailure(t *testing.T) {
	v := rfc3610Vectors[0]
	in, out := v.packets()
	block := mustAES(t, unhex(v.key))
	nonce := unhex(v.nonce)
	aad := in[:v.hdr]
	sealed := out[v.hdr:]
	lm := len(sealed)

	buf := bytes.Clone(sealed)
	buf[3] ^= 0x10
	tag := bytes.Clone(buf[lm-v.M:])
	if n, err := DecryptMessage(block, v.M, 2, nonce, buf, lm, aad); n != -1 || err == nil {
		t.Fatalf("tampered record: DecryptMessage = %d, %v", n, err)
	}
	if !bytes.Equal(buf[:lm-v.M], make([]byte, lm-v.M)) {
		t.Errorf("unauthenticated plaintext left in the buffer: %x", buf[:lm-v.M])
	}
	if !bytes.Equal(buf[lm-v.M:], tag) {
		t.Errorf("tag bytes modified: %x", buf[lm-v.M:])
	}

	for lmShort := 0; lmShort < v.M; lmShort++ {
		buf := bytes.Clone(sealed)
		if n, err := DecryptMessage(block, v.M, 2, nonce, buf, lmShort, aad); n != -1 || err == nil {
			t.Errorf("lm=%d < M: DecryptMessage = %d, %v", lmShort, n, err)
		}
		if !bytes.Equal(buf, sealed) {
			t.Errorf("lm=%d < M: buffer modified", lmShort)
		}
	}
	// A wrong M or L is a different CCM instance and must not verify.
	if n, _ := DecryptMessage(block, 10, 2, nonce, bytes.Clone(sealed), lm, aad); n != -1 {
		t.Errorf("wrong M verified")
	}
	if n, _ := DecryptMessage(block, v.M, 3, nonce, bytes.Clone(sealed), lm, aad); n != -1 {
		t.Errorf("wrong L verified")
	}
}

func TestMessageHelpersRejectBadArguments(t *testing.T) {
	block := mustAES(t, make([]byte, 16))
	nonce := make([]byte, 16)
	buf := make([]byte, 64)
	for _, tc := range []struct {
		name     string
		M, L, lm int
		nonce    []byte
		buf      []byte
	}{
		{"odd M", 9, 3, 10, nonce, buf},
		{"M too small", 2, 3, 10, nonce, buf},
		{"M too large", 18, 3, 10, nonce, buf},
		{"L too small", 8, 1, 10, nonce, buf},
		{"L too large", 8, 9, 10, nonce, buf},
		{"short nonce", 8, 3, 10, make([]byte, 11), buf},
		{"negative lm", 8, 3, -1, nonce, buf},
		{"no room for the tag", 8, 3, 60, nonce, buf},
		{"lm beyond L=2", 8, 2, 1 << 16, nonce, make([]byte, 1<<16+8)},
	} {
		if n, err := EncryptMessage(block, tc.M, tc.L, tc.nonce, tc.buf, tc.lm, nil); n != -1 || err == nil {
			t.Errorf("EncryptMessage %s = %d, %v", tc.name, n, err)
		}
	}
	if n, err := DecryptMessage(block, 8, 3, nonce, buf, 65, nil); n != -1 || err == nil {
		t.Errorf("DecryptMessage beyond the buffer = %d, %v", n, err)
	}
	if n, err := DecryptMessage(block, 8, 2, nonce, make([]byte, 1<<16+8), 1<<16+8, nil); n != -1 || err == nil {
		t.Errorf("DecryptMessage beyond L=2 = %d, %v", n, err)
	}
}
