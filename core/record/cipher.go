// SPDX-License-Identifier: BSD-3-Clause

package record

import (
	"encoding/binary"
	"errors"

	"github.com/tinydtls-go/tinydtls/core/ccm"
	"github.com/tinydtls-go/tinydtls/core/protocol"
	"github.com/tinydtls-go/tinydtls/core/suite"
)

// ErrAuth is returned when a record does not authenticate. The engine drops
// such records silently, as RFC 6347 §4.1.2.7 asks.
var ErrAuth = errors.New("record: authentication failed")

// Cipher protects the records of one direction of one epoch.
//
// Nonce (RFC 6655 §3): 4-byte fixed IV from the key block followed by the
// 8-byte explicit nonce, which we set to epoch||sequence number as RFC 6347
// recommends and upstream does. Additional data (RFC 5246 §6.2.3.3):
// epoch||seq || type || version || plaintext length. For tls12_cid records
// RFC 9146 §5 defines its own additional data.
type Cipher struct {
	aead ccm.CCM
	// nonce starts with the fixed IV, set once; the explicit part is
	// rewritten per record.
	nonce [suite.FixedIVLen + suite.ExplicitNonceLen]byte
	// Scratch for the additional data, kept here so that building it costs
	// no allocation on the per-record path; sized for the longer RFC 9146
	// form (see additionalData).
	ad [8 + 3 + 2 + 2 + 6 + protocol.MaxCIDLen + 2]byte
}

// NewCipher builds the record protection for one direction.
func NewCipher(s *suite.Suite, key, iv []byte) (*Cipher, error) {
	c := new(Cipher)
	if err := c.init(s, key, iv); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Cipher) init(s *suite.Suite, key, iv []byte) error {
	if err := ccm.InitKey(&c.aead, key, s.TagLen, len(c.nonce)); err != nil {
		return err
	}
	copy(c.nonce[:suite.FixedIVLen], iv)
	return nil
}

// Overhead is the number of bytes protection adds to a plaintext.
func (c *Cipher) Overhead() int { return suite.ExplicitNonceLen + c.aead.Overhead() }

// additionalData builds the AEAD additional data for a record whose
// plaintext (for CID records: the DTLSInnerPlaintext) is n bytes long.
func (c *Cipher) additionalData(h *Header, n int) []byte {
	ad := c.ad[:0]
	if h.Type == protocol.ContentTLS12CID {
		// RFC 9146 §5: seq_num_placeholder || tls12_cid || cid_length ||
		// tls12_cid || version || epoch || sequence_number || cid || length.
		ad = append(ad, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
			byte(protocol.ContentTLS12CID), byte(len(h.CID)), byte(protocol.ContentTLS12CID),
			byte(h.Version>>8), byte(h.Version), byte(h.Epoch>>8), byte(h.Epoch),
			byte(h.Seq>>40), byte(h.Seq>>32), byte(h.Seq>>24), byte(h.Seq>>16), byte(h.Seq>>8), byte(h.Seq))
		ad = append(ad, h.CID...)
		return append(ad, byte(n>>8), byte(n))
	}
	return append(ad, byte(h.Epoch>>8), byte(h.Epoch),
		byte(h.Seq>>40), byte(h.Seq>>32), byte(h.Seq>>24), byte(h.Seq>>16), byte(h.Seq>>8), byte(h.Seq),
		byte(h.Type), byte(h.Version>>8), byte(h.Version), byte(n>>8), byte(n))
}

// Seal protects a record assembled in place. rec holds the encoded header
// (h.Len() bytes), ExplicitNonceLen spare bytes, then the plaintext, and must
// have capacity for the tag. It returns the finished record with the header's
// length field set.
func (c *Cipher) Seal(rec []byte, h *Header) []byte {
	hl := h.Len()
	tag := c.aead.Overhead()
	if n := len(rec); cap(rec)-n < tag {
		// The engine always leaves room; other callers get a copy.
		rec = append(rec, make([]byte, tag)...)[:n]
	}
	explicit := c.nonce[suite.FixedIVLen:]
	binary.BigEndian.PutUint64(explicit, uint64(h.Epoch)<<48|h.Seq&MaxSeq)
	copy(rec[hl:], explicit)
	pt := rec[hl+suite.ExplicitNonceLen:]
	out := c.aead.Seal(pt[:0], c.nonce[:], pt, c.additionalData(h, len(pt)))
	n := suite.ExplicitNonceLen + len(out)
	SetLength(rec, hl, n)
	return rec[:hl+n]
}

// Open authenticates and decrypts a record payload (explicit nonce,
// ciphertext, tag) in place and returns the plaintext, which aliases payload.
func (c *Cipher) Open(h *Header, payload []byte) ([]byte, error) {
	if len(payload) < c.Overhead() {
		return nil, ErrAuth
	}
	copy(c.nonce[suite.FixedIVLen:], payload)
	ct := payload[suite.ExplicitNonceLen:]
	ad := c.additionalData(h, len(ct)-c.aead.Overhead())
	pt, err := c.aead.Open(ct[:0], c.nonce[:], ct, ad)
	if err != nil {
		return nil, ErrAuth
	}
	return pt, nil
}
