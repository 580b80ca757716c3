// SPDX-License-Identifier: BSD-3-Clause

package keyschedule

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"testing"
)

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The key schedule of RFC 8448 §3 (a TLS 1.3 handshake without PSK): with
// the "tls13 " prefix the same code must produce the published secrets.
func TestRFC8448SimpleHandshake(t *testing.T) {
	s := New(TLS13, nil)
	check := func(what string, got []byte, want string) {
		t.Helper()
		if !bytes.Equal(got, unhex(t, want)) {
			t.Errorf("%s = %x, want %s", what, got, want)
		}
	}
	check("early secret", s.Secret(), "33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a")
	check("derived", s.DeriveSecret("derived", emptyHash[:]), "6f2615a108c702c5678f54fc9dbab69716c076189c48250cebeac3576c3611ba")
	s.Handshake(unhex(t, "8bd4054fb55b9d63fdfbacf9f04b9f0d35e6d63f537563efd46272900f89492d"))
	check("handshake secret", s.Secret(), "1dc826e93606aa6fdc0aadc12f741b01046aa6b99f691ed221a9f0ca043fbeac")
	th := unhex(t, "860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8")
	c, sv := s.TrafficSecrets(th, false)
	check("c hs traffic", c, "b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21")
	check("s hs traffic", sv, "b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38")
	k := Keys(TLS13, sv, 16)
	check("server handshake key", k.Key, "3fce516009c21727d0f2e4e86ee403bc")
	check("server handshake iv", k.IV, "5d313eb2671276ee13000b30")
	s.Master()
	check("master secret", s.Secret(), "18df06843d13a08bf2a449844c5f8a478001bc4d4c627984d5a41da8d0402919")
}

// HkdfLabel's layout, checked byte by byte for the DTLS prefix: HKDF-Expand
// with a one-block output is HMAC(secret, info || 0x01), so the expected
// value can be computed independently of ExpandLabel's own encoding.
func TestDTLSLabelEncoding(t *testing.T) {
	secret := bytes.Repeat([]byte{7}, 32)
	got := ExpandLabel(DTLS13, secret, "sn", []byte{1, 2}, 16)
	info := []byte{0, 16, 8, 'd', 't', 'l', 's', '1', '3', 's', 'n', 2, 1, 2}
	want := hmacSHA256(secret, append(info, 1))[:16]
	if !bytes.Equal(got, want) {
		t.Fatalf("ExpandLabel(dtls13, sn) = %x, want %x", got, want)
	}
	if bytes.Equal(ExpandLabel(TLS13, secret, "sn", []byte{1, 2}, 16), got) {
		t.Fatalf("the prefix does not change the output")
	}
}

func TestKeyUpdateAndFinished(t *testing.T) {
	secret := bytes.Repeat([]byte{9}, 32)
	next := NextTrafficSecret(DTLS13, secret)
	if len(next) != HashLen || bytes.Equal(next, secret) {
		t.Fatalf("next traffic secret %x", next)
	}
	if !bytes.Equal(next, ExpandLabel(DTLS13, secret, "traffic upd", nil, HashLen)) {
		t.Fatalf("next traffic secret is not HKDF-Expand-Label(secret, \"traffic upd\")")
	}
	th := bytes.Repeat([]byte{3}, 32)
	mac := FinishedMAC(DTLS13, secret, th)
	fk := ExpandLabel(DTLS13, secret, "finished", nil, HashLen)
	if !bytes.Equal(mac, hmacSHA256(fk, th)) {
		t.Fatalf("FinishedMAC differs from HMAC(finished_key, transcript)")
	}
	s := New(DTLS13, []byte("psk"))
	if b1, b2 := s.BinderKey(true), s.BinderKey(false); bytes.Equal(b1, b2) || len(b1) != HashLen {
		t.Fatalf("binder keys %x %x", b1, b2)
	}
	if k := Keys(DTLS13, secret, 16); len(k.Key) != 16 || len(k.IV) != 12 || len(k.SN) != 16 || bytes.Equal(k.Key, k.SN) {
		t.Fatalf("traffic keys %+v", k)
	}
}

func hmacSHA256(key, msg []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(msg)
	return m.Sum(nil)
}
