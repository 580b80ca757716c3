// SPDX-License-Identifier: BSD-3-Clause

package record

import (
	"errors"

	"github.com/tinydtls-go/tinydtls/core/protocol"
	"github.com/tinydtls-go/tinydtls/core/suite"
)

// Keys is the key material of one direction of one protected epoch. The
// expanded protection is built from it on demand and dropped again when the
// association has been idle for a while (see CipherCache), so an idle
// association costs its keys, not its AES key schedules.
type Keys struct {
	Suite *suite.Suite // nil: epoch 0, no protection
	Key   [suite.KeyLen]byte
	IV    [suite.FixedIVLen]byte
}

// Protected reports whether records under these keys are protected.
func (k *Keys) Protected() bool { return k.Suite != nil }

// errMalformed: a record that authenticated (or needs no authentication)
// but whose content cannot be a record: an unprotected tls12_cid record, a
// DTLSInnerPlaintext without a content type. Dropped silently.
var errMalformed = errors.New("record: malformed record")

// protection is how the records of one direction of one epoch are sealed
// and opened. Epoch 0 has none (plaintext); DTLS 1.2's protected epochs use
// dtls12: RFC 6655's explicit nonce and AEAD, and RFC 9146's inner
// plaintext on tls12_cid records. DTLS 1.3's protected epochs use dtls13
// (protection13.go): the unified header with encrypted record numbers (RFC
// 9147 §4, package record13), which begin13 writes where beginRecord12
// writes DTLS 1.2's header.
//
// The methods take headers by value: a pointer passed through an interface
// escapes, and the record path must not allocate. (The halves call dtls12
// directly, with a pointer, when it is the epoch's protection.)
type protection interface {
	// seal finishes the record that starts at rec[0] and whose content,
	// of type t, ends at the end of rec: protection, the header's length.
	seal(rec []byte, h Header, t protocol.ContentType) []byte
	// open authenticates and decrypts a record's payload in place and
	// returns its real content type and content: ErrAuth if it does not
	// authenticate, errMalformed if it cannot be a record.
	open(h Header, payload []byte) (protocol.ContentType, []byte, error)
}

// beginRecord12 appends a DTLS 1.2 record header (RFC 6347 §4.1, with
// RFC 9146's CID on tls12_cid records), its length field still 0, and for a
// protected record the room for the explicit nonce (RFC 6655 §3).
func beginRecord12(b []byte, h *Header, protected bool) []byte {
	b = AppendHeader(b, h)
	if protected {
		b = append(b, 0, 0, 0, 0, 0, 0, 0, 0)
	}
	return b
}

// plaintext is epoch 0: no protection, no connection ID.
type plaintext struct{}

func (plaintext) seal(rec []byte, h Header, _ protocol.ContentType) []byte {
	SetLength(rec, h.Len(), len(rec)-h.Len())
	return rec
}

func (plaintext) open(h Header, payload []byte) (protocol.ContentType, []byte, error) {
	if h.Type == protocol.ContentTLS12CID {
		return 0, nil, errMalformed // a CID record must be protected
	}
	return h.Type, payload, nil
}

// dtls12 is a protected DTLS 1.2 epoch: Cipher's AEAD, and on tls12_cid
// records RFC 9146's DTLSInnerPlaintext (content || real type, no padding).
type dtls12 struct{ Cipher }

func newDTLS12(k Keys) *dtls12 {
	p := new(dtls12)
	if err := p.init(k.Suite, k.Key[:], k.IV[:]); err != nil {
		// Only a wrong key size fails, and Keys fixes it.
		panic(err)
	}
	return p
}

func (p *dtls12) seal(rec []byte, h Header, t protocol.ContentType) []byte {
	return p.sealRecord(rec, &h, t)
}

func (p *dtls12) sealRecord(rec []byte, h *Header, t protocol.ContentType) []byte {
	if h.Type == protocol.ContentTLS12CID {
		rec = append(rec, byte(t))
	}
	return p.Seal(rec, h)
}

func (p *dtls12) open(h Header, payload []byte) (protocol.ContentType, []byte, error) {
	return p.openRecord(&h, payload)
}

func (p *dtls12) openRecord(h *Header, payload []byte) (protocol.ContentType, []byte, error) {
	data, err := p.Open(h, payload)
	if err != nil {
		return 0, nil, err
	}
	if h.Type != protocol.ContentTLS12CID {
		return h.Type, data, nil
	}
	// Strip the zero padding and read the real content type.
	i := len(data) - 1
	for i >= 0 && data[i] == 0 {
		i--
	}
	if i < 0 {
		return 0, nil, errMalformed
	}
	return protocol.ContentType(data[i]), data[:i], nil
}
