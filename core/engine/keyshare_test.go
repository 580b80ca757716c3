// SPDX-License-Identifier: BSD-3-Clause

package engine

import (
	"bytes"
	"crypto/ecdh"
	"errors"
	"math/rand"
	"testing"

	"github.com/tinydtls-go/tinydtls/core/protocol"
)

// A peer's key share that is the wrong size, off the curve or of low
// order is illegal_parameter (RFC 8446 §4.2.8); a good one gives the
// secret crypto/ecdh computes.
func TestKeyShareValidation(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	illegal := func(name string, k *keyShare, peer []byte) {
		t.Helper()
		_, err := sharedSecret(k, peer)
		a, ok := errors.AsType[protocol.Alert](err)
		if !ok || a.Description != protocol.AlertIllegalParameter {
			t.Errorf("%s: %v, want illegal_parameter", name, err)
		}
	}
	for _, c := range []struct {
		group uint16
		curve ecdh.Curve
	}{{protocol.GroupX25519, ecdh.X25519()}, {protocol.GroupSecp256r1, ecdh.P256()}} {
		k, err := newKeyShare(r, c.group)
		if err != nil {
			t.Fatal(err)
		}
		peer, err := c.curve.GenerateKey(nil)
		if err != nil {
			t.Fatal(err)
		}
		pub := peer.PublicKey().Bytes()
		got, err := sharedSecret(k, pub)
		ours, err2 := c.curve.NewPublicKey(k.publicKey())
		if err != nil || err2 != nil {
			t.Fatalf("group %d: %v, %v", c.group, err, err2)
		}
		want, _ := peer.ECDH(ours)
		if !bytes.Equal(got, want) {
			t.Fatalf("group %d: secret %x, crypto/ecdh %x", c.group, got, want)
		}
		illegal("short", k, pub[:len(pub)-1])
		illegal("long", k, append(bytes.Clone(pub), 0))
		illegal("empty", k, nil)
		if c.group == protocol.GroupSecp256r1 {
			bad := bytes.Clone(pub)
			bad[64] ^= 1
			illegal("off the curve", k, bad)
			continue
		}
		// The low-order u-coordinates of curve25519 (RFC 7748 §6.1's
		// all-zero output): 0, 1, p-1 and the two points of order 8.
		p1 := bytes.Repeat([]byte{0xff}, 32)
		p1[0], p1[31] = 0xec, 0x7f
		for name, u := range map[string][]byte{
			"u = 0":    make([]byte, 32),
			"u = 1":    append([]byte{1}, make([]byte, 31)...),
			"u = p-1":  p1,
			"order 8":  {0xe0, 0xeb, 0x7a, 0x7c, 0x3b, 0x41, 0xb8, 0xae, 0x16, 0x56, 0xe3, 0xfa, 0xf1, 0x9f, 0xc4, 0x6a, 0xda, 0x09, 0x8d, 0xeb, 0x9c, 0x32, 0xb1, 0xfd, 0x86, 0x62, 0x05, 0x16, 0x5f, 0x49, 0xb8, 0x00},
			"order 8'": {0x5f, 0x9c, 0x95, 0xbc, 0xa3, 0x50, 0x8c, 0x24, 0xb1, 0xd0, 0xb1, 0x55, 0x9c, 0x83, 0xef, 0x5b, 0x04, 0x44, 0x5c, 0xc4, 0x58, 0x1c, 0x8e, 0x86, 0xd8, 0x22, 0x4e, 0xdd, 0xd0, 0x9f, 0x11, 0x57},
		} {
			if _, err := ecdh.X25519().NewPublicKey(u); err == nil {
				if _, err := peer.ECDH(mustX25519(t, u)); err == nil {
					t.Fatalf("%s: crypto/ecdh accepts it; the test's list is wrong", name)
				}
			}
			illegal(name, k, u)
		}
	}
}

func mustX25519(t *testing.T, u []byte) *ecdh.PublicKey {
	k, err := ecdh.X25519().NewPublicKey(u)
	if err != nil {
		t.Fatal(err)
	}
	return k
}
