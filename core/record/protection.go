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

// protection is how the records of one direction of one epoch are laid out
// and protected. Epoch 0 has none (plaintext); DTLS 1.2's protected epochs
// use dtls12: the 13-byte header (with RFC 9146's connection ID on
// tls12_cid records), RFC 6655's explicit nonce and AEAD. DTLS 1.3's unified
// header with encrypted record numbers (RFC 9147 §4, package record13) is
// meant to be a third implementation beside these: the halves only call
// through this interface.
type protection interface {
	// begin appends the header h (its length field still 0) and whatever
	// precedes the content.
	begin(b []byte, h Header) []byte
	// nonceLen is how many bytes begin put between header and content.
	nonceLen() int
	// seal finishes the record that starts at rec[0] and whose content,
	// of type t, ends at the end of rec: protection, the header's length.
	seal(rec []byte, h Header, t protocol.ContentType) []byte
	// open authenticates and decrypts a record's payload in place and
	// returns its real content type and content: ErrAuth if it does not
	// authenticate, errMalformed if it cannot be a record.
	open(h Header, payload []byte) (protocol.ContentType, []byte, error)
}

// The methods take headers by value: a pointer passed through an interface
// escapes, and the record path must not allocate.

// plaintext is epoch 0: no protection, no connection ID.
type plaintext struct{}

func (plaintext) begin(b []byte, h Header) []byte { return AppendHeader(b, &h) }

func (plaintext) nonceLen() int { return 0 }

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

func newDTLS12(k *Keys) *dtls12 {
	p := new(dtls12)
	if err := p.init(k.Suite, k.Key[:], k.IV[:]); err != nil {
		// Only a wrong key size fails, and Keys fixes it.
		panic(err)
	}
	return p
}

func (p *dtls12) begin(b []byte, h Header) []byte {
	b = AppendHeader(b, &h)
	return append(b, 0, 0, 0, 0, 0, 0, 0, 0) // the explicit nonce
}

func (p *dtls12) nonceLen() int { return suite.ExplicitNonceLen }

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
