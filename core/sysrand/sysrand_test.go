// SPDX-License-Identifier: BSD-3-Clause

package sysrand

import (
	"bytes"
	"testing"
)

// Reads of every length up to a few chunks fill the whole buffer, and two
// reads differ (a generator that returned zeros or repeated itself would
// be caught here).
func TestReadFills(t *testing.T) {
	for _, n := range []int{1, 2, 31, 32, 255, 256, 257, 1000, 4096} {
		a, b := make([]byte, n), make([]byte, n)
		if k, err := Reader.Read(a); k != n || err != nil {
			t.Fatalf("Read(%d) = %d, %v", n, k, err)
		}
		if _, err := Reader.Read(b); err != nil {
			t.Fatal(err)
		}
		if n >= 16 && (bytes.Equal(a, b) || bytes.Equal(a, make([]byte, n))) {
			t.Fatalf("Read(%d) gave the same or zero bytes twice", n)
		}
		// The tail is written too: for n ≥ 16 a zero tail of 16 bytes
		// happens with probability 2^-128.
		if n >= 16 && bytes.Equal(a[n-16:], make([]byte, 16)) {
			t.Fatalf("Read(%d) left the end of the buffer unwritten", n)
		}
	}
}

func TestReadEmpty(t *testing.T) {
	if n, err := Reader.Read(nil); n != 0 || err != nil {
		t.Fatalf("Read(nil) = %d, %v", n, err)
	}
}
