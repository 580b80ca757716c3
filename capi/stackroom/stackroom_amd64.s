// SPDX-License-Identifier: BSD-3-Clause

#include "textflag.h"

// func Reserve()
// A 160 KiB frame (stackroom.Frame) and no locals: only the prologue's stack
// check runs, which grows the goroutine stack if that much is not free.
TEXT ·Reserve(SB), 0, $163840-0
	RET
