// SPDX-License-Identifier: BSD-3-Clause

package engine

// Role of an association.
type Role uint8

const (
	RoleClient Role = iota
	RoleServer
)

func (r Role) String() string {
	if r == RoleServer {
		return "server"
	}
	return "client"
}

// State uses upstream's dtls_state_t numbering, so the C layer can mirror it
// into dtls_peer_t.state unchanged.
type State uint8

const (
	StateInit State = iota
	StateWaitClientHello
	StateWaitClientCertificate
	StateWaitClientKeyExchange
	StateWaitCertificateVerify
	StateWaitChangeCipherSpec
	StateWaitFinished
	StateFinished
	StateClientHello
	StateWaitServerCertificate
	StateWaitServerKeyExchange
	StateWaitServerHelloDone
	StateConnected
	StateClosing
	StateClosed
)

var stateNames = [...]string{"INIT", "WAIT_CLIENTHELLO", "WAIT_CLIENTCERTIFICATE",
	"WAIT_CLIENTKEYEXCHANGE", "WAIT_CERTIFICATEVERIFY", "WAIT_CHANGECIPHERSPEC",
	"WAIT_FINISHED", "FINISHED", "CLIENTHELLO", "WAIT_SERVERCERTIFICATE",
	"WAIT_SERVERKEYEXCHANGE", "WAIT_SERVERHELLODONE", "CONNECTED", "CLOSING", "CLOSED"}

func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "UNKNOWN"
}
