// SPDX-License-Identifier: BSD-3-Clause

package ccm

import "testing"

// TestExpandKey128 checks the schedule against FIPS-197 Appendix A.1.
func TestExpandKey128(t *testing.T) {
	var rk [44]uint32
	expandKey128(&rk, unhex("2b7e151628aed2a6abf7158809cf4f3c"))
	for i, want := range map[int]uint32{0: 0x2b7e1516, 4: 0xa0fafe17, 10: 0x5935807a, 43: 0xb6630ca6} {
		if rk[i] != want {
			t.Errorf("w[%d] = %08x, want %08x", i, rk[i], want)
		}
	}
}
