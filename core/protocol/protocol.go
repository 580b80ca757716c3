// SPDX-License-Identifier: BSD-3-Clause

// Package protocol holds the DTLS 1.2 and 1.3 wire constants shared by every other
// package of the engine: content types, versions, handshake and alert codes,
// cipher suite and extension identifiers.
package protocol

import "github.com/tinydtls-go/tinydtls/core/textf"

// ContentType is the type byte of a DTLS record (RFC 6347 §4.1, RFC 9146).
type ContentType uint8

const (
	ContentChangeCipherSpec ContentType = 20
	ContentAlert            ContentType = 21
	ContentHandshake        ContentType = 22
	ContentApplicationData  ContentType = 23
	ContentTLS12CID         ContentType = 25
	ContentACK              ContentType = 26 // DTLS 1.3 (RFC 9147 §7)
)

func (t ContentType) String() string {
	switch t {
	case ContentChangeCipherSpec:
		return "change_cipher_spec"
	case ContentAlert:
		return "alert"
	case ContentHandshake:
		return "handshake"
	case ContentApplicationData:
		return "application_data"
	case ContentTLS12CID:
		return "tls12_cid"
	case ContentACK:
		return "ack"
	}
	return textf.Sprintf("content_type(%d)", uint8(t))
}

// Protocol versions as they appear on the wire (one's complement encoding).
const (
	VersionDTLS10 uint16 = 0xfeff
	VersionDTLS12 uint16 = 0xfefd
	VersionDTLS13 uint16 = 0xfefc
)

// VersionName names a protocol version for logs and errors.
func VersionName(v uint16) string {
	switch v {
	case VersionDTLS10:
		return "DTLS 1.0"
	case VersionDTLS12:
		return "DTLS 1.2"
	case VersionDTLS13:
		return "DTLS 1.3"
	}
	return textf.Sprintf("version 0x%04x", v)
}

// HandshakeType is the msg_type of a handshake message.
type HandshakeType uint8

const (
	HandshakeHelloRequest       HandshakeType = 0
	HandshakeClientHello        HandshakeType = 1
	HandshakeServerHello        HandshakeType = 2
	HandshakeHelloVerifyRequest HandshakeType = 3
	HandshakeCertificate        HandshakeType = 11
	HandshakeServerKeyExchange  HandshakeType = 12
	HandshakeCertificateRequest HandshakeType = 13
	HandshakeServerHelloDone    HandshakeType = 14
	HandshakeCertificateVerify  HandshakeType = 15
	HandshakeClientKeyExchange  HandshakeType = 16
	HandshakeFinished           HandshakeType = 20
	// DTLS 1.3 only (RFC 8446 §4, RFC 9147 §5).
	HandshakeNewSessionTicket    HandshakeType = 4
	HandshakeEndOfEarlyData      HandshakeType = 5
	HandshakeEncryptedExtensions HandshakeType = 8
	HandshakeKeyUpdate           HandshakeType = 24
	HandshakeMessageHash         HandshakeType = 254
)

func (t HandshakeType) String() string {
	switch t {
	case HandshakeHelloRequest:
		return "hello_request"
	case HandshakeClientHello:
		return "client_hello"
	case HandshakeServerHello:
		return "server_hello"
	case HandshakeHelloVerifyRequest:
		return "hello_verify_request"
	case HandshakeCertificate:
		return "certificate"
	case HandshakeServerKeyExchange:
		return "server_key_exchange"
	case HandshakeCertificateRequest:
		return "certificate_request"
	case HandshakeServerHelloDone:
		return "server_hello_done"
	case HandshakeCertificateVerify:
		return "certificate_verify"
	case HandshakeClientKeyExchange:
		return "client_key_exchange"
	case HandshakeFinished:
		return "finished"
	case HandshakeNewSessionTicket:
		return "new_session_ticket"
	case HandshakeEndOfEarlyData:
		return "end_of_early_data"
	case HandshakeEncryptedExtensions:
		return "encrypted_extensions"
	case HandshakeKeyUpdate:
		return "key_update"
	case HandshakeMessageHash:
		return "message_hash"
	}
	return textf.Sprintf("handshake_type(%d)", uint8(t))
}

// AlertLevel is the first byte of an alert. Level 0 is used by the engine's
// event interface for internal (non-alert) events, as upstream does.
type AlertLevel uint8

const (
	LevelInternal AlertLevel = 0
	LevelWarning  AlertLevel = 1
	LevelFatal    AlertLevel = 2
)

// AlertDescription is the second byte of an alert.
type AlertDescription uint8

const (
	AlertCloseNotify            AlertDescription = 0
	AlertUnexpectedMessage      AlertDescription = 10
	AlertBadRecordMAC           AlertDescription = 20
	AlertRecordOverflow         AlertDescription = 22
	AlertDecompressionFailure   AlertDescription = 30
	AlertHandshakeFailure       AlertDescription = 40
	AlertBadCertificate         AlertDescription = 42
	AlertUnsupportedCertificate AlertDescription = 43
	AlertCertificateRevoked     AlertDescription = 44
	AlertCertificateExpired     AlertDescription = 45
	AlertCertificateUnknown     AlertDescription = 46
	AlertIllegalParameter       AlertDescription = 47
	AlertUnknownCA              AlertDescription = 48
	AlertAccessDenied           AlertDescription = 49
	AlertDecodeError            AlertDescription = 50
	AlertDecryptError           AlertDescription = 51
	AlertProtocolVersion        AlertDescription = 70
	AlertInsufficientSecurity   AlertDescription = 71
	AlertInternalError          AlertDescription = 80
	AlertUserCanceled           AlertDescription = 90
	AlertNoRenegotiation        AlertDescription = 100
	AlertMissingExtension       AlertDescription = 109
	AlertUnsupportedExtension   AlertDescription = 110
	AlertUnknownPSKIdentity     AlertDescription = 115
	AlertCertificateRequired    AlertDescription = 116
)

var alertNames = map[AlertDescription]string{
	AlertCloseNotify: "close_notify", AlertUnexpectedMessage: "unexpected_message",
	AlertBadRecordMAC: "bad_record_mac", AlertRecordOverflow: "record_overflow",
	AlertDecompressionFailure: "decompression_failure", AlertHandshakeFailure: "handshake_failure",
	AlertBadCertificate: "bad_certificate", AlertUnsupportedCertificate: "unsupported_certificate",
	AlertCertificateRevoked: "certificate_revoked", AlertCertificateExpired: "certificate_expired",
	AlertCertificateUnknown: "certificate_unknown", AlertIllegalParameter: "illegal_parameter",
	AlertUnknownCA: "unknown_ca", AlertAccessDenied: "access_denied", AlertDecodeError: "decode_error",
	AlertDecryptError: "decrypt_error", AlertProtocolVersion: "protocol_version",
	AlertInsufficientSecurity: "insufficient_security", AlertInternalError: "internal_error",
	AlertUserCanceled: "user_canceled", AlertNoRenegotiation: "no_renegotiation",
	AlertUnsupportedExtension: "unsupported_extension", AlertMissingExtension: "missing_extension",
	AlertUnknownPSKIdentity: "unknown_psk_identity", AlertCertificateRequired: "certificate_required",
}

func (d AlertDescription) String() string {
	if s, ok := alertNames[d]; ok {
		return s
	}
	return textf.Sprintf("alert(%d)", uint8(d))
}

// Alert is an alert message, and also the error type the engine and the
// application callbacks use to say "stop the handshake with this alert".
type Alert struct {
	Level       AlertLevel
	Description AlertDescription
}

func (a Alert) Error() string {
	lvl := "fatal"
	if a.Level == LevelWarning {
		lvl = "warning"
	}
	return lvl + " alert " + a.Description.String()
}

// Fatal returns a fatal alert with the given description.
func Fatal(d AlertDescription) Alert { return Alert{Level: LevelFatal, Description: d} }

// Marshal appends the two-byte alert to b.
func (a Alert) Marshal(b []byte) []byte { return append(b, byte(a.Level), byte(a.Description)) }

// ParseAlert reads a two-byte alert. Anything but exactly two bytes is malformed.
func ParseAlert(b []byte) (Alert, bool) {
	if len(b) != 2 {
		return Alert{}, false
	}
	return Alert{Level: AlertLevel(b[0]), Description: AlertDescription(b[1])}, true
}

// Internal event codes delivered with LevelInternal, numbered as upstream.
const (
	EventConnect     uint16 = 0x01DC
	EventConnected   uint16 = 0x01DE
	EventRenegotiate uint16 = 0x01DF
)

// CipherSuite identifiers.
type CipherSuite uint16

const (
	TLS_NULL_WITH_NULL_NULL            CipherSuite = 0x0000
	TLS_EMPTY_RENEGOTIATION_INFO_SCSV  CipherSuite = 0x00FF
	TLS_PSK_WITH_AES_128_CCM           CipherSuite = 0xC0A4
	TLS_PSK_WITH_AES_128_CCM_8         CipherSuite = 0xC0A8
	TLS_ECDHE_ECDSA_WITH_AES_128_CCM   CipherSuite = 0xC0AC
	TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 CipherSuite = 0xC0AE
	// DTLS 1.3 suites (RFC 8446 §B.4): the AEAD and hash only; the key
	// exchange is negotiated separately.
	TLS_AES_128_GCM_SHA256   CipherSuite = 0x1301
	TLS_AES_128_CCM_SHA256   CipherSuite = 0x1304
	TLS_AES_128_CCM_8_SHA256 CipherSuite = 0x1305
)

func (c CipherSuite) String() string {
	switch c {
	case TLS_NULL_WITH_NULL_NULL:
		return "TLS_NULL_WITH_NULL_NULL"
	case TLS_EMPTY_RENEGOTIATION_INFO_SCSV:
		return "TLS_EMPTY_RENEGOTIATION_INFO_SCSV"
	case TLS_PSK_WITH_AES_128_CCM:
		return "TLS_PSK_WITH_AES_128_CCM"
	case TLS_PSK_WITH_AES_128_CCM_8:
		return "TLS_PSK_WITH_AES_128_CCM_8"
	case TLS_ECDHE_ECDSA_WITH_AES_128_CCM:
		return "TLS_ECDHE_ECDSA_WITH_AES_128_CCM"
	case TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8:
		return "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8"
	case TLS_AES_128_GCM_SHA256:
		return "TLS_AES_128_GCM_SHA256"
	case TLS_AES_128_CCM_SHA256:
		return "TLS_AES_128_CCM_SHA256"
	case TLS_AES_128_CCM_8_SHA256:
		return "TLS_AES_128_CCM_8_SHA256"
	}
	return textf.Sprintf("cipher_suite(0x%04x)", uint16(c))
}

// Extension types.
const (
	ExtSupportedGroups       uint16 = 10
	ExtECPointFormats        uint16 = 11
	ExtSignatureAlgorithms   uint16 = 13
	ExtClientCertificateType uint16 = 19
	ExtServerCertificateType uint16 = 20
	ExtEncryptThenMAC        uint16 = 22
	ExtExtendedMasterSecret  uint16 = 23
	ExtRecordSizeLimit       uint16 = 28
	ExtPreSharedKey          uint16 = 41 // DTLS 1.3 (RFC 8446 §4.2)
	ExtEarlyData             uint16 = 42
	ExtSupportedVersions     uint16 = 43
	ExtCookie                uint16 = 44
	ExtPSKKeyExchangeModes   uint16 = 45
	ExtKeyShare              uint16 = 51
	ExtConnectionID          uint16 = 54
	ExtRenegotiationInfo     uint16 = 0xff01
)

// Values carried in extensions and key exchange messages.
const (
	CertTypeX509            uint8  = 0
	CertTypeRawPublicKey    uint8  = 2
	GroupSecp256r1          uint16 = 23
	GroupX25519             uint16 = 29
	PointFormatUncompressed uint8  = 0
	CurveTypeNamedCurve     uint8  = 3
	HashSHA256              uint8  = 4
	SignatureECDSA          uint8  = 3
	// SigSchemeECDSASHA256 is the (hash, signature) pair as one uint16.
	SigSchemeECDSASHA256    uint16 = uint16(HashSHA256)<<8 | uint16(SignatureECDSA)
	ClientCertTypeECDSASign uint8  = 64
	CompressionNull         uint8  = 0
)

// Sizes fixed by the protocol.
const (
	RecordHeaderLen    = 13
	HandshakeHeaderLen = 12
	RandomLen          = 32
	VerifyDataLen      = 12
	MasterSecretLen    = 48
	MaxCIDLen          = 16
	// MaxPlaintext is 2^14, the largest record plaintext (RFC 6347 §4.1).
	MaxPlaintext = 1 << 14
)
