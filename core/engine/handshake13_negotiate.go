// SPDX-License-Identifier: BSD-3-Clause

package engine

import (
	"crypto/sha256"
	"slices"

	"github.com/tinydtls-go/tinydtls/core/handshake13"
	"github.com/tinydtls-go/tinydtls/core/protocol"
	"github.com/tinydtls-go/tinydtls/core/suite"
)

// What a server decides from a ClientHello before any DTLS 1.3 state
// exists, as pure functions of the ClientHello and the settings: the
// protocol version (RFC 8446 §4.2.1), and for 1.3 the suite, the
// authentication, the key exchange group and what the HelloRetryRequest
// must ask for. The same functions run on the first ClientHello, statelessly,
// and again on the second, once the association exists; the PSK lookup
// and the binder, which need the application, come after (server13).

// chooseVersion is the server's version for ch, given the range it
// negotiates (ranks, see versionRank): DTLS 1.3 when the client's
// supported_versions lists it and the range allows it, else DTLS 1.2 (the
// existing path), else protocol_version.
func chooseVersion(ch *handshake13.ClientHello, lo, hi int) (uint16, error) {
	data, ok := handshake13.Find(ch.Extensions, protocol.ExtSupportedVersions)
	if !ok {
		// RFC 8446 §4.2.1: without the extension, legacy_version decides.
		if lo <= 12 && ch.Version <= protocol.VersionDTLS12 {
			return protocol.VersionDTLS12, nil
		}
		return 0, protocol.Fatal(protocol.AlertProtocolVersion)
	}
	versions, ok := handshake13.ParseSupportedVersionsCH(data)
	if !ok {
		return 0, protocol.Fatal(protocol.AlertDecodeError)
	}
	// Ours is the preference: the newest both sides have.
	if hi >= 13 && contains(versions, protocol.VersionDTLS13) {
		return protocol.VersionDTLS13, nil
	}
	if lo <= 12 && contains(versions, protocol.VersionDTLS12) {
		return protocol.VersionDTLS12, nil
	}
	return 0, protocol.Fatal(protocol.AlertProtocolVersion)
}

// policy13 is what the application's parameters and callbacks allow in a
// DTLS 1.3 handshake: the suites in preference order and the kinds of
// authentication.
type policy13 struct {
	suites []*suite.Suite
	psk    bool // external PSKs
	rpk    bool // raw public keys (ECDHE with ECDSA signatures)
	// pskKE: PSK without ECDHE (psk_ke) is what the application wants.
	pskKE bool
}

// policyFor13 maps the application's suite list to DTLS 1.3. Upstream's
// applications list 1.2 suites only, and they keep working: the default
// list allows the three 1.3 suites; a changed list of 1.2 suites allows the
// 1.3 suites with the same AEAD (CCM_8 for the *_CCM_8 suites, CCM for the
// *_CCM ones) and the authentication those suites use (PSK, raw public
// keys). 1.3 suites listed explicitly are honoured as they are, with the
// authentication of the 1.2 suites beside them, or any if there are none.
// A role's callbacks then narrow the authentication, as in 1.2: a client
// offers raw public keys only if it can verify the server's, a server only
// if it has a key.
func policyFor13(params *UserParameters, caps Capabilities, r Role) policy13 {
	var p policy13
	var explicit, derived []*suite.Suite
	any12 := false
	for _, id := range params.CipherSuites {
		if s := suite.Lookup13(id); s != nil {
			if !slices.Contains(explicit, s) {
				explicit = append(explicit, s)
			}
			continue
		}
		if s := suite.Lookup(id); s != nil {
			any12 = true
			p.psk = p.psk || s.KeyExchange == suite.PSK
			p.rpk = p.rpk || s.KeyExchange == suite.ECDHEECDSA
			if e := s.Equivalent13(); !slices.Contains(derived, e) {
				derived = append(derived, e)
			}
		}
	}
	switch {
	case slices.Equal(params.CipherSuites, suite.Default):
		for _, id := range suite.Default13 {
			p.suites = append(p.suites, suite.Lookup13(id))
		}
	case len(explicit) > 0:
		p.suites = explicit
		if !any12 {
			p.psk, p.rpk = true, true
		}
	default:
		p.suites = derived
	}
	p.psk = p.psk && caps.PSK
	if r == RoleClient {
		p.rpk = p.rpk && caps.VerifyECDSAKey
	} else {
		p.rpk = p.rpk && caps.ECDSAKey
	}
	p.pskKE = params.PSKWithoutECDHE
	return p
}

// usable reports whether the policy allows a handshake at all.
func (p *policy13) usable() bool { return len(p.suites) > 0 && (p.psk || p.rpk) }

// DefaultGroups is the key exchange groups of DTLS 1.3 in our preference
// order, when Config.Groups is empty: X25519 first (its share is half the
// size of P-256's), then P-256.
var DefaultGroups = []uint16{protocol.GroupX25519, protocol.GroupSecp256r1}

// hello13 is what the server reads from a 1.3 ClientHello before it
// chooses: the 1.3 extensions, decoded and checked for form.
type hello13 struct {
	suites      []uint16
	groups      []uint16 // supported_groups
	shares      []handshake13.KeyShare
	hasShares   bool
	modes       []uint8 // psk_key_exchange_modes
	psk         *handshake13.OfferedPSKs
	bindersLen  int // the length of the binders list, its length included
	sigAlgs     []uint16
	serverTypes []uint8 // server_certificate_type
	clientTypes []uint8 // client_certificate_type
	cookie      []byte
	earlyData   bool
	cid         []byte
	hasCID      bool
	recordLimit uint16 // 0: none
}

// readHello13 decodes the extensions of a ClientHello that chose 1.3
// (RFC 8446 §4.1.2, §4.2). A malformed extension is decode_error, a
// pre_shared_key that is not last illegal_parameter, a legacy_cookie
// illegal_parameter (RFC 9147 §5.3).
func readHello13(ch *handshake13.ClientHello) (hello13, error) {
	var h hello13
	h.suites = ch.CipherSuites
	if len(ch.Cookie) != 0 {
		return h, refuse(protocol.AlertIllegalParameter, "DTLS 1.3 ClientHello with a legacy_cookie")
	}
	if !contains(ch.Compression, protocol.CompressionNull) || len(ch.Compression) != 1 {
		return h, protocol.Fatal(protocol.AlertIllegalParameter)
	}
	decodeError := protocol.Fatal(protocol.AlertDecodeError)
	for i, x := range ch.Extensions {
		var ok bool
		switch x.Type {
		case protocol.ExtSupportedGroups:
			ok = readGroups(x.Data, &h.groups)
		case protocol.ExtKeyShare:
			h.shares, ok = handshake13.ParseKeyShareCH(x.Data)
			h.hasShares = true
		case protocol.ExtPSKKeyExchangeModes:
			h.modes, ok = handshake13.ParsePSKModes(x.Data)
		case protocol.ExtPreSharedKey:
			if i != len(ch.Extensions)-1 {
				return h, refuse(protocol.AlertIllegalParameter, "pre_shared_key is not the last extension")
			}
			var o handshake13.OfferedPSKs
			o, h.bindersLen, ok = handshake13.ParsePreSharedKeyCH(x.Data)
			h.psk = &o
		case protocol.ExtSignatureAlgorithms:
			ok = readGroups(x.Data, &h.sigAlgs)
		case protocol.ExtServerCertificateType:
			ok = readTypes(x.Data, &h.serverTypes)
		case protocol.ExtClientCertificateType:
			ok = readTypes(x.Data, &h.clientTypes)
		case protocol.ExtCookie:
			h.cookie, ok = handshake13.ParseCookie(x.Data)
		case protocol.ExtEarlyData:
			h.earlyData, ok = true, len(x.Data) == 0
		case protocol.ExtConnectionID:
			ok = len(x.Data) >= 1 && int(x.Data[0]) == len(x.Data)-1 && len(x.Data)-1 <= protocol.MaxCIDLen
			if ok {
				h.cid, h.hasCID = x.Data[1:], true
			}
		case protocol.ExtRecordSizeLimit:
			ok = len(x.Data) == 2
			if ok {
				h.recordLimit = uint16(x.Data[0])<<8 | uint16(x.Data[1])
				ok = h.recordLimit >= MinRecordSizeLimit
			}
		default:
			ok = true
		}
		if !ok {
			return h, decodeError
		}
	}
	if h.psk != nil && h.modes == nil {
		// RFC 8446 §4.2.9: a PSK offer without modes is an error.
		return h, protocol.Fatal(protocol.AlertMissingExtension)
	}
	if h.hasShares && h.groups == nil {
		return h, protocol.Fatal(protocol.AlertMissingExtension)
	}
	return h, nil
}

// readGroups reads a uint16-prefixed list of uint16 values (groups,
// signature schemes), at least one.
func readGroups(data []byte, out *[]uint16) bool {
	if len(data) < 4 || int(data[0])<<8|int(data[1]) != len(data)-2 || len(data)%2 != 0 {
		return false
	}
	for i := 2; i < len(data); i += 2 {
		*out = append(*out, uint16(data[i])<<8|uint16(data[i+1]))
	}
	return true
}

// readTypes reads a ClientHello's certificate type list (RFC 7250 §4).
func readTypes(data []byte, out *[]uint8) bool {
	if len(data) < 2 || int(data[0]) != len(data)-1 {
		return false
	}
	*out = data[1:]
	return true
}

// offer13 is what, besides the ClientHello, a 1.3 server's choice depends
// on.
type offer13 struct {
	policy policy13
	caps   Capabilities
	groups []uint16 // ours, in preference order
}

// choice13 is the 1.3 server's decision before any PSK lookup.
type choice13 struct {
	suite *suite.Suite
	// pskOffered: the client offers PSKs we may use; rpk: a raw public
	// key handshake is possible (the fallback when no PSK is known).
	pskOffered bool
	pskDHE     bool // the client allows psk_dhe_ke and we want it
	pskKE      bool // the client allows psk_ke
	rpk        bool
	clientAuth bool
	// group is the ECDHE group (0: none needed), share the client's share
	// for it (nil: the HelloRetryRequest must ask for one).
	group uint16
	share []byte
}

// negotiate13 chooses the suite, the authentication and the group for a
// 1.3 ClientHello. It is called on the first ClientHello, to decide the
// HelloRetryRequest, and on the second, which must come to the same
// choice with the share the retry asked for.
func negotiate13(h *hello13, o offer13) (choice13, error) {
	var c choice13
	for _, id := range h.suites {
		if s := suite.Lookup13(protocol.CipherSuite(id)); s != nil && slices.Contains(o.policy.suites, s) {
			c.suite = s
			break
		}
	}
	if c.suite == nil {
		return c, refuse(protocol.AlertHandshakeFailure, "no DTLS 1.3 cipher suite in common with the client")
	}
	if h.psk != nil && o.policy.psk {
		c.pskOffered = true
		c.pskDHE = contains(h.modes, handshake13.PSKModeDHEKE) && !(o.policy.pskKE && contains(h.modes, handshake13.PSKModeKE))
		c.pskKE = contains(h.modes, handshake13.PSKModeKE)
		c.pskOffered = c.pskDHE || c.pskKE
	}
	c.rpk = o.policy.rpk && rpkUsable13(h)
	c.clientAuth = c.rpk && o.caps.ECDSAKey && o.caps.VerifyECDSAKey
	if c.clientAuth && !contains(h.clientTypes, protocol.CertTypeRawPublicKey) {
		// A client that cannot send a raw public key cannot be asked for
		// one: as in 1.2, no raw public key handshake then.
		c.rpk, c.clientAuth = false, false
	}
	if !c.pskOffered && !c.rpk {
		return c, refuse(protocol.AlertHandshakeFailure, "no DTLS 1.3 authentication in common with the client")
	}
	// ECDHE is needed for raw public keys and for psk_dhe_ke; psk_ke alone
	// does without.
	needDHE := c.rpk || c.pskOffered && c.pskDHE
	if !needDHE {
		return c, nil
	}
	c.group, c.share = chooseGroup(h, o.groups)
	if c.group == 0 {
		if c.pskOffered && c.pskKE {
			c.rpk, c.clientAuth, c.pskDHE = false, false, false
			return c, nil
		}
		return c, refuse(protocol.AlertHandshakeFailure, "no key exchange group in common with the client")
	}
	return c, nil
}

// chooseGroup prefers a group the client sent a share for (saving the
// round trip a retry would cost a client whose server does not retry
// anyway), in our order; else the first of ours the client supports, for
// which the retry asks.
func chooseGroup(h *hello13, ours []uint16) (uint16, []byte) {
	for _, g := range ours {
		for _, ks := range h.shares {
			if ks.Group == g && contains(h.groups, g) {
				return g, ks.Data
			}
		}
	}
	for _, g := range ours {
		if contains(h.groups, g) {
			return g, nil
		}
	}
	return 0, nil
}

// rpkUsable13 says whether the client can do our raw public key
// handshake: a raw public key from us (ours is the only certificate we
// have; without the extension it would expect X.509), and ECDSA P-256
// with SHA-256 signatures.
func rpkUsable13(h *hello13) bool {
	return contains(h.serverTypes, protocol.CertTypeRawPublicKey) &&
		contains(h.sigAlgs, protocol.SigSchemeECDSASHA256)
}

// helloDigest condenses what of a ClientHello must stay the same in the
// ClientHello that answers a HelloRetryRequest (RFC 8446 §4.1.2): all of
// it but the key_share (when the retry asked for a group), the cookie,
// early_data (which the second ClientHello drops), padding and the
// binders. The cookie's MAC covers it, so that a changed second
// ClientHello does not verify.
func helloDigest(ch *handshake13.ClientHello, shareChanges bool) [sha256.Size]byte {
	d := sha256.New()
	var tmp [8]byte
	put := func(b []byte) {
		tmp[0], tmp[1], tmp[2], tmp[3] = byte(len(b)>>24), byte(len(b)>>16), byte(len(b)>>8), byte(len(b))
		d.Write(tmp[:4])
		d.Write(b)
	}
	tmp[0], tmp[1] = byte(ch.Version>>8), byte(ch.Version)
	d.Write(tmp[:2])
	put(ch.Random)
	put(ch.SessionID)
	put(ch.Cookie)
	for _, s := range ch.CipherSuites {
		tmp[0], tmp[1] = byte(s>>8), byte(s)
		d.Write(tmp[:2])
	}
	put(ch.Compression)
	for _, x := range ch.Extensions {
		switch x.Type {
		case protocol.ExtCookie, protocol.ExtEarlyData, extPadding:
			continue
		case protocol.ExtKeyShare:
			if shareChanges {
				continue
			}
		case protocol.ExtPreSharedKey:
			// The identities must stay; the binders change with the
			// transcript, and RFC 8446 allows a new obfuscated age.
			if o, _, ok := handshake13.ParsePreSharedKeyCH(x.Data); ok {
				tmp[0], tmp[1] = byte(x.Type>>8), byte(x.Type)
				d.Write(tmp[:2])
				for _, id := range o.Identities {
					put(id.Identity)
				}
			}
			continue
		}
		tmp[0], tmp[1] = byte(x.Type>>8), byte(x.Type)
		d.Write(tmp[:2])
		put(x.Data)
	}
	var out [sha256.Size]byte
	d.Sum(out[:0])
	return out
}

// extPadding is RFC 7685's padding extension, which may change between
// the two ClientHellos.
const extPadding uint16 = 21
