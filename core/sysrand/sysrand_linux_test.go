// SPDX-License-Identifier: BSD-3-Clause

package sysrand

import (
	"bytes"
	"runtime"
	"testing"
)

// The fallback path is the one kernels before 3.17 take.
func TestURandom(t *testing.T) {
	b := make([]byte, 300)
	if err := urandom(b); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(b[284:], make([]byte, 16)) {
		t.Fatal("urandom left the end of the buffer unwritten")
	}
}

// Every architecture Go supports on Linux has a system call number here
// (GOARCH is a constant, so only the one being built is checked).
func TestGetrandomTrapKnown(t *testing.T) {
	if getrandomTrap() == 0 {
		t.Fatalf("no getrandom system call number for %s", runtime.GOARCH)
	}
}
