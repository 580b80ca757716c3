// SPDX-License-Identifier: BSD-3-Clause

// Package ccm is upstream tinydtls's dtls_ccm_encrypt_message and
// dtls_ccm_decrypt_message (ccm.h) on top of the engine's AES-CCM
// (core/ccm), for the C API only.
package ccm

import (
	"crypto/cipher"
	"errors"
	"math"

	"github.com/tinydtls-go/tinydtls/core/ccm"
)

var (
	errNonceSize = errors.New("ccm: incorrect nonce length")
	errShort     = errors.New("ccm: ciphertext shorter than the tag")
	errParams    = errors.New("ccm: M must be an even number 4..16 and L must be 2..8")
	errLength    = errors.New("ccm: message length out of range")
	errBuffer    = errors.New("ccm: buffer too small")
)

// EncryptMessage has the semantics of upstream tinydtls'
// dtls_ccm_encrypt_message: msg[:lm] is encrypted in place and the M-byte
// tag is written at msg[lm:lm+M]; the result is lm+M. Only the first 15-L
// bytes of nonce are used (upstream passes a 16-byte buffer). An empty aad
// (upstream la == 0) clears the Adata flag of B_0 and adds no
// authentication blocks, exactly as RFC 3610 specifies.
//
// Where upstream has no checks, this function rejects with (-1, error):
// M not in {4,6,...,16}, L not in 2..8, a short nonce or msg, a negative lm
// and an lm that does not fit in L bytes (upstream would silently truncate
// it). Upstream writes its counter with a shift that is undefined in C for
// L >= 4; for every legal input this function produces the RFC 3610 output.
func EncryptMessage(b cipher.Block, M, L int, nonce []byte, msg []byte, lm int, aad []byte) (int, error) {
	c, err := messageCCM(b, M, L, nonce)
	if err != nil {
		return -1, err
	}
	if lm < 0 || uint64(lm) > maxMessageLen(L) {
		return -1, errLength
	}
	if len(msg) < lm+M {
		return -1, errBuffer
	}
	c.Seal(msg[:0:lm+M], nonce[:15-L], msg[:lm], aad)
	return lm + M, nil
}

// DecryptMessage has the semantics of upstream tinydtls'
// dtls_ccm_decrypt_message: msg[:lm] holds ciphertext followed by the M-byte
// tag; on success the plaintext is left in msg[:lm-M] and lm-M is returned.
// lm < M and a tag that does not verify both give -1, as upstream. Unlike
// upstream, which leaves the unauthenticated plaintext in msg on failure,
// the plaintext bytes are zeroed then; the tag bytes are left as received.
// Parameter checks are those of EncryptMessage.
func DecryptMessage(b cipher.Block, M, L int, nonce []byte, msg []byte, lm int, aad []byte) (int, error) {
	c, err := messageCCM(b, M, L, nonce)
	if err != nil {
		return -1, err
	}
	if lm < M {
		return -1, errShort
	}
	if len(msg) < lm {
		return -1, errBuffer
	}
	// Open rejects an lm-M that does not fit in L bytes.
	if _, err := c.Open(msg[:0:lm-M], nonce[:15-L], msg[:lm], aad); err != nil {
		return -1, err
	}
	return lm - M, nil
}

// maxMessageLen is the largest message an L-byte length field encodes.
func maxMessageLen(l int) uint64 {
	if l >= 8 {
		return math.MaxUint64
	}
	return 1<<(8*uint(l)) - 1
}

func messageCCM(b cipher.Block, M, L int, nonce []byte) (*ccm.CCM, error) {
	if M < 4 || M > 16 || M%2 != 0 || L < 2 || L > 8 {
		return nil, errParams
	}
	if len(nonce) < 15-L {
		return nil, errNonceSize
	}
	return ccm.New(b, M, 15-L)
}
