// SPDX-License-Identifier: BSD-3-Clause

//go:build !linux

package sysrand

import "crypto/rand"

func (reader) Read(b []byte) (int, error) { return rand.Read(b) }
