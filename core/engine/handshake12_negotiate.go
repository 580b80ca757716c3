// SPDX-License-Identifier: BSD-3-Clause

package engine

import (
	"github.com/tinydtls-go/tinydtls/core/handshake"
	"github.com/tinydtls-go/tinydtls/core/protocol"
	"github.com/tinydtls-go/tinydtls/core/suite"
)

// What a DTLS 1.2 server decides from a ClientHello, as pure functions of
// the ClientHello and the settings: no callbacks, no randomness, no state.
// Building flight 4 from the decision is the server's (sendFlight4).

// offer12 is what, besides the ClientHello, a server's choice depends on.
type offer12 struct {
	params        UserParameters
	caps          Capabilities
	renegotiation bool
	// The verify_data of the last completed handshake (RFC 5746).
	clientVerify, serverVerify [protocol.VerifyDataLen]byte
	cidLength                  int // Config.CIDLength
	recordLimit                int // Config.RecordSizeLimit
}

// choice12 is the server's decision.
type choice12 struct {
	suite           *suite.Suite
	ems             bool
	peerSecureReneg bool
	// clientAuth: ask for the client's raw public key (CertificateRequest).
	clientAuth bool
	// extensions of the ServerHello, but for the connection ID, which
	// needs a fresh random value: issueCID says whether to hand one out,
	// and peerCID is the one the client asks us to put on our records.
	extensions handshake.Extensions
	issueCID   bool
	peerCID    []byte
	// peerRecordLimit is the client's record_size_limit (RFC 8449), if
	// extensions.HasRecordSizeLimit; ours is extensions.RecordSizeLimit.
	peerRecordLimit uint16
}

// checkClientHello12 is what a ClientHello must offer before anything else
// is asked: DTLS 1.2 (versions count down: anything numerically larger is
// older) and null compression.
func checkClientHello12(ch *handshake.ClientHello) error {
	if ch.Version > protocol.VersionDTLS12 {
		return protocol.Fatal(protocol.AlertProtocolVersion)
	}
	if !contains(ch.CompressionMethods, protocol.CompressionNull) {
		return protocol.Fatal(protocol.AlertHandshakeFailure)
	}
	return nil
}

// negotiate12 chooses the suite and the ServerHello's extensions for ch.
// An error is the refusal (or alert) that ends the handshake.
func negotiate12(ch *handshake.ClientHello, o offer12) (choice12, error) {
	var ch12 choice12
	ext := &ch.Extensions
	ch12.ems = ext.ExtendedMasterSecret
	if err := checkEMS(o.params.ForceExtendedMasterSecret, ch12.ems,
		"client does not offer the extended master secret (RFC 7627)"); err != nil {
		return ch12, err
	}
	ri := renegotiationInfo{
		reneg: o.renegotiation,
		has:   ext.HasRenegotiationInfo, got: ext.RenegotiationInfo, want: o.clientVerify[:],
		scsv:        contains(ch.CipherSuites, uint16(protocol.TLS_EMPTY_RENEGOTIATION_INFO_SCSV)),
		force:       o.params.ForceRenegotiationInfo,
		mismatch:    "renegotiating ClientHello without the right renegotiation_info",
		unsupported: "client does not support secure renegotiation (RFC 5746)",
	}
	var err error
	if ch12.peerSecureReneg, err = ri.check(); err != nil {
		return ch12, err
	}

	ch12.clientAuth = o.caps.ECDSAKey && o.caps.VerifyECDSAKey
	for _, id := range ch.CipherSuites {
		s := suite.Lookup(protocol.CipherSuite(id))
		if s == nil || !contains(o.params.CipherSuites, s.ID) {
			continue
		}
		if s.KeyExchange == suite.PSK && o.caps.PSK ||
			s.KeyExchange == suite.ECDHEECDSA && o.caps.ECDSAKey && ecdheUsable(ext, ch12.clientAuth) {
			ch12.suite = s
			break
		}
	}
	if ch12.suite == nil {
		return ch12, refuse(protocol.AlertHandshakeFailure, "no cipher suite in common with the client")
	}
	if ch12.suite.KeyExchange != suite.ECDHEECDSA {
		ch12.clientAuth = false
	}

	sx := &ch12.extensions
	if ch12.suite.KeyExchange == suite.ECDHEECDSA {
		if ch12.clientAuth {
			sx.HasClientCertType, sx.ClientCertTypes = true, []uint8{protocol.CertTypeRawPublicKey}
		}
		sx.HasServerCertType, sx.ServerCertTypes = true, []uint8{protocol.CertTypeRawPublicKey}
		if ext.HasPointFormats {
			sx.HasPointFormats, sx.PointFormats = true, []uint8{protocol.PointFormatUncompressed}
		}
	}
	sx.ExtendedMasterSecret = ch12.ems
	if ch12.peerSecureReneg {
		sx.HasRenegotiationInfo = true
		if o.renegotiation {
			sx.RenegotiationInfo = append(append([]byte(nil), o.clientVerify[:]...), o.serverVerify[:]...)
		} else {
			sx.RenegotiationInfo = []byte{}
		}
	}
	// Connection ID (RFC 9146) and record size limit (RFC 8449) are
	// negotiated in the first handshake of an association only; a
	// renegotiation keeps what was agreed.
	if o.renegotiation {
		return ch12, nil
	}
	if ext.HasConnectionID && o.params.SupportCID {
		if len(ext.ConnectionID) > protocol.MaxCIDLen {
			return ch12, protocol.Fatal(protocol.AlertIllegalParameter)
		}
		ch12.issueCID, ch12.peerCID = true, ext.ConnectionID
	}
	if ext.HasRecordSizeLimit {
		ch12.peerRecordLimit = ext.RecordSizeLimit
		lim := o.recordLimit
		if lim == 0 || lim > protocol.MaxPlaintext {
			lim = protocol.MaxPlaintext
		}
		sx.HasRecordSizeLimit, sx.RecordSizeLimit = true, uint16(lim)
	}
	return ch12, nil
}

// ecdheUsable says whether the client can do our ECDHE: raw public keys
// both ways (ours is the only certificate type we have), P-256,
// uncompressed points, ECDSA with SHA-256. Absent extensions mean the RFC
// defaults, which for the certificate types is X.509.
func ecdheUsable(ext *handshake.Extensions, clientAuth bool) bool {
	if !ext.HasServerCertType || !contains(ext.ServerCertTypes, protocol.CertTypeRawPublicKey) {
		return false
	}
	if clientAuth && (!ext.HasClientCertType || !contains(ext.ClientCertTypes, protocol.CertTypeRawPublicKey)) {
		return false
	}
	if ext.HasSupportedGroups && !contains(ext.SupportedGroups, protocol.GroupSecp256r1) {
		return false
	}
	if ext.HasPointFormats && !contains(ext.PointFormats, protocol.PointFormatUncompressed) {
		return false
	}
	if ext.HasSignatureAlgorithms && !contains(ext.SignatureAlgorithms, protocol.SigSchemeECDSASHA256) {
		return false
	}
	return true
}
