module github.com/tinydtls-go/tinydtls

go 1.26.0

require (
	github.com/pion/dtls/v4 v4.0.1
	github.com/pion/logging v0.2.4
	golang.org/x/crypto v0.59.0
)

require (
	github.com/pion/transport/v5 v5.1.4 // indirect
	golang.org/x/sys v0.50.0 // indirect
)
