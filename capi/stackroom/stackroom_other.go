// SPDX-License-Identifier: BSD-3-Clause

//go:build !amd64 && !arm64

package stackroom

// Reserve does nothing on architectures without an assembly version: there
// the room for application signal handlers is whatever the goroutine stack
// happens to have (see the package comment and README "Inside your process").
func Reserve() {}
