// SPDX-License-Identifier: BSD-3-Clause

//go:build amd64 || arm64

package stackroom

// Reserve grows the calling goroutine's stack so that Frame bytes are free
// below the caller's frame. See the package comment.
func Reserve()
