// SPDX-License-Identifier: BSD-3-Clause

package engine

import (
	"testing"

	"github.com/tinydtls-go/tinydtls/core/protocol"
)

func TestSetVersionsRefusesInvalidRanges(t *testing.T) {
	ep := New(Config{}, &peer{t: t})
	const v12, v13 = protocol.VersionDTLS12, protocol.VersionDTLS13
	for _, bad := range [][2]uint16{{v13, v12}, {protocol.VersionDTLS10, 0}, {0, 0x0303}, {1, v13}} {
		if err := ep.SetVersions(bad[0], bad[1]); err == nil {
			t.Errorf("SetVersions(%#04x, %#04x) accepted", bad[0], bad[1])
		}
	}
	if c := ep.Config(); c.MinVersion != 0 || c.MaxVersion != 0 {
		t.Fatalf("a refused range changed the configuration: %#04x..%#04x", c.MinVersion, c.MaxVersion)
	}
	for _, good := range [][2]uint16{{v12, v13}, {v13, v13}, {v12, v12}, {0, v13}, {v13, 0}, {0, 0}} {
		if err := ep.SetVersions(good[0], good[1]); err != nil {
			t.Errorf("SetVersions(%#04x, %#04x): %v", good[0], good[1], err)
		}
		if c := ep.Config(); c.MinVersion != good[0] || c.MaxVersion != good[1] {
			t.Errorf("SetVersions(%#04x, %#04x) not applied: %#04x..%#04x", good[0], good[1], c.MinVersion, c.MaxVersion)
		}
	}
	// A Config with an invalid range gets the defaults.
	if c := New(Config{MinVersion: v13, MaxVersion: v12}, &peer{t: t}).Config(); c.MinVersion != 0 || c.MaxVersion != 0 {
		t.Fatalf("invalid Config range kept: %#04x..%#04x", c.MinVersion, c.MaxVersion)
	}
}

func TestDefaultVersionRanges(t *testing.T) {
	const v12, v13 = protocol.VersionDTLS12, protocol.VersionDTLS13
	for _, tc := range []struct {
		min, max uint16
		role     Role
		lo, hi   int
	}{
		{0, 0, RoleServer, 12, 13},
		{0, 0, RoleClient, 12, 12},
		{0, v13, RoleClient, 12, 13},
		{v13, 0, RoleClient, 13, 13},
		{v13, 0, RoleServer, 13, 13},
		{0, v12, RoleServer, 12, 12},
		{v12, 0, RoleClient, 12, 12},
	} {
		c := Config{MinVersion: tc.min, MaxVersion: tc.max}
		if lo, hi := c.versions(tc.role); lo != tc.lo || hi != tc.hi {
			t.Errorf("%v with %#04x..%#04x: range %d..%d, want %d..%d", tc.role, tc.min, tc.max, lo, hi, tc.lo, tc.hi)
		}
	}
}

func TestVersionOfDTLS12Association(t *testing.T) {
	cl, sv, l := pskPair(t, 7, protocol.TLS_PSK_WITH_AES_128_CCM_8)
	handshakeOK(t, cl, sv, l, 5e9)
	if v := cl.conn(sv).Version(); v != protocol.VersionDTLS12 {
		t.Fatalf("client version %#04x", v)
	}
	if v := sv.conn(cl).snapshot().Version; v != protocol.VersionDTLS12 {
		t.Fatalf("server version %#04x", v)
	}
}

// SetVersions applies to handshakes started afterwards: a client enabled
// for 1.3 at run time negotiates it, a server limited to 1.2 at run time
// does not.
func TestSetVersionsAtRunTime(t *testing.T) {
	cl, sv, l := pair(t, 8, Config{}, Config{})
	useCredentials(cl, sv, false)
	if err := cl.ep.SetVersions(0, protocol.VersionDTLS13); err != nil {
		t.Fatal(err)
	}
	handshakeOK(t, cl, sv, l, 5e9)
	if v := cl.conn(sv).Version(); v != protocol.VersionDTLS13 {
		t.Fatalf("version %#04x after enabling 1.3", v)
	}
	cl2, sv2, l2 := pair(t, 9, Config{MaxVersion: protocol.VersionDTLS13}, Config{})
	useCredentials(cl2, sv2, false)
	if err := sv2.ep.SetVersions(0, protocol.VersionDTLS12); err != nil {
		t.Fatal(err)
	}
	handshakeOK(t, cl2, sv2, l2, 5e9)
	if v := cl2.conn(sv2).Version(); v != protocol.VersionDTLS12 {
		t.Fatalf("version %#04x with a server limited to 1.2", v)
	}
}
