// SPDX-License-Identifier: BSD-3-Clause

// Package engine is the sans-I/O DTLS 1.2 engine: an Endpoint holds the
// associations (Conn) of one context and is driven entirely by its caller.
// Datagrams and the current time go in through HandleDatagram, Connect,
// Write, Close and CheckRetransmit; datagrams, application data, events and
// credential questions come out through the Handler interface, synchronously
// and only at points where the engine's state is consistent, so a handler may
// call back into the Endpoint (an echo server writes from inside Receive).
//
// An Endpoint is not safe for concurrent use: one goroutine (or C thread) at a
// time, as with upstream tinydtls.
package engine
