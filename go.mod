module github.com/tinydtls-go/tinydtls

go 1.26

require (
	github.com/mattn/go-pointer v0.0.1 // indirect
	golang.org/x/crypto v0.59.0 // indirect
)
