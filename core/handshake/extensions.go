// SPDX-License-Identifier: BSD-3-Clause

package handshake

import (
	"github.com/tinydtls-go/tinydtls/core/protocol"
	"github.com/tinydtls-go/tinydtls/core/wire"
)

// Extensions is the decoded extensions block of a ClientHello or a
// ServerHello. A list-valued extension is present only when its Has flag is
// set; the slice alone does not make Marshal send it.
//
// EncryptThenMAC and Unknown are only ever filled in by Unmarshal: the engine
// uses AEAD suites only, for which encrypt_then_mac is meaningless (RFC 7366
// §3), and skipped extensions carry no data to send back. Marshal ignores
// both.
type Extensions struct {
	ExtendedMasterSecret bool // 23, must be empty

	HasRenegotiationInfo bool
	RenegotiationInfo    []byte // 0xff01, uint8-prefixed renegotiated_connection

	// Cert-type lists (RFC 7250). In a ClientHello each is a uint8-prefixed
	// list of at least one type; in a ServerHello the extension carries the
	// single chosen type, which is the only element of the slice.
	ClientCertTypes   []uint8 // 19
	HasClientCertType bool
	ServerCertTypes   []uint8 // 20
	HasServerCertType bool

	SupportedGroups    []uint16 // 10
	HasSupportedGroups bool

	PointFormats    []uint8 // 11
	HasPointFormats bool

	SignatureAlgorithms    []uint16 // 13
	HasSignatureAlgorithms bool

	// RFC 9146: an empty ConnectionID with HasConnectionID set means "I
	// support CIDs but do not want to receive one".
	HasConnectionID bool
	ConnectionID    []byte // 54, uint8-prefixed, 0..255

	HasRecordSizeLimit bool
	RecordSizeLimit    uint16 // 28 (RFC 8449), >= 64

	EncryptThenMAC bool // 22, recorded only

	Unknown []uint16 // types of the extensions that were skipped, in order

	// Extra are extensions Marshal writes verbatim after those above, in
	// order: DTLS 1.3's, which a ClientHello that offers both versions
	// carries (its pre_shared_key must come last). Unmarshal leaves it
	// empty; DTLS 1.3 reads hellos with package handshake13.
	Extra []RawExtension
}

// RawExtension is an extension as it goes on the wire: type and data.
type RawExtension struct {
	Type uint16
	Data []byte
}

// minRecordSizeLimit is the smallest record_size_limit RFC 8449 §4 allows.
const minRecordSizeLimit = 64

func (e *Extensions) empty() bool {
	return !e.ExtendedMasterSecret && !e.HasRenegotiationInfo &&
		!e.HasClientCertType && !e.HasServerCertType &&
		!e.HasSupportedGroups && !e.HasPointFormats &&
		!e.HasSignatureAlgorithms && !e.HasConnectionID &&
		!e.HasRecordSizeLimit && len(e.Extra) == 0
}

// Marshal appends the whole extensions block, including its uint16 length,
// or nothing when no extension is set. fromServer selects the ServerHello
// encoding of the cert-type extensions; it panics if such an extension then
// does not hold exactly one type.
func (e *Extensions) Marshal(b []byte, fromServer bool) []byte {
	bld := wire.NewBuilder(b)
	e.build(bld, fromServer)
	return bld.BytesOrPanic()
}

// build adds the block to a message under construction. The order follows
// upstream tinydtls's ClientHello so that packet captures of both look alike.
func (e *Extensions) build(b *wire.Builder, fromServer bool) {
	if e.empty() {
		return
	}
	b.AddUint16LengthPrefixed(func(b *wire.Builder) {
		if e.HasClientCertType {
			addCertTypes(b, protocol.ExtClientCertificateType, e.ClientCertTypes, fromServer)
		}
		if e.HasServerCertType {
			addCertTypes(b, protocol.ExtServerCertificateType, e.ServerCertTypes, fromServer)
		}
		if e.HasSupportedGroups {
			addExt(b, protocol.ExtSupportedGroups, func(b *wire.Builder) { addU16List(b, e.SupportedGroups) })
		}
		if e.HasPointFormats {
			addExt(b, protocol.ExtECPointFormats, func(b *wire.Builder) { addU8Vec(b, e.PointFormats) })
		}
		if e.HasSignatureAlgorithms {
			addExt(b, protocol.ExtSignatureAlgorithms, func(b *wire.Builder) { addU16List(b, e.SignatureAlgorithms) })
		}
		if e.ExtendedMasterSecret {
			addExt(b, protocol.ExtExtendedMasterSecret, func(*wire.Builder) {})
		}
		if e.HasRenegotiationInfo {
			addExt(b, protocol.ExtRenegotiationInfo, func(b *wire.Builder) { addU8Vec(b, e.RenegotiationInfo) })
		}
		if e.HasConnectionID {
			addExt(b, protocol.ExtConnectionID, func(b *wire.Builder) { addU8Vec(b, e.ConnectionID) })
		}
		if e.HasRecordSizeLimit {
			addExt(b, protocol.ExtRecordSizeLimit, func(b *wire.Builder) { b.AddUint16(e.RecordSizeLimit) })
		}
		for _, x := range e.Extra {
			addExt(b, x.Type, func(b *wire.Builder) { b.AddBytes(x.Data) })
		}
	})
}

// addExt adds one extension: its type and its uint16-prefixed data.
func addExt(b *wire.Builder, typ uint16, data wire.BuilderContinuation) {
	b.AddUint16(typ)
	b.AddUint16LengthPrefixed(data)
}

func addCertTypes(b *wire.Builder, typ uint16, types []uint8, fromServer bool) {
	addExt(b, typ, func(b *wire.Builder) {
		if !fromServer {
			addU8Vec(b, types)
			return
		}
		if len(types) != 1 {
			panic("handshake: a server selects exactly one certificate type")
		}
		b.AddUint8(types[0])
	})
}

// Unmarshal decodes the content of an extensions block, that is the bytes
// after the block's uint16 length (the message decoders read that length
// themselves, because the block as a whole is optional). fromServer selects
// the ServerHello form of the cert-type extensions. It returns false on any
// malformed or duplicated extension; on failure e is left zeroed.
func (e *Extensions) Unmarshal(block []byte, fromServer bool) bool {
	if !e.unmarshal(block, fromServer) {
		*e = Extensions{}
		return false
	}
	return true
}

func (e *Extensions) unmarshal(block []byte, fromServer bool) bool {
	*e = Extensions{}
	s := wire.String(block)
	for !s.Empty() {
		var typ uint16
		var data wire.String
		if !s.ReadUint16(&typ) || !s.ReadUint16LengthPrefixed(&data) {
			return false
		}
		var ok bool
		switch typ {
		case protocol.ExtExtendedMasterSecret:
			ok = !e.ExtendedMasterSecret && data.Empty()
			e.ExtendedMasterSecret = true
		case protocol.ExtEncryptThenMAC:
			ok = !e.EncryptThenMAC && data.Empty()
			e.EncryptThenMAC = true
		case protocol.ExtRenegotiationInfo:
			ok = !e.HasRenegotiationInfo && readU8Vec(&data, &e.RenegotiationInfo) && data.Empty()
			e.HasRenegotiationInfo = true
		case protocol.ExtClientCertificateType:
			ok = !e.HasClientCertType && readCertTypes(data, fromServer, &e.ClientCertTypes)
			e.HasClientCertType = true
		case protocol.ExtServerCertificateType:
			ok = !e.HasServerCertType && readCertTypes(data, fromServer, &e.ServerCertTypes)
			e.HasServerCertType = true
		case protocol.ExtSupportedGroups:
			ok = !e.HasSupportedGroups && readU16List(&data, &e.SupportedGroups) && data.Empty()
			e.HasSupportedGroups = true
		case protocol.ExtECPointFormats:
			ok = !e.HasPointFormats && readU8Vec(&data, &e.PointFormats) &&
				len(e.PointFormats) > 0 && data.Empty()
			e.HasPointFormats = true
		case protocol.ExtSignatureAlgorithms:
			ok = !e.HasSignatureAlgorithms && readU16List(&data, &e.SignatureAlgorithms) && data.Empty()
			e.HasSignatureAlgorithms = true
		case protocol.ExtConnectionID:
			ok = !e.HasConnectionID && readU8Vec(&data, &e.ConnectionID) && data.Empty()
			e.HasConnectionID = true
		case protocol.ExtRecordSizeLimit:
			ok = !e.HasRecordSizeLimit && data.ReadUint16(&e.RecordSizeLimit) && data.Empty() &&
				e.RecordSizeLimit >= minRecordSizeLimit
			e.HasRecordSizeLimit = true
		default:
			e.Unknown = append(e.Unknown, typ)
			ok = true
		}
		if !ok {
			return false
		}
	}
	// Known types are checked through their flags above; unknown ones can
	// number in the thousands, so a bit per type rather than pairwise
	// comparisons (or a sort, whose generic code is larger).
	if len(e.Unknown) > 1 {
		var seen [1 << 16 / 64]uint64
		for _, t := range e.Unknown {
			w, b := t/64, uint64(1)<<(t%64)
			if seen[w]&b != 0 {
				return false
			}
			seen[w] |= b
		}
	}
	return true
}

func readCertTypes(data wire.String, fromServer bool, out *[]uint8) bool {
	if fromServer {
		if len(data) != 1 {
			return false
		}
		*out = []uint8{data[0]}
		return true
	}
	return readU8Vec(&data, out) && len(*out) > 0 && data.Empty()
}

// readExtensions reads the optional extensions block that ends a hello
// message: nothing left means no extensions, otherwise the block must fill
// the rest of the body exactly.
func readExtensions(s *wire.String, e *Extensions, fromServer bool) bool {
	*e = Extensions{}
	if s.Empty() {
		return true
	}
	var block wire.String
	if !s.ReadUint16LengthPrefixed(&block) || !s.Empty() {
		return false
	}
	return e.Unmarshal(block, fromServer)
}
