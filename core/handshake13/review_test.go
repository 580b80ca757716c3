// SPDX-License-Identifier: BSD-3-Clause

package handshake13

import (
	"testing"

	"github.com/tinydtls-go/tinydtls/core/wire"
)

// A ClientHello reaches these parsers before the server keeps any state
// or has seen a cookie, from any address: a spoofed 60 KB one of 15,000
// empty extensions (or 12,000 one-byte key shares) cost the server 50 ms
// of duplicate checks, each entry compared with every other, and 500 KB
// of memory. Beyond what any client sends, such lists are refused, after
// bounded work.
func TestReviewHugeListsRefused(t *testing.T) {
	extensions := func(n int) []byte {
		var b []byte
		for i := 0; i < n; i++ {
			b = append(b, byte(i>>8), byte(i), 0, 0)
		}
		return append([]byte{byte(len(b) >> 8), byte(len(b))}, b...)
	}
	shares := func(n int) []byte {
		var b []byte
		for i := 0; i < n; i++ {
			b = append(b, byte(i>>8), byte(i), 0, 1, 0)
		}
		return append([]byte{byte(len(b) >> 8), byte(len(b))}, b...)
	}
	parseExt := func(b []byte) bool {
		s := wire.String(b)
		_, ok := ParseExtensions(&s)
		return ok
	}
	parseShares := func(b []byte) bool {
		_, ok := ParseKeyShareCH(b)
		return ok
	}
	if !parseExt(extensions(MaxExtensions)) || !parseShares(shares(maxKeyShares)) {
		t.Fatal("lists at the bound refused")
	}
	for name, tc := range map[string]struct {
		b     []byte
		parse func([]byte) bool
	}{
		"extensions": {extensions(15000), parseExt},
		"key shares": {shares(12000), parseShares},
	} {
		if tc.parse(tc.b) {
			t.Errorf("%s: %d bytes of them accepted", name, len(tc.b))
		}
		if n := testing.AllocsPerRun(3, func() { tc.parse(tc.b) }); n > 16 {
			t.Errorf("%s: %v allocations to refuse them", name, n)
		}
	}
}
